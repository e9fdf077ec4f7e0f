// What clone checks before it makes a task, as Linux's copy_process does:
// kernel.threads-max (every task, zombies until reaped included), then
// RLIMIT_NPROC (the tasks of the caller's real uid; root and holders of
// CAP_SYS_RESOURCE or CAP_SYS_ADMIN pass), then a free pid below pid_max.
// Each refusal is EAGAIN.

import { CAP_SYS_ADMIN, CAP_SYS_RESOURCE } from './credentials';
import type { LinuxProcess } from './linux-process';
import type { LinuxSystem } from './linux-system';
import { threadsMax } from './proc-sys';
import { limitsOf } from './resource-limits';

const RLIMIT_NPROC = 6;
const EAGAIN = 11;

/** Tasks in the system, and those whose real uid is uid (a zombie counts as one until reaped). */
export function countTasks(sys: LinuxSystem, uid: number): { all: number; ofUid: number } {
  let all = 0;
  let ofUid = 0;
  for (const p of sys.processes.values()) {
    const n = Math.max(1, p.threads.size);
    all += n;
    if (p.creds.uid === uid) ofUid += n;
  }
  return { all, ofUid };
}

/** 0 when p may make one more task, else -EAGAIN. */
export function forkRefusal(sys: LinuxSystem, p: LinuxProcess): number {
  const limit = limitsOf(p)[RLIMIT_NPROC][0];
  const creds = p.creds;
  const exempt = creds.uid === 0 || creds.capable(CAP_SYS_RESOURCE) || creds.capable(CAP_SYS_ADMIN);
  const counted = countTasks(sys, creds.uid);
  if (counted.all >= threadsMax(sys)) return -EAGAIN;
  if (!exempt && counted.ofUid >= limit) return -EAGAIN;
  return 0;
}
