// The writable layer's size, as Linux sizes a tmpfs: at most maxBlocks pages
// of file data and maxInodes inodes (tmpfs's size= and nr_inodes=; by
// default half of RAM each), ENOSPC past either, and every page of file data
// charged to guest memory (a frame of the PMM taken under the owner
// 'fs-data' for each 4 KiB block a file holds), so file data and process
// memory together never exceed -m. A block is charged when a write,
// fallocate or copy-up first fills it and given back when a truncate or a
// punched hole drops it, or when the inode dies (no name and no open file).
//
// The bytes themselves stay in each file's host buffer (node.ts MemFile.data);
// the frames are the guest-memory charge, untouched, so the guest sees its
// RAM shrink as its files grow, as it does on Linux.

import type { MemFile, MemNode, Node } from './node';
import { HOLE_BLOCK } from './file-holes';
import { ENOSPC } from './vfs-errno';

/** Takes and gives back guest-memory pages; take throws when RAM is exhausted (the OOM path). */
export interface PageCharge {
  take(pages: number): void;
  give(pages: number): void;
}

/** No charge: a file system whose pages the guest's RAM does not hold (tests, the native personality). */
export const NO_CHARGE: PageCharge = { take() {}, give() {} };

export interface SpaceFigures {
  readonly maxBlocks: number;
  readonly usedBlocks: number;
  readonly maxInodes: number;
  readonly usedInodes: number;
  /** tmpfs's defaults for this RAM (mount options name only what differs). */
  readonly defaultBlocks: number;
  readonly defaultInodes: number;
}

export class FileSpace {
  usedBlocks = 0;
  usedInodes = 0;
  private readonly inodes = new WeakSet<object>();
  defaultBlocks = Infinity;
  defaultInodes = Infinity;

  constructor(
    public maxBlocks: number,
    public maxInodes: number,
    readonly charge: PageCharge = NO_CHARGE,
  ) {}

  /** An unlimited space charging pages to charge (memfd's internal mount). */
  static unlimited(charge: PageCharge = NO_CHARGE): FileSpace {
    return new FileSpace(Infinity, Infinity, charge);
  }

  get figures(): SpaceFigures {
    const { maxBlocks, usedBlocks, maxInodes, usedInodes, defaultBlocks, defaultInodes } = this;
    return { maxBlocks, usedBlocks, maxInodes, usedInodes, defaultBlocks, defaultInodes };
  }

  /** 0 when inodes more inodes and blocks more blocks fit, else -ENOSPC. */
  room(inodes: number, blocks: number): number {
    return this.usedInodes + inodes > this.maxInodes || this.usedBlocks + blocks > this.maxBlocks ? -ENOSPC : 0;
  }

  /** Counts a new inode of this space; -ENOSPC when nr_inodes are all in use (unless forced: the caller checked room). */
  addInode(node: object, force = false): number {
    if (this.inodes.has(node)) return 0;
    if (!force && this.usedInodes >= this.maxInodes) return -ENOSPC;
    this.inodes.add(node);
    this.usedInodes++;
    return 0;
  }

  /** The inode died: its count, and its file's pages, come back. */
  dropInode(node: object): void {
    if (!this.inodes.delete(node)) return;
    this.usedInodes--;
    const f = node as Partial<MemFile>;
    if (f.kind === 'file' && f.layer === 'mem' && f.space === this) this.release(f as MemFile, f.charged ?? 0);
  }

  /** Charges pages more blocks to f; -ENOSPC past the size (RAM exhausted throws, as a page allocation would). */
  reserve(f: MemFile, pages: number, force = false): number {
    if (pages <= 0) return 0;
    if (!force && this.usedBlocks + pages > this.maxBlocks) return -ENOSPC;
    this.charge.take(pages);
    this.usedBlocks += pages;
    f.charged = (f.charged ?? 0) + pages;
    return 0;
  }

  /** Gives back pages blocks of f. */
  release(f: MemFile, pages: number): void {
    if (pages <= 0) return;
    this.charge.give(pages);
    this.usedBlocks -= pages;
    f.charged = (f.charged ?? 0) - pages;
  }
}

/** How many blocks of [start, end) f does not hold yet. */
export function missingBlocks(f: MemFile, start: number, end: number): number {
  if (end <= start) return 0;
  const first = Math.floor(start / HOLE_BLOCK);
  const last = Math.ceil(end / HOLE_BLOCK);
  if (!f.dataBlocks) return 0;
  let n = 0;
  for (let b = first; b < last; b++) if (!f.dataBlocks.has(b)) n++;
  return n;
}

/** Charges the blocks a write or fallocate of [start, end) adds to f (a file of a space); 0 or -ENOSPC. */
export function chargeRange(f: MemFile, start: number, end: number): number {
  return f.space ? f.space.reserve(f, missingBlocks(f, start, end)) : 0;
}

/**
 * How many bytes of a write of count at pos fit in f's space: all, or up
 * to the last block that still fits (a tmpfs write stops short there, as
 * generic_perform_write does page by page).
 */
export function bytesThatFit(f: MemFile, pos: number, count: number): number {
  const space = f.space;
  if (!space || !f.dataBlocks || count === 0) return count;
  let room = space.maxBlocks - space.usedBlocks;
  const last = Math.ceil((pos + count) / HOLE_BLOCK);
  for (let b = Math.floor(pos / HOLE_BLOCK); b < last; b++) {
    if (f.dataBlocks.has(b)) continue;
    if (room-- <= 0) return Math.max(0, b * HOLE_BLOCK - pos);
  }
  return count;
}

/** After blocks were dropped (truncate, punched hole): give back what f no longer holds. */
export function settleCharge(f: MemFile): void {
  if (!f.space || !f.dataBlocks) return;
  f.space.release(f, (f.charged ?? 0) - f.dataBlocks.size);
}

/** One name of node went (unlink, rename over it): an inode without names or open files dies. */
export function nameDropped(space: FileSpace, node: Node | MemNode): void {
  if (node.layer === 'mem' && node.kind === 'file' && node.space) space = node.space;
  if (node.layer !== 'mem' || node.kind === 'whiteout') return;
  const links = 'nlink' in node ? (node.nlink ?? 1) : 0;
  if (links > 0) return;
  if (node.kind === 'file' && (node.opens ?? 0) > 0) return;
  space.dropInode(node);
}

/** A description of f closed: the last one of an unlinked file frees it. */
export function fileClosed(f: MemFile): void {
  f.opens = (f.opens ?? 1) - 1;
  if (f.opens === 0 && f.nlink <= 0) f.space?.dropInode(f);
}
