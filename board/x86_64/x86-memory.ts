// The x86 CPU's view of memory: linear addresses (signed-canonical JS
// numbers) through a software TLB, the 4-level walker on a miss, then RAM or
// MMIO. Non-canonical addresses raise #GP(0) (the run loop turns it into
// #SS(0) for stack references).
//
// The TLB is direct-mapped with separate read/write/fetch tags, one set per
// privilege (CPL0 / CPL3). A tag is pageBase + PCID: the page base is 4 KiB
// aligned, so the 12-bit PCID fills its low bits and a hit is one compare.
// Write entries are filled only by write walks, so the walker has set D.

import { BusError, PhysicalMemory } from '../memory/physical-memory';
import { X86CodeCache, X86CodePage } from './code-cache';
import { walkX86, X86Access } from './walker';
import { generalProtection, nonCanonical, pageFault, Vector, X86Fault } from './x86-fault';

const TLB_BITS = 12;
const TLB_SIZE = 1 << TLB_BITS;
export const TLB_MASK = TLB_SIZE - 1;
const TWO32 = 4294967296;
const TWO47 = 2 ** 47;

class Tlb {
  readonly rTag = new Float64Array(TLB_SIZE).fill(NaN);
  readonly wTag = new Float64Array(TLB_SIZE).fill(NaN);
  readonly xTag = new Float64Array(TLB_SIZE).fill(NaN);
  readonly rAdd = new Float64Array(TLB_SIZE);
  readonly wAdd = new Float64Array(TLB_SIZE);
  readonly xPage: (X86CodePage | undefined)[] = new Array(TLB_SIZE);

  flushAll(): void {
    this.rTag.fill(NaN);
    this.wTag.fill(NaN);
    this.xTag.fill(NaN);
    this.xPage.fill(undefined);
  }

  flushIndex(i: number): void {
    this.rTag[i] = NaN;
    this.wTag[i] = NaN;
    this.xTag[i] = NaN;
    this.xPage[i] = undefined;
  }

  flushPcid(pcid: number): void {
    for (const tags of [this.rTag, this.wTag, this.xTag]) {
      for (let i = 0; i < TLB_SIZE; i++) {
        const t = tags[i];
        if (t === t && (t & 4095) === pcid) tags[i] = NaN;
      }
    }
  }
}

/** The paging controls the MMU follows (the CPU keeps them in step with CR0/CR3/CR4/EFER). */
export interface X86PagingState {
  /** CR0.PG: without paging, linear = physical (a convenience for bare tests; long mode always pages). */
  pg: boolean;
  /** CR3's physical base of the PML4 (PCID bits excluded). */
  cr3: number;
  wp: boolean;
  nxe: boolean;
  /** The current PCID (0 unless CR4.PCIDE). */
  pcid: number;
}

export class X86Memory {
  rTag: Float64Array;
  rAdd: Float64Array;
  wTag: Float64Array;
  wAdd: Float64Array;
  xTag: Float64Array;
  xPage: (X86CodePage | undefined)[];
  /** The PCID the tags carry. */
  pcid = 0;
  user = false;
  /** Bumped whenever a linear address may translate differently or decoded code went away: block links die with it. */
  epoch = 0;
  readonly paging: X86PagingState = { pg: false, cr3: 0, wp: false, nxe: false, pcid: 0 };
  /** CR2 as the last #PF left it. */
  cr2 = 0;

  private readonly tlbs: [Tlb, Tlb] = [new Tlb(), new Tlb()];
  readonly view: DataView;
  readonly bytes: Uint8Array;
  private readonly ramBase: number;
  private readonly ramSize: number;
  private readonly wideScratch = new Int32Array(4);

  constructor(
    readonly phys: PhysicalMemory,
    readonly code: X86CodeCache,
  ) {
    this.view = phys.view;
    this.bytes = phys.bytes;
    this.ramBase = phys.ramBase;
    this.ramSize = phys.ramSize;
    const t = this.tlbs[0];
    this.rTag = t.rTag;
    this.rAdd = t.rAdd;
    this.wTag = t.wTag;
    this.wAdd = t.wAdd;
    this.xTag = t.xTag;
    this.xPage = t.xPage;
    code.onNewCodePage = (ramOffset) => this.dropWriteEntries(ramOffset);
    code.onInvalidate = () => this.epoch++;
  }

  setUser(user: boolean): void {
    this.user = user;
    this.epoch++;
    const t = this.tlbs[user ? 1 : 0];
    this.rTag = t.rTag;
    this.rAdd = t.rAdd;
    this.wTag = t.wTag;
    this.wAdd = t.wAdd;
    this.xTag = t.xTag;
    this.xPage = t.xPage;
  }

  setPcid(pcid: number): void {
    this.pcid = pcid & 4095;
    this.paging.pcid = this.pcid;
    this.epoch++;
  }

  flushAll(): void {
    this.epoch++;
    this.tlbs[0].flushAll();
    this.tlbs[1].flushAll();
  }

  flushPcid(pcid: number): void {
    this.epoch++;
    this.tlbs[0].flushPcid(pcid & 4095);
    this.tlbs[1].flushPcid(pcid & 4095);
  }

  /** Drops every entry that could hold the page of va, whatever its PCID (INVLPG). */
  flushPage(va: number): void {
    const i = (va >>> 12) & TLB_MASK;
    this.epoch++;
    this.tlbs[0].flushIndex(i);
    this.tlbs[1].flushIndex(i);
  }

  // ---- loads: 8/16-bit return unsigned values, 32-bit a signed int32 ----

  read8(addr: number): number {
    const off = addr & 4095;
    const i = (addr >>> 12) & TLB_MASK;
    if (this.rTag[i] === addr - off + this.pcid) return this.bytes[this.rAdd[i] + off];
    return this.readSlow(addr, 1);
  }

  read16(addr: number): number {
    const off = addr & 4095;
    const i = (addr >>> 12) & TLB_MASK;
    if (this.rTag[i] === addr - off + this.pcid && off <= 4094) return this.view.getUint16(this.rAdd[i] + off, true);
    return this.readSlow(addr, 2);
  }

  read32(addr: number): number {
    const off = addr & 4095;
    const i = (addr >>> 12) & TLB_MASK;
    if (this.rTag[i] === addr - off + this.pcid && off <= 4092) return this.view.getInt32(this.rAdd[i] + off, true);
    return this.readSlow(addr, 4) | 0;
  }

  /** Loads 8 bytes into dst[di] (low half) and dst[di + 1] (high half). */
  read64(addr: number, dst: Int32Array, di: number): void {
    const off = addr & 4095;
    const i = (addr >>> 12) & TLB_MASK;
    if (this.rTag[i] === addr - off + this.pcid && off <= 4088) {
      const p = this.rAdd[i] + off;
      dst[di] = this.view.getInt32(p, true);
      dst[di + 1] = this.view.getInt32(p + 4, true);
      return;
    }
    this.readWideSlow(addr, 8, dst, di);
  }

  /** Loads 16 bytes into dst[di..di+3]. */
  read128(addr: number, dst: Int32Array, di: number): void {
    const off = addr & 4095;
    const i = (addr >>> 12) & TLB_MASK;
    if (this.rTag[i] === addr - off + this.pcid && off <= 4080) {
      const p = this.rAdd[i] + off;
      const v = this.view;
      dst[di] = v.getInt32(p, true);
      dst[di + 1] = v.getInt32(p + 4, true);
      dst[di + 2] = v.getInt32(p + 8, true);
      dst[di + 3] = v.getInt32(p + 12, true);
      return;
    }
    this.readWideSlow(addr, 16, dst, di);
  }

  // ---- stores ----

  write8(addr: number, value: number): void {
    const off = addr & 4095;
    const i = (addr >>> 12) & TLB_MASK;
    if (this.wTag[i] === addr - off + this.pcid) {
      this.bytes[this.wAdd[i] + off] = value;
      return;
    }
    this.writeSlow(addr, 1, value);
  }

  write16(addr: number, value: number): void {
    const off = addr & 4095;
    const i = (addr >>> 12) & TLB_MASK;
    if (this.wTag[i] === addr - off + this.pcid && off <= 4094) {
      this.view.setUint16(this.wAdd[i] + off, value, true);
      return;
    }
    this.writeSlow(addr, 2, value);
  }

  write32(addr: number, value: number): void {
    const off = addr & 4095;
    const i = (addr >>> 12) & TLB_MASK;
    if (this.wTag[i] === addr - off + this.pcid && off <= 4092) {
      this.view.setInt32(this.wAdd[i] + off, value, true);
      return;
    }
    this.writeSlow(addr, 4, value);
  }

  write64(addr: number, src: Int32Array, si: number): void {
    const off = addr & 4095;
    const i = (addr >>> 12) & TLB_MASK;
    if (this.wTag[i] === addr - off + this.pcid && off <= 4088) {
      const p = this.wAdd[i] + off;
      this.view.setInt32(p, src[si], true);
      this.view.setInt32(p + 4, src[si + 1], true);
      return;
    }
    this.writeWideSlow(addr, 8, src, si);
  }

  /** Stores a 64-bit value given as two halves. */
  write64v(addr: number, lo: number, hi: number): void {
    const off = addr & 4095;
    const i = (addr >>> 12) & TLB_MASK;
    if (this.wTag[i] === addr - off + this.pcid && off <= 4088) {
      const p = this.wAdd[i] + off;
      this.view.setInt32(p, lo, true);
      this.view.setInt32(p + 4, hi, true);
      return;
    }
    const s = this.wideScratch;
    s[0] = lo;
    s[1] = hi;
    this.writeWideSlow(addr, 8, s, 0);
  }

  write128(addr: number, src: Int32Array, si: number): void {
    const off = addr & 4095;
    const i = (addr >>> 12) & TLB_MASK;
    if (this.wTag[i] === addr - off + this.pcid && off <= 4080) {
      const p = this.wAdd[i] + off;
      const v = this.view;
      v.setInt32(p, src[si], true);
      v.setInt32(p + 4, src[si + 1], true);
      v.setInt32(p + 8, src[si + 2], true);
      v.setInt32(p + 12, src[si + 3], true);
      return;
    }
    this.writeWideSlow(addr, 16, src, si);
  }

  /** Checks that the page(s) of [addr, addr+size) are writable, before a read-modify-write reads them. */
  probeWrite(addr: number, size: number): void {
    const off = addr & 4095;
    const i = (addr >>> 12) & TLB_MASK;
    if (this.wTag[i] === addr - off + this.pcid && off <= 4096 - size) return;
    this.translate(addr, 'write');
    if (off > 4096 - size) this.translate(addr + size - 1, 'write');
  }

  /** #GP(0) unless addr is 16-byte aligned (MOVAPS, MOVDQA and the other aligned SSE forms). */
  checkAligned16(addr: number): void {
    if ((addr & 15) !== 0) throw generalProtection(0);
  }

  // ---- slow paths: translation, page crossings, MMIO, faults ----

  readSlow(addr: number, size: number): number {
    if ((addr & 4095) + size > 4096) {
      this.translate(addr, 'read');
      this.translate(addr + size - 1, 'read');
      let v = 0;
      for (let k = size - 1; k >= 0; k--) v = (v << 8) | this.readSlow(addr + k, 1);
      return size === 4 ? v | 0 : v >>> 0;
    }
    const pa = this.translate(addr, 'read');
    const ro = pa - this.ramBase;
    if (ro >= 0 && ro < this.ramSize) {
      if (size === 1) return this.bytes[ro];
      if (size === 2) return this.view.getUint16(ro, true);
      return this.view.getInt32(ro, true);
    }
    const region = this.phys.findDevice(pa);
    if (region === undefined) throw new BusError(pa, false);
    const v = region.device.read(pa - region.base, size);
    return size === 4 ? v | 0 : v;
  }

  writeSlow(addr: number, size: number, value: number): void {
    if ((addr & 4095) + size > 4096) {
      this.translate(addr, 'write');
      this.translate(addr + size - 1, 'write'); // fault before writing any byte
      for (let k = 0; k < size; k++) this.writeSlow(addr + k, 1, (value >>> (8 * k)) & 0xff);
      return;
    }
    const pa = this.translate(addr, 'write');
    const ro = pa - this.ramBase;
    if (ro >= 0 && ro < this.ramSize) {
      if (this.code.hasCode(ro)) this.code.invalidate(ro);
      if (size === 1) this.bytes[ro] = value;
      else if (size === 2) this.view.setUint16(ro, value, true);
      else this.view.setInt32(ro, value, true);
      return;
    }
    const region = this.phys.findDevice(pa);
    if (region === undefined) throw new BusError(pa, true);
    region.device.write(pa - region.base, size, size === 4 ? value >>> 0 : value & (size === 1 ? 0xff : 0xffff));
  }

  readWideSlow(addr: number, size: 8 | 16, dst: Int32Array, di: number): void {
    this.translate(addr, 'read');
    this.translate(addr + size - 1, 'read');
    const words = this.wideScratch;
    for (let w = 0; w < size / 4; w++) words[w] = this.readSlow(addr + 4 * w, 4);
    for (let w = 0; w < size / 4; w++) dst[di + w] = words[w];
  }

  writeWideSlow(addr: number, size: 8 | 16, src: Int32Array, si: number): void {
    this.translate(addr, 'write');
    this.translate(addr + size - 1, 'write');
    for (let w = 0; w < size / 4; w++) this.writeSlow(addr + 4 * w, 4, src[si + w]);
  }

  /** The code page holding rip, translated for execution at the current privilege. */
  fetchPage(rip: number): X86CodePage {
    const pa = this.translate(rip, 'fetch');
    const ro = pa - this.ramBase;
    if (ro < 0 || ro >= this.ramSize) throw new BusError(pa, false);
    const page = this.code.pageFor(ro - (ro & 4095));
    const i = (rip >>> 12) & TLB_MASK;
    this.xTag[i] = rip - (rip & 4095) + this.pcid;
    this.xPage[i] = page;
    return page;
  }

  /** Linear to physical for one access at the current privilege; fills the TLB for RAM pages. Throws #PF / #GP. */
  translate(addr: number, acc: X86Access): number {
    if (!(addr >= -TWO47 && addr < TWO47)) throw nonCanonical();
    const off = addr & 4095;
    const pageVa = addr - off;
    let pagePa: number;
    if (!this.paging.pg) {
      pagePa = pageVa < 0 ? pageVa + 2 ** 48 : pageVa;
    } else {
      const r = walkX86(this.phys, this.paging, addr, acc, this.user);
      if (!r.ok) {
        if (r.vector === Vector.PF) {
          this.cr2 = r.cr2;
          throw pageFault(r.errorCode, r.cr2);
        }
        throw new X86Fault(r.vector, r.errorCode);
      }
      pagePa = r.pa - off;
    }
    this.fill(pageVa, pagePa, acc);
    return pagePa + off;
  }

  /**
   * Caches a translation for the kind of access that walked: reads and
   * fetches may share a slot; a write entry only comes from a write walk.
   */
  private fill(pageVa: number, pagePa: number, acc: X86Access): void {
    const ro = pagePa - this.ramBase;
    if (ro < 0 || ro >= this.ramSize || acc === 'fetch') return;
    const i = (pageVa >>> 12) & TLB_MASK;
    const tag = pageVa + this.pcid;
    if (acc === 'read') {
      this.rTag[i] = tag;
      this.rAdd[i] = ro;
      return;
    }
    if (this.code.hasCode(ro)) this.code.invalidate(ro);
    this.wTag[i] = tag;
    this.wAdd[i] = ro;
    this.rTag[i] = tag;
    this.rAdd[i] = ro;
  }

  /** A page now holds decoded code: stores to it must take the slow path, which drops the code. */
  private dropWriteEntries(ramOffset: number): void {
    for (const t of this.tlbs) {
      for (let i = 0; i < TLB_SIZE; i++) if (t.wAdd[i] === ramOffset) t.wTag[i] = NaN;
    }
  }

  /** The 64-bit value of a linear-address number as halves (for registers). */
  static split(addr: number): [number, number] {
    return [addr | 0, Math.floor(addr / TWO32) | 0];
  }
}
