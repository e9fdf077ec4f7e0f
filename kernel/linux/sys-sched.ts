// Scheduling policy and priority calls: sched_setscheduler/getscheduler,
// sched_setparam/getparam, sched_get_priority_max/min, sched_rr_get_interval,
// sched_setattr/getattr, setpriority/getpriority (nice). Salty's scheduler
// has one CPU and round-robins every thread: these record each thread's
// policy, priority and nice so that they read back as Linux reports them,
// with Linux's argument checks and order of errors.

import { E2BIG, EACCES, EINVAL, EPERM, ESRCH } from './errno';
import type { Credentials } from './credentials';
import { INIT_CREDS, isInit } from './init-process';
import { limitsOf } from './resource-limits';
import { SCHED_OTHER, schedOf, type SchedState } from './sched-state';
import type { LinuxThread } from './linux-thread';
import { timespec, type Call, type Syscall } from './syscall-context';

const SCHED_FIFO = 1;
const SCHED_RR = 2;
const SCHED_BATCH = 3;
const SCHED_IDLE = 5;
const SCHED_DEADLINE = 6;
const SCHED_RESET_ON_FORK = 0x40000000;
const CAP_SYS_NICE = 23;
const RLIMIT_NICE = 13;
const RLIMIT_RTPRIO = 14;
const MAX_RT_PRIO = 100;
/** Linux's default SCHED_RR time slice (sched_rr_timeslice_ms). */
const RR_TIMESLICE_MS = 100;

const isRt = (policy: number): boolean => policy === SCHED_FIFO || policy === SCHED_RR;
const validPolicy = (policy: number): boolean => [SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE].includes(policy);

/** What a pid argument names: a thread's scheduling state and its owner (PID 1 is the stand-in init's). */
export interface Target {
  readonly s: SchedState;
  readonly creds: Credentials;
  /** RLIMIT_NICE and RLIMIT_RTPRIO's soft values. */
  readonly niceLimit: number;
  readonly rtLimit: number;
}

const initSched = new WeakMap<object, SchedState>();

/** The thread a pid argument names: 0 is the caller. */
export function target(c: Call, pid: number): Target | undefined {
  const t = pid === 0 ? c.t : c.sys.threads.get(pid);
  if (t) {
    const l = limitsOf(t.proc);
    return { s: schedOf(t), creds: t.proc.creds, niceLimit: l[RLIMIT_NICE][0], rtLimit: l[RLIMIT_RTPRIO][0] };
  }
  if (!isInit(c.sys, pid)) return undefined;
  let s = initSched.get(c.sys);
  if (!s) {
    s = { policy: SCHED_OTHER, priority: 0, nice: 0, resetOnFork: false, runtime: 0, deadline: 0, period: 0, ioprio: 0 };
    initSched.set(c.sys, s);
  }
  return { s, creds: INIT_CREDS, niceLimit: 0, rtLimit: 0 };
}

/** May the caller change x's scheduling (Linux's check_same_owner, or CAP_SYS_NICE)? */
const sameOwner = (c: Call, x: Target): boolean => c.p.creds.euid === x.creds.euid || c.p.creds.euid === x.creds.uid;

/** Is nice within what RLIMIT_NICE lets x reach (is_nice_reduction: 20 - nice <= the limit)? */
const niceAllowed = (x: Target, nice: number): boolean => 20 - nice <= x.niceLimit;

/** Linux's unprivileged checks of __sched_setscheduler: lower nice, real-time and deadline need the limits or CAP_SYS_NICE, and the target must be the caller's. */
function mayChange(c: Call, x: Target, policy: number, priority: number, nice: number, reset: boolean): boolean {
  if (c.p.creds.capable(CAP_SYS_NICE)) return true;
  const s = x.s;
  if ((policy === SCHED_OTHER || policy === SCHED_BATCH) && nice < s.nice && !niceAllowed(x, nice)) return false;
  if (isRt(policy)) {
    if (policy !== s.policy && x.rtLimit === 0) return false;
    if (priority > s.priority && priority > x.rtLimit) return false;
  }
  if (policy === SCHED_DEADLINE) return false;
  if (s.policy === SCHED_IDLE && policy !== SCHED_IDLE && !niceAllowed(x, s.nice)) return false;
  if (!sameOwner(c, x)) return false;
  return !(s.resetOnFork && !reset);
}

function readInt(c: Call, addr: number): number {
  return new DataView(c.user.read(addr, 4).buffer).getInt32(0, true);
}

function writeInt(c: Call, addr: number, x: number): void {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, x, true);
  c.user.write(addr, b);
}

/** Checks and applies a policy and priority (policy -1 keeps the current one); nice: sched_setattr's, else unchanged. */
function apply(c: Call, x: Target, policyArg: number, priority: number, nice = x.s.nice): number {
  const s = x.s;
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
  if (!mayChange(c, x, policy, priority, nice, reset)) return -EPERM;
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
  return apply(c, t, policy, priority);
}

const schedSetscheduler: Syscall = (c) => (c.int(1) < 0 ? -EINVAL : setscheduler(c, c.int(0), c.int(1), c.a[2]));

const schedSetparam: Syscall = (c) => setscheduler(c, c.int(0), -1, c.a[1]);

const schedGetscheduler: Syscall = (c) => {
  if (c.int(0) < 0) return -EINVAL;
  const t = target(c, c.int(0));
  if (!t) return -ESRCH;
  const s = t.s;
  return s.policy | (s.resetOnFork ? SCHED_RESET_ON_FORK : 0);
};

const schedGetparam: Syscall = (c) => {
  if (c.a[1] === 0 || c.int(0) < 0) return -EINVAL;
  const t = target(c, c.int(0));
  if (!t) return -ESRCH;
  writeInt(c, c.a[1], t.s.priority);
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
  const s = t.s;
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
  if (policy === SCHED_DEADLINE) return c.p.creds.capable(CAP_SYS_NICE) ? setDeadline(t.s, v, resetFlag !== 0) : -EPERM;
  const clamped = Math.max(-20, Math.min(19, nice));
  const fair = policy === SCHED_OTHER || policy === SCHED_BATCH;
  const r = apply(c, t, policy | resetFlag, priority, fair ? clamped : t.s.nice);
  if (r < 0) return r;
  if (fair) t.s.nice = clamped;
  return 0;
};

/** Linux's sanity checks of a deadline reservation (__checkparam_dl), then the change. */
function setDeadline(s: SchedState, v: DataView, resetOnFork: boolean): number {
  const u64 = (at: number): number => v.getUint32(at + 4, true) * 4294967296 + v.getUint32(at, true);
  const [runtime, deadline, period] = [u64(24), u64(32), u64(40)];
  const effectivePeriod = period === 0 ? deadline : period;
  if (deadline === 0 || runtime < 1024 || v.getUint32(36, true) >= 0x80000000 || v.getUint32(44, true) >= 0x80000000) return -EINVAL;
  if (effectivePeriod < deadline || deadline < runtime) return -EINVAL;
  // sched_deadline_period_min_us and _max_us: 100 us to 4 s.
  if (effectivePeriod < 100_000 || effectivePeriod > 4_000_000_000) return -EINVAL;
  Object.assign(s, { policy: SCHED_DEADLINE, priority: 0, nice: 0, resetOnFork, runtime, deadline, period: effectivePeriod });
  return 0;
}

const schedGetattr: Syscall = (c) => {
  const [pid, addr, size, flags] = [c.int(0), c.a[1], c.u32(2), c.int(3)];
  if (addr === 0 || pid < 0 || size > 4096 || size < SCHED_ATTR_SIZE_VER0 || flags !== 0) return -EINVAL;
  const t = target(c, pid);
  if (!t) return -ESRCH;
  const s = t.s;
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
function prioTargets(c: Call, which: number, who: number): Target[] | number {
  const of = (list: LinuxThread[]): Target[] => list.map((t) => target(c, t.tid)!);
  if (which === PRIO_PROCESS) {
    const t = target(c, who);
    return t ? [t] : [];
  }
  const live = [...c.sys.threads.values()].filter((t) => !t.proc.isZombie);
  if (which === PRIO_PGRP) {
    const pgid = who === 0 ? c.p.pgid : who;
    return of(live.filter((t) => t.proc.pgid === pgid));
  }
  // A user's threads: by real uid (task_uid), the caller's when who is 0.
  if (which === PRIO_USER) {
    const uid = who === 0 ? c.p.creds.uid : who >>> 0;
    return of(live.filter((t) => t.proc.creds.uid === uid));
  }
  return -EINVAL;
}

/** Linux's set_one_prio: EPERM for another user's thread, EACCES for a nice below what RLIMIT_NICE allows; the last error is the call's. */
const setpriority: Syscall = (c) => {
  const targets = prioTargets(c, c.int(0), c.int(1));
  if (typeof targets === 'number') return targets;
  const nice = Math.max(-20, Math.min(19, c.int(2)));
  const privileged = c.p.creds.capable(CAP_SYS_NICE);
  let error = -ESRCH;
  for (const x of targets) {
    if (!privileged && c.p.creds.euid !== x.creds.uid && c.p.creds.euid !== x.creds.euid) error = -EPERM;
    else if (nice < x.s.nice && !privileged && !niceAllowed(x, nice)) error = -EACCES;
    else {
      if (error === -ESRCH) error = 0;
      x.s.nice = nice;
    }
  }
  return error;
};

/** getpriority answers 20 - nice (1..40), the highest priority among the targets. */
const getpriority: Syscall = (c) => {
  const targets = prioTargets(c, c.int(0), c.int(1));
  if (typeof targets === 'number') return targets;
  if (targets.length === 0) return -ESRCH;
  return Math.max(...targets.map((x) => 20 - x.s.nice));
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
