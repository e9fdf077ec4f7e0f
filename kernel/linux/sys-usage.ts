// getrusage and times, from process-usage.ts: CPU time per thread, process
// and waited-for children, and the peak resident set.

import { EINVAL } from './errno';
import { childrenUsage, processUsage, threadUsage, type Usage } from './process-usage';
import { encodeU64s, type Syscall } from './syscall-context';

const RUSAGE_SELF = 0;
const RUSAGE_CHILDREN = -1;
const RUSAGE_THREAD = 1;
/** USER_HZ: the clock ticks times() counts in. */
const TICKS_PER_SECOND = 100;

function timeval(ms: number): number[] {
  const us = Math.floor(ms * 1000);
  return [Math.floor(us / 1e6), us % 1e6];
}

/** struct rusage: two timevals, then maxrss (KiB) and 13 counters salty does not keep. */
export function encodeRusage(u: Usage): Uint8Array {
  return encodeU64s([...timeval(u.userMs), ...timeval(u.systemMs), Math.floor(u.maxRss / 1024), ...new Array<number>(13).fill(0)]);
}

const getrusage: Syscall = (c) => {
  const who = c.int(0);
  const u = who === RUSAGE_SELF ? processUsage(c.p) : who === RUSAGE_CHILDREN ? childrenUsage(c.p) : who === RUSAGE_THREAD ? threadUsage(c.t) : undefined;
  if (!u) return -EINVAL;
  c.user.write(c.a[1], encodeRusage(u));
  return 0;
};

const ticks = (ms: number): number => Math.floor((ms * TICKS_PER_SECOND) / 1000);

const times: Syscall = (c) => {
  if (c.a[0] !== 0) {
    const own = processUsage(c.p);
    const kids = childrenUsage(c.p);
    c.user.write(c.a[0], encodeU64s([ticks(own.userMs), ticks(own.systemMs), ticks(kids.userMs), ticks(kids.systemMs)]));
  }
  return ticks(c.sys.now());
};

// Rows of syscall-table.ts name these handlers.
export { getrusage, times };
