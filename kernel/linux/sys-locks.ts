// flock and fcntl's lock commands: F_GETLK/F_SETLK/F_SETLKW (POSIX record
// locks, owned by the descriptor table), F_OFD_GETLK/F_OFD_SETLK/F_OFD_SETLKW
// (owned by the open file description), F_SETLEASE/F_GETLEASE. Blocking
// waits are polled by the scheduler like every other wait.

import { BLOCKED } from '../sched/thread';
import { fdCloseHooks, type FdTable } from '../vfs/fd-table';
import {
  anyLocks,
  dropRanges,
  flockDrop,
  flockFree,
  flockSet,
  F_RDLCK,
  F_UNLCK,
  F_WRLCK,
  inodesHeldBy,
  leaseOf,
  leasesOn,
  rangeConflict,
  setLease,
  setRange,
  setWaiting,
  wouldDeadlock,
} from '../vfs/file-locks';
import { lastCloseHooks, O_PATH, type OpenFile } from '../vfs/open-file';
import { EAGAIN, EBADF, EDEADLK, EINVAL, EOVERFLOW } from './errno';
import { leaseRefused } from './lease-rules';
import { ownLease } from './async-io';
import { breakTarget } from './lease-break';
import type { Call, Syscall, SyscallResult } from './syscall-context';
import { fileOf } from './sys-io';

export const F_GETLK = 5;
export const F_SETLK = 6;
export const F_SETLKW = 7;
export const F_OFD_GETLK = 36;
export const F_OFD_SETLK = 37;
export const F_OFD_SETLKW = 38;
export const F_SETLEASE = 1024;
export const F_GETLEASE = 1025;

const LOCK_SH = 1;
const LOCK_EX = 2;
const LOCK_NB = 4;
const LOCK_UN = 8;
const OFF_MAX = 2 ** 63 - 1;

const inoOf = (f: OpenFile): number => f.attrs().ino;

// A descriptor closed drops its table's POSIX locks on that file; the last
// close of a description drops its OFD and flock locks and its lease.
fdCloseHooks.push((table: FdTable, f: OpenFile) => {
  if (anyLocks()) dropRanges(inoOf(f), table);
});
lastCloseHooks.push((f: OpenFile) => {
  if (!anyLocks()) return;
  for (const ino of inodesHeldBy(f)) {
    dropRanges(ino, f);
    flockDrop(ino, f);
  }
  setLease(inoOf(f), f, F_UNLCK);
});

const flock: Syscall = (c) => {
  const f = fileOf(c, 0);
  if (!f || (f.statusFlags & O_PATH) !== 0) return -EBADF;
  const op = c.int(1);
  const kind = op & ~LOCK_NB;
  const ino = inoOf(f);
  if (kind === LOCK_UN) {
    flockDrop(ino, f);
    return 0;
  }
  if (kind !== LOCK_SH && kind !== LOCK_EX) return -EINVAL;
  const exclusive = kind === LOCK_EX;
  // A conversion gives up the old lock first, as Linux does.
  flockDrop(ino, f);
  const attempt = (): number | typeof BLOCKED => {
    if (!flockFree(ino, f, exclusive)) return (op & LOCK_NB) !== 0 ? -EAGAIN : BLOCKED;
    flockSet(ino, f, exclusive);
    return 0;
  };
  return c.block(attempt);
};

interface FlockRequest {
  type: number;
  start: number;
  end: number;
  pid: number;
}

/** Reads a struct flock (l_type, l_whence, l_start, l_len, l_pid) into an absolute range. */
function readFlock(c: Call, f: OpenFile, addr: number): FlockRequest | number {
  const b = c.user.read(addr, 32);
  const v = new DataView(b.buffer, b.byteOffset, 32);
  const type = v.getInt16(0, true);
  const whence = v.getInt16(2, true);
  const start = Number(v.getBigInt64(8, true));
  const len = Number(v.getBigInt64(16, true));
  const pid = v.getInt32(24, true);
  const base = whence === 0 ? 0 : whence === 1 ? f.offset : whence === 2 ? f.attrs().size : NaN;
  if (Number.isNaN(base)) return -EINVAL;
  let from = base + start;
  let to: number;
  if (len > 0) {
    if (from + len - 1 > OFF_MAX) return -EOVERFLOW;
    to = from + len - 1;
  } else if (len === 0) {
    to = Infinity;
  } else {
    to = from - 1;
    from += len;
  }
  if (from < 0) return -EINVAL;
  if (from > OFF_MAX) return -EOVERFLOW;
  return { type, start: from, end: to, pid };
}

function writeFlock(c: Call, addr: number, type: number, start: number, end: number, pid: number): void {
  const b = c.user.read(addr, 32);
  const v = new DataView(b.buffer, b.byteOffset, 32);
  v.setInt16(0, type, true);
  if (type !== F_UNLCK) {
    v.setInt16(2, 0, true);
    v.setBigInt64(8, BigInt(start), true);
    v.setBigInt64(16, BigInt(end === Infinity ? 0 : end - start + 1), true);
    v.setInt32(24, pid, true);
  }
  c.user.write(addr, b);
}

/** The fcntl lock and lease commands (null: not one of them). */
export function lockCommand(c: Call, f: OpenFile, cmd: number): SyscallResult | null {
  switch (cmd) {
    case F_GETLK:
    case F_OFD_GETLK:
      return getLock(c, f, cmd === F_OFD_GETLK);
    case F_SETLK:
    case F_SETLKW:
    case F_OFD_SETLK:
    case F_OFD_SETLKW:
      return setLock(c, f, cmd === F_OFD_SETLK || cmd === F_OFD_SETLKW, cmd === F_SETLKW || cmd === F_OFD_SETLKW);
    case F_GETLEASE:
      return breakTarget(f) ?? leaseOf(inoOf(f), f);
    case F_SETLEASE:
      return setLeaseCmd(c, f);
    default:
      return null;
  }
}

function getLock(c: Call, f: OpenFile, ofd: boolean): number {
  const r = readFlock(c, f, c.a[2]);
  if (typeof r === 'number') return r;
  if (r.type !== F_RDLCK && r.type !== F_WRLCK) return -EINVAL;
  if (ofd && r.pid !== 0) return -EINVAL;
  const owner = ofd ? f : c.p.fds;
  const x = rangeConflict(inoOf(f), owner, r.type, r.start, r.end);
  if (!x) writeFlock(c, c.a[2], F_UNLCK, 0, 0, 0);
  else writeFlock(c, c.a[2], x.type, x.start, x.end, x.ofd ? -1 : x.pid);
  return 0;
}

function setLock(c: Call, f: OpenFile, ofd: boolean, wait: boolean): SyscallResult {
  const r = readFlock(c, f, c.a[2]);
  if (typeof r === 'number') return r;
  if (r.type !== F_RDLCK && r.type !== F_WRLCK && r.type !== F_UNLCK) return -EINVAL;
  if (ofd && r.pid !== 0) return -EINVAL;
  if ((r.type === F_RDLCK && !f.readable) || (r.type === F_WRLCK && !f.writable)) return -EBADF;
  const ino = inoOf(f);
  const owner: object = ofd ? f : c.p.fds;
  const lock = { owner, ofd, pid: c.p.pid, type: r.type, start: r.start, end: r.end };
  if (r.type === F_UNLCK) {
    setRange(ino, lock);
    return 0;
  }
  const attempt = (): number | typeof BLOCKED => {
    const x = rangeConflict(ino, owner, r.type, r.start, r.end);
    if (!x) {
      setWaiting(owner, undefined);
      setRange(ino, lock);
      return 0;
    }
    if (!wait) return -EAGAIN;
    if (!ofd && !x.ofd && wouldDeadlock(owner, x.owner)) {
      setWaiting(owner, undefined);
      return -EDEADLK;
    }
    setWaiting(owner, x.owner);
    return BLOCKED;
  };
  return c.block(attempt, { cancel: () => setWaiting(owner, undefined) });
}

function setLeaseCmd(c: Call, f: OpenFile): number {
  const type = c.int(2);
  if (type !== F_RDLCK && type !== F_WRLCK && type !== F_UNLCK) return -EINVAL;
  if (f.attrs().kind !== 'file') return -EINVAL;
  const refused = leaseRefused(c, f, type);
  if (refused < 0) return refused;
  setLease(inoOf(f), f, type);
  if (type !== F_UNLCK) ownLease(f, c.p.pid);
  return 0;
}

// Rows of syscall-table.ts name these handlers.
export { flock };
