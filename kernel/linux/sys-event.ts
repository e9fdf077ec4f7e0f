// Descriptors that are not files: eventfd2 and timerfd_create/settime/gettime
// (signalfd and rt_sigtimedwait are in sys-sigwait.ts).

import { EFD_SEMAPHORE, EventFd } from '../vfs/eventfd';
import { O_CLOEXEC, O_NONBLOCK } from '../vfs/open-file';
import { TimerFd } from '../vfs/timerfd';
import { EBADF, EINVAL } from './errno';
import { timespec, type Call, type Syscall } from './syscall-context';
import { fileOf } from './sys-io';
import { clockMs } from './sys-time';
import { readTimespec } from './wait-args';
import { clockSets } from './wall-clock';

const TFD_TIMER_ABSTIME = 1;

const eventfd2: Syscall = (c) => {
  const flags = c.int(1);
  if ((flags & ~(O_CLOEXEC | O_NONBLOCK | EFD_SEMAPHORE)) !== 0) return -EINVAL;
  return c.p.fds.add(new EventFd(c.u32(0), (flags & EFD_SEMAPHORE) !== 0, flags & O_NONBLOCK), (flags & O_CLOEXEC) !== 0);
};

const timerfdCreate: Syscall = (c) => {
  const clock = c.int(0);
  const flags = c.int(1);
  if (![0, 1, 7, 8, 9].includes(clock) || (flags & ~(O_CLOEXEC | O_NONBLOCK)) !== 0) return -EINVAL;
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

const TFD_TIMER_CANCEL_ON_SET = 2;

/** timerfd_settime(fd, flags, new, old): the new setting is read and checked before the descriptor. */
const timerfdSettime: Syscall = (c) => {
  c.user.read(c.a[2], 32);
  const interval = readTimespec(c, c.a[2])!;
  const value = readTimespec(c, c.a[2] + 16)!;
  const flags = c.int(1);
  if ((flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) !== 0 || interval < 0 || value < 0) return -EINVAL;
  const t = timerOf(c);
  if (typeof t === 'number') return t;
  const abs = (flags & TFD_TIMER_ABSTIME) !== 0;
  const at = value === 0 ? 0 : abs ? c.sys.now() + Math.max(0, value - clockMs(c.sys, t.clock)) : c.sys.now() + value;
  // CANCEL_ON_SET on an absolute realtime timer: a later clock_settime cancels it.
  const sets = clockSets(c.sys);
  const watch = abs && (flags & TFD_TIMER_CANCEL_ON_SET) !== 0 && (t.clock === 0 || t.clock === 8) ? () => clockSets(c.sys) !== sets : undefined;
  const old = t.set(at, interval, watch);
  if (c.a[3] !== 0) c.user.write(c.a[3], itimerspec(old));
  return 0;
};

const timerfdGettime: Syscall = (c) => {
  const t = timerOf(c);
  if (typeof t === 'number') return t;
  c.user.write(c.a[1], itimerspec(t.get()));
  return 0;
};

// Rows of syscall-table.ts name these handlers.
export { eventfd2, timerfdCreate, timerfdSettime, timerfdGettime };
