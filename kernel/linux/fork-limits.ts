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
import { taskCount, tasksOfUid } from './task-count';

const RLIMIT_NPROC = 6;
const EAGAIN = 11;

/** 0 when p may make one more task, else -EAGAIN. */
export function forkRefusal(sys: LinuxSystem, p: LinuxProcess): number {
  const limit = limitsOf(p)[RLIMIT_NPROC][0];
  const creds = p.creds;
  const exempt = creds.uid === 0 || creds.capable(CAP_SYS_RESOURCE) || creds.capable(CAP_SYS_ADMIN);
  const all = taskCount(sys);
  if (all >= threadsMax(sys)) return -EAGAIN;
  // The uid's tasks are at most all of them: only a limit below that needs the walk.
  if (!exempt && all >= limit && tasksOfUid(sys, creds.uid) >= limit) return -EAGAIN;
  return 0;
}
