// Resource limits of each process: inherited by fork, kept by exec. The
// first process starts with the host's limits (as a program under qemu-user
// does). The kernel enforces RLIMIT_NOFILE (descriptor numbers, through the
// descriptor table's limit) and RLIMIT_CORE (the core-dump bit of a wait
// status); sys-rlimit.ts holds the calls.

import { readFileSync } from 'node:fs';
import type { LinuxProcess } from './linux-process';
import { defaultAction } from './signal-state';

export const RLIM_NLIMITS = 16;
export const RLIMIT_STACK = 3;
export const RLIMIT_CORE = 4;
export const RLIMIT_NOFILE = 7;
export const RLIMIT_SIGPENDING = 11;
export const RLIMIT_CPU = 0;
/** RLIM_INFINITY (2^64 - 1), kept as Infinity. */
export const INF = Infinity;
/** fs.nr_open: the highest RLIMIT_NOFILE even root may set. */
export const NR_OPEN = 1024 * 1024;

export type Limit = [cur: number, max: number];

/** Linux's defaults for a process started by init, where the host's cannot be read. */
const DEFAULTS: Limit[] = [
  [INF, INF], // CPU
  [INF, INF], // FSIZE
  [INF, INF], // DATA
  [8 << 20, INF], // STACK
  [0, INF], // CORE
  [INF, INF], // RSS
  [63704, 63704], // NPROC
  [1024, 4096], // NOFILE
  [8 << 20, 8 << 20], // MEMLOCK
  [INF, INF], // AS
  [INF, INF], // LOCKS
  [63704, 63704], // SIGPENDING
  [819200, 819200], // MSGQUEUE
  [0, 0], // NICE
  [0, 0], // RTPRIO
  [INF, INF], // RTTIME
];

/** /proc/self/limits rows, in RLIMIT order. */
const HOST_ROWS = ['Max cpu time', 'Max file size', 'Max data size', 'Max stack size', 'Max core file size', 'Max resident set', 'Max processes', 'Max open files', 'Max locked memory', 'Max address space', 'Max file locks', 'Max pending signals', 'Max msgqueue size', 'Max nice priority', 'Max realtime priority', 'Max realtime timeout'];

let hostLimits: Limit[] | undefined;

function readHostLimits(): Limit[] {
  try {
    const text = readFileSync('/proc/self/limits', 'utf8');
    return HOST_ROWS.map((row, i) => {
      const line = text.split('\n').find((l) => l.startsWith(row));
      const m = line && /^.{26}(\S+)\s+(\S+)/.exec(line);
      if (!m) return DEFAULTS[i];
      const num = (s: string): number => (s === 'unlimited' ? INF : Number(s));
      return [num(m[1]), num(m[2])];
    });
  } catch {
    return DEFAULTS;
  }
}

const limits = new WeakMap<LinuxProcess, Limit[]>();

export function limitsOf(p: LinuxProcess): Limit[] {
  let l = limits.get(p);
  if (!l) {
    hostLimits ??= readHostLimits();
    l = hostLimits.map((x) => [...x] as Limit);
    limits.set(p, l);
    p.fds.limit = Math.min(l[RLIMIT_NOFILE][0], NR_OPEN);
  }
  return l;
}

/** fork: the child starts with its parent's limits. */
export function inheritLimits(parent: LinuxProcess, child: LinuxProcess): void {
  limits.set(child, limitsOf(parent).map((x) => [...x] as Limit));
  if (child.fds !== parent.fds) child.fds.limit = parent.fds.limit;
}

/** A signal whose default action dumps core leaves the core bit when RLIMIT_CORE allows a dump. */
export function dumpsCore(p: LinuxProcess, sig: number): boolean {
  return defaultAction(sig) === 'core' && limitsOf(p)[RLIMIT_CORE][0] > 0;
}

