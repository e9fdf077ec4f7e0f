// Tier 3, the MemoryObject: a named set of pages. Pages are committed on demand
// (zero-filled or by a pager), cloned copy-on-write, and every (VSpace, address)
// mapping of a page is recorded so decommit, write-protect and destroy reach it.

import { PAGE_SIZE } from '../arch/arch';
import type { MmCounters } from './mm-stats';
import { chainDepth, flatten, lookup, MoFrames, PageStore, releaseStore, retryCollapse, TOMBSTONE, type PageFrame } from './page-store';
import { RADIX_CAPACITY } from './radix-tree';

/** Fills a page (given zeroed) with its file bytes on first touch. */
export type Pager = (pageIndex: number, page: Uint8Array) => void;

/** Whoever maps pages of a MemoryObject (a VSpace). */
export interface MappingSink {
  /** The object dropped the mapping at va: remove it from the hardware tables. */
  onUnmapped(va: number): void;
  /**
   * Every page of mo became copy-on-write (mo was cloned): deny write to all of
   * them, at table granularity where possible. Returns the entries written.
   */
  writeProtectObject(mo: MemoryObject): number;
}

interface Mapping {
  readonly sink: MappingSink;
  readonly va: number;
  /** Bytes charged for this mapping (SharedMappingCharge), given back with it. */
  readonly charged: number;
}

/** A MemoryObject's bookkeeping, read by the invariants pass (kernel/mm/mo-invariants.ts) only. */
export interface MoInternals {
  readonly top: PageStore;
  readonly ctx: MoContext;
  readonly rmap: ReadonlyMap<number, readonly Mapping[]>;
  readonly sinks: ReadonlyMap<MappingSink, number>;
  readonly mappings: number;
}

export interface MoContext {
  readonly frames: MoFrames;
  readonly counters: MmCounters;
  /** A clone of an object whose backing chain is this deep first flattens it. */
  readonly maxChainDepth: number;
  /** What a page's mappings beyond its first cost (memory-manager.ts SharedMappingCharge). */
  readonly sharedMappings: SharedMappingCharge;
}

/**
 * The host's record of a mapping (its reverse-map entry and the VSpace's own, about 440 bytes), charged to
 * guest memory when the page is shared: a page mapped by a thousand processes (a fork's pages read by each
 * child, a shared mapping) costs the host a thousand records where Linux holds a thousand 8-byte entries,
 * which the page tables (guest frames) already count. A mapping of a private page is not charged: its record
 * is bounded by the page itself.
 */
export interface SharedMappingCharge {
  /** Bytes a mapping of a shared page is charged (0: not charged; the Linux personality sets it before any mapping). */
  bytes: number;
  /** Takes bytes; throws OutOfFrames, having taken nothing, when guest memory cannot cover them. */
  charge(bytes: number): void;
  release(bytes: number): void;
}

export type WriteResolution = 'private' | 'demand' | 'copy' | 'handover';

let nextId = 1;

/** A decommit of more pages than this visits only the pages something holds. */
const SPARSE_DECOMMIT = 4096;

/** The page a pager fills: one buffer reused for every fill (a pager must not keep it). */
const pagerScratch = new Uint8Array(PAGE_SIZE);
let scratchBusy = false;

function fillFromPager(pager: Pager, page: number): Uint8Array {
  // A pager that itself commits a pager-filled page gets a buffer of its own.
  const bytes = scratchBusy ? new Uint8Array(PAGE_SIZE) : pagerScratch.fill(0);
  const outer = !scratchBusy;
  scratchBusy = true;
  try {
    pager(page, bytes);
  } finally {
    if (outer) scratchBusy = false;
  }
  return bytes;
}

export class MemoryObject {
  readonly id = nextId++;
  private top: PageStore;
  private readonly rmap = new Map<number, Mapping[]>();
  /** How many of this object's pages each sink maps: a clone tells each sink once, not each page. */
  private readonly sinks = new Map<MappingSink, number>();
  private mappings = 0;
  /** Bytes charged for mappings beyond each page's first (SharedMappingCharge). */
  private sharedCharged = 0;
  private destroyed = false;
  /** Pages the pager can supply now (a file's length): a fault on a page at or past it is a bus error. Clones share it. */
  extent: (() => number) | undefined;

  constructor(
    private readonly ctx: MoContext,
    readonly pageCount: number,
    readonly pager: Pager | null = null,
    backing: PageStore | null = null,
  ) {
    if (!Number.isInteger(pageCount) || pageCount <= 0 || pageCount > RADIX_CAPACITY) {
      throw new Error(`MemoryObject: ${pageCount} pages is not a valid size`);
    }
    this.top = new PageStore(ctx.frames, backing);
    ctx.counters.moCreated++;
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  /** Pages held by this object's own store. */
  get committedPages(): number {
    let n = 0;
    this.top.tree.forEach((_, e) => (n += e === TOMBSTONE ? 0 : 1));
    return n;
  }

  get depth(): number {
    return chainDepth(this.top);
  }

  /** Make pages resident and private (writable without a fault). */
  commit(firstPage: number, count = 1): void {
    for (let i = firstPage; i < firstPage + count; i++) this.resolveWrite(i);
  }

  /** Drop pages: every mapping goes, and the page reads as its origin (zero or pager) again. */
  decommit(firstPage: number, count = 1): void {
    if (count > SPARSE_DECOMMIT) {
      // A huge range (a program may name 2^36 pages): visit only the pages something holds.
      this.checkPage(firstPage);
      this.checkPage(firstPage + count - 1);
      for (const i of this.heldIn(firstPage, firstPage + count)) this.decommitPage(i);
      return;
    }
    for (let i = firstPage; i < firstPage + count; i++) this.decommitPage(i);
  }

  /** Pages in [start, end) that a mapping, this object's store or a store below it holds, ascending. */
  private heldIn(start: number, end: number): number[] {
    const held = new Set<number>();
    const add = (i: number): void => {
      if (i >= start && i < end) held.add(i);
    };
    for (const i of this.rmap.keys()) add(i);
    for (let st: PageStore | null = this.top; st; st = st.backing) st.tree.forEach((i) => add(i));
    return [...held].sort((a, b) => a - b);
  }

  private decommitPage(i: number): void {
    this.checkPage(i);
    this.dropMappings(i);
    const e = this.top.tree.get(i);
    if (e && e !== TOMBSTONE) this.ctx.frames.unref(e);
    if (this.top.backing && lookup(this.top.backing, i)) this.top.tree.set(i, TOMBSTONE);
    else if (e) this.top.tree.delete(i);
  }

  /** Does the page have a frame (its own or through its parent chain), without committing anything? (mincore) */
  isResident(page: number): boolean {
    if (this.destroyed || page < 0 || page >= this.pageCount) return false;
    return lookup(this.top, page) !== null;
  }

  /** The frame to map for a read, committing the origin content if nothing is visible. */
  resolveRead(page: number): { pa: number; writable: boolean } {
    this.checkPage(page);
    const found = lookup(this.top, page);
    if (!found) return { pa: this.commitOrigin(page).pa, writable: true };
    const writable = found.store === this.top && found.frame.refs === 1;
    return { pa: found.frame.pa, writable };
  }

  /** Make the page private to this object, copying or handing over a shared frame. */
  resolveWrite(page: number): { pa: number; how: WriteResolution } {
    this.checkPage(page);
    const found = lookup(this.top, page);
    if (!found) return { pa: this.commitOrigin(page).pa, how: 'demand' };
    let frame = found.frame;
    if (found.store !== this.top) {
      if (!found.exclusive) return { pa: this.replaceWithCopy(page, frame, false), how: 'copy' };
      // Set first: a radix node the set cannot get (RAM exhausted) then leaves the frame where it was.
      this.top.tree.set(page, frame);
      found.store.tree.delete(page);
    }
    if (frame.refs === 1) {
      if (found.store === this.top) return { pa: frame.pa, how: 'private' };
      this.ctx.counters.cowHandovers++;
      return { pa: frame.pa, how: 'handover' };
    }
    return { pa: this.replaceWithCopy(page, frame, true), how: 'copy' };
  }

  read(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.eachPagePart(offset, length, (page, inPage, at, n) => {
      const found = lookup(this.top, page);
      const pa = found ? found.frame.pa : this.pager ? this.commitOrigin(page).pa : -1;
      if (pa >= 0) out.set(this.ctx.frames.ram.readBytes(pa + inPage, n), at);
    });
    return out;
  }

  write(offset: number, data: Uint8Array): void {
    this.eachPagePart(offset, data.length, (page, inPage, at, n) => {
      const { pa } = this.resolveWrite(page);
      this.ctx.frames.ram.writeBytes(pa + inPage, data.subarray(at, at + n));
    });
  }

  /** Where this object's new frames come from. */
  get frames(): MoFrames {
    return this.ctx.frames;
  }

  /**
   * A copy-on-write clone: both objects then read through a frozen store of
   * this one's pages. The clone takes its own frames from ctx (default: this one's).
   */
  clone(ctx: MoContext = this.ctx): MemoryObject {
    this.checkLive();
    retryCollapse(this.top, this.ctx.frames);
    if (chainDepth(this.top) >= this.ctx.maxChainDepth) {
      flatten(this.top, this.ctx.frames);
      this.ctx.counters.flattens++;
    }
    const frozen = this.top;
    frozen.users = 2;
    this.top = new PageStore(this.ctx.frames, frozen);
    this.writeProtectAll();
    const copy = new MemoryObject(ctx, this.pageCount, this.pager, frozen);
    copy.extent = this.extent;
    return copy;
  }

  /**
   * Before a new mapping of page is recorded: charges it when its frame is shared copy-on-write with other
   * objects (sharedFrame: a fork's pages, mapped again by each child that reads them) or the page is already
   * mapped elsewhere (a shared mapping); throws OutOfFrames, charging nothing, when guest memory is spent.
   * Returns the bytes charged, to give to addMapping (or to unchargeMapping should the mapping not be made).
   */
  chargeMapping(page: number, sharedFrame: boolean): number {
    const shared = this.ctx.sharedMappings;
    if (shared.bytes === 0 || (!sharedFrame && (this.rmap.get(page)?.length ?? 0) === 0)) return 0;
    shared.charge(shared.bytes);
    this.sharedCharged += shared.bytes;
    return shared.bytes;
  }

  unchargeMapping(bytes: number): void {
    if (bytes === 0) return;
    this.ctx.sharedMappings.release(bytes);
    this.sharedCharged -= bytes;
  }

  /** Bytes charged for this object's mappings of shared pages and frames (for the invariants pass). */
  get sharedMappingBytes(): number {
    return this.sharedCharged;
  }

  /** Records a mapping of page at va in sink, with the bytes chargeMapping charged for it. */
  addMapping(page: number, sink: MappingSink, va: number, charged = 0): void {
    this.checkPage(page);
    const list = this.rmap.get(page) ?? [];
    list.push({ sink, va, charged });
    this.rmap.set(page, list);
    this.mappings++;
    this.sinks.set(sink, (this.sinks.get(sink) ?? 0) + 1);
  }

  removeMapping(page: number, sink: MappingSink, va: number): void {
    const list = this.rmap.get(page);
    const at = list?.findIndex((m) => m.sink === sink && m.va === va) ?? -1;
    if (!list || at < 0) throw new Error(`MemoryObject ${this.id}: no mapping of page ${page} at 0x${va.toString(16)}`);
    this.unchargeMapping(list[at].charged);
    // A page's list holds one entry per VSpace mapping it, so the search is short.
    list[at] = list[list.length - 1];
    list.pop();
    this.mappings--;
    this.forgetSink(sink);
    if (list.length === 0) this.rmap.delete(page);
  }

  mappingsOf(page: number): readonly { sink: MappingSink; va: number }[] {
    return this.rmap.get(page) ?? [];
  }

  get mappingCount(): number {
    return this.mappings;
  }

  /** For the invariants pass: the structures themselves, to read and never change. */
  internals(): MoInternals {
    return { top: this.top, ctx: this.ctx, rmap: this.rmap, sinks: this.sinks, mappings: this.mappings };
  }

  /** Unmap everywhere and return every frame this object alone held. */
  destroy(): void {
    if (this.destroyed) return;
    for (const page of [...this.rmap.keys()]) this.dropMappings(page);
    releaseStore(this.top, this.ctx.frames);
    this.destroyed = true;
    this.ctx.counters.moDestroyed++;
  }

  private replaceWithCopy(page: number, shared: PageFrame, unrefOld: boolean): number {
    const copy = this.ctx.frames.copyOf(shared);
    this.setOrGiveBack(page, copy);
    if (unrefOld) this.ctx.frames.unref(shared);
    this.ctx.counters.cowCopies++;
    // Mappings of this page elsewhere still point at the shared frame.
    this.dropMappings(page);
    return copy.pa;
  }

  private commitOrigin(page: number): PageFrame {
    const frame = this.ctx.frames.newData();
    const ram = this.ctx.frames.ram;
    try {
      if (this.pager) {
        ram.writeBytes(frame.pa, fillFromPager(this.pager, page));
        this.ctx.counters.pagerFills++;
      } else {
        ram.fill(frame.pa, PAGE_SIZE, 0);
        this.ctx.counters.demandZero++;
      }
    } catch (e) {
      this.ctx.frames.unref(frame);
      throw e;
    }
    this.setOrGiveBack(page, frame);
    return frame;
  }

  /** Puts a new frame at page; when the tree cannot grow (RAM exhausted) the frame goes back before the error goes on. */
  private setOrGiveBack(page: number, frame: PageFrame): void {
    try {
      this.top.tree.set(page, frame);
    } catch (e) {
      this.ctx.frames.unref(frame);
      throw e;
    }
  }

  private dropMappings(page: number): void {
    const list = this.rmap.get(page);
    if (!list) return;
    this.rmap.delete(page);
    this.mappings -= list.length;
    for (const m of list) {
      this.unchargeMapping(m.charged);
      this.forgetSink(m.sink);
      m.sink.onUnmapped(m.va);
    }
  }

  private forgetSink(sink: MappingSink): void {
    const n = this.sinks.get(sink)! - 1;
    if (n === 0) this.sinks.delete(sink);
    else this.sinks.set(sink, n);
  }

  private writeProtectAll(): void {
    for (const sink of this.sinks.keys()) this.ctx.counters.writeProtectEntries += sink.writeProtectObject(this);
  }

  private eachPagePart(offset: number, length: number, fn: (page: number, inPage: number, at: number, n: number) => void): void {
    if (offset < 0 || length < 0 || offset + length > this.pageCount * PAGE_SIZE) {
      throw new Error(`MemoryObject ${this.id}: bytes [${offset}, ${offset + length}) outside its ${this.pageCount} pages`);
    }
    let at = 0;
    while (at < length) {
      const pos = offset + at;
      const inPage = pos % PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - inPage, length - at);
      fn(Math.floor(pos / PAGE_SIZE), inPage, at, n);
      at += n;
    }
  }

  private checkPage(page: number): void {
    this.checkLive();
    if (!Number.isInteger(page) || page < 0 || page >= this.pageCount) {
      throw new Error(`MemoryObject ${this.id}: page ${page} outside 0..${this.pageCount - 1}`);
    }
  }

  private checkLive(): void {
    if (this.destroyed) throw new Error(`MemoryObject ${this.id} is destroyed`);
  }
}
