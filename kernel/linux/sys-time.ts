// Time and sleeping: clock_gettime, clock_getres, clock_nanosleep, nanosleep,
// gettimeofday, getrandom.

import { hostRandomBytes } from '../host-random';
import { BLOCKED } from '../sched/thread';
import { UserFault } from '../process/user-memory';
import { CLOCK_REALTIME, CLOCK_REALTIME_ALARM, CLOCK_REALTIME_COARSE, CLOCK_TAI, CLOCK_THREAD_CPUTIME_ID, decodeClock, processCpuMs, readClock, resolutionNs, UPTIME_AT_START, type Clock } from './clocks';
import { EFAULT, EINTR, EINVAL } from './errno';
import type { LinuxSystem } from './linux-system';
import { timeOffsetMs } from './namespaces';
import { encodeU64s, timespec, type Call, type Syscall } from './syscall-context';
import { readTimespec } from './wait-args';

const TIMER_ABSTIME = 1;
const EOPNOTSUPP = 95;

/** Milliseconds on a static clock id, as the calling process reads it: wall time for the realtime clocks, the kernel's monotonic time for the others. */
export function clockMs(sys: LinuxSystem, clock: number): number {
  if (clock === CLOCK_REALTIME || clock === CLOCK_REALTIME_COARSE || clock === CLOCK_REALTIME_ALARM || clock === CLOCK_TAI) return sys.wallNow();
  // In a syscall, the caller's time namespace offsets its monotonic and boot-time clocks.
  return sys.now() + UPTIME_AT_START + timeOffsetMs(sys, sys.currentProcess, clock);
}

/** A clock deadline (ms on that clock) as a kernel-time deadline. */
export function kernelDeadline(sys: LinuxSystem, clock: number, ms: number): number {
  return sys.now() + (ms - clockMs(sys, clock));
}

const clockGettime: Syscall = (c) => {
  const clock = decodeClock(c.sys, c.t, c.int(0));
  if (typeof clock === 'number') return clock;
  c.user.write(c.a[1], timespec(readClock(c.sys, clock)));
  return 0;
};

const clockGetres: Syscall = (c) => {
  const clock = decodeClock(c.sys, c.t, c.int(0));
  if (typeof clock === 'number') return clock;
  if (c.a[1] !== 0) c.user.write(c.a[1], encodeU64s([0, resolutionNs(c.int(0))]));
  return 0;
};

/**
 * Sleeps until the kernel-time deadline. A signal ends the sleep with EINTR,
 * the time left written to remainAddr (EFAULT when that cannot be written).
 */
function sleepUntil(c: Call, deadline: number, remainAddr: number): number | typeof BLOCKED {
  const retry = (): number | typeof BLOCKED => (c.sys.now() >= deadline ? 0 : BLOCKED);
  if (retry() !== BLOCKED) return 0;
  const sys = c.sys;
  const user = c.user;
  c.t.block({
    retry,
    deadline,
    interruptible: true,
    // Read once, when a signal ends the sleep: the time left goes to user memory then.
    get interruptResult(): number {
      if (remainAddr === 0) return -EINTR;
      try {
        user.write(remainAddr, timespec(Math.max(0, deadline - sys.now())));
        return -EINTR;
      } catch (e) {
        if (!(e instanceof UserFault)) throw e;
        return -EFAULT;
      }
    },
  });
  return BLOCKED;
}

const nanosleep: Syscall = (c) => {
  const ms = readTimespec(c, c.a[0]);
  if (ms === null) return -EFAULT;
  if (ms < 0) return ms;
  return sleepUntil(c, c.sys.now() + ms, c.a[1]);
};

const clockNanosleep: Syscall = (c) => {
  const id = c.int(0);
  const clock = decodeClock(c.sys, c.t, id);
  if (typeof clock === 'number') return clock;
  if (clock.kind === 'thread-cpu') return id === CLOCK_THREAD_CPUTIME_ID ? -EOPNOTSUPP : -EINVAL;
  const ms = readTimespec(c, c.a[2]);
  if (ms === null) return -EFAULT;
  if (ms < 0) return ms;
  const abs = (c.int(1) & TIMER_ABSTIME) !== 0;
  if (clock.kind === 'process-cpu') return cpuSleep(c, clock, abs ? ms : readClock(c.sys, clock) + ms, abs ? 0 : c.a[3]);
  const now = readClock(c.sys, clock);
  return sleepUntil(c, c.sys.now() + (abs ? ms - now : ms), abs ? 0 : c.a[3]);
};

/** Sleeping on a process's CPU clock: until its threads have run that long. */
function cpuSleep(c: Call, clock: Clock, until: number, remainAddr: number): number | typeof BLOCKED {
  const retry = (): number | typeof BLOCKED => (readClock(c.sys, clock) >= until ? 0 : BLOCKED);
  const r = c.block(retry, {
    interruptResult: -EINTR,
    cancel: () => {
      if (remainAddr === 0) return;
      try {
        c.user.write(remainAddr, timespec(Math.max(0, until - readClock(c.sys, clock))));
      } catch {
        // the result stays EINTR
      }
    },
  });
  return r as number | typeof BLOCKED;
}

const gettimeofday: Syscall = (c) => {
  if (c.a[0] !== 0) {
    const ms = c.sys.wallNow();
    c.user.write(c.a[0], encodeU64s([Math.floor(ms / 1000), (ms % 1000) * 1000]));
  }
  if (c.a[1] !== 0) c.user.write(c.a[1], new Uint8Array(8));
  return 0;
};

const GRND_FLAGS = 0x7; // GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE

const getrandom: Syscall = (c) => {
  if ((c.a[2] & ~GRND_FLAGS) !== 0 || c.a[2] < 0) return -EINVAL;
  // A count past 2^63 (negative here) is clamped like any huge one.
  const n = c.a[1] < 0 ? 1 << 20 : Math.min(c.a[1], 1 << 20);
  if (!c.user.accessOk(c.a[0], n)) return -EFAULT;
  // Bytes up to a fault count, as Linux's copy loop returns them; none at all is EFAULT.
  const written = c.user.writePrefix(c.a[0], hostRandomBytes(n));
  return written === 0 && n > 0 ? -EFAULT : written;
};

// Rows of syscall-table.ts name these handlers.
export { clockGettime, clockGetres, clockNanosleep, nanosleep, gettimeofday, getrandom };
