// Tier 1, the physical memory manager: a bitmap over every 4 KiB frame of RAM
// plus an owner tag per frame. Every allocation and free names its owner and
// is checked against the tag.

import { PAGE_SIZE } from '../arch/arch';
import { FRAME_OWNERS, OWNER_LABEL, ownerCode, type FrameOwner } from './frame-owner';

export interface ReservedRange {
  readonly base: number;
  readonly size: number;
  readonly owner: Exclude<FrameOwner, 'free'>;
}

export interface MemoryMap {
  readonly ramBase: number;
  readonly ramSize: number;
  readonly reserved: readonly ReservedRange[];
}

export class OutOfFrames extends Error {
  constructor(count: number, owner: FrameOwner) {
    super(`PMM: no ${count === 1 ? 'free frame' : `${count} contiguous free frames`} for ${OWNER_LABEL[owner]}`);
  }
}

export type OwnerCounts = Record<FrameOwner, number>;

export class Pmm {
  readonly ramBase: number;
  readonly frameCount: number;
  /** Bit set = frame in use (owner is not 'free'). */
  private readonly bitmap: Uint32Array;
  private readonly owners: Uint8Array;
  private readonly counts: number[];
  /** The most frames each owner held at once (for 'free': the fewest). */
  private readonly peaks: number[];
  private nextHint = 0;

  constructor(map: MemoryMap) {
    if (map.ramBase % PAGE_SIZE !== 0 || map.ramSize % PAGE_SIZE !== 0) throw new Error('PMM: RAM must be page aligned');
    this.ramBase = map.ramBase;
    this.frameCount = map.ramSize / PAGE_SIZE;
    this.bitmap = new Uint32Array(Math.ceil(this.frameCount / 32));
    this.owners = new Uint8Array(this.frameCount);
    this.counts = FRAME_OWNERS.map(() => 0);
    this.counts[0] = this.frameCount;
    this.peaks = [...this.counts];
    for (const r of map.reserved) this.reserve(r);
  }

  /** One frame for owner; returns its physical address. */
  alloc(owner: Exclude<FrameOwner, 'free'>): number {
    return this.allocContiguous(1, 1, owner);
  }

  /** count contiguous frames whose first frame number is a multiple of alignFrames. */
  allocContiguous(count: number, alignFrames: number, owner: Exclude<FrameOwner, 'free'>): number {
    if (this.counts[0] < count) throw new OutOfFrames(count, owner);
    const start = count === 1 ? this.findFree(this.nextHint) ?? this.findFree(0) : this.findRun(count, alignFrames, this.nextHint) ?? this.findRun(count, alignFrames, 0);
    if (start === null) throw new OutOfFrames(count, owner);
    for (let f = start; f < start + count; f++) this.setOwner(f, owner);
    this.nextHint = start + count;
    return this.ramBase + start * PAGE_SIZE;
  }

  free(pa: number, owner: Exclude<FrameOwner, 'free'>): void {
    const f = this.frameOf(pa);
    if (this.owners[f] !== ownerCode(owner)) this.expectOwner(f, owner, 'free');
    this.setOwner(f, 'free');
    if (f < this.nextHint) this.nextHint = f;
  }

  freeContiguous(pa: number, count: number, owner: Exclude<FrameOwner, 'free'>): void {
    const first = this.frameOf(pa);
    for (let f = first; f < first + count; f++) this.expectOwner(f, owner, 'free');
    for (let f = first; f < first + count; f++) this.setOwner(f, 'free');
    if (first < this.nextHint) this.nextHint = first;
  }

  /** Hand frames from one owner to another (for example untyped-reserved to kernel-object). */
  transfer(pa: number, count: number, from: FrameOwner, to: FrameOwner): void {
    const first = this.frameOf(pa);
    for (let f = first; f < first + count; f++) this.expectOwner(f, from, `transfer to ${OWNER_LABEL[to]}`);
    for (let f = first; f < first + count; f++) this.setOwner(f, to);
  }

  get freeFrames(): number {
    return this.counts[0];
  }

  ownerOf(pa: number): FrameOwner {
    return FRAME_OWNERS[this.owners[this.frameOf(pa)]];
  }

  stats(): OwnerCounts {
    const out = {} as OwnerCounts;
    FRAME_OWNERS.forEach((o, i) => (out[o] = this.counts[i]));
    return out;
  }

  /** The most frames each owner held at any moment so far; for 'free', the fewest free frames. */
  peakStats(): OwnerCounts {
    const out = {} as OwnerCounts;
    FRAME_OWNERS.forEach((o, i) => (out[o] = this.peaks[i]));
    return out;
  }

  /** Throws unless every frame has exactly one owner, the bitmap agrees, and the counts add up. */
  audit(): OwnerCounts {
    const recount = FRAME_OWNERS.map(() => 0);
    for (let f = 0; f < this.frameCount; f++) {
      const o = this.owners[f];
      if (o >= FRAME_OWNERS.length) throw new Error(`PMM audit: frame ${f} has an invalid owner code ${o}`);
      if (this.isUsed(f) !== (o !== 0)) throw new Error(`PMM audit: frame ${f} bitmap disagrees with owner ${FRAME_OWNERS[o]}`);
      recount[o]++;
    }
    let total = 0;
    for (let i = 0; i < recount.length; i++) {
      if (recount[i] !== this.counts[i]) throw new Error(`PMM audit: ${FRAME_OWNERS[i]} counted ${this.counts[i]}, found ${recount[i]}`);
      total += recount[i];
    }
    if (total !== this.frameCount) throw new Error(`PMM audit: ${total} frames owned of ${this.frameCount}`);
    return this.stats();
  }

  private reserve(r: ReservedRange): void {
    const first = this.frameOf(r.base - (r.base % PAGE_SIZE));
    const end = this.frameOf(Math.ceil((r.base + r.size) / PAGE_SIZE) * PAGE_SIZE - PAGE_SIZE) + 1;
    for (let f = first; f < end; f++) {
      this.expectOwner(f, 'free', `reserve for ${OWNER_LABEL[r.owner]}`);
      this.setOwner(f, r.owner);
    }
  }

  /** The first free frame at or after from, a word of the bitmap at a time (near-full RAM has long used stretches). */
  private findFree(from: number): number | null {
    const words = this.bitmap.length;
    let w = from >>> 5;
    if (w >= words) return null;
    // Bits below from in its first word count as used.
    let free = ~this.bitmap[w] & ~((1 << (from & 31)) - 1);
    while (free === 0) {
      if (++w >= words) return null;
      free = ~this.bitmap[w];
    }
    const f = (w << 5) + (31 - Math.clz32(free & -free));
    return f < this.frameCount ? f : null;
  }

  private findRun(count: number, align: number, from: number): number | null {
    let f = Math.ceil(from / align) * align;
    while (f + count <= this.frameCount) {
      let bad = -1;
      for (let i = count - 1; i >= 0; i--) {
        if (this.isUsed(f + i)) {
          bad = f + i;
          break;
        }
      }
      if (bad < 0) return f;
      f = Math.ceil((bad + 1) / align) * align;
    }
    return null;
  }

  private frameOf(pa: number): number {
    const f = (pa - this.ramBase) / PAGE_SIZE;
    if (!Number.isInteger(f) || f < 0 || f >= this.frameCount) {
      throw new Error(`PMM: 0x${pa.toString(16)} is not a frame of RAM`);
    }
    return f;
  }

  private expectOwner(f: number, owner: FrameOwner, op: string): void {
    const actual = FRAME_OWNERS[this.owners[f]];
    if (actual !== owner) {
      const pa = this.ramBase + f * PAGE_SIZE;
      throw new Error(`PMM: ${op} of frame 0x${pa.toString(16)} as ${OWNER_LABEL[owner]}, but it is owned by ${OWNER_LABEL[actual]}`);
    }
  }

  private isUsed(f: number): boolean {
    return (this.bitmap[f >>> 5] & (1 << (f & 31))) !== 0;
  }

  private setOwner(f: number, owner: FrameOwner): void {
    const code = ownerCode(owner);
    const was = this.owners[f];
    if (--this.counts[was] < this.peaks[was] && was === 0) this.peaks[0] = this.counts[0];
    if (++this.counts[code] > this.peaks[code] && code !== 0) this.peaks[code] = this.counts[code];
    this.owners[f] = code;
    if (code === 0) this.bitmap[f >>> 5] &= ~(1 << (f & 31));
    else this.bitmap[f >>> 5] |= 1 << (f & 31);
  }
}
