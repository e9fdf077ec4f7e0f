// name_to_handle_at and open_by_handle_at: a file handle is the inode number
// and a generation (FILEID_INO64_GEN, 12 bytes); decoding finds the inode
// again at the path it had when its handle was made (ESTALE when that name
// now holds another inode), on the mount the handle's mount descriptor names.

import type { Node } from '../vfs/node';
import { O_ACCMODE, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_PATH, O_TRUNC, RegularFile } from '../vfs/open-file';
import { mountOf } from '../vfs/mount-table';
import type { OverlayFs } from '../vfs/overlay-fs';
import { openFlagsFromUser } from './arch-abi';
import { CAP_DAC_READ_SEARCH } from './credentials';
import { EBADF, EFAULT, EINVAL, EISDIR, ELOOP, ENOENT, ENOTDIR, EPERM } from './errno';
import { checkOpen } from './path-permission';
import { resolveAt } from './sys-path';
import type { Call, Syscall } from './syscall-context';
import { openNode } from './system-files';

const AT_FDCWD = -100;
const AT_HANDLE_MNT_ID_UNIQUE = 0x1;
const AT_HANDLE_CONNECTABLE = 0x2;
const AT_HANDLE_FID = 0x200;
const AT_SYMLINK_FOLLOW = 0x400;
const AT_EMPTY_PATH = 0x1000;
const MAX_HANDLE_SZ = 128;
const FILEID_INO64_GEN = 0x81;
const HANDLE_BYTES = 12;
const EOVERFLOW = 75;
const ESTALE = 116;

/** Where each handed-out inode was named, per file system. */
const named = new WeakMap<OverlayFs, Map<number, string>>();

function namesOf(fs: OverlayFs): Map<number, string> {
  let m = named.get(fs);
  if (!m) named.set(fs, (m = new Map()));
  return m;
}

/** The file (dirfd, path, flags) names, AT_EMPTY_PATH meaning dirfd's own. */
function target(c: Call, flags: number): { path: string; node: Node } | number {
  const name = c.path(c.a[1]);
  const dirfd = c.int(0);
  if (name === '') {
    if ((flags & AT_EMPTY_PATH) === 0) return -ENOENT;
    const f = dirfd === AT_FDCWD ? null : c.p.fds.get(dirfd);
    if (dirfd !== AT_FDCWD && !f) return -EBADF;
    const path = f ? f.path : c.p.cwd;
    const node = f instanceof RegularFile ? f.inode : c.sys.fs.lstat(path);
    return node ? { path, node } : -ENOENT;
  }
  const r = resolveAt(c, dirfd, name, (flags & AT_SYMLINK_FOLLOW) !== 0);
  if (typeof r === 'number') return r;
  return r.node ? { path: r.path, node: r.node } : -ENOENT;
}

export const name_to_handle_at: Syscall = (c) => {
  const flags = c.int(4);
  if ((flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH | AT_HANDLE_FID | AT_HANDLE_MNT_ID_UNIQUE | AT_HANDLE_CONNECTABLE)) !== 0) return -EINVAL;
  // A connectable handle is a file handle to open again, not a FID.
  if ((flags & AT_HANDLE_CONNECTABLE) !== 0 && (flags & AT_HANDLE_FID) !== 0) return -EINVAL;
  const t = target(c, flags);
  if (typeof t === 'number') return t;
  if (!c.user.accessOk(c.a[2], 8)) return -EFAULT;
  const head = new DataView(c.user.read(c.a[2], 8).buffer);
  const room = head.getUint32(0, true);
  if (room > MAX_HANDLE_SZ) return -EINVAL;
  const ino = c.sys.fs.attrs(t.node).ino;
  const out = new Uint8Array(8 + HANDLE_BYTES);
  const v = new DataView(out.buffer);
  v.setUint32(0, HANDLE_BYTES, true);
  v.setInt32(4, FILEID_INO64_GEN, true);
  v.setUint32(8, ino % 4294967296 >>> 0, true);
  v.setUint32(12, Math.floor(ino / 4294967296) >>> 0, true);
  const mount = new Uint8Array(flags & AT_HANDLE_MNT_ID_UNIQUE ? 8 : 4);
  new DataView(mount.buffer).setUint32(0, mountOf(t.path).id, true);
  if (!c.user.accessOk(c.a[3], mount.length)) return -EFAULT;
  c.user.write(c.a[3], mount);
  // Too small: only the size needed is written back.
  if (room < HANDLE_BYTES) {
    c.user.write(c.a[2], out.subarray(0, 4));
    return -EOVERFLOW;
  }
  c.user.write(c.a[2], out);
  namesOf(c.sys.fs).set(ino, t.path);
  return 0;
};

/** The mount the mount descriptor (or AT_FDCWD: the cwd) is on. */
function anchorMount(c: Call, fd: number): number | string {
  if (fd === AT_FDCWD) return mountOf(c.p.cwd).dir;
  const f = c.p.fds.get(fd);
  if (!f) return -EBADF;
  // A pipe or socket (pipe:[ino], socket:[ino]) is on a pseudo-filesystem of its own: no handle names a file there.
  return f.path.startsWith('/') ? mountOf(f.path).dir : f.path;
}

/** Linux 6.18's order: the handle's header, the mount descriptor, the capability, then the handle itself. */
export const open_by_handle_at: Syscall = (c) => {
  if (!c.user.accessOk(c.a[1], 8)) return -EFAULT;
  const head = new DataView(c.user.read(c.a[1], 8).buffer);
  const bytes = head.getUint32(0, true);
  if (bytes === 0 || bytes > MAX_HANDLE_SZ || head.getInt32(4, true) < 0) return -EINVAL;
  const anchor = anchorMount(c, c.int(0));
  if (typeof anchor === 'number') return anchor;
  if (!c.p.creds.capable(CAP_DAC_READ_SEARCH)) return -EPERM;
  const body = new DataView(c.user.read(c.a[1] + 8, bytes).buffer);
  if (head.getInt32(4, true) !== FILEID_INO64_GEN || bytes !== HANDLE_BYTES) return -ESTALE;
  const ino = body.getUint32(4, true) * 4294967296 + body.getUint32(0, true);
  const path = namesOf(c.sys.fs).get(ino);
  const node = path === undefined ? null : c.sys.fs.lstat(path);
  if (path === undefined || !node || c.sys.fs.attrs(node).ino !== ino || mountOf(path).dir !== anchor) return -ESTALE;
  return openFound(c, path, node, openFlagsFromUser(c.sys.kernel.arch, c.int(2)));
};

/** open() of a node the handle found: O_CREAT and O_EXCL mean nothing here. */
function openFound(c: Call, path: string, node: Node, flags: number): number {
  flags &= ~(O_CREAT | O_EXCL | O_NOFOLLOW);
  if (node.kind === 'symlink' && (flags & O_PATH) === 0) return -ELOOP;
  if ((flags & O_DIRECTORY) !== 0 && node.kind !== 'dir') return -ENOTDIR;
  if (node.kind === 'dir' && (flags & O_ACCMODE) !== 0 && (flags & O_PATH) === 0) return -EISDIR;
  const denied = checkOpen(c, node, flags);
  if (denied < 0) return denied;
  const file = openNode(c.sys, path, node, flags & ~(O_CLOEXEC | O_TRUNC));
  if ((flags & O_TRUNC) !== 0 && (flags & O_ACCMODE) !== 0 && node.kind === 'file') file.truncate(0);
  return c.p.fds.add(file, (flags & O_CLOEXEC) !== 0);
}
