// The clocks a clockid_t names, and what each reads, in milliseconds:
// - the realtime family (REALTIME, REALTIME_COARSE, TAI): the host's wall
//   clock at boot advanced by kernel time;
// - the monotonic family (MONOTONIC, MONOTONIC_RAW, MONOTONIC_COARSE,
//   BOOTTIME): kernel time (the generic timer's counter: retired instructions,
//   or the host's clock under --wall-clock) plus a fixed uptime at start;
// - CPU clocks: the time a thread spent in user mode (counted by the run
//   loop), summed over the threads of a process for the process clocks.
// Negative ids are Linux's CPU clocks of another process or thread:
// ((~pid) << 3) | type, type 0 PROF, 1 VIRT, 2 SCHED, bit 2 for a thread.
// The ALARM clocks need a wake-up RTC that this machine (like the host salty
// was measured on) does not offer: they answer EINVAL.

import { processUsage, threadUsage } from './process-usage';
import { EINVAL } from './errno';
import type { LinuxProcess } from './linux-process';
import type { LinuxSystem } from './linux-system';
import type { LinuxThread } from './linux-thread';
import { timeOffsetMs } from './namespaces';

export const CLOCK_REALTIME = 0;
export const CLOCK_MONOTONIC = 1;
export const CLOCK_PROCESS_CPUTIME_ID = 2;
export const CLOCK_THREAD_CPUTIME_ID = 3;
export const CLOCK_MONOTONIC_RAW = 4;
export const CLOCK_REALTIME_COARSE = 5;
export const CLOCK_MONOTONIC_COARSE = 6;
export const CLOCK_BOOTTIME = 7;
export const CLOCK_REALTIME_ALARM = 8;
export const CLOCK_BOOTTIME_ALARM = 9;
export const CLOCK_TAI = 11;

/** The monotonic clocks read as if the machine had been up this long (ms) when salty started. */
export const UPTIME_AT_START = 1_000_000;
/** The coarse clocks tick at 250 Hz. */
const COARSE_RES_MS = 4;

/** A decoded clock: a time base, and for CPU clocks whose CPU time. */
export type Clock = { readonly kind: 'real' } | { readonly kind: 'mono'; /** The caller's time-namespace offset (ms). */ readonly offsetMs?: number } | { readonly kind: 'process-cpu'; readonly proc: LinuxProcess } | { readonly kind: 'thread-cpu'; readonly thread: LinuxThread };

/** The clock an id names for the calling thread; -EINVAL for an unknown id, an ALARM clock, or a CPU clock of nobody. */
export function decodeClock(sys: LinuxSystem, t: LinuxThread, id: number): Clock | number {
  if (id < 0) return decodeCpuClock(sys, t, id);
  switch (id) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_TAI:
      return { kind: 'real' };
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME: {
      const offsetMs = timeOffsetMs(sys, t.proc, id);
      return offsetMs === 0 ? { kind: 'mono' } : { kind: 'mono', offsetMs };
    }
    case CLOCK_PROCESS_CPUTIME_ID:
      return { kind: 'process-cpu', proc: t.proc };
    case CLOCK_THREAD_CPUTIME_ID:
      return { kind: 'thread-cpu', thread: t };
    default:
      return -EINVAL;
  }
}

function decodeCpuClock(sys: LinuxSystem, t: LinuxThread, id: number): Clock | number {
  const type = id & 3;
  if (type === 3) return -EINVAL; // a dynamic clock of a descriptor: none here
  const pid = ~(id >> 3);
  if ((id & 4) !== 0) {
    const thread = pid === 0 ? t : sys.threads.get(pid);
    return thread && thread.state !== 'dead' ? { kind: 'thread-cpu', thread } : -EINVAL;
  }
  const proc = pid === 0 ? t.proc : sys.processes.get(pid);
  return proc && proc.exit === undefined ? { kind: 'process-cpu', proc } : -EINVAL;
}

/** The clock's resolution in ns (clock_getres). */
export function resolutionNs(id: number): number {
  return id === CLOCK_REALTIME_COARSE || id === CLOCK_MONOTONIC_COARSE ? COARSE_RES_MS * 1e6 : 1;
}

/** A thread's CPU time (ms): user and system time as getrusage counts them. */
export function threadCpuMs(t: LinuxThread): number {
  const u = threadUsage(t);
  return u.userMs + u.systemMs;
}

/** A process's CPU time (ms): its live threads' and those that ended. */
export function processCpuMs(p: LinuxProcess): number {
  const u = processUsage(p);
  return u.userMs + u.systemMs;
}

/** What the clock reads now (ms). */
export function readClock(sys: LinuxSystem, clock: Clock): number {
  switch (clock.kind) {
    case 'real':
      return sys.wallNow();
    case 'mono':
      return sys.now() + UPTIME_AT_START + (clock.offsetMs ?? 0);
    case 'process-cpu':
      return processCpuMs(clock.proc);
    case 'thread-cpu':
      return threadCpuMs(clock.thread);
  }
}

/** Is the clock's time the kernel's (plus an offset), so a reading converts to a kernel deadline? */
export function followsKernelTime(clock: Clock): boolean {
  return clock.kind === 'real' || clock.kind === 'mono';
}
