// The permission checks of the calls that name paths, under the caller's
// credentials: opening an existing file, adding a name to a directory,
// removing or replacing one (the sticky rule), moving a directory, and
// executing a file. Each answers 0 or a negative errno.

import type { Node } from '../vfs/node';
import { parentOf } from '../vfs/overlay-fs';
import { O_ACCMODE, O_APPEND, O_PATH, O_TRUNC, O_WRONLY } from '../vfs/open-file';
import { FS_APPEND_FL, FS_IMMUTABLE_FL, inodeFlags } from './file-attr-flags';
import { EACCES, EPERM } from './errno';

const O_NOATIME = 0o1000000;
import { createMode, isOwnerOrCapable, MAY_EXEC, MAY_READ, MAY_WRITE, mayAccess, mayCreateIn, mayDeleteFrom } from './file-permission';
import type { Call } from './syscall-context';
import { procSourceOf } from './proc-fs';
import type { Credentials } from './credentials';

/** /proc/sys files: root is held to the owner bits, its group to the group bits, with no capability override (Linux's test_perm). */
function sysctlAllows(cred: Credentials, perm: number, mask: number): boolean {
  const bits = cred.euid === 0 ? perm >> 6 : cred.inGroup(0) ? perm >> 3 : perm;
  return (mask & ~bits & 7) === 0;
}

/** open() of an existing node with these (kernel-numbered) flags. */
export function checkOpen(c: Call, node: Node, flags: number): number {
  if ((flags & O_PATH) !== 0) return 0;
  // O_NOATIME is the owner's (or CAP_FOWNER's).
  if ((flags & O_NOATIME) !== 0 && !isOwnerOrCapable(c.p.creds, c.sys.fs.attrs(node))) return -EPERM;
  const acc = flags & O_ACCMODE;
  // Immutable: no open for writing; append-only: only with O_APPEND (chattr's +i, +a).
  const frozen = inodeFlags(node);
  if ((frozen & FS_IMMUTABLE_FL) !== 0 && (acc !== 0 || (flags & O_TRUNC) !== 0)) return -EPERM;
  if ((frozen & FS_APPEND_FL) !== 0 && ((acc !== 0 && (flags & O_APPEND) === 0) || (flags & O_TRUNC) !== 0)) return -EPERM;
  let mask = acc === O_WRONLY ? MAY_WRITE : acc === 0 ? MAY_READ : MAY_READ | MAY_WRITE;
  if ((flags & O_TRUNC) !== 0) mask |= MAY_WRITE;
  const attrs = c.sys.fs.attrs(node);
  if (procSourceOf(node)?.sysctl) return sysctlAllows(c.p.creds, attrs.perm, mask) ? 0 : -EACCES;
  return mayAccess(c.p.creds, attrs, mask) ? 0 : -EACCES;
}

/** Adding the name path: write and search permission on its directory. */
export function checkCreate(c: Call, path: string): number {
  const dir = c.sys.fs.lstat(parentOf(path));
  return dir ? mayCreateIn(c.p.creds, c.sys.fs.attrs(dir)) : 0;
}

/** The mode a new file at path gets from the requested one (set-group-ID rule of set-group-ID directories). */
export function newFileMode(c: Call, path: string, mode: number): number {
  const dir = c.sys.fs.lstat(parentOf(path));
  return dir ? createMode(c.p.creds, c.sys.fs.attrs(dir), mode) : mode;
}

/** Removing (or replacing) node, the entry at path. */
export function checkDelete(c: Call, path: string, node: Node): number {
  const dir = c.sys.fs.lstat(parentOf(path));
  return dir ? mayDeleteFrom(c.p.creds, c.sys.fs.attrs(dir), c.sys.fs.attrs(node)) : 0;
}

/** rename(from, to): removal from from's directory, removal of an existing target or creation in to's, and write on a directory moved to a new parent (its ".." changes). */
export function checkRename(c: Call, from: string, node: Node, to: string, dest: Node | null): number {
  const r = checkDelete(c, from, node);
  if (r < 0) return r;
  const t = dest ? checkDelete(c, to, dest) : checkCreate(c, to);
  if (t < 0) return t;
  if (node.kind === 'dir' && parentOf(from) !== parentOf(to) && !mayAccess(c.p.creds, c.sys.fs.attrs(node), MAY_WRITE)) return -EACCES;
  return 0;
}

/** execve of node: execute permission (root needs some x bit). */
export function checkExec(c: Call, node: Node): number {
  return mayAccess(c.p.creds, c.sys.fs.attrs(node), MAY_EXEC) ? 0 : -EACCES;
}
