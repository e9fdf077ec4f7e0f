// The page storage behind MemoryObjects. A MemoryObject's own pages sit in its
// top store; cloning freezes that store and both objects read through it as
// their backing. A frame may be referenced by several stores (after a chain is
// flattened); it is freed when its last reference goes.

import { PAGE_SIZE, type PhysicalRam } from '../arch/arch';
import { isFrameShortage } from './frame-shortage';
import type { Pmm } from './pmm';
import { RadixTree, type NodeFrames } from './radix-tree';

export interface PageFrame {
  readonly pa: number;
  /** Stores referencing this frame. */
  refs: number;
  /** Where the frame goes back when its last reference does (the PMM, or the untyped it was retyped from). */
  readonly home: MoFrames;
}

/** Marks a page decommitted in a store whose backing would otherwise show through. */
export const TOMBSTONE = 'tombstone' as const;
export type StoreEntry = PageFrame | typeof TOMBSTONE;

export class PageStore {
  readonly tree: RadixTree<StoreEntry>;
  /** Objects or stores reading through this one. */
  users = 1;
  /** The stores whose backing this one is. */
  readonly readers = new Set<PageStore>();
  /**
   * Left with one user and one reader, this store could not be merged into
   * its reader (no frame for a radix node): the chain is one store longer
   * than it need be, still correct, and the next clone of the reader retries.
   */
  collapseDeferred = false;

  constructor(nodeFrames: NodeFrames, public backing: PageStore | null) {
    this.tree = new RadixTree<StoreEntry>(nodeFrames);
    backing?.readers.add(this);
  }
}

/**
 * The frames a MemoryObject needs: data from the PMM as 'mo-data', radix
 * nodes as 'mo-meta'. A subclass draws them from elsewhere (UntypedFrames:
 * retyped out of an untyped); each frame remembers its home, so a frame
 * shared by objects of different sources goes back where it came from.
 */
export class MoFrames implements NodeFrames {
  constructor(readonly pmm: Pmm, readonly ram: PhysicalRam) {}

  alloc(): number {
    return this.pmm.alloc('mo-meta');
  }

  free(pa: number): void {
    this.pmm.free(pa, 'mo-meta');
  }

  /** A data frame's physical address. */
  protected allocData(): number {
    return this.pmm.alloc('mo-data');
  }

  freeData(pa: number): void {
    this.pmm.free(pa, 'mo-data');
  }

  newData(): PageFrame {
    return { pa: this.allocData(), refs: 1, home: this };
  }

  unref(f: PageFrame): void {
    if (--f.refs === 0) f.home.freeData(f.pa);
  }

  copyOf(src: PageFrame): PageFrame {
    const f = this.newData();
    this.ram.copy(f.pa, src.pa, PAGE_SIZE);
    return f;
  }
}

/**
 * Drop one user of a store; the last user frees its frames and releases its
 * backing. A frozen store left with a single reader (the other side of a clone
 * died) is merged into that reader, so chains shrink as objects die.
 */
export function releaseStore(store: PageStore | null, frames: MoFrames): void {
  while (store && --store.users === 0) {
    store.tree.forEach((_, e) => {
      if (e !== TOMBSTONE) frames.unref(e);
    });
    store.tree.clear();
    const below: PageStore | null = store.backing;
    below?.readers.delete(store);
    store.backing = null;
    store = below;
  }
  if (store && store.users === 1 && store.readers.size === 1) {
    const [reader] = store.readers;
    collapseInto(reader, store, frames);
  }
}

/** A deferred merge of top's backing into top (see collapseDeferred), tried again. */
export function retryCollapse(top: PageStore, frames: MoFrames): void {
  const below = top.backing;
  if (below?.collapseDeferred && below.users === 1 && below.readers.size === 1) collapseInto(top, below, frames);
}

/**
 * Move what backing shows into reader (which overrides it), then drop backing
 * from the chain. The moves need radix nodes: when RAM has none they are
 * undone and the chain stays as it was (collapseDeferred), so a process's
 * death never fails half way for want of a frame.
 */
function collapseInto(reader: PageStore, backing: PageStore, frames: MoFrames): void {
  const moved = new Set<number>();
  try {
    backing.tree.forEach((i, e) => {
      if (reader.tree.get(i) !== undefined) return;
      reader.tree.set(i, e);
      moved.add(i);
    });
  } catch (e) {
    if (!isFrameShortage(e)) throw e;
    for (const i of moved) reader.tree.delete(i);
    backing.collapseDeferred = true;
    return;
  }
  backing.collapseDeferred = false;
  // What reader overrides goes: its frames lose the reference backing held.
  backing.tree.forEach((i, e) => {
    if (e !== TOMBSTONE && !moved.has(i)) frames.unref(e);
  });
  backing.tree.clear();
  const below = backing.backing;
  reader.backing = below;
  if (below) {
    below.readers.delete(backing);
    below.readers.add(reader);
  } else {
    for (const [i, e] of reader.tree.entries()) if (e === TOMBSTONE) reader.tree.delete(i);
  }
  backing.readers.clear();
  backing.backing = null;
  backing.users = 0;
}

export interface Found {
  readonly frame: PageFrame;
  readonly store: PageStore;
  /** Every store from the top down to this one has a single user. */
  readonly exclusive: boolean;
}

/** The frame visible at index through the chain, or null (the page shows its origin content). */
export function lookup(top: PageStore, index: number): Found | null {
  let exclusive = true;
  for (let s: PageStore | null = top; s; s = s.backing) {
    if (s !== top && s.users !== 1) exclusive = false;
    const e = s.tree.get(index);
    if (e === TOMBSTONE) return null;
    if (e) return { frame: e, store: s, exclusive };
  }
  return null;
}

export function chainDepth(top: PageStore): number {
  let n = 0;
  for (let s: PageStore | null = top; s; s = s.backing) n++;
  return n;
}

/** Pull every page visible through the backing chain into top by reference, then drop the chain. */
export function flatten(top: PageStore, frames: MoFrames): void {
  const decided = new Set<number>();
  top.tree.forEach((i) => decided.add(i));
  for (let s = top.backing; s; s = s.backing) {
    s.tree.forEach((i, e) => {
      if (decided.has(i)) return;
      decided.add(i);
      if (e === TOMBSTONE) return;
      e.refs++;
      top.tree.set(i, e);
    });
  }
  for (const [i, e] of top.tree.entries()) if (e === TOMBSTONE) top.tree.delete(i);
  const below = top.backing;
  top.backing = null;
  below?.readers.delete(top);
  releaseStore(below, frames);
}
