// statfs and fstatfs: which file system a file is on, from the mount table
// (kernel/vfs/mount-table.ts), whose figures are the one source of sizes.

import { ANON_INODE_FS_MAGIC, figuresOf, mountOf, PIPEFS_MAGIC, SOCKFS_MAGIC, statfsFlags, TMPFS_MAGIC, type Mount } from '../vfs/mount-table';
import type { OpenFile } from '../vfs/open-file';
import type { SpaceFigures } from '../vfs/file-space';
import { EBADF, ENOENT } from './errno';
import { rawFileOf } from './sys-io';
import { resolveAt } from './sys-path';
import type { Call, Syscall } from './syscall-context';

const AT_FDCWD = -100;
const BLOCK = 4096;
const NAME_MAX = 255;

/** A pseudo file system (pipes, sockets, anonymous inodes) as a mount no path reaches. */
function pseudo(type: string, magic: number): Mount {
  return { id: 0, parent: 0, dir: '', type, magic, source: type, dev: 0, options: 'rw', superOptions: 'rw' };
}

/** The file system an open file lives on. */
function mountOfFile(f: OpenFile): Mount {
  if (f.path.startsWith('pipe:[')) return pseudo('pipefs', PIPEFS_MAGIC);
  if (f.path.startsWith('socket:[')) return pseudo('sockfs', SOCKFS_MAGIC);
  if (f.path.startsWith('anon_inode:')) return pseudo('anon_inodefs', ANON_INODE_FS_MAGIC);
  if (f.path.startsWith('/memfd:')) return pseudo('tmpfs', TMPFS_MAGIC);
  return mountOf(f.path);
}

/** struct statfs (the same 120 bytes on arm64 and x86_64). */
function encodeStatfs(m: Mount, space: SpaceFigures): Uint8Array {
  const out = new Uint8Array(120);
  const v = new DataView(out.buffer);
  const fig = figuresOf(m, space);
  const set = (at: number, x: number): void => {
    v.setUint32(at, x % 4294967296 >>> 0, true);
    v.setUint32(at + 4, Math.floor(x / 4294967296) >>> 0, true);
  };
  set(0, m.magic);
  set(8, BLOCK);
  set(16, fig.blocks);
  set(24, fig.bfree);
  set(32, fig.bavail);
  set(40, fig.files);
  set(48, fig.ffree);
  v.setUint32(56, m.dev, true); // f_fsid: the device, as for block-less file systems
  set(64, NAME_MAX);
  set(72, BLOCK);
  set(80, statfsFlags(m));
  return out;
}

export const statfs: Syscall = (c) => {
  const r = resolveAt(c, AT_FDCWD, c.path(c.a[0]), true);
  if (typeof r === 'number') return r;
  if (!r.node) return -ENOENT;
  c.user.write(c.a[1], encodeStatfs(mountOf(r.path), c.sys.fs.space.figures));
  return 0;
};

/** O_PATH descriptors too, as Linux's fstatfs takes them. */
export const fstatfs: Syscall = (c) => {
  const f = rawFileOf(c, 0);
  if (!f) return -EBADF;
  c.user.write(c.a[1], encodeStatfs(mountOfFile(f), (f.path.startsWith('/memfd:') ? c.sys.fs.anonSpace : c.sys.fs.space).figures));
  return 0;
};
