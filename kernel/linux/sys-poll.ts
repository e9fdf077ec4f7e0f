// Waiting on descriptors: ppoll and pselect6.

import { BLOCKED } from '../sched/thread';
import type { OpenFile } from '../vfs/open-file';
import { PipeEnd } from '../vfs/pipe';
import { UnixSocket } from '../vfs/unix-socket';
import { EINVAL } from './errno';
import { SigSet } from './sigset';
import type { Call, Syscall, SyscallResult } from './syscall-context';

const POLLIN = 1;
const POLLOUT = 4;
const POLLERR = 8;
const POLLHUP = 0x10;
const POLLNVAL = 0x20;
const POLLRDHUP = 0x2000;
const EINTR = 4;

function revents(f: OpenFile | undefined, events: number): number {
  if (!f) return POLLNVAL;
  let r = 0;
  if ((events & POLLIN) !== 0 && f.pollIn()) r |= POLLIN;
  if ((events & POLLOUT) !== 0 && f.pollOut()) r |= POLLOUT;
  if ((f instanceof PipeEnd || f instanceof UnixSocket) && f.hungUp) r |= f instanceof PipeEnd && f.isWriteEnd ? POLLERR : POLLHUP;
  return r | (f.pollStatus() & (POLLERR | POLLHUP | (events & POLLRDHUP)));
}

/** The wait's deadline: the timeout's, or sooner when time alone makes a file ready (a timerfd). */
function earliest(deadline: number | undefined, files: readonly OpenFile[]): number | undefined {
  let d = deadline;
  for (const f of files) {
    const at = f.readyAt();
    if (at !== undefined && (d === undefined || at < d)) d = at;
  }
  return d;
}

/** Swaps in a temporary signal mask for the wait (restored when the thread next returns to user mode). */
function useMask(c: Call, addr: number): void {
  if (addr === 0) return;
  c.t.savedMask = c.t.sigmask;
  c.t.sigmask = SigSet.fromBytes(c.user.read(addr, 8)).blockable();
}

const ppoll: Syscall = (c) => {
  const [fdsAddr, nfds, tmo, maskAddr] = c.a;
  if (nfds < 0 || nfds > 1024) return -EINVAL;
  const timeout = c.timespecMs(tmo);
  useMask(c, maskAddr);
  return pollFds(c, fdsAddr, nfds, timeout);
};

/** Waits on an array of struct pollfd; timeout in ms, null for none. */
export function pollFds(c: Call, fdsAddr: number, nfds: number, timeout: number | null): SyscallResult {
  if (nfds < 0 || nfds > 1024) return -EINVAL;
  const deadline = timeout === null ? undefined : c.sys.now() + timeout;
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
      const r = fd < 0 ? 0 : revents(c.p.fds.get(fd), v.getInt16(8 * i + 4, true));
      v.setInt16(8 * i + 6, r, true);
      if (r !== 0) ready++;
    }
    if (ready === 0 && (deadline === undefined || c.sys.now() < deadline)) return BLOCKED;
    c.user.write(fdsAddr, raw);
    return ready;
  };
  return c.block(attempt, { deadline: earliest(deadline, files), interruptResult: -EINTR });
}

const pselect6: Syscall = (c) => {
  const [nfds, rAddr, wAddr, eAddr, tmo, sigArg] = c.a;
  if (nfds < 0 || nfds > 1024) return -EINVAL;
  const timeout = c.timespecMs(tmo);
  if (sigArg !== 0) useMask(c, c.words(sigArg, 1)[0]);
  return selectFds(c, nfds, rAddr, wAddr, eAddr, timeout);
};

/** Waits on fd_set bitmaps; timeout in ms, null for none. */
export function selectFds(c: Call, nfds: number, rAddr: number, wAddr: number, eAddr: number, timeout: number | null): SyscallResult {
  if (nfds < 0 || nfds > 1024) return -EINVAL;
  const bytes = Math.ceil(nfds / 64) * 8;
  const load = (a: number): Uint8Array | null => (a === 0 ? null : c.user.read(a, bytes));
  const rIn = load(rAddr);
  const wIn = load(wAddr);
  const deadline = timeout === null ? undefined : c.sys.now() + timeout;
  const isSet = (set: Uint8Array | null, fd: number): boolean => set !== null && (set[fd >> 3] & (1 << (fd & 7))) !== 0;
  const files: OpenFile[] = [];
  for (let fd = 0; fd < nfds; fd++) {
    const f = isSet(rIn, fd) ? c.p.fds.get(fd) : undefined;
    if (f) files.push(f);
  }
  const attempt = (): number | typeof BLOCKED => {
    const rOut = new Uint8Array(bytes);
    const wOut = new Uint8Array(bytes);
    let ready = 0;
    for (let fd = 0; fd < nfds; fd++) {
      const wantR = isSet(rIn, fd);
      const wantW = isSet(wIn, fd);
      if (!wantR && !wantW) continue;
      const f = c.p.fds.get(fd);
      if (!f) return -9;
      const r = revents(f, (wantR ? POLLIN : 0) | (wantW ? POLLOUT : 0));
      if (wantR && (r & (POLLIN | POLLHUP | POLLERR)) !== 0) {
        rOut[fd >> 3] |= 1 << (fd & 7);
        ready++;
      }
      if (wantW && (r & (POLLOUT | POLLERR)) !== 0) {
        wOut[fd >> 3] |= 1 << (fd & 7);
        ready++;
      }
    }
    if (ready === 0 && (deadline === undefined || c.sys.now() < deadline)) return BLOCKED;
    if (rAddr !== 0) c.user.write(rAddr, rOut);
    if (wAddr !== 0) c.user.write(wAddr, wOut);
    if (eAddr !== 0) c.user.write(eAddr, new Uint8Array(bytes));
    return ready;
  };
  return c.block(attempt, { deadline: earliest(deadline, files), interruptResult: -EINTR });
}

// Rows of syscall-table.ts name these handlers.
export { ppoll, pselect6 };
