// The writable layer's size, as Linux sizes a tmpfs: at most maxBlocks pages
// of file data and maxInodes inodes (tmpfs's size= and nr_inodes=; by
// default half of RAM each), ENOSPC past either. A space with frames keeps
// its files' data in guest RAM: each 4 KiB block a file holds is a frame
// the PMM hands out under the owner 'fs-data' (file-pages.ts reads and
// writes them), so file data and process memory together never exceed -m
// and the host holds no second copy. A block is taken when a write,
// fallocate or copy-up first fills it and given back when a truncate or a
// punched hole drops it, or when the inode dies (no name, no open file).
// A space without frames (tests, a bare OverlayFs) keeps data in each
// file's host buffer and counts nothing.

import type { MemFile, MemNode, Node } from './node';
import { HOLE_BLOCK } from './file-holes';
import { ENOSPC } from './vfs-errno';

/** Guest-memory frames for file data (kernel/mm/file-frames.ts); take throws when RAM is exhausted (the OOM path). */
export interface FileFrames {
  /** A frame, zero-filled unless the caller overwrites all of it (zero false). */
  take(zero: boolean): number;
  give(pa: number): void;
  read(pa: number, offset: number, length: number): Uint8Array;
  write(pa: number, offset: number, data: Uint8Array): void;
  zero(pa: number, offset: number, length: number): void;
}

export interface SpaceFigures {
  readonly maxBlocks: number;
  readonly usedBlocks: number;
  readonly maxInodes: number;
  readonly usedInodes: number;
  /** tmpfs's defaults for this RAM (mount options name only what differs). */
  readonly defaultBlocks: number;
  readonly defaultInodes: number;
}

/** The longest symlink target tmpfs keeps inside the inode, its NUL included. */
const SHORT_SYMLINK_LEN = 128;

/** Extended-attribute bytes a tmpfs inode adds to its inode space (Linux 6.6's BOGO_INODE_SIZE per nr_inodes). */
export const XATTR_SPACE_PER_INODE = 1024;

export class FileSpace {
  usedBlocks = 0;
  usedInodes = 0;
  /** Bytes of extended attributes held (names, values and their records): at most maxInodes KiB, as tmpfs's inode space. */
  usedXattrBytes = 0;
  private readonly xattrBytes = new WeakMap<object, number>();
  /** The block a long symlink's target takes (tmpfs stores a target past SHORT_SYMLINK_LEN in a page). */
  private readonly linkBlocks = new WeakMap<object, number>();
  defaultBlocks = Infinity;
  defaultInodes = Infinity;
  private readonly inodes = new WeakSet<object>();
  /** Hard links beyond each inode's first name, each holding an inode (tmpfs's shmem_link). */
  private readonly extraLinks = new WeakMap<object, number>();

  constructor(
    public maxBlocks: number,
    public maxInodes: number,
    readonly frames: FileFrames | null = null,
  ) {}

  /** An unlimited space (memfd's internal mount), in frames when given. */
  static unlimited(frames: FileFrames | null = null): FileSpace {
    return new FileSpace(Infinity, Infinity, frames);
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

  /**
   * A hard link to node takes an inode of the space, as tmpfs's shmem_link
   * (each link pins a dentry tmpfs cannot prune): -ENOSPC past nr_inodes.
   * Unlimited, a million links with 250-byte names reached 1.3 GB of host
   * RSS under -m 256M.
   */
  addLink(node: object): number {
    if (this.usedInodes >= this.maxInodes) return -ENOSPC;
    this.usedInodes++;
    this.extraLinks.set(node, (this.extraLinks.get(node) ?? 0) + 1);
    return 0;
  }

  /** One of node's names went while others stay: a link's inode comes back. */
  dropExtraLink(node: object): void {
    const n = this.extraLinks.get(node);
    if (!n) return;
    if (n === 1) this.extraLinks.delete(node);
    else this.extraLinks.set(node, n - 1);
    this.usedInodes--;
  }

  /** Changes node's extended-attribute bytes by delta; -ENOSPC, changing nothing, past the space's share. */
  chargeXattr(node: object, delta: number): number {
    if (delta > 0 && this.usedXattrBytes + delta > this.maxInodes * XATTR_SPACE_PER_INODE) return -ENOSPC;
    this.usedXattrBytes += delta;
    this.xattrBytes.set(node, (this.xattrBytes.get(node) ?? 0) + delta);
    return 0;
  }

  /** A symlink's target of length bytes: past 127 it takes a block as a file's page would; -ENOSPC past the size. RAM exhausted throws. */
  claimLinkTarget(node: object, length: number): number {
    if (!this.frames || length < SHORT_SYMLINK_LEN) return 0;
    if (this.usedBlocks + 1 > this.maxBlocks) return -ENOSPC;
    this.linkBlocks.set(node, this.frames.take(false));
    this.usedBlocks++;
    return 0;
  }

  /** The inode died: its count, its attributes' bytes and its file's frames come back. */
  dropInode(node: object): void {
    const link = this.linkBlocks.get(node);
    if (link !== undefined) {
      this.linkBlocks.delete(node);
      this.frames!.give(link);
      this.usedBlocks--;
    }
    const x = this.xattrBytes.get(node);
    if (x !== undefined) {
      this.usedXattrBytes -= x;
      this.xattrBytes.delete(node);
    }
    if (!this.inodes.delete(node)) return;
    this.usedInodes--;
    const f = node as Partial<MemFile>;
    if (f.kind === 'file' && f.layer === 'mem' && f.pages) {
      for (const b of [...f.pages.keys()]) this.dropBlock(f as MemFile, b);
    }
  }

  /**
   * Gives f a frame for each block of [start, end) it lacks (zero-filled,
   * counted as data; writing: the caller writes all of [start, end) next);
   * -ENOSPC, taking none, past the size unless forced.
   * RAM exhausted throws, as a page allocation would, having taken none.
   */
  claim(f: MemFile, start: number, end: number, force = false, writing = false): number {
    const pages = f.pages;
    if (!pages || !this.frames || end <= start) return 0;
    const first = Math.floor(start / HOLE_BLOCK);
    const last = Math.ceil(end / HOLE_BLOCK);
    // More blocks missing than the space could ever hold (the count below would take as long as the range is wide).
    if (!force && last - first - pages.size > this.maxBlocks - this.usedBlocks) return -ENOSPC;
    let missing = 0;
    for (let b = first; b < last; b++) if (!pages.has(b)) missing++;
    if (!force && this.usedBlocks + missing > this.maxBlocks) return -ENOSPC;
    const taken: number[] = [];
    try {
      for (let b = first; b < last; b++) {
        if (pages.has(b)) continue;
        // A block the caller's write covers whole needs no zeros first.
        pages.set(b, this.frames.take(!(writing && b * HOLE_BLOCK >= start && (b + 1) * HOLE_BLOCK <= end)));
        taken.push(b);
        f.dataBlocks?.add(b);
        this.usedBlocks++;
      }
    } catch (e) {
      // RAM ran out part way: give back what this call took (unwritten, it may hold stale bytes).
      for (const b of taken) this.dropBlock(f, b);
      throw e;
    }
    return 0;
  }

  /** Frees block b of f (a truncate, a punched hole, the inode's death). */
  dropBlock(f: MemFile, b: number): void {
    const pa = f.pages?.get(b);
    if (pa === undefined) return;
    f.pages!.delete(b);
    f.dataBlocks?.delete(b);
    this.frames!.give(pa);
    this.usedBlocks--;
  }

  /** After dropData forgot blocks (a punched hole): their frames go too. */
  settle(f: MemFile): void {
    if (!f.pages || !f.dataBlocks) return;
    for (const b of [...f.pages.keys()]) if (!f.dataBlocks.has(b)) this.dropBlock(f, b);
  }
}

/**
 * How many bytes of a write of count at pos fit in f's space: all, or up
 * to the last block that still fits (a tmpfs write stops short there, as
 * generic_perform_write does page by page).
 */
export function bytesThatFit(f: MemFile, pos: number, count: number): number {
  const space = f.space;
  if (!space || !f.pages || count === 0) return count;
  let room = space.maxBlocks - space.usedBlocks;
  const last = Math.ceil((pos + count) / HOLE_BLOCK);
  for (let b = Math.floor(pos / HOLE_BLOCK); b < last; b++) {
    if (f.pages.has(b)) continue;
    if (room-- <= 0) return Math.max(0, b * HOLE_BLOCK - pos);
  }
  return count;
}

/** One name of node went (unlink, rename over it): an inode without names or open files dies. */
export function nameDropped(space: FileSpace, node: Node | MemNode): void {
  if (node.layer === 'mem' && node.kind === 'file' && node.space) space = node.space;
  if (node.layer !== 'mem' || node.kind === 'whiteout') return;
  const links = 'nlink' in node ? (node.nlink ?? 1) : 0;
  if (links > 0) {
    space.dropExtraLink(node);
    return;
  }
  if (node.kind === 'file' && (node.opens ?? 0) > 0) return;
  space.dropInode(node);
}

/** A description of f closed: the last one of an unlinked file frees it. */
export function fileClosed(f: MemFile): void {
  f.opens = (f.opens ?? 1) - 1;
  if (f.opens === 0 && f.nlink <= 0) f.space?.dropInode(f);
}
