// Time and sleeping: clock_gettime, clock_getres, clock_nanosleep, nanosleep,
// gettimeofday, getrandom.

import { randomFillSync } from 'node:crypto';
import { BLOCKED } from '../sched/thread';
import { EINVAL } from './errno';
import type { LinuxSystem } from './linux-system';
import { encodeU64s, timespec, type Call, type Syscall } from './syscall-context';

const CLOCK_REALTIME = 0;
const TIMER_ABSTIME = 1;
const EINTR = 4;

/** Milliseconds on the clock: wall time for the realtime clocks, the kernel's monotonic time for the others. */
export function clockMs(sys: LinuxSystem, clock: number): number {
  return clock === CLOCK_REALTIME || clock === 5 || clock === 8 ? sys.wallNow() : sys.now() + UPTIME_AT_START;
}
/** The monotonic clocks read as if the machine had been up this long (ms) when salty started. */
const UPTIME_AT_START = 1_000_000;

/** A clock deadline (ms on that clock) as a kernel-time deadline. */
export function kernelDeadline(sys: LinuxSystem, clock: number, ms: number): number {
  return sys.now() + (ms - clockMs(sys, clock));
}

const clockGettime: Syscall = (c) => {
  const clock = c.int(0);
  if (clock < 0 || clock > 11) return -EINVAL;
  c.user.write(c.a[1], timespec(clockMs(c.sys, clock)));
  return 0;
};

const clockGetres: Syscall = (c) => {
  if (c.a[1] !== 0) c.user.write(c.a[1], encodeU64s([0, 1]));
  return 0;
};

function sleepUntil(c: Call, deadline: number, remainAddr: number): number | typeof BLOCKED {
  const retry = (): number | typeof BLOCKED => (c.sys.now() >= deadline ? 0 : BLOCKED);
  const r = c.block(retry, {
    deadline,
    interruptResult: -EINTR,
    cancel: () => {
      if (remainAddr !== 0) c.user.write(remainAddr, timespec(Math.max(0, deadline - c.sys.now())));
    },
  });
  return r as number | typeof BLOCKED;
}

const nanosleep: Syscall = (c) => {
  const ms = c.timespecMs(c.a[0]);
  if (ms === null || ms < 0) return -EINVAL;
  return sleepUntil(c, c.sys.now() + ms, c.a[1]);
};

const clockNanosleep: Syscall = (c) => {
  const clock = c.int(0);
  const ms = c.timespecMs(c.a[2]);
  if (ms === null || ms < 0) return -EINVAL;
  const abs = (c.int(1) & TIMER_ABSTIME) !== 0;
  return sleepUntil(c, abs ? kernelDeadline(c.sys, clock, ms) : c.sys.now() + ms, abs ? 0 : c.a[3]);
};

const gettimeofday: Syscall = (c) => {
  if (c.a[0] !== 0) {
    const ms = c.sys.wallNow();
    c.user.write(c.a[0], encodeU64s([Math.floor(ms / 1000), (ms % 1000) * 1000]));
  }
  if (c.a[1] !== 0) c.user.write(c.a[1], new Uint8Array(8));
  return 0;
};

const getrandom: Syscall = (c) => {
  const n = Math.min(c.a[1], 1 << 20);
  c.user.write(c.a[0], randomFillSync(new Uint8Array(n)));
  return n;
};

/** struct itimerval {interval, value} of ITIMER_REAL, as microsecond timevals. */
function itimerval(intervalMs: number, valueMs: number): Uint8Array {
  const tv = (ms: number): number[] => [Math.floor(ms / 1000), Math.floor((ms % 1000) * 1000)];
  return encodeU64s([...tv(intervalMs), ...tv(valueMs)]);
}

const getitimer: Syscall = (c) => {
  if (c.int(0) !== 0) return c.int(0) > 2 || c.int(0) < 0 ? -EINVAL : (c.user.write(c.a[1], new Uint8Array(32)), 0);
  const p = c.p;
  c.user.write(c.a[1], itimerval(p.alarmInterval, p.alarmAt === 0 ? 0 : Math.max(1e-3, p.alarmAt - c.sys.now())));
  return 0;
};

const setitimer: Syscall = (c) => {
  const which = c.int(0);
  if (which < 0 || which > 2) return -EINVAL;
  if (which !== 0) return 0; // ITIMER_VIRTUAL and ITIMER_PROF: never fire here
  const p = c.p;
  if (c.a[2] !== 0) c.user.write(c.a[2], itimerval(p.alarmInterval, p.alarmAt === 0 ? 0 : Math.max(1e-3, p.alarmAt - c.sys.now())));
  if (c.a[1] !== 0) {
    const [is, ius, vs, vus] = c.words(c.a[1], 4);
    const value = vs * 1000 + vus / 1000;
    p.alarmInterval = is * 1000 + ius / 1000;
    p.alarmAt = value > 0 ? c.sys.now() + value : 0;
  }
  return 0;
};

// Rows of syscall-table.ts name these handlers.
export { clockGettime, clockGetres, clockNanosleep, nanosleep, gettimeofday, getrandom, getitimer, setitimer };
