// Extended attributes, kept on the in-memory layer's inodes (a host file
// gets an in-memory copy when one is set): the user., trusted. and security.
// namespaces, as overlayfs over ext4 stores them; system. (POSIX ACLs) is
// not supported here (EOPNOTSUPP), as on a filesystem mounted without ACLs.

import { StringTooLong } from '../process/user-memory';
import type { Node, Owned } from '../vfs/node';
import type { FileSpace } from '../vfs/file-space';
import { RegularFile } from '../vfs/open-file';
import { CAP_FOWNER, CAP_SYS_ADMIN } from './credentials';
import { E2BIG, EACCES, EBADF, EEXIST, EINVAL, ENOENT, EPERM, ERANGE } from './errno';
import { MAY_READ, MAY_WRITE, mayAccess } from './file-permission';
import { fileOf } from './sys-io';
import { resolveAt } from './sys-path';
import { fileEvent, IN_ATTRIB } from './fs-events';
import type { Call, Syscall } from './syscall-context';

const AT_FDCWD = -100;
/** Not in errno.ts (kept here to leave that shared file alone). */
const ENODATA = 61;
const EOPNOTSUPP = 95;
const XATTR_CREATE = 1;
const XATTR_REPLACE = 2;
const XATTR_NAME_MAX = 255;
const XATTR_SIZE_MAX = 65536;
const XATTR_LIST_MAX = 65536;
/** FS_IMMUTABLE_FL and FS_APPEND_FL: no attribute changes (file-attr-flags.ts sets them). */
const FROZEN = 0x10 | 0x20;
const NAMESPACES = ['user.', 'trusted.', 'security.'];

type How = 'path' | 'link' | 'fd';

interface Target {
  readonly path: string;
  readonly node: Node;
}

/** The file argument 0 names. */
function target(c: Call, how: How): Target | number {
  if (how === 'fd') {
    const f = fileOf(c, 0);
    if (!f) return -EBADF;
    if (f instanceof RegularFile) return { path: f.path, node: c.sys.fs.lstat(f.path) ?? f.inode };
    const r = c.sys.fs.resolve('/', f.path, false);
    // Pipes, sockets and anonymous inodes: their file systems keep no attributes.
    return typeof r === 'number' || !r.node ? -EOPNOTSUPP : { path: r.path, node: r.node };
  }
  const r = resolveAt(c, AT_FDCWD, c.path(c.a[0]), how === 'path');
  if (typeof r === 'number') return r;
  return r.node ? { path: r.path, node: r.node } : -ENOENT;
}

/** The attribute name at addr: ERANGE when empty or past XATTR_NAME_MAX. */
function nameAt(c: Call, addr: number): string | number {
  let name: string;
  try {
    name = c.str(addr, XATTR_NAME_MAX + 1);
  } catch (e) {
    if (e instanceof StringTooLong) return -ERANGE;
    throw e;
  }
  return name.length === 0 || Buffer.byteLength(name) > XATTR_NAME_MAX ? -ERANGE : name;
}

const stored = (n: Node): Map<string, Uint8Array> | undefined => (n.layer === 'mem' ? n.xattrs : undefined);

/** Linux's xattr_permission: the namespace rules, then the inode's permission bits. */
function permission(c: Call, node: Node, name: string, mask: number): number {
  const write = (mask & MAY_WRITE) !== 0;
  if (write && node.layer === 'mem' && ((node.fsflags ?? 0) & FROZEN) !== 0) return -EPERM;
  if (name.startsWith('security.') || name.startsWith('system.')) return 0;
  if (name.startsWith('trusted.')) return c.p.creds.capable(CAP_SYS_ADMIN) ? 0 : write ? -EPERM : -ENODATA;
  const a = c.sys.fs.attrs(node);
  if (name.startsWith('user.')) {
    if (a.kind !== 'file' && a.kind !== 'dir') return write ? -EPERM : -ENODATA;
    const sticky = a.kind === 'dir' && (a.perm & 0o1000) !== 0;
    if (sticky && write && c.p.creds.fsuid !== (a.uid ?? 0) && !c.p.creds.capable(CAP_FOWNER)) return -EPERM;
  }
  return mayAccess(c.p.creds, a, mask) ? 0 : -EACCES;
}

const known = (name: string): boolean => NAMESPACES.some((p) => name.startsWith(p) && name.length > p.length);

function get(c: Call, how: How): number {
  const name = nameAt(c, c.a[1]);
  if (typeof name === 'number') return name;
  const t = target(c, how);
  if (typeof t === 'number') return t;
  const denied = permission(c, t.node, name, MAY_READ);
  if (denied < 0) return denied;
  if (!known(name)) return -EOPNOTSUPP;
  const value = stored(t.node)?.get(name);
  if (!value) return -ENODATA;
  const size = c.size(3, XATTR_SIZE_MAX);
  if (size === 0) return value.length;
  if (value.length > size) return -ERANGE;
  c.user.write(c.a[2], value);
  return value.length;
}

function set(c: Call, how: How): number {
  const flags = c.int(4);
  if ((flags & ~(XATTR_CREATE | XATTR_REPLACE)) !== 0) return -EINVAL;
  const name = nameAt(c, c.a[1]);
  if (typeof name === 'number') return name;
  const size = c.size(3, XATTR_SIZE_MAX + 1);
  if (size > XATTR_SIZE_MAX) return -E2BIG;
  const value = size === 0 ? new Uint8Array(0) : c.user.read(c.a[2], size).slice();
  const t = target(c, how);
  if (typeof t === 'number') return t;
  const denied = permission(c, t.node, name, MAY_WRITE);
  if (denied < 0) return denied;
  if (!known(name)) return -EOPNOTSUPP;
  const has = stored(t.node)?.has(name) ?? false;
  if ((flags & XATTR_CREATE) !== 0 && has) return -EEXIST;
  if ((flags & XATTR_REPLACE) !== 0 && !has) return -ENODATA;
  const holder = holderOf(c, t);
  if (!holder) return -EOPNOTSUPP;
  const old = holder.xattrs?.get(name);
  const charged = spaceOf(c, holder).chargeXattr(holder, xattrCost(name, value.length) - (old ? xattrCost(name, old.length) : 0));
  if (charged < 0) return charged;
  (holder.xattrs ??= new Map()).set(name, value);
  fileEvent(c.sys.fs, t.path, t.node, IN_ATTRIB);
  return 0;
}

/** What an attribute holds of its space: Linux's simple_xattr record, the name and the value. */
const xattrCost = (name: string, length: number): number => 48 + name.length + length;

/** The space that counts node's attributes: its file's own (a memfd's), else the writable layer's. */
const spaceOf = (c: Call, node: Node | Owned): FileSpace => ('space' in node && node.space) || c.sys.fs.space;

/** The in-memory inode that keeps t's attributes (a host file is copied up). */
function holderOf(c: Call, t: Target): Owned | null {
  if (t.node.layer === 'mem') return t.node;
  const now = c.sys.fs.lstat(t.path);
  if (now?.layer === 'mem') return now;
  return c.sys.fs.attrHolder(t.path, t.node);
}

function list(c: Call, how: How): number {
  const t = target(c, how);
  if (typeof t === 'number') return t;
  const trusted = c.p.creds.capable(CAP_SYS_ADMIN);
  const names = [...(stored(t.node)?.keys() ?? [])].filter((n) => trusted || !n.startsWith('trusted.'));
  const out = Buffer.from(names.map((n) => n + '\0').join(''));
  const size = c.size(2, XATTR_LIST_MAX);
  if (size === 0) return out.length;
  if (out.length > size) return -ERANGE;
  c.user.write(c.a[1], out);
  return out.length;
}

function remove(c: Call, how: How): number {
  const name = nameAt(c, c.a[1]);
  if (typeof name === 'number') return name;
  const t = target(c, how);
  if (typeof t === 'number') return t;
  const denied = permission(c, t.node, name, MAY_WRITE);
  if (denied < 0) return denied;
  if (!known(name)) return -EOPNOTSUPP;
  const attrs = stored(t.node);
  const old = attrs?.get(name);
  if (!attrs || old === undefined) return -ENODATA;
  spaceOf(c, t.node).chargeXattr(t.node, -xattrCost(name, old.length));
  attrs.delete(name);
  fileEvent(c.sys.fs, t.path, t.node, IN_ATTRIB);
  return 0;
}

export const getxattr: Syscall = (c) => get(c, 'path');
export const lgetxattr: Syscall = (c) => get(c, 'link');
export const fgetxattr: Syscall = (c) => get(c, 'fd');
export const setxattr: Syscall = (c) => set(c, 'path');
export const lsetxattr: Syscall = (c) => set(c, 'link');
export const fsetxattr: Syscall = (c) => set(c, 'fd');
export const listxattr: Syscall = (c) => list(c, 'path');
export const llistxattr: Syscall = (c) => list(c, 'link');
export const flistxattr: Syscall = (c) => list(c, 'fd');
export const removexattr: Syscall = (c) => remove(c, 'path');
export const lremovexattr: Syscall = (c) => remove(c, 'link');
export const fremovexattr: Syscall = (c) => remove(c, 'fd');
