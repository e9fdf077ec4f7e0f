// A split virtqueue (virtio 1.1 section 2.6) read from and written to guest
// RAM: descriptor table, available ring, used ring, indirect descriptor tables
// and the event-index notification suppression. Malformed rings never throw:
// pop() returns a fault message and the transport marks the device broken, as
// QEMU's virtio_error does.

import type { PhysicalMemory } from '../memory/physical-memory';

const DESC_SIZE = 16;
export const DESC_F_NEXT = 1;
export const DESC_F_WRITE = 2;
export const DESC_F_INDIRECT = 4;
const AVAIL_F_NO_INTERRUPT = 1;

/** A guest-physical buffer, checked to lie in RAM. */
export interface Segment {
  readonly addr: number;
  readonly len: number;
}

/** One popped descriptor chain: its head index, device-readable then device-writable buffers. */
export interface Chain {
  readonly head: number;
  readonly readable: Segment[];
  readonly writable: Segment[];
}

export interface QueueFault {
  readonly fault: string;
}

export class Virtqueue {
  /** Ring size in entries (vring.num); 0 = the queue does not exist. */
  num: number;
  descAddr = 0;
  availAddr = 0;
  usedAddr = 0;
  /** Negotiated VIRTIO_RING_F_EVENT_IDX. */
  eventIdx = false;
  /** Negotiated VIRTIO_F_NOTIFY_ON_EMPTY. */
  notifyOnEmpty = false;
  private lastAvail = 0;
  private usedIdx = 0;
  private signalledUsed = 0;
  private signalledUsedValid = false;

  constructor(private readonly phys: PhysicalMemory, readonly defaultNum: number) {
    this.num = defaultNum;
  }

  reset(): void {
    this.num = this.defaultNum;
    this.descAddr = this.availAddr = this.usedAddr = 0;
    this.eventIdx = this.notifyOnEmpty = false;
    this.lastAvail = this.usedIdx = this.signalledUsed = 0;
    this.signalledUsedValid = false;
  }

  /** Legacy layout: descriptors at `base`, the available ring after them, the used ring at the next `align` boundary. */
  setLegacyRings(base: number, align: number): void {
    this.descAddr = base;
    if (base === 0) {
      this.availAddr = this.usedAddr = 0;
      return;
    }
    this.availAddr = base + this.num * DESC_SIZE;
    const availEnd = this.availAddr + 4 + 2 * this.num;
    const a = align > 0 ? align : 1;
    this.usedAddr = Math.ceil(availEnd / a) * a;
  }

  get configured(): boolean {
    return this.num !== 0 && this.descAddr !== 0;
  }

  private u16(pa: number): number | undefined {
    const off = this.phys.ramOffset(pa);
    return off >= 0 && off + 2 <= this.phys.ramSize ? this.phys.view.getUint16(off, true) : undefined;
  }

  private putU16(pa: number, v: number): boolean {
    const off = this.phys.ramOffset(pa);
    if (off < 0 || off + 2 > this.phys.ramSize) return false;
    this.phys.view.setUint16(off, v & 0xffff, true);
    this.phys.notifyWrite(pa, 2);
    return true;
  }

  /** Entries the driver made available and the device has not taken, or a fault when the index is impossible. */
  pending(): number | QueueFault {
    const idx = this.u16(this.availAddr + 2);
    if (idx === undefined) return { fault: 'available ring outside RAM' };
    const n = (idx - this.lastAvail) & 0xffff;
    if (n > this.num) return { fault: `guest moved the available index from ${this.lastAvail} to ${idx}` };
    return n;
  }

  /** Takes the next available chain: null when none is available. */
  pop(): Chain | QueueFault | null {
    const n = this.pending();
    if (typeof n !== 'number') return n;
    if (n === 0) return null;
    const head = this.u16(this.availAddr + 4 + 2 * (this.lastAvail % this.num));
    if (head === undefined) return { fault: 'available ring outside RAM' };
    if (head >= this.num) return { fault: `guest says index ${head} is available (ring of ${this.num})` };
    this.lastAvail = (this.lastAvail + 1) & 0xffff;
    if (this.eventIdx && !this.putU16(this.usedAddr + 4 + 8 * this.num, this.lastAvail)) return { fault: 'used ring outside RAM' };
    return this.walk(head);
  }

  private readDesc(table: number, i: number): { addr: number; len: number; flags: number; next: number } | undefined {
    const pa = table + i * DESC_SIZE;
    const off = this.phys.ramOffset(pa);
    if (off < 0 || off + DESC_SIZE > this.phys.ramSize) return undefined;
    const v = this.phys.view;
    return { addr: v.getUint32(off, true) + v.getUint32(off + 4, true) * 4294967296, len: v.getUint32(off + 8, true), flags: v.getUint16(off + 12, true), next: v.getUint16(off + 14, true) };
  }

  private walk(head: number): Chain | QueueFault {
    const chain: Chain = { head, readable: [], writable: [] };
    let table = this.descAddr;
    let max = this.num;
    let i = head;
    let seen = 0;
    let desc = this.readDesc(table, i);
    if (desc === undefined) return { fault: 'descriptor table outside RAM' };
    if (desc.flags & DESC_F_INDIRECT) {
      if (desc.len === 0 || desc.len % DESC_SIZE !== 0) return { fault: `invalid size ${desc.len} for an indirect table` };
      if (!this.phys.isRam(desc.addr, desc.len)) return { fault: 'indirect table outside RAM' };
      table = desc.addr;
      max = desc.len / DESC_SIZE;
      i = 0;
      desc = this.readDesc(table, 0)!;
    }
    for (;;) {
      if (++seen > max) return { fault: 'looped descriptor chain' };
      if (table !== this.descAddr && desc.flags & DESC_F_INDIRECT) return { fault: 'nested indirect descriptor' };
      if (desc.len === 0) return { fault: 'zero-sized buffer' };
      if (!this.phys.isRam(desc.addr, desc.len)) return { fault: `buffer 0x${desc.addr.toString(16)}+${desc.len} outside RAM` };
      if (desc.flags & DESC_F_WRITE) chain.writable.push({ addr: desc.addr, len: desc.len });
      else if (chain.writable.length > 0) return { fault: 'readable descriptor after a writable one' };
      else chain.readable.push({ addr: desc.addr, len: desc.len });
      if (!(desc.flags & DESC_F_NEXT)) return chain;
      i = desc.next;
      if (i >= max) return { fault: `descriptor next ${i} beyond ${max}` };
      const d = this.readDesc(table, i);
      if (d === undefined) return { fault: 'descriptor table outside RAM' };
      desc = d;
    }
  }

  /** Returns a chain to the driver with `len` bytes written. */
  push(head: number, len: number): boolean {
    const slot = this.usedAddr + 4 + 8 * (this.usedIdx % this.num);
    const off = this.phys.ramOffset(slot);
    const idxOff = this.phys.ramOffset(this.usedAddr + 2);
    if (off < 0 || off + 8 > this.phys.ramSize || idxOff < 0) return false;
    this.phys.view.setUint32(off, head, true);
    this.phys.view.setUint32(off + 4, len >>> 0, true);
    this.phys.notifyWrite(slot, 8);
    this.usedIdx = (this.usedIdx + 1) & 0xffff;
    return this.putU16(this.usedAddr + 2, this.usedIdx);
  }

  /** Whether the driver wants an interrupt for what was pushed since the last one (virtio 1.1 2.6.7, 2.6.10). */
  shouldNotify(): boolean {
    if (this.notifyOnEmpty && this.pending() === 0) return true;
    if (!this.eventIdx) {
      const flags = this.u16(this.availAddr);
      return flags !== undefined && (flags & AVAIL_F_NO_INTERRUPT) === 0;
    }
    const valid = this.signalledUsedValid;
    const old = this.signalledUsed;
    this.signalledUsedValid = true;
    this.signalledUsed = this.usedIdx;
    const event = this.u16(this.availAddr + 4 + 2 * this.num);
    if (event === undefined) return true;
    return !valid || ((this.usedIdx - event - 1) & 0xffff) < ((this.usedIdx - old) & 0xffff);
  }
}

/** Copies up to `dst.length` bytes of a chain's segments, starting `skip` bytes in; returns the count. */
export function gather(phys: PhysicalMemory, segs: readonly Segment[], skip: number, dst: Uint8Array): number {
  let done = 0;
  for (const s of segs) {
    if (done >= dst.length) break;
    if (skip >= s.len) {
      skip -= s.len;
      continue;
    }
    const n = Math.min(s.len - skip, dst.length - done);
    const off = s.addr + skip - phys.ramBase;
    dst.set(phys.bytes.subarray(off, off + n), done);
    done += n;
    skip = 0;
  }
  return done;
}

/** Copies `src` into a chain's segments starting `skip` bytes in; returns the count written. */
export function scatter(phys: PhysicalMemory, segs: readonly Segment[], skip: number, src: Uint8Array): number {
  let done = 0;
  for (const s of segs) {
    if (done >= src.length) break;
    if (skip >= s.len) {
      skip -= s.len;
      continue;
    }
    const n = Math.min(s.len - skip, src.length - done);
    const pa = s.addr + skip;
    phys.bytes.set(src.subarray(done, done + n), pa - phys.ramBase);
    phys.notifyWrite(pa, n);
    done += n;
    skip = 0;
  }
  return done;
}

export function totalLength(segs: readonly Segment[]): number {
  let n = 0;
  for (const s of segs) n += s.len;
  return n;
}
