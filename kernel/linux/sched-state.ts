// Each thread's scheduling state (policy, real-time priority, nice, the
// I/O priority, SCHED_DEADLINE's reservation), as the sched_* calls,
// setpriority and ioprio_set change it and fork copies it; and the share of
// the CPU it gives: the run loop's slices are weighted by nice as Linux's
// fair class weights its tasks (1024 at nice 0, 1.25 times more for each
// step down), so a thread of lower nice runs proportionally longer.

import type { LinuxThread } from './linux-thread';

export const SCHED_OTHER = 0;
const SCHED_FIFO = 1;
const SCHED_RR = 2;

/** A thread's scheduling state, as fork copies it. */
export interface SchedState {
  policy: number;
  priority: number;
  nice: number;
  resetOnFork: boolean;
  /** SCHED_DEADLINE's reservation, in ns. */
  runtime: number;
  deadline: number;
  period: number;
  /** The I/O priority ioprio_set gave (class << 13 | level); 0 is IOPRIO_CLASS_NONE, the default. */
  ioprio: number;
}

const state = new WeakMap<LinuxThread, SchedState>();

export function schedOf(t: LinuxThread): SchedState {
  let s = state.get(t);
  if (!s) {
    s = { policy: SCHED_OTHER, priority: 0, nice: 0, resetOnFork: false, runtime: 0, deadline: 0, period: 0, ioprio: 0 };
    state.set(t, s);
  }
  return s;
}

/** The child of clone starts with its parent's state; SCHED_RESET_ON_FORK puts it back to normal. */
export function inheritSched(parent: LinuxThread, child: LinuxThread): void {
  const s = { ...schedOf(parent) };
  if (s.resetOnFork) {
    if (s.policy === SCHED_FIFO || s.policy === SCHED_RR) {
      s.policy = SCHED_OTHER;
      s.priority = 0;
    }
    if (s.nice < 0) s.nice = 0;
    s.resetOnFork = false;
  }
  state.set(child, s);
}

const NICE_0_WEIGHT = 1024;

/** A thread's slice relative to a nice-0 thread's: its fair-class weight over 1024. */
export function sliceScale(t: LinuxThread): number {
  const s = state.get(t);
  return s ? Math.round(NICE_0_WEIGHT * 1.25 ** -s.nice) / NICE_0_WEIGHT : 1;
}
