// Owner, mode and access checks of files: the chown and chmod families
// (stored on the writable layer; a host file or directory is copied up to
// hold them) and access/faccessat/faccessat2, all under the caller's
// credentials (access with the real ids unless AT_EACCESS).

import type { Node } from '../vfs/node';
import type { OverlayFs } from '../vfs/overlay-fs';
import { asKernel, withCredentials } from './caller-credentials';
import type { Credentials } from './credentials';
import { EACCES, EBADF, EINVAL, ENOENT, EPERM } from './errno';
import { chmodResult, chownResult, mayAccess } from './file-permission';
import type { Call, Syscall } from './syscall-context';
import { resolveAt } from './sys-path';
import { fileEvent, IN_ATTRIB } from './fs-events';

const AT_FDCWD = -100;

/** IN_ATTRIB for the file at path (its node as it is now, copied up or not). */
function attributeChanged(c: Call, path: string): void {
  const node = c.sys.fs.lstat(path);
  if (node) fileEvent(c.sys.fs, path, node, IN_ATTRIB);
}
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_EACCESS = 0x200;
const AT_EMPTY_PATH = 0x1000;

interface Target {
  readonly path: string;
  readonly node: Node;
}

/** The file a (dirfd, path, flags) call names; with AT_EMPTY_PATH and "" the file dirfd is open on. */
function target(c: Call, dirfd: number, pathAddr: number, flags: number): Target | number {
  const name = c.str(pathAddr);
  if (name === '' && (flags & AT_EMPTY_PATH) !== 0) return dirfd === AT_FDCWD ? asKernel(c.sys, () => found(c.sys.fs, c.p.cwd)) : fdTarget(c, dirfd);
  if (name === '') return -ENOENT;
  const r = resolveAt(c, dirfd, name, (flags & AT_SYMLINK_NOFOLLOW) === 0);
  if (typeof r === 'number') return r;
  return r.node ? { path: r.path, node: r.node } : -ENOENT;
}

function found(fs: OverlayFs, path: string): Target | number {
  const r = fs.resolve('/', path, true);
  if (typeof r === 'number') return r;
  return r.node ? { path: r.path, node: r.node } : -ENOENT;
}

/** The file fd is open on; an O_PATH descriptor only where the call takes one (the *at calls' AT_EMPTY_PATH). */
function fdTarget(c: Call, fd: number, pathOnlyOk = true): Target | number {
  const f = c.p.fds.get(fd);
  if (!f || (!pathOnlyOk && f.pathOnly)) return -EBADF;
  return asKernel(c.sys, () => found(c.sys.fs, f.path));
}

function chownTarget(c: Call, t: Target | number, uid: number, gid: number): number {
  if (typeof t === 'number') return t;
  const fs = c.sys.fs;
  const change = chownResult(c.p.creds, fs.attrs(t.node), uid >>> 0, gid >>> 0);
  if (change === null) return -EPERM;
  const holder = fs.attrHolder(t.path, t.node);
  if (holder === null) return -EPERM;
  holder.uid = change.uid;
  holder.gid = change.gid;
  if (holder.perm !== undefined) holder.perm = change.perm;
  attributeChanged(c, t.path);
  return 0;
}

function chmodTarget(c: Call, t: Target | number, mode: number): number {
  if (typeof t === 'number') return t;
  const fs = c.sys.fs;
  const perm = chmodResult(c.p.creds, fs.attrs(t.node), mode);
  if (perm === null) return -EPERM;
  const holder = fs.attrHolder(t.path, t.node);
  if (holder?.perm !== undefined) holder.perm = perm;
  attributeChanged(c, t.path);
  return 0;
}

const fchownat: Syscall = (c) => {
  const flags = c.int(4);
  if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) !== 0) return -EINVAL;
  return chownTarget(c, target(c, c.int(0), c.a[1], flags), c.u32(2), c.u32(3));
};

const fchown: Syscall = (c) => chownTarget(c, fdTarget(c, c.int(0), false), c.u32(1), c.u32(2));
const chown: Syscall = (c) => chownTarget(c, target(c, AT_FDCWD, c.a[0], 0), c.u32(1), c.u32(2));
const lchown: Syscall = (c) => chownTarget(c, target(c, AT_FDCWD, c.a[0], AT_SYMLINK_NOFOLLOW), c.u32(1), c.u32(2));

const fchmodat: Syscall = (c) => chmodTarget(c, target(c, c.int(0), c.a[1], 0), c.int(2));
const fchmod: Syscall = (c) => chmodTarget(c, fdTarget(c, c.int(0), false), c.int(1));
const chmod: Syscall = (c) => chmodTarget(c, target(c, AT_FDCWD, c.a[0], 0), c.int(1));

/** access(2)'s check: mode is F_OK or R_OK|W_OK|X_OK bits, tested with cred. */
function accessAs(c: Call, cred: Credentials, dirfd: number, pathAddr: number, mode: number, flags: number): number {
  return withCredentials(c.sys, cred, () => {
    const t = target(c, dirfd, pathAddr, flags);
    if (typeof t === 'number') return t;
    return mayAccess(cred, c.sys.fs.attrs(t.node), mode) ? 0 : -EACCES;
  });
}

function faccess(c: Call, dirfd: number, pathAddr: number, mode: number, flags: number): number {
  if ((mode & ~7) !== 0) return -EINVAL;
  if ((flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) !== 0) return -EINVAL;
  const cred = (flags & AT_EACCESS) !== 0 ? c.p.creds : c.p.creds.forAccessCheck();
  return accessAs(c, cred, dirfd, pathAddr, mode, flags);
}

const faccessat: Syscall = (c) => faccess(c, c.int(0), c.a[1], c.int(2), 0);
const faccessat2: Syscall = (c) => faccess(c, c.int(0), c.a[1], c.int(2), c.int(3));
const access: Syscall = (c) => faccess(c, AT_FDCWD, c.a[0], c.int(1), 0);

// Rows of syscall-table.ts name these handlers.
export { fchownat, fchown, chown, lchown, fchmodat, fchmod, chmod, faccessat, faccessat2, access };
