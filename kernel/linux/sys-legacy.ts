// The older calls asm-generic left out and x86_64 keeps (open, stat, pipe,
// fork, ...): each one is a newer call with fixed arguments (AT_FDCWD, no
// flags), so the behaviour lives in one place.

import { O_CREAT, O_TRUNC } from '../vfs/open-file';
import { BLOCKED } from '../sched/thread';
import { EBADF, EINVAL, ENOSYS } from './errno';
import { Call, encodeU64s, type Syscall, type SyscallResult } from './syscall-context';
import { readDirents, dup3, pipe2 } from './sys-fd';
import { eventfd2 } from './sys-event';
import { getpgid } from './sys-session';
import { fileOf, rawFileOf } from './sys-io';
import { faccessat, fchmodat, linkat, mkdirat, newfstatat, openat, readlinkat, renameat, symlinkat, unlinkat } from './sys-path';
import { pollFds, selectFds, stickyTimeouts } from './sys-poll';
import { readTimeval } from './wait-args';
import { clone } from './sys-process';

const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_REMOVEDIR = 0x200;
const O_WRONLY = 1;
const SIGCHLD = 17;
const CLONE_VM = 0x100;
const CLONE_VFORK = 0x4000;
const EINTR = 4;

/** Runs `handler` as if the caller had passed `args`. */
function as(c: Call, handler: Syscall, args: number[]): SyscallResult {
  return handler(new Call(c.sys, c.t, args, c.name));
}

const open: Syscall = (c) => as(c, openat, [AT_FDCWD, c.a[0], c.a[1], c.a[2]]);
const creat: Syscall = (c) => as(c, openat, [AT_FDCWD, c.a[0], O_CREAT | O_WRONLY | O_TRUNC, c.a[1]]);
const stat: Syscall = (c) => as(c, newfstatat, [AT_FDCWD, c.a[0], c.a[1], 0]);
const lstat: Syscall = (c) => as(c, newfstatat, [AT_FDCWD, c.a[0], c.a[1], AT_SYMLINK_NOFOLLOW]);
const access: Syscall = (c) => as(c, faccessat, [AT_FDCWD, c.a[0], c.a[1], 0]);
const mkdir: Syscall = (c) => as(c, mkdirat, [AT_FDCWD, c.a[0], c.a[1]]);
const unlink: Syscall = (c) => as(c, unlinkat, [AT_FDCWD, c.a[0], 0]);
const rmdir: Syscall = (c) => as(c, unlinkat, [AT_FDCWD, c.a[0], AT_REMOVEDIR]);
const rename: Syscall = (c) => as(c, renameat, [AT_FDCWD, c.a[0], AT_FDCWD, c.a[1], 0]);
const readlink: Syscall = (c) => as(c, readlinkat, [AT_FDCWD, c.a[0], c.a[1], c.a[2]]);
const symlink: Syscall = (c) => as(c, symlinkat, [c.a[0], AT_FDCWD, c.a[1]]);
const link: Syscall = (c) => as(c, linkat, [AT_FDCWD, c.a[0], AT_FDCWD, c.a[1], 0]);
const chmod: Syscall = (c) => as(c, fchmodat, [AT_FDCWD, c.a[0], c.a[1]]);
const pipe: Syscall = (c) => as(c, pipe2, [c.a[0], 0]);
const eventfd: Syscall = (c) => as(c, eventfd2, [c.a[0], 0]);
const getpgrp: Syscall = (c) => as(c, getpgid, [0]);

/** dup2 to the same descriptor checks it and changes nothing (dup3 refuses that case). */
const dup2: Syscall = (c) => {
  if (c.int(0) === c.int(1)) return rawFileOf(c, 0) ? c.int(1) : -EBADF;
  return as(c, dup3, [c.a[0], c.a[1], 0]);
};

const fork: Syscall = (c) => as(c, clone, [SIGCHLD, 0, 0, 0, 0]);
const vfork: Syscall = (c) => as(c, clone, [CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0]);
/** x86_64 passes clone's child_tid before tls; arm64 (and the clone handler) the other way round. */
const cloneX86: Syscall = (c) => as(c, clone, [c.a[0], c.a[1], c.a[2], c.a[4], c.a[3]]);

const poll: Syscall = (c) => pollFds(c, c.a[0], c.a[1], c.int(2) < 0 ? undefined : c.sys.now() + c.int(2));

/** select's timeout is a timeval (seconds, microseconds), updated with the time left. */
const select: Syscall = (c) => {
  const timeout = readTimeval(c, c.a[4]);
  if (timeout !== null && timeout < 0) return timeout;
  const deadline = timeout === null ? undefined : c.sys.now() + timeout;
  const left = (): void => {
    if (deadline === undefined || stickyTimeouts(c)) return;
    const ms = Math.max(0, deadline - c.sys.now());
    try {
      c.user.write(c.a[4], encodeU64s([Math.floor(ms / 1000), Math.floor((ms % 1000) * 1000)]));
    } catch {
      // a fault writing the time left is ignored, as Linux does
    }
  };
  return selectFds(c, c.int(0), c.a[1], c.a[2], c.a[3], deadline, left);
};

/** struct linux_dirent: ino, off, reclen, name, NUL, then d_type in the record's last byte. */
const getdents: Syscall = (c) =>
  readDirents(c, (name, ino, next, type) => {
    const rec = new Uint8Array((18 + name.length + 2 + 7) & ~7);
    const v = new DataView(rec.buffer);
    v.setUint32(0, ino >>> 0, true);
    v.setUint32(8, next, true);
    v.setUint16(16, rec.length, true);
    rec.set(name, 18);
    rec[rec.length - 1] = type;
    return rec;
  });

const time: Syscall = (c) => {
  const sec = Math.floor(c.sys.wallNow() / 1000);
  if (c.a[0] !== 0) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, sec, true);
    c.user.write(c.a[0], b);
  }
  return sec;
};

/** arch_prctl: the machine's (x86_64: FS and GS bases). */
const archPrctl: Syscall = (c) => {
  const m = c.sys.kernel.machine;
  return m.archPrctl ? m.archPrctl(c.t.ctx, c.int(0), c.a[1], (addr, bytes) => c.user.write(addr, bytes)) : -ENOSYS;
};

const pause: Syscall = (c) => c.block(() => BLOCKED, { interruptResult: -EINTR });


// Rows of syscall-table.ts name these handlers.
export { open, creat, stat, lstat, access, mkdir, unlink, rmdir, rename, readlink, symlink, link, chmod, pipe, eventfd, getpgrp };
export { dup2, fork, vfork, cloneX86, poll, select, getdents, time, pause, archPrctl };
