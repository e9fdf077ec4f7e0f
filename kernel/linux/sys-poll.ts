// Waiting on descriptors: ppoll and pselect6 (poll and select of x86_64 in
// sys-legacy.ts call the same two functions). Both ask every file the
// readiness questions of kernel/vfs/readiness.ts; epoll (sys-epoll.ts) too.

import { BLOCKED } from '../sched/thread';
import type { OpenFile } from '../vfs/open-file';
import { ALWAYS_REPORTED, POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLPRI, POLLRDBAND, POLLRDNORM, POLLWRBAND, POLLWRNORM } from '../vfs/readiness';
import { EBADF, EINTR, EINVAL } from './errno';
import { timespec, type Call, type Syscall, type SyscallResult } from './syscall-context';
import { faultSafe, readTimespec, waitMask } from './wait-args';
import { controlOf } from './process-control';

/** poll's answer for one descriptor: what holds of what it asked (errors and hang-ups always). */
export function revents(f: OpenFile | undefined, events: number): number {
  if (!f) return POLLNVAL;
  return f.pollEvents() & (events | ALWAYS_REPORTED);
}

/** The wait's deadline: the timeout's, or sooner when time alone makes a file ready (a timerfd). */
export function earliest(deadline: number | undefined, files: readonly OpenFile[]): number | undefined {
  let d = deadline;
  for (const f of files) {
    const at = f.readyAt();
    if (at !== undefined && (d === undefined || at < d)) d = at;
  }
  return d;
}

/** personality(2)'s STICKY_TIMEOUTS: select, pselect6 and ppoll leave their timeout as it was. */
const STICKY_TIMEOUTS = 0x4000000;

/** Whether the caller's timeout stays unwritten (the personality asks for sticky timeouts). */
export function stickyTimeouts(c: Call): boolean {
  return (controlOf(c.p).personality & STICKY_TIMEOUTS) !== 0;
}

/** Writes the time left of a timeout back to a timespec (ppoll and pselect6 do; a bad address is ignored). */
function writeRemaining(c: Call, addr: number, deadline: number | undefined): void {
  if (addr === 0 || deadline === undefined || stickyTimeouts(c)) return;
  try {
    c.user.write(addr, timespec(Math.max(0, deadline - c.sys.now())));
  } catch {
    // Linux ignores a fault here too: the call's result stands
  }
}

const ppoll: Syscall = (c) => {
  const [fdsAddr, , tmo, maskAddr] = c.a;
  const nfds = c.a[1];
  if (nfds < 0 || nfds > 1024) return -EINVAL;
  const timeout = readTimespec(c, tmo);
  if (timeout !== null && timeout < 0) return timeout;
  const m = waitMask(c, maskAddr, c.a[4]);
  if (m < 0) return m;
  const deadline = timeout === null ? undefined : c.sys.now() + timeout;
  return pollFds(c, fdsAddr, nfds, deadline, () => writeRemaining(c, tmo, deadline));
};

/** Waits on an array of struct pollfd until deadline (kernel ms; undefined: no limit). */
export function pollFds(c: Call, fdsAddr: number, nfds: number, deadline: number | undefined, done: () => void = () => {}): SyscallResult {
  if (nfds < 0 || nfds > 1024) return -EINVAL;
  const raw = c.user.read(fdsAddr, 8 * nfds);
  const v = new DataView(raw.buffer);
  const files: OpenFile[] = [];
  for (let i = 0; i < nfds; i++) {
    const f = c.p.fds.get(v.getInt32(8 * i, true));
    if (f) files.push(f);
  }
  const attempt = (): number | typeof BLOCKED => {
    let ready = 0;
    for (let i = 0; i < nfds; i++) {
      const fd = v.getInt32(8 * i, true);
      const r = fd < 0 ? 0 : revents(c.p.fds.get(fd), v.getUint16(8 * i + 4, true));
      v.setInt16(8 * i + 6, r, true);
      if (r !== 0) ready++;
    }
    if (ready === 0 && (deadline === undefined || c.sys.now() < deadline)) return BLOCKED;
    c.user.write(fdsAddr, raw);
    done();
    return ready;
  };
  return c.block(faultSafe(attempt), { deadline: earliest(deadline, files), interruptResult: -EINTR, cancel: done });
}

const pselect6: Syscall = (c) => {
  const [, rAddr, wAddr, eAddr, tmo, sigArg] = c.a;
  const nfds = c.a[0] % 4294967296 | 0;
  if (nfds < 0) return -EINVAL;
  const timeout = readTimespec(c, tmo);
  if (timeout !== null && timeout < 0) return timeout;
  if (sigArg !== 0) {
    const [maskAddr, size] = c.words(sigArg, 2);
    const m = waitMask(c, maskAddr, size);
    if (m < 0) return m;
  }
  const deadline = timeout === null ? undefined : c.sys.now() + timeout;
  return selectFds(c, nfds, rAddr, wAddr, eAddr, deadline, () => writeRemaining(c, tmo, deadline));
};

const SELECT_IN = POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR;
const SELECT_OUT = POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR;
const SELECT_EX = POLLPRI;

/** Waits on fd_set bitmaps until deadline (kernel ms; undefined: no limit). */
export function selectFds(c: Call, nfdsAsked: number, rAddr: number, wAddr: number, eAddr: number, deadline: number | undefined, done: () => void = () => {}): SyscallResult {
  if (nfdsAsked < 0) return -EINVAL;
  const nfds = Math.min(nfdsAsked, 1024);
  const bytes = Math.ceil(nfds / 64) * 8;
  const load = (a: number): Uint8Array | null => (a === 0 || bytes === 0 ? null : c.user.read(a, bytes));
  const sets = [load(rAddr), load(wAddr), load(eAddr)];
  const isSet = (set: Uint8Array | null, fd: number): boolean => set !== null && (set[fd >> 3] & (1 << (fd & 7))) !== 0;
  const files: OpenFile[] = [];
  for (let fd = 0; fd < nfds; fd++) {
    if (!sets.some((s) => isSet(s, fd))) continue;
    const f = c.p.fds.get(fd);
    if (!f) return -EBADF;
    files.push(f);
  }
  const attempt = (): number | typeof BLOCKED => {
    const outs = [new Uint8Array(bytes), new Uint8Array(bytes), new Uint8Array(bytes)];
    const want = [SELECT_IN, SELECT_OUT, SELECT_EX];
    let ready = 0;
    for (let fd = 0; fd < nfds; fd++) {
      if (!sets.some((s) => isSet(s, fd))) continue;
      const f = c.p.fds.get(fd);
      if (!f) return -EBADF;
      const r = f.pollEvents();
      for (let k = 0; k < 3; k++) {
        if (isSet(sets[k], fd) && (r & want[k]) !== 0) {
          outs[k][fd >> 3] |= 1 << (fd & 7);
          ready++;
        }
      }
    }
    if (ready === 0 && (deadline === undefined || c.sys.now() < deadline)) return BLOCKED;
    [rAddr, wAddr, eAddr].forEach((a, k) => {
      if (a !== 0 && bytes > 0) c.user.write(a, outs[k]);
    });
    done();
    return ready;
  };
  return c.block(faultSafe(attempt), { deadline: earliest(deadline, files), interruptResult: -EINTR, cancel: done });
}

// Rows of syscall-table.ts name these handlers.
export { ppoll, pselect6 };
