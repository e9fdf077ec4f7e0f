// What a path names: the attributes every file has, and the kinds of node
// the filesystem layers hold.

import type { Device } from './device';
import type { FileSpace } from './file-space';

export type NodeKind = 'file' | 'dir' | 'symlink' | 'chr' | 'blk' | 'fifo' | 'sock';

export interface Attributes {
  readonly kind: NodeKind;
  /** Permission bits (07777). */
  readonly perm: number;
  readonly size: number;
  readonly ino: number;
  readonly nlink: number;
  readonly rdev: number;
  readonly mtimeMs: number;
  readonly atimeMs: number;
  readonly ctimeMs: number;
  /** Owner and group (absent: the caller's, as for a pipe or socket it made). */
  readonly uid?: number;
  readonly gid?: number;
}

/** Who owns an in-memory node (absent: root), its extended attributes and its inode flags (FS_IOC_SETFLAGS). */
export interface Owned {
  uid?: number;
  gid?: number;
  xattrs?: Map<string, Uint8Array>;
  fsflags?: number;
}

/** A regular file, directory or symlink of the in-memory layer. */
export interface MemFile extends Owned {
  readonly layer: 'mem';
  readonly kind: 'file';
  data: Uint8Array;
  size: number;
  perm: number;
  readonly ino: number;
  /** Names this inode has (hard links); the data lives on while an open file holds it. */
  nlink: number;
  mtimeMs: number;
  atimeMs: number;
  /** The 4 KiB blocks ever written (file-holes.ts); absent: all of it is data. */
  dataBlocks?: Set<number>;
  /** A memfd's seals (F_ADD_SEALS); absent on files that cannot be sealed. */
  seals?: number;
  /** The space the file belongs to (file-space.ts); absent: a kernel-made file, not counted. */
  space?: FileSpace;
  /** The guest-RAM frame of each block the file holds, when its space keeps data in frames (file-pages.ts); data is then unused. */
  pages?: Map<number, number>;
  /** Open file descriptions of this inode (an unlinked file lives on while one is open). */
  opens?: number;
}

export interface MemDir extends Owned {
  readonly layer: 'mem';
  readonly kind: 'dir';
  perm: number;
  readonly ino: number;
  mtimeMs: number;
  /** Set by utimensat (absent: the mtime). */
  atimeMs?: number;
  /** Subdirectories made here (each adds one to the link count, through its ".."). */
  subdirs?: number;
}

export interface MemLink extends Owned {
  readonly layer: 'mem';
  readonly kind: 'symlink';
  readonly target: string;
  readonly ino: number;
  /** Hard links to the symlink itself (1 when absent). */
  nlink?: number;
  /** A magic link (/proc/self/exe): following it reaches this file even when the target path does not. */
  readonly magic?: MemFile;
}

export interface DevNode extends Owned {
  readonly layer: 'mem';
  readonly kind: 'chr';
  readonly device: Device;
  readonly ino: number;
  perm: number;
}

/** A socket bound to a path (bind on AF_UNIX): what connect finds there. */
export interface SockNode extends Owned {
  readonly layer: 'mem';
  readonly kind: 'sock';
  readonly ino: number;
  perm: number;
  nlink: number;
  /** The listening or datagram socket bound here; null once it is closed. */
  bound: object | null;
}

/** A node mknod made that is neither a file nor a known device: a FIFO, or a block device no driver answers. */
export interface SpecialNode extends Owned {
  readonly layer: 'mem';
  readonly kind: 'fifo' | 'blk';
  readonly ino: number;
  perm: number;
  nlink: number;
  readonly rdev: number;
  mtimeMs: number;
  /** A FIFO's pipe while it is open (kernel/vfs/fifo.ts). */
  fifo?: unknown;
}

/** A name deleted from the lower layer. */
export interface Whiteout {
  readonly layer: 'mem';
  readonly kind: 'whiteout';
}

export type MemNode = MemFile | MemDir | MemLink | DevNode | SockNode | SpecialNode | Whiteout;

/** A file of the read-only host layer, by its host path. */
export interface HostNode {
  readonly layer: 'host';
  readonly kind: NodeKind;
  readonly hostPath: string;
  readonly attrs: Attributes;
}

export type Node = Exclude<MemNode, Whiteout> | HostNode;

export const S_IFMT: Record<NodeKind, number> = { file: 0o100000, dir: 0o040000, symlink: 0o120000, chr: 0o020000, blk: 0o060000, fifo: 0o010000, sock: 0o140000 };

/** d_type values for getdents64. */
export const DT: Record<NodeKind, number> = { file: 8, dir: 4, symlink: 10, chr: 2, blk: 6, fifo: 1, sock: 12 };
