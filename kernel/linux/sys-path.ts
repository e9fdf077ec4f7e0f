// Calls that name files by path: openat and the *at family, stat, getcwd,
// chdir, umask.

import { dropPagesPastEnd } from './file-extent';
import type { Node } from '../vfs/node';
import { PAGED_FILE_MAX, O_NONBLOCK, O_ACCMODE, O_RDWR, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_PATH, O_TRUNC, O_WRONLY, RegularFile } from '../vfs/open-file';
import { mountOf as mountAt } from '../vfs/mount-table';
import { parentOf, type Resolved } from '../vfs/overlay-fs';
import { encodeStat, encodeStatx } from '../vfs/stat-buffer';
import { EACCES, EBADF, EEXIST, EPERM, EFBIG, EINVAL, EISDIR, ELOOP, ENOENT, ENOTDIR, ENXIO, ERANGE, EXDEV } from './errno';
import type { Call, Syscall } from './syscall-context';
import { openNode } from './system-files';
import { openFlagsFromUser } from './arch-abi';
import { asKernel } from './caller-credentials';
import { checkCreate, checkDelete, checkOpen, checkRename, newFileMode } from './path-permission';
import { openSpecial } from './sys-mknod';
import { growthAllowed } from './file-size-limit';
import { pathInRoot } from './sys-chroot';
import { afterLeaseBreak } from './lease-break';
import { created, fileEvent, followMove, IN_ATTRIB, IN_MODIFY, moved, opened, removed } from './fs-events';

const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_REMOVEDIR = 0x200;
const AT_EMPTY_PATH = 0x1000;

/** The directory a relative path starts from: the cwd or dirfd's directory. */
function baseDir(c: Call, dirfd: number): string | number {
  if (dirfd === AT_FDCWD) return c.p.cwd;
  const f = c.p.fds.get(dirfd);
  if (!f) return -EBADF;
  return f.attrs().kind === 'dir' ? f.path : -ENOTDIR;
}

export function resolveAt(c: Call, dirfd: number, path: string, follow: boolean): Resolved | number {
  const base = path.startsWith('/') ? '/' : baseDir(c, dirfd);
  if (typeof base === 'number') return base;
  return c.sys.fs.resolve(base, path, follow, c.p.root);
}

/** The node for a (dirfd, path, flags) triple, honouring AT_EMPTY_PATH. */
function nodeAt(c: Call, dirfd: number, pathAddr: number, flags: number): { path: string; node: Node } | number {
  const path = c.path(pathAddr);
  if (path === '' && (flags & AT_EMPTY_PATH) !== 0) {
    const f = dirfd === AT_FDCWD ? undefined : c.p.fds.get(dirfd);
    if (dirfd === AT_FDCWD) return resolvedNode(c.sys.fs.resolve('/', c.p.cwd, true));
    if (!f) return -EBADF;
    const named = c.sys.fs.resolve('/', f.path, false);
    if (typeof named !== 'number' && named.node) return { path: named.path, node: named.node };
    // A file with no name (a pipe, a socket, an unlinked file): its attributes only, no host path to read.
    return { path: f.path, node: { layer: 'host', kind: f.attrs().kind, hostPath: '', attrs: f.attrs() } };
  }
  return resolvedNode(resolveAt(c, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) === 0));
}

function resolvedNode(r: Resolved | number): { path: string; node: Node } | number {
  if (typeof r === 'number') return r;
  return r.node ? { path: r.path, node: r.node } : -ENOENT;
}

/** A kernel-internal flag bit (outside every O_ flag) marking an open that found the file existing, which permission checks apply to. */
const OPEN_EXISTING = 0x40000000;
/** open's flags with O_PATH: all but these are ignored. */
/** __O_TMPFILE (O_TMPFILE without its O_DIRECTORY). */
const O_TMPFILE = 0o20000000;

const O_PATH_FLAGS = O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC;

const openat: Syscall = (c) => {
  let flags = openFlagsFromUser(c.sys.kernel.arch, c.int(2)) & ~OPEN_EXISTING;
  if ((flags & O_PATH) !== 0) flags &= O_PATH_FLAGS;
  if ((flags & O_TMPFILE) !== 0 && ((flags & (O_TMPFILE | O_DIRECTORY | O_CREAT)) !== (O_TMPFILE | O_DIRECTORY) || (flags & O_ACCMODE) === 0)) return -EINVAL;
  const path = c.path(c.a[1]);
  if ((flags & O_TMPFILE) !== 0) return openTmpfile(c, path, flags);
  const trailingSlash = path.endsWith('/');
  const r = resolveAt(c, c.int(0), path, (flags & O_NOFOLLOW) === 0 && (flags & (O_CREAT | O_EXCL)) !== (O_CREAT | O_EXCL));
  if (typeof r === 'number') return r;
  let node = r.node;
  const creating = node === null;
  if (node === null) {
    if ((flags & O_CREAT) === 0) return -ENOENT;
    if (trailingSlash) return -EISDIR;
    const parent = c.sys.fs.lstat(parentOf(r.path));
    if (parent?.kind !== 'dir') return -ENOENT;
    const denied = checkCreate(c, r.path) || c.sys.fs.inodeRoom(r.path);
    if (denied < 0) return denied;
    node = c.sys.fs.createFile(r.path, newFileMode(c, r.path, c.int(3) & 0o7777 & ~c.p.umask));
    flags &= ~O_TRUNC;
  } else if ((flags & (O_CREAT | O_EXCL)) === (O_CREAT | O_EXCL)) {
    return -EEXIST;
  } else {
    flags |= OPEN_EXISTING;
  }
  if (node.kind === 'symlink' && (flags & O_PATH) === 0) return -ELOOP;
  if ((flags & O_DIRECTORY) !== 0 && node.kind !== 'dir') return -ENOTDIR;
  if (trailingSlash && node.kind !== 'dir') return -ENOTDIR;
  if ((flags & O_PATH) !== 0) return c.p.fds.add(openNode(c.sys, r.path, node, flags & ~O_CLOEXEC), (flags & O_CLOEXEC) !== 0);
  if (node.kind === 'dir' && ((flags & O_ACCMODE) !== 0 || (flags & O_CREAT) !== 0)) return -EISDIR;
  // Without a controlling terminal (salty's stdin is not one) /dev/tty cannot be opened, as on Linux.
  if (node.layer === 'mem' && node.kind === 'chr' && node.device.name === 'tty' && !node.device.isTty) return -ENXIO;
  if ((flags & OPEN_EXISTING) !== 0) {
    const denied = checkOpen(c, node, flags);
    if (denied < 0) return denied;
  }
  const special = openSpecial(c, r.path, node, flags & ~(O_CREAT | O_EXCL | O_TRUNC | OPEN_EXISTING));
  if (special !== null) return special;
  const found = node;
  const finish = (): number => {
    const file = openNode(c.sys, r.path, found, flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC | OPEN_EXISTING));
    if ((flags & O_TRUNC) !== 0 && (flags & O_ACCMODE) !== 0 && found.kind === 'file') {
      const t = file.truncate(0);
      if (t < 0) {
        file.release();
        return t;
      }
    }
    const fd = c.p.fds.add(file, (flags & O_CLOEXEC) !== 0);
    if (fd >= 0) {
      if (creating) created(c.sys.fs, r.path, found);
      opened(c.sys, file, r.path, found);
    }
    return fd;
  };
  // Another description's lease on the file breaks first (the open waits for it).
  if (found.kind === 'file' && (flags & OPEN_EXISTING) !== 0) {
    const forWrite = (flags & O_ACCMODE) !== 0 || (flags & O_TRUNC) !== 0;
    const waited = afterLeaseBreak(c, c.sys.fs.attrs(found).ino, forWrite, (flags & O_NONBLOCK) !== 0, finish);
    if (waited !== null) return waited;
  }
  return finish();
};

const AT_NO_AUTOMOUNT = 0x800;
const AT_STATX_SYNC_TYPE = 0x6000;
const STATX_RESERVED = 0x80000000;

/** O_TMPFILE: an unnamed file in the directory path names (linkat can give it a name later). */
function openTmpfile(c: Call, path: string, flags: number): number {
  const r = resolveAt(c, c.int(0), path, true);
  if (typeof r === 'number') return r;
  if (!r.node) return -ENOENT;
  if (r.node.kind !== 'dir') return -ENOTDIR;
  const node = c.sys.fs.newFile(new Uint8Array(0), c.int(3) & 0o7777 & ~c.p.umask);
  node.nlink = 0;
  const room = c.sys.fs.adoptFile(node);
  if (room < 0) return room;
  const name = `${r.path === '/' ? '' : r.path}/#${node.ino} (deleted)`;
  const file = new RegularFile(name, flags & ~(O_TMPFILE | O_DIRECTORY | O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC), node, c.sys.fs);
  return c.p.fds.add(file, (flags & O_CLOEXEC) !== 0);
}

const newfstatat: Syscall = (c) => {
  if ((c.int(3) & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH)) !== 0) return -EINVAL;
  const n = nodeAt(c, c.int(0), c.a[1], c.int(3));
  if (typeof n === 'number') return n;
  c.user.write(c.a[2], encodeStat(c.sys.fs.attrs(n.node), c.sys.kernel.arch));
  return 0;
};

const statx: Syscall = (c) => {
  const flags = c.int(2);
  if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE)) !== 0) return -EINVAL;
  if ((flags & AT_STATX_SYNC_TYPE) === AT_STATX_SYNC_TYPE || (c.u32(3) & STATX_RESERVED) !== 0) return -EINVAL;
  const n = nodeAt(c, c.int(0), c.a[1], flags);
  if (typeof n === 'number') return n;
  c.user.write(c.a[4], encodeStatx(c.sys.fs.attrs(n.node)));
  return 0;
};

/** Resolves the parent of a path to be created or removed; the last name is not followed. */
export function entryAt(c: Call, dirfd: number, pathAddr: number): Resolved | number {
  const path = c.path(pathAddr);
  const r = resolveAt(c, dirfd, path, false);
  if (typeof r === 'number') return r;
  if (c.sys.fs.lstat(parentOf(r.path))?.kind !== 'dir') return -ENOENT;
  return r;
}

const mkdirat: Syscall = (c) => {
  const r = entryAt(c, c.int(0), c.a[1]);
  if (typeof r === 'number') return r;
  if (r.node) return -EEXIST;
  const denied = checkCreate(c, r.path);
  if (denied < 0) return denied;
  const made = c.sys.fs.mkdir(r.path, c.int(2) & 0o1777 & ~c.p.umask);
  const dir = made === 0 ? c.sys.fs.lstat(r.path) : null;
  if (dir) created(c.sys.fs, r.path, dir);
  return made;
};

const unlinkat: Syscall = (c) => {
  if ((c.int(2) & ~AT_REMOVEDIR) !== 0) return -EINVAL;
  const r = entryAt(c, c.int(0), c.a[1]);
  if (typeof r === 'number') return r;
  const denied = r.node ? checkDelete(c, r.path, r.node) : 0;
  if (denied < 0) return denied;
  const gone = c.sys.fs.unlink(r.path, (c.int(2) & AT_REMOVEDIR) !== 0);
  if (gone === 0 && r.node) removed(c.sys, r.path, r.node);
  return gone;
};

const RENAME_NOREPLACE = 1;
const RENAME_EXCHANGE = 2;
const RENAME_WHITEOUT = 4;
const CAP_MKNOD = 27;

/** renameat2's checks in Linux's order; RENAME_WHITEOUT is refused by the overlay root (EINVAL), as overlayfs does. */
function renameWith(c: Call, flags: number): number {
  if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) !== 0) return -EINVAL;
  if ((flags & RENAME_EXCHANGE) !== 0 && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) !== 0) return -EINVAL;
  if ((flags & RENAME_WHITEOUT) !== 0 && !c.p.creds.capable(CAP_MKNOD)) return -EPERM;
  const from = entryAt(c, c.int(0), c.a[1]);
  const to = entryAt(c, c.int(2), c.a[3]);
  if (typeof from === 'number') return from;
  if (typeof to === 'number') return to;
  if (!from.node) return -ENOENT;
  const exchange = (flags & RENAME_EXCHANGE) !== 0;
  if (exchange && !to.node) return -ENOENT;
  if ((flags & RENAME_NOREPLACE) !== 0 && to.node) return -EEXIST;
  if (from.path === to.path) return 0;
  if (mountOf(from.path) !== mountOf(to.path)) return -EXDEV;
  const denied = exchange ? checkExchange(c, from, to) : checkRename(c, from.path, from.node, to.path, to.node);
  if (denied < 0) return denied;
  if ((flags & RENAME_WHITEOUT) !== 0) return -EINVAL;
  if (exchange) return c.sys.fs.exchange(from.path, to.path);
  const done = c.sys.fs.rename(from.path, to.path);
  if (done === 0) {
    if (from.node.kind === 'dir') followMove(c.sys, from.path, to.path);
    moved(c.sys, from.path, to.path, c.sys.fs.lstat(to.path) ?? from.node, to.node);
  }
  return done;
}

/** RENAME_EXCHANGE: each name is removed from its directory and added to the other's. */
function checkExchange(c: Call, a: Resolved, b: Resolved): number {
  const one = checkRename(c, a.path, a.node!, b.path, b.node);
  return one < 0 ? one : checkRename(c, b.path, b.node!, a.path, a.node);
}

const renameat: Syscall = (c) => renameWith(c, 0);
const renameat2: Syscall = (c) => renameWith(c, c.int(4));

const symlinkat: Syscall = (c) => {
  const target = c.str(c.a[0]);
  const r = entryAt(c, c.int(1), c.a[2]);
  if (typeof r === 'number') return r;
  if (r.node) return -EEXIST;
  const denied = checkCreate(c, r.path);
  if (denied < 0) return denied;
  const made = c.sys.fs.symlink(target, r.path);
  const link = made === 0 ? c.sys.fs.lstat(r.path) : null;
  if (link) created(c.sys.fs, r.path, link);
  return made;
};

const AT_SYMLINK_FOLLOW = 0x400;

/** The file system a path is on (links and renames do not cross). */
const mountOf = (path: string): string => mountAt(path).dir;

const linkat: Syscall = (c) => {
  const flags = c.int(4);
  if ((flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) !== 0) return -EINVAL;
  // AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH: without it the empty name is ENOENT, as here.
  const from = resolvedNode(resolveAt(c, c.int(0), c.path(c.a[1]), (flags & AT_SYMLINK_FOLLOW) !== 0));
  if (typeof from === 'number') return from;
  const to = entryAt(c, c.int(2), c.a[3]);
  if (typeof to === 'number') return to;
  if (to.node) return -EEXIST;
  // A file reached through a magic link (/proc/self/fd/N) is on its own file system, not /proc's.
  const viaMagic = c.sys.fs.lstat(from.path)?.kind === 'symlink' && from.node.kind !== 'symlink';
  if (!viaMagic && mountOf(from.path) !== mountOf(to.path)) return -EXDEV;
  const denied = checkCreate(c, to.path);
  if (denied < 0) return denied;
  const made = c.sys.fs.link(from.path, from.node, to.path);
  const node = made === 0 ? c.sys.fs.lstat(to.path) : null;
  if (node) {
    fileEvent(c.sys.fs, from.path, node, IN_ATTRIB);
    created(c.sys.fs, to.path, node);
  }
  return made;
};

const readlinkat: Syscall = (c) => {
  if (c.a[3] <= 0 || c.a[3] >= 2 ** 31) return -EINVAL;
  const path = c.path(c.a[1]);
  let node: Node | null;
  if (path === '') {
    // The descriptor itself (an O_PATH|O_NOFOLLOW open of a symlink).
    const f = c.int(0) === AT_FDCWD ? undefined : c.p.fds.get(c.int(0));
    if (!f && c.int(0) !== AT_FDCWD) return -EBADF;
    node = f instanceof RegularFile ? f.inode : null;
    if (node?.kind !== 'symlink') return -ENOENT;
  } else {
    const r = resolveAt(c, c.int(0), path, false);
    if (typeof r === 'number') return r;
    node = c.sys.fs.lstat(r.path);
    if (!node) return -ENOENT;
    if (node.kind !== 'symlink') return -EINVAL;
  }
  const target = Buffer.from(c.sys.fs.readlink(node));
  const n = Math.min(c.a[3], target.length);
  c.user.write(c.a[2], target.subarray(0, n));
  return n;
};

const faccessat: Syscall = (c) => {
  const n = nodeAt(c, c.int(0), c.a[1], c.int(3));
  if (typeof n === 'number') return n;
  const mode = c.int(2);
  const perm = c.sys.fs.attrs(n.node).perm;
  if ((mode & 1) !== 0 && (perm & 0o111) === 0 && n.node.kind !== 'dir') return -EACCES;
  return 0;
};

const faccessat2: Syscall = (c) => faccessat(c);

const fchmodat: Syscall = (c) => {
  const n = nodeAt(c, c.int(0), c.a[1], 0);
  if (typeof n === 'number') return n;
  const node = n.node.kind === 'file' ? c.sys.fs.copyUp(n.path, n.node) : n.node;
  if (node.layer === 'mem' && 'perm' in node) node.perm = c.int(2) & 0o7777;
  return 0;
};

const fchmod: Syscall = (c) => {
  const f = c.p.fds.get(c.int(0));
  if (!f || f.pathOnly) return -EBADF;
  const r = c.sys.fs.resolve('/', f.path, true);
  if (typeof r === 'number' || !r.node) return 0;
  const node = r.node.kind === 'file' ? c.sys.fs.copyUp(r.path, r.node) : r.node;
  if (node.layer === 'mem' && 'perm' in node) node.perm = c.int(1) & 0o7777;
  return 0;
};

const getcwd: Syscall = (c) => {
  const cwd = Buffer.from(pathInRoot(c.p.root, c.p.cwd) + '\0');
  if (c.a[1] < cwd.length) return -ERANGE;
  c.user.write(c.a[0], cwd);
  return cwd.length;
};

function enterDir(c: Call, r: Resolved | number): number {
  if (typeof r === 'number') return r;
  if (!r.node) return -ENOENT;
  if (r.node.kind !== 'dir') return -ENOTDIR;
  if (!c.sys.fs.canSearch(r.node)) return -EACCES;
  c.p.cwd = r.path;
  return 0;
}

const chdir: Syscall = (c) => enterDir(c, resolveAt(c, AT_FDCWD, c.path(c.a[0]), true));

const fchdir: Syscall = (c) => {
  const f = c.p.fds.get(c.int(0));
  if (!f) return -EBADF;
  return enterDir(c, asKernel(c.sys, () => c.sys.fs.resolve('/', f.path, true)));
};

const umask: Syscall = (c) => {
  const old = c.p.umask;
  c.p.umask = c.int(0) & 0o777;
  return old;
};

const truncate: Syscall = (c) => {
  const n = nodeAt(c, AT_FDCWD, c.a[0], 0);
  if (typeof n === 'number') return n;
  if (c.a[1] < 0) return -EINVAL;
  if (n.node.kind === 'dir') return -EISDIR;
  if (n.node.kind !== 'file') return -EINVAL;
  const denied = checkOpen(c, n.node, O_WRONLY);
  if (denied < 0) return denied;
  const big = growthAllowed(c, c.sys.fs.attrs(n.node).size, c.a[1]);
  if (big < 0) return big;
  if (c.a[1] > PAGED_FILE_MAX) return -EFBIG;
  const f = new RegularFile(n.path, O_RDWR, n.node, c.sys.fs);
  const cut = (): number => {
    const r = f.truncate(c.a[1]);
    if (r === 0) {
      dropPagesPastEnd(c.sys, f.attrs().ino, c.a[1]);
      fileEvent(c.sys.fs, n.path, f.inode, IN_MODIFY);
    }
    return r;
  };
  return afterLeaseBreak(c, c.sys.fs.attrs(n.node).ino, true, false, cut) ?? cut();
};

// Rows of syscall-table.ts name these handlers.
export { openat, newfstatat, statx, mkdirat, unlinkat, renameat, renameat2, symlinkat, linkat, readlinkat, faccessat, faccessat2, fchmodat, fchmod, getcwd, chdir, fchdir, umask, truncate };
