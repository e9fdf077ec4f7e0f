// POSIX timers and itimers: timer_create, timer_settime, timer_gettime,
// timer_getoverrun, timer_delete, getitimer, setitimer and alarm, on the
// model of interval-timers.ts.

import { CLOCK_BOOTTIME_ALARM, CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_ALARM, CLOCK_REALTIME_COARSE, decodeClock, readClock, type Clock } from './clocks';
import { EAGAIN, EFAULT, EINVAL } from './errno';
import { deletePosixTimer, IntervalTimer, ITIMER_PROF, ITIMER_REAL, ITIMER_VIRTUAL, timersOf, type Notify } from './interval-timers';
import { NSIG } from './signal-state';
import { encodeU64s, timespec, type Call, type Syscall } from './syscall-context';
import { readTimespec } from './wait-args';
import { chargeTimer } from './signal-charges';

const EOPNOTSUPP = 95;
const SIGEV_SIGNAL = 0;
const SIGEV_NONE = 1;
const SIGEV_THREAD = 2;
const SIGEV_THREAD_ID = 4;
const SIGALRM = 14;
const TIMER_ABSTIME = 1;
const TWO32 = 4294967296;
/** ITIMER_VIRTUAL and ITIMER_PROF expire one tick (250 Hz) after the time asked, as Linux's do. */
const CPU_ITIMER_SLACK_MS = 4;

/** struct sigevent: what the timer's expiry does; -EINVAL for a bad notification, signal or thread. */
function readSigevent(c: Call, addr: number, id: number): { notify: Notify; value: number } | number {
  if (addr === 0) return { notify: { kind: 'process', signo: SIGALRM }, value: id };
  const v = new DataView(c.user.read(addr, 20).buffer);
  const value = v.getUint32(4, true) * TWO32 + v.getUint32(0, true);
  const signo = v.getInt32(8, true);
  const how = v.getInt32(12, true);
  const badSignal = signo <= 0 || signo > NSIG;
  switch (how) {
    case SIGEV_NONE:
      return { notify: { kind: 'none' }, value };
    case SIGEV_SIGNAL:
    case SIGEV_THREAD:
      return badSignal ? -EINVAL : { notify: { kind: 'process', signo }, value };
    case SIGEV_SIGNAL | SIGEV_THREAD_ID: {
      const thread = c.sys.threads.get(v.getInt32(16, true));
      if (!thread || thread.proc !== c.p || badSignal) return -EINVAL;
      return { notify: { kind: 'thread', signo, thread }, value };
    }
    default:
      return -EINVAL;
  }
}

const timerCreate: Syscall = (c) => {
  const id = c.int(0);
  const table = timersOf(c.p);
  const clock = decodeClock(c.sys, c.t, id);
  if (typeof clock === 'number') return id === CLOCK_REALTIME_ALARM || id === CLOCK_BOOTTIME_ALARM ? -EOPNOTSUPP : clock;
  if (id === CLOCK_MONOTONIC_RAW || id === CLOCK_REALTIME_COARSE || id === CLOCK_MONOTONIC_COARSE) return -EOPNOTSUPP;
  // The timer's signal queue entry, held while it lives: EAGAIN past RLIMIT_SIGPENDING (or guest memory), as Linux's alloc_posix_timer.
  const charge = chargeTimer(c.sys, c.p);
  if (!charge) return -EAGAIN;
  // As Linux, the id is taken before the sigevent is checked (a refused one still used it up).
  const timerId = table.freeId();
  let ev: ReturnType<typeof readSigevent>;
  try {
    ev = readSigevent(c, c.a[1], timerId);
    if (typeof ev !== 'number') {
      const idBytes = new Uint8Array(4);
      new DataView(idBytes.buffer).setInt32(0, timerId, true);
      c.user.write(c.a[2], idBytes);
    }
  } catch (e) {
    charge.release();
    throw e;
  }
  if (typeof ev === 'number') {
    charge.release();
    return ev;
  }
  table.posix.set(timerId, new IntervalTimer(clock, ev.notify, { id: timerId, value: ev.value }));
  table.charges.set(timerId, charge);
  return 0;
};

function timerOf(c: Call): IntervalTimer | undefined {
  return timersOf(c.p).posix.get(c.int(0));
}

/** struct itimerspec {interval, value}. */
function itimerspec(interval: number, value: number): Uint8Array {
  const out = new Uint8Array(32);
  out.set(timespec(interval), 0);
  out.set(timespec(value), 16);
  return out;
}

/** Reads a struct itimerspec: [interval, value] in ms, or -EINVAL / a fault. */
function readItimerspec(c: Call, addr: number): [number, number] | number {
  c.user.read(addr, 32);
  const interval = readTimespec(c, addr)!;
  const value = readTimespec(c, addr + 16)!;
  return interval < 0 || value < 0 ? -EINVAL : [interval, value];
}

/** Arms a timer from a relative or absolute value on its clock. */
function armAt(c: Call, timer: IntervalTimer, clock: Clock, value: number, interval: number, absolute: boolean): void {
  if (value === 0) timer.arm(0, 0);
  else timer.arm(absolute ? value : readClock(c.sys, clock) + value, interval);
}

const timerSettime: Syscall = (c) => {
  if (c.a[2] === 0) return -EINVAL;
  const spec = readItimerspec(c, c.a[2]);
  if (typeof spec === 'number') return spec;
  const timer = timerOf(c);
  if (!timer) return -EINVAL;
  const old = itimerspec(timer.interval, timer.remaining(c.sys));
  armAt(c, timer, timer.clock, spec[1], spec[0], (c.int(1) & TIMER_ABSTIME) !== 0);
  if (timer.armed) timersOf(c.p).armedPosix.add(timer);
  if (c.a[3] !== 0) c.user.write(c.a[3], old);
  return 0;
};

const timerGettime: Syscall = (c) => {
  const timer = timerOf(c);
  if (!timer) return -EINVAL;
  if (c.a[1] === 0) return -EFAULT;
  c.user.write(c.a[1], itimerspec(timer.interval, timer.remaining(c.sys)));
  return 0;
};

const timerGetoverrun: Syscall = (c) => {
  const timer = timerOf(c);
  return timer ? timer.lastOverrun : -EINVAL;
};

const timerDelete: Syscall = (c) => (deletePosixTimer(timersOf(c.p), c.int(0)) ? 0 : -EINVAL);

const ITIMER_SIGNALS = [SIGALRM, 26, 27];

/** The itimer `which` names, made on first use; undefined for a bad which. */
function itimer(c: Call, which: number): IntervalTimer | undefined {
  if (which !== ITIMER_REAL && which !== ITIMER_VIRTUAL && which !== ITIMER_PROF) return undefined;
  const table = timersOf(c.p);
  const clock: Clock = which === ITIMER_REAL ? { kind: 'mono' } : { kind: 'process-cpu', proc: c.p };
  return (table.itimers[which] ??= new IntervalTimer(clock, { kind: 'process', signo: ITIMER_SIGNALS[which] }));
}

/** struct itimerval {interval, value} as microsecond timevals; an armed timer shows at least 1 us left. */
function itimerval(timer: IntervalTimer, sys: Call['sys']): Uint8Array {
  const tv = (ms: number): number[] => {
    const us = Math.ceil(Math.round(ms * 1e6) / 1e3);
    return [Math.floor(us / 1e6), us % 1e6];
  };
  const left = timer.armed ? Math.max(1e-3, timer.remaining(sys)) : 0;
  return encodeU64s([...tv(timer.interval), ...tv(left)]);
}

const getitimer: Syscall = (c) => {
  const timer = itimer(c, c.int(0));
  if (!timer) return -EINVAL;
  c.user.write(c.a[1], itimerval(timer, c.sys));
  return 0;
};

/** Reads a struct itimerval: [interval, value] in ms, or -EINVAL. */
function readItimerval(c: Call, addr: number): [number, number] | number {
  const [is, ius, vs, vus] = c.words(addr, 4);
  if ([is, vs].some((s) => s >= 2 ** 63) || ius >= 1e6 || vus >= 1e6) return -EINVAL;
  return [is * 1000 + ius / 1000, vs * 1000 + vus / 1000];
}

/** Sets an itimer; answers its old setting. */
function setItimer(c: Call, which: number, timer: IntervalTimer, interval: number, value: number): Uint8Array {
  const old = itimerval(timer, c.sys);
  const slack = which === ITIMER_REAL ? 0 : CPU_ITIMER_SLACK_MS;
  timer.arm(value === 0 ? 0 : readClock(c.sys, timer.clock) + value + slack, interval);
  return old;
}

const setitimer: Syscall = (c) => {
  const which = c.int(0);
  const timer = itimer(c, which);
  if (!timer) return -EINVAL;
  let old: Uint8Array;
  if (c.a[1] !== 0) {
    const spec = readItimerval(c, c.a[1]);
    if (typeof spec === 'number') return spec;
    old = setItimer(c, which, timer, spec[0], spec[1]);
  } else {
    // A NULL new value disarms the timer, as Linux has long accepted.
    old = setItimer(c, which, timer, 0, 0);
  }
  if (c.a[2] !== 0) c.user.write(c.a[2], old);
  return 0;
};

/** alarm(seconds): ITIMER_REAL without an interval; answers the seconds left of the previous one (rounded, at least 1). */
const alarm: Syscall = (c) => {
  const timer = itimer(c, ITIMER_REAL)!;
  const left = timer.armed ? timer.remaining(c.sys) : 0;
  const seconds = c.u32(0);
  timer.arm(seconds > 0 ? readClock(c.sys, timer.clock) + seconds * 1000 : 0, 0);
  return left > 0 ? Math.max(1, Math.round(left / 1000)) : 0;
};

// Rows of syscall-table.ts name these handlers.
export { timerCreate, timerSettime, timerGettime, timerGetoverrun, timerDelete, getitimer, setitimer, alarm };
