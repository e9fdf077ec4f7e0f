// Descriptors that are not files: eventfd2, timerfd_create/settime/gettime,
// and rt_sigtimedwait.

import { BLOCKED } from '../sched/thread';
import { EFD_SEMAPHORE, EventFd } from '../vfs/eventfd';
import { O_CLOEXEC, O_NONBLOCK } from '../vfs/open-file';
import { TimerFd } from '../vfs/timerfd';
import { EAGAIN, EBADF, EINVAL } from './errno';
import { encodeSiginfo } from './signal-frame';
import { SigSet } from './sigset';
import { timespec, type Call, type Syscall } from './syscall-context';
import { fileOf } from './sys-io';
import { clockMs } from './sys-time';

const EINTR = 4;
const TFD_TIMER_ABSTIME = 1;

const eventfd2: Syscall = (c) => {
  const flags = c.int(1);
  if ((flags & ~(O_CLOEXEC | O_NONBLOCK | EFD_SEMAPHORE)) !== 0) return -EINVAL;
  return c.p.fds.add(new EventFd(c.u32(0), (flags & EFD_SEMAPHORE) !== 0, flags & O_NONBLOCK), (flags & O_CLOEXEC) !== 0);
};

const timerfdCreate: Syscall = (c) => {
  const clock = c.int(0);
  const flags = c.int(1);
  if (![0, 1, 7].includes(clock) || (flags & ~(O_CLOEXEC | O_NONBLOCK)) !== 0) return -EINVAL;
  return c.p.fds.add(new TimerFd(clock, flags & O_NONBLOCK, () => c.sys.now()), (flags & O_CLOEXEC) !== 0);
};

function timerOf(c: Call): TimerFd | number {
  const f = fileOf(c, 0);
  return !f ? -EBADF : f instanceof TimerFd ? f : -EINVAL;
}

function itimerspec(s: { remaining: number; interval: number }): Uint8Array {
  const out = new Uint8Array(32);
  out.set(timespec(s.interval), 0);
  out.set(timespec(s.remaining), 16);
  return out;
}

const timerfdSettime: Syscall = (c) => {
  const t = timerOf(c);
  if (typeof t === 'number') return t;
  const interval = c.timespecMs(c.a[2])!;
  const value = c.timespecMs(c.a[2] + 16)!;
  if (interval < 0 || value < 0) return -EINVAL;
  const abs = (c.int(1) & TFD_TIMER_ABSTIME) !== 0;
  const at = value === 0 ? 0 : abs ? c.sys.now() + Math.max(0, value - clockMs(c.sys, t.clock)) : c.sys.now() + value;
  const old = t.set(at, interval);
  if (c.a[3] !== 0) c.user.write(c.a[3], itimerspec(old));
  return 0;
};

const timerfdGettime: Syscall = (c) => {
  const t = timerOf(c);
  if (typeof t === 'number') return t;
  c.user.write(c.a[1], itimerspec(t.get()));
  return 0;
};

const rtSigtimedwait: Syscall = (c) => {
  if (c.a[3] !== 8) return -EINVAL;
  const wanted = SigSet.fromBytes(c.user.read(c.a[0], 8)).blockable();
  const notWanted = new SigSet(0xffffffff, 0xffffffff).minus(wanted);
  const timeout = c.timespecMs(c.a[2]);
  const deadline = timeout === null ? undefined : c.sys.now() + timeout;
  const t = c.t;
  return c.block(
    () => {
      const info = t.pending.take(notWanted) ?? t.proc.pending.take(notWanted);
      if (info) {
        if (c.a[1] !== 0) c.user.write(c.a[1], encodeSiginfo(info));
        return info.signo;
      }
      return deadline !== undefined && c.sys.now() >= deadline ? -EAGAIN : BLOCKED;
    },
    { deadline, interruptResult: -EINTR },
  );
};

// Rows of syscall-table.ts name these handlers.
export { eventfd2, timerfdCreate, timerfdSettime, timerfdGettime, rtSigtimedwait };
