// fireTimers visits every process (its interval and POSIX timers, its CPU
// limit). With thousands of processes that walk would dominate every trap, so
// past a hundred processes it runs at most once per millisecond of kernel
// time, or sooner when the earliest alarm it reported falls due.

import { fireTimers } from './interval-timers';
import type { LinuxSystem } from './linux-system';

const WALK_EVERY_TRAP = 100;
const WALK_MS = 1;

interface Sweep {
  checkedAt: number;
  next: number;
}

const sweeps = new WeakMap<LinuxSystem, Sweep>();

/** fireTimers(sys), or the earliest alarm it reported last when that walk is recent enough. */
export function alarmsDue(sys: LinuxSystem): number {
  let s = sweeps.get(sys);
  if (!s) sweeps.set(sys, (s = { checkedAt: -Infinity, next: -Infinity }));
  const now = sys.now();
  if (sys.processes.size > WALK_EVERY_TRAP && now < s.next && now - s.checkedAt < WALK_MS) return s.next;
  s.checkedAt = now;
  s.next = fireTimers(sys);
  return s.next;
}
