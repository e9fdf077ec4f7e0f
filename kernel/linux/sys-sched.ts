// Scheduling policy and priority calls: sched_setscheduler/getscheduler,
// sched_setparam/getparam, sched_get_priority_max/min, sched_rr_get_interval,
// sched_setattr/getattr, setpriority/getpriority (nice). Salty's scheduler
// has one CPU and round-robins every thread: these record each thread's
// policy, priority and nice so that they read back as Linux reports them,
// with Linux's argument checks and order of errors.

import { E2BIG, EINVAL, ESRCH } from './errno';
import type { LinuxThread } from './linux-thread';
import { timespec, type Call, type Syscall } from './syscall-context';

export const SCHED_OTHER = 0;
const SCHED_FIFO = 1;
const SCHED_RR = 2;
const SCHED_BATCH = 3;
const SCHED_IDLE = 5;
const SCHED_DEADLINE = 6;
const SCHED_RESET_ON_FORK = 0x40000000;
const MAX_RT_PRIO = 100;
/** Linux's default SCHED_RR time slice (sched_rr_timeslice_ms). */
const RR_TIMESLICE_MS = 100;

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
}

const state = new WeakMap<LinuxThread, SchedState>();

export function schedOf(t: LinuxThread): SchedState {
  let s = state.get(t);
  if (!s) {
    s = { policy: SCHED_OTHER, priority: 0, nice: 0, resetOnFork: false, runtime: 0, deadline: 0, period: 0 };
    state.set(t, s);
  }
  return s;
}

/** The child of clone starts with its parent's state; SCHED_RESET_ON_FORK puts it back to normal. */
export function inheritSched(parent: LinuxThread, child: LinuxThread): void {
  const s = { ...schedOf(parent) };
  if (s.resetOnFork) {
    if (isRt(s.policy)) {
      s.policy = SCHED_OTHER;
      s.priority = 0;
    }
    if (s.nice < 0) s.nice = 0;
    s.resetOnFork = false;
  }
  state.set(child, s);
}

const isRt = (policy: number): boolean => policy === SCHED_FIFO || policy === SCHED_RR;
const validPolicy = (policy: number): boolean => [SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE].includes(policy);

/** The thread a pid argument names: 0 is the caller. */
function target(c: Call, pid: number): LinuxThread | undefined {
  return pid === 0 ? c.t : c.sys.threads.get(pid);
}

function readInt(c: Call, addr: number): number {
  return new DataView(c.user.read(addr, 4).buffer).getInt32(0, true);
}

function writeInt(c: Call, addr: number, x: number): void {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, x, true);
  c.user.write(addr, b);
}

/** Checks and applies a policy and priority (policy -1 keeps the current one). */
function apply(t: LinuxThread, policyArg: number, priority: number): number {
  const s = schedOf(t);
  let policy = policyArg;
  let reset = s.resetOnFork;
  if (policy !== -1) {
    reset = (policy & SCHED_RESET_ON_FORK) !== 0;
    policy &= ~SCHED_RESET_ON_FORK;
    if (!validPolicy(policy)) return -EINVAL;
  } else {
    policy = s.policy;
  }
  if (priority < 0 || priority > MAX_RT_PRIO - 1) return -EINVAL;
  // SCHED_DEADLINE needs sched_setattr's runtime, deadline and period (setDeadline).
  if (policy === SCHED_DEADLINE) return -EINVAL;
  if (isRt(policy) !== (priority !== 0)) return -EINVAL;
  s.policy = policy;
  s.priority = priority;
  s.resetOnFork = reset;
  return 0;
}

function setscheduler(c: Call, pid: number, policy: number, paramAddr: number): number {
  if (paramAddr === 0 || pid < 0) return -EINVAL;
  const priority = readInt(c, paramAddr);
  const t = target(c, pid);
  if (!t) return -ESRCH;
  return apply(t, policy, priority);
}

const schedSetscheduler: Syscall = (c) => (c.int(1) < 0 ? -EINVAL : setscheduler(c, c.int(0), c.int(1), c.a[2]));

const schedSetparam: Syscall = (c) => setscheduler(c, c.int(0), -1, c.a[1]);

const schedGetscheduler: Syscall = (c) => {
  if (c.int(0) < 0) return -EINVAL;
  const t = target(c, c.int(0));
  if (!t) return -ESRCH;
  const s = schedOf(t);
  return s.policy | (s.resetOnFork ? SCHED_RESET_ON_FORK : 0);
};

const schedGetparam: Syscall = (c) => {
  if (c.a[1] === 0 || c.int(0) < 0) return -EINVAL;
  const t = target(c, c.int(0));
  if (!t) return -ESRCH;
  writeInt(c, c.a[1], schedOf(t).priority);
  return 0;
};

const schedGetPriorityMax: Syscall = (c) => {
  const p = c.int(0);
  if (isRt(p)) return MAX_RT_PRIO - 1;
  return validPolicy(p) ? 0 : -EINVAL;
};

const schedGetPriorityMin: Syscall = (c) => {
  const p = c.int(0);
  if (isRt(p)) return 1;
  return validPolicy(p) ? 0 : -EINVAL;
};

const schedRrGetInterval: Syscall = (c) => {
  if (c.int(0) < 0) return -EINVAL;
  const t = target(c, c.int(0));
  if (!t) return -ESRCH;
  const s = schedOf(t);
  // A FIFO thread runs until it yields: no slice. A normal thread's slice
  // is the fair class's; Linux reports its base slice (3 ms) rounded to
  // scheduler ticks (4 ms at HZ=250) when it is the only runnable thread.
  const ms = s.policy === SCHED_FIFO || s.policy === SCHED_DEADLINE ? 0 : s.policy === SCHED_RR ? RR_TIMESLICE_MS : 4;
  c.user.write(c.a[1], timespec(ms));
  return 0;
};

const SCHED_ATTR_SIZE_VER0 = 48;
const SCHED_ATTR_SIZE_VER1 = 56;
const SCHED_FLAG_RESET_ON_FORK = 1;
const SCHED_FLAG_ALL = 0x7f;

const schedSetattr: Syscall = (c) => {
  const [pid, addr, flags] = [c.int(0), c.a[1], c.int(2)];
  if (addr === 0 || pid < 0 || flags !== 0) return -EINVAL;
  const size = readInt(c, addr) >>> 0;
  const real = size === 0 ? SCHED_ATTR_SIZE_VER0 : size;
  if (real < SCHED_ATTR_SIZE_VER0 || real > 4096) {
    writeInt(c, addr, SCHED_ATTR_SIZE_VER1);
    return -E2BIG;
  }
  const v = new DataView(c.user.read(addr, Math.min(real, SCHED_ATTR_SIZE_VER1)).buffer);
  const policy = v.getUint32(4, true);
  const schedFlags = v.getUint32(8, true);
  const nice = v.getInt32(16, true);
  const priority = v.getUint32(20, true);
  if ((schedFlags & ~SCHED_FLAG_ALL) !== 0 || v.getUint32(12, true) !== 0) return -EINVAL;
  const t = target(c, pid);
  if (!t) return -ESRCH;
  const resetFlag = (schedFlags & SCHED_FLAG_RESET_ON_FORK) !== 0 ? SCHED_RESET_ON_FORK : 0;
  if (policy === SCHED_DEADLINE) return setDeadline(t, v, resetFlag !== 0);
  const r = apply(t, policy | resetFlag, priority);
  if (r < 0) return r;
  if (policy === SCHED_OTHER || policy === SCHED_BATCH) schedOf(t).nice = Math.max(-20, Math.min(19, nice));
  return 0;
};

/** Linux's sanity checks of a deadline reservation (__checkparam_dl), then the change. */
function setDeadline(t: LinuxThread, v: DataView, resetOnFork: boolean): number {
  const u64 = (at: number): number => v.getUint32(at + 4, true) * 4294967296 + v.getUint32(at, true);
  const [runtime, deadline, period] = [u64(24), u64(32), u64(40)];
  const effectivePeriod = period === 0 ? deadline : period;
  if (deadline === 0 || runtime < 1024 || v.getUint32(36, true) >= 0x80000000 || v.getUint32(44, true) >= 0x80000000) return -EINVAL;
  if (effectivePeriod < deadline || deadline < runtime) return -EINVAL;
  // sched_deadline_period_min_us and _max_us: 100 us to 4 s.
  if (effectivePeriod < 100_000 || effectivePeriod > 4_000_000_000) return -EINVAL;
  Object.assign(schedOf(t), { policy: SCHED_DEADLINE, priority: 0, nice: 0, resetOnFork, runtime, deadline, period: effectivePeriod });
  return 0;
}

const schedGetattr: Syscall = (c) => {
  const [pid, addr, size, flags] = [c.int(0), c.a[1], c.u32(2), c.int(3)];
  if (addr === 0 || pid < 0 || size > 4096 || size < SCHED_ATTR_SIZE_VER0 || flags !== 0) return -EINVAL;
  const t = target(c, pid);
  if (!t) return -ESRCH;
  const s = schedOf(t);
  const out = new Uint8Array(Math.min(size, SCHED_ATTR_SIZE_VER1));
  const v = new DataView(out.buffer);
  v.setUint32(0, out.length, true);
  v.setUint32(4, s.policy, true);
  v.setUint32(8, s.resetOnFork ? SCHED_FLAG_RESET_ON_FORK : 0, true);
  if (!isRt(s.policy)) v.setInt32(16, s.nice, true);
  v.setUint32(20, s.priority, true);
  if (s.policy === SCHED_DEADLINE) {
    [s.runtime, s.deadline, s.period].forEach((x, i) => {
      v.setUint32(24 + 8 * i, x % 4294967296 >>> 0, true);
      v.setUint32(28 + 8 * i, Math.floor(x / 4294967296), true);
    });
  }
  if (out.length >= SCHED_ATTR_SIZE_VER1) v.setUint32(52, 1024, true);
  c.user.write(addr, out);
  return 0;
};

const PRIO_PROCESS = 0;
const PRIO_PGRP = 1;
const PRIO_USER = 2;

/** The threads a (which, who) pair of setpriority/getpriority names. */
function prioTargets(c: Call, which: number, who: number): LinuxThread[] | number {
  if (which === PRIO_PROCESS) {
    const t = target(c, who);
    return t ? [t] : [];
  }
  if (which === PRIO_PGRP) {
    const pgid = who === 0 ? c.p.pgid : who;
    return [...c.sys.threads.values()].filter((t) => t.proc.pgid === pgid && !t.proc.isZombie);
  }
  // One user: every process is the caller's.
  if (which === PRIO_USER) return [...c.sys.threads.values()].filter((t) => !t.proc.isZombie);
  return -EINVAL;
}

const setpriority: Syscall = (c) => {
  const targets = prioTargets(c, c.int(0), c.int(1));
  if (typeof targets === 'number') return targets;
  if (targets.length === 0) return -ESRCH;
  const nice = Math.max(-20, Math.min(19, c.int(2)));
  for (const t of targets) schedOf(t).nice = nice;
  return 0;
};

/** getpriority answers 20 - nice (1..40), the highest priority among the targets. */
const getpriority: Syscall = (c) => {
  const targets = prioTargets(c, c.int(0), c.int(1));
  if (typeof targets === 'number') return targets;
  if (targets.length === 0) return -ESRCH;
  return Math.max(...targets.map((t) => 20 - schedOf(t).nice));
};

// Rows of syscall-table.ts name these handlers.
export {
  schedSetscheduler,
  schedSetparam,
  schedGetscheduler,
  schedGetparam,
  schedGetPriorityMax,
  schedGetPriorityMin,
  schedRrGetInterval,
  schedSetattr,
  schedGetattr,
  setpriority,
  getpriority,
};
