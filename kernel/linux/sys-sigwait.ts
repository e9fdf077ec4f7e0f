// Taking pending signals without a handler: rt_sigtimedwait (sigwaitinfo and
// sigtimedwait in libc) and signalfd4 (and x86_64's signalfd).

import { BLOCKED } from '../sched/thread';
import { O_CLOEXEC, O_NONBLOCK } from '../vfs/open-file';
import { EAGAIN, EBADF, EINTR, EINVAL } from './errno';
import { encodeSiginfo } from './signal-frame';
import { SignalFd } from './signal-fd';
import { SigSet } from './sigset';
import { Call, type Syscall } from './syscall-context';
import { faultSafe, readTimespec } from './wait-args';

/**
 * rt_sigtimedwait(set, info, timeout, sigsetsize): takes a pending signal of
 * set (blocked or not), waiting up to timeout; EAGAIN when it passes, EINTR
 * when another signal's handler runs first.
 */
const rtSigtimedwait: Syscall = (c) => {
  if (c.a[3] !== 8) return -EINVAL;
  const wanted = SigSet.fromBytes(c.user.read(c.a[0], 8)).blockable();
  const timeout = readTimespec(c, c.a[2]);
  if (timeout !== null && timeout < 0) return timeout;
  const notWanted = new SigSet(0xffffffff, 0xffffffff).minus(wanted);
  const deadline = timeout === null ? undefined : c.sys.now() + timeout;
  const t = c.t;
  const infoAddr = c.a[1];
  const attempt = (): number | typeof BLOCKED => {
    const info = t.pending.take(notWanted) ?? t.proc.pending.take(notWanted);
    if (info) {
      if (infoAddr !== 0) c.user.write(infoAddr, encodeSiginfo(info));
      return info.signo;
    }
    return deadline !== undefined && c.sys.now() >= deadline ? -EAGAIN : BLOCKED;
  };
  return c.block(faultSafe(attempt), { deadline, interruptResult: -EINTR });
};

const SFD_FLAGS = O_CLOEXEC | O_NONBLOCK;

/** signalfd4(fd, mask, sizemask, flags): a new signalfd (fd -1), or a new mask for an existing one. */
const signalfd4: Syscall = (c) => {
  const flags = c.int(3);
  if (c.a[2] !== 8 || (flags & ~SFD_FLAGS) !== 0) return -EINVAL;
  const mask = SigSet.fromBytes(c.user.read(c.a[1], 8)).blockable();
  const fd = c.int(0);
  if (fd === -1) return c.p.fds.add(new SignalFd(c.p, mask, flags & O_NONBLOCK), (flags & O_CLOEXEC) !== 0);
  const f = c.p.fds.get(fd);
  if (!f) return -EBADF;
  if (!(f instanceof SignalFd)) return -EINVAL;
  f.mask = mask;
  return fd;
};

/** x86_64's signalfd: signalfd4 without flags. */
const signalfd: Syscall = (c) => signalfd4(new Call(c.sys, c.t, [c.a[0], c.a[1], c.a[2], 0, 0, 0]));

// Rows of syscall-table.ts name these handlers.
export { rtSigtimedwait, signalfd4, signalfd };
