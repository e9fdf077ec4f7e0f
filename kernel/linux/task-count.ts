// How many tasks the system holds, as Linux's nr_threads counts them for
// kernel.threads-max: every live thread, and a process that has ended as one
// task until it is reaped. Kept as a count (threads in the table plus the
// zombies), so that clone's check costs the same with 20,000 processes as
// with one.

import type { LinuxProcess } from './linux-process';
import type { LinuxSystem } from './linux-system';
import { processExitHooks } from './process-exit-hooks';

const zombieCounts = new WeakMap<LinuxSystem, number>();
const zombies = new WeakSet<LinuxProcess>();

// A process's threads have all ended when the hooks run; it stays a task until reaped.
processExitHooks.push((sys, p) => {
  if (zombies.has(p)) return;
  zombies.add(p);
  zombieCounts.set(sys, (zombieCounts.get(sys) ?? 0) + 1);
});

/** The process left the table (reaped, or dropped as an orphaned zombie). */
export function zombieReaped(sys: LinuxSystem, p: LinuxProcess): void {
  if (zombies.delete(p)) zombieCounts.set(sys, zombieCounts.get(sys)! - 1);
}

/** Tasks in the system: live threads plus unreaped zombies. */
export function taskCount(sys: LinuxSystem): number {
  return sys.threads.size + (zombieCounts.get(sys) ?? 0);
}

/** Tasks whose process's real uid is uid (a walk of every process: only asked when the per-user limit can bite). */
export function tasksOfUid(sys: LinuxSystem, uid: number): number {
  let n = 0;
  for (const p of sys.processes.values()) if (p.creds.uid === uid) n += Math.max(1, p.threads.size);
  return n;
}
