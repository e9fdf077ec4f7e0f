// ioprio_set and ioprio_get: each thread's I/O scheduling class and level,
// kept with its scheduling state (fork copies it) and read back as Linux
// gives it (block/ioprio.c). Salty's files live in memory, so nothing
// queues behind another and the priority changes no timing.

import { EINVAL, EPERM, ESRCH } from './errno';
import type { LinuxThread } from './linux-thread';
import { target, type Target } from './sys-sched';
import type { Call, Syscall } from './syscall-context';

const WHO_PROCESS = 1;
const WHO_PGRP = 2;
const WHO_USER = 3;
const CLASS_SHIFT = 13;
const CLASS_NONE = 0;
const CLASS_RT = 1;
const CLASS_BE = 2;
const CLASS_IDLE = 3;
const NR_LEVELS = 8;
const BE_NORM = 4;
const CAP_SYS_NICE = 23;
const CAP_SYS_ADMIN = 21;

const classOf = (ioprio: number): number => (ioprio >>> CLASS_SHIFT) & 7;
const levelOf = (ioprio: number): number => ioprio & ((1 << CLASS_SHIFT) - 1);

/** Linux's ioprio_check_cap: a known class, a level in range, CAP_SYS_NICE or CAP_SYS_ADMIN for real time. */
function checkValue(c: Call, ioprio: number): number {
  const level = levelOf(ioprio);
  switch (classOf(ioprio)) {
    case CLASS_RT:
      if (!c.p.creds.capable(CAP_SYS_NICE) && !c.p.creds.capable(CAP_SYS_ADMIN)) return -EPERM;
      return level >= NR_LEVELS ? -EINVAL : 0;
    case CLASS_BE:
      return level >= NR_LEVELS ? -EINVAL : 0;
    case CLASS_IDLE:
      return 0;
    case CLASS_NONE:
      return level !== 0 ? -EINVAL : 0;
    default:
      return -EINVAL;
  }
}

/** The threads which and who name; undefined for an unknown which. */
function targets(c: Call, which: number, who: number): Target[] | undefined {
  const of = (list: LinuxThread[]): Target[] => list.map((t) => target(c, t.tid)!);
  const live = [...c.sys.threads.values()].filter((t) => !t.proc.isZombie);
  switch (which) {
    case WHO_PROCESS: {
      const t = target(c, who);
      return t ? [t] : [];
    }
    case WHO_PGRP: {
      const pgid = who === 0 ? c.p.pgid : who;
      return of(live.filter((t) => t.proc.pgid === pgid));
    }
    case WHO_USER: {
      const uid = who === 0 ? c.p.creds.uid : who >>> 0;
      return of(live.filter((t) => t.proc.creds.uid === uid));
    }
    default:
      return undefined;
  }
}

const ioprioSet: Syscall = (c) => {
  const ioprio = c.int(2);
  const bad = checkValue(c, ioprio);
  if (bad < 0) return bad;
  const list = targets(c, c.int(0), c.int(1));
  if (!list) return -EINVAL;
  if (list.length === 0) return -ESRCH;
  for (const x of list) {
    // set_task_ioprio: the target's real uid must be the caller's real or effective uid, or CAP_SYS_NICE.
    const mine = x.creds.uid === c.p.creds.euid || x.creds.uid === c.p.creds.uid;
    if (!mine && !c.p.creds.capable(CAP_SYS_NICE)) return -EPERM;
    x.s.ioprio = ioprio & 0xffff;
  }
  return 0;
};

/** ioprio_best: the lower value, a class-NONE one counting as best effort at the normal level. */
function best(a: number, b: number): number {
  const norm = (v: number): number => (classOf(v) === CLASS_NONE ? (CLASS_BE << CLASS_SHIFT) | BE_NORM : v);
  return Math.min(norm(a), norm(b));
}

const ioprioGet: Syscall = (c) => {
  const which = c.int(0);
  const list = targets(c, which, c.int(1));
  if (!list) return -EINVAL;
  if (list.length === 0) return -ESRCH;
  if (which === WHO_PROCESS) return list[0].s.ioprio;
  return list.map((x) => x.s.ioprio).reduce(best);
};

// Rows of syscall-table.ts name these handlers.
export { ioprioSet, ioprioGet };
