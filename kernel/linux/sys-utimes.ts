// File times: utimensat (and x86_64's utime, utimes, futimesat), with
// UTIME_NOW and UTIME_OMIT and Linux's permission rules: explicit times are
// the owner's (or CAP_FOWNER's), "now" also anyone's who may write the file.

import type { Node } from '../vfs/node';
import { RegularFile } from '../vfs/open-file';
import { CAP_FOWNER } from './credentials';
import { EACCES, EBADF, EFAULT, EINVAL, ENOENT, EPERM } from './errno';
import { FS_APPEND_FL, FS_IMMUTABLE_FL, inodeFlags } from './file-attr-flags';
import { MAY_WRITE, mayAccess } from './file-permission';
import { resolveAt } from './sys-path';
import { fileEvent, IN_ATTRIB } from './fs-events';
import { Call, type Syscall } from './syscall-context';

const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_EMPTY_PATH = 0x1000;
const UTIME_NOW = 0x3fffffff;
const UTIME_OMIT = 0x3ffffffe;
const TWO32 = 4294967296;

/** One new time: a value in ms, now, or left alone. */
type Stamp = number | 'now' | 'omit';

/** The two timespecs at addr (NULL: both now); EINVAL for a bad tv_nsec. */
function readTimespecs(c: Call, addr: number): [Stamp, Stamp] | number {
  if (addr === 0) return ['now', 'now'];
  const v = new DataView(c.user.read(addr, 32).buffer);
  const out: Stamp[] = [];
  for (let i = 0; i < 2; i++) {
    const sec = v.getInt32(16 * i + 4, true) * TWO32 + v.getUint32(16 * i, true);
    const nsec = v.getInt32(16 * i + 12, true) * TWO32 + v.getUint32(16 * i + 8, true);
    if (nsec === UTIME_NOW) out.push('now');
    else if (nsec === UTIME_OMIT) out.push('omit');
    else if (nsec < 0 || nsec >= 1e9) return -EINVAL;
    else out.push(sec * 1000 + nsec / 1e6);
  }
  return [out[0], out[1]];
}

/** Sets the times of node (at path), after the permission checks. */
function setTimes(c: Call, path: string, node: Node, times: [Stamp, Stamp]): number {
  if (times[0] === 'omit' && times[1] === 'omit') return 0;
  const a = c.sys.fs.attrs(node);
  const flags = inodeFlags(node);
  const explicit = times.some((t) => typeof t === 'number');
  const owner = c.p.creds.fsuid === (a.uid ?? 0) || c.p.creds.capable(CAP_FOWNER);
  if ((flags & FS_IMMUTABLE_FL) !== 0 || (explicit && (flags & FS_APPEND_FL) !== 0)) return -EPERM;
  if (explicit && !owner) return -EPERM;
  if (!explicit && !owner && !mayAccess(c.p.creds, a, MAY_WRITE)) return -EACCES;
  if (node.kind !== 'file' && node.kind !== 'dir') return 0;
  const holder = node.layer === 'mem' ? node : c.sys.fs.attrHolder(path, node);
  if (!holder) return 0;
  const now = c.sys.fs.now();
  const pick = (t: Stamp, old: number): number => (t === 'now' ? now : t === 'omit' ? old : t);
  const h = holder as { atimeMs?: number; mtimeMs: number };
  h.atimeMs = pick(times[0], h.atimeMs ?? h.mtimeMs);
  h.mtimeMs = pick(times[1], h.mtimeMs);
  fileEvent(c.sys.fs, path, c.sys.fs.lstat(path) ?? node, IN_ATTRIB);
  return 0;
}

/** The file an open descriptor names (utimensat with a NULL path, futimens). */
function setTimesOfFd(c: Call, fd: number, times: [Stamp, Stamp]): number {
  const f = c.p.fds.get(fd);
  if (!f) return -EBADF;
  const r = c.sys.fs.resolve('/', f.path, false);
  const node = typeof r !== 'number' && r.node ? r.node : f instanceof RegularFile ? f.inode : null;
  return node ? setTimes(c, f.path, node, times) : 0;
}

function setTimesAt(c: Call, dirfd: number, pathAddr: number, flags: number, times: [Stamp, Stamp]): number {
  const name = c.path(pathAddr);
  if (name === '' && (flags & AT_EMPTY_PATH) !== 0 && dirfd !== AT_FDCWD) return setTimesOfFd(c, dirfd, times);
  if (name === '' && (flags & AT_EMPTY_PATH) === 0) return -ENOENT;
  const r = resolveAt(c, dirfd, name === '' ? '.' : name, (flags & AT_SYMLINK_NOFOLLOW) === 0);
  if (typeof r === 'number') return r;
  return r.node ? setTimes(c, r.path, r.node, times) : -ENOENT;
}

export const utimensat: Syscall = (c) => {
  const times = readTimespecs(c, c.a[2]);
  if (typeof times === 'number') return times;
  const flags = c.int(3);
  if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) !== 0) return -EINVAL;
  if (c.a[1] === 0) {
    if (c.int(0) === AT_FDCWD) return -EFAULT;
    return flags !== 0 ? -EINVAL : setTimesOfFd(c, c.int(0), times);
  }
  return setTimesAt(c, c.int(0), c.a[1], flags, times);
};

/** x86_64's timeval pair (futimesat, utimes): microseconds, EINVAL out of range. */
function readTimevals(c: Call, addr: number): [Stamp, Stamp] | number {
  if (addr === 0) return ['now', 'now'];
  const v = new DataView(c.user.read(addr, 32).buffer);
  const out: number[] = [];
  for (let i = 0; i < 2; i++) {
    const sec = v.getInt32(16 * i + 4, true) * TWO32 + v.getUint32(16 * i, true);
    const usec = v.getInt32(16 * i + 12, true) * TWO32 + v.getUint32(16 * i + 8, true);
    if (usec < 0 || usec >= 1e6) return -EINVAL;
    out.push(sec * 1000 + usec / 1000);
  }
  return [out[0], out[1]];
}

export const futimesat: Syscall = (c) => {
  const times = readTimevals(c, c.a[2]);
  return typeof times === 'number' ? times : setTimesAt(c, c.int(0), c.a[1], 0, times);
};

export const utimes: Syscall = (c) => futimesat(new Call(c.sys, c.t, [AT_FDCWD, c.a[0], c.a[1]], c.name));

/** x86_64's utime: a utimbuf of whole seconds (actime, modtime). */
export const utime: Syscall = (c) => {
  if (c.a[1] === 0) return setTimesAt(c, AT_FDCWD, c.a[0], 0, ['now', 'now']);
  const v = new DataView(c.user.read(c.a[1], 16).buffer);
  const sec = (i: number): number => (v.getInt32(8 * i + 4, true) * TWO32 + v.getUint32(8 * i, true)) * 1000;
  return setTimesAt(c, AT_FDCWD, c.a[0], 0, [sec(0), sec(1)]);
};
