// What the run loop does when guest memory runs out under kernel work: the
// OOM killer (oom-killer.ts) ends the process with the highest badness, and
// the thread whose work failed tries again (a page fault re-runs its
// instruction, a syscall starts again), unless it was the one killed. With
// no process left to choose, the thread's own process goes, as before.

import { syncCounts } from './kobj-charges';
import type { LinuxSystem } from './linux-system';
import type { LinuxThread } from './linux-thread';
import { oomKill } from './oom-killer';

export function outOfMemory(sys: LinuxSystem, t: LinuxThread | undefined, restart: boolean): void {
  const victim = oomKill(sys);
  if (!victim) {
    // Nobody may be chosen (oom_score_adj -1000 everywhere): the thread's own process goes, or, with no thread to blame, all of them (Linux panics).
    const mib = sys.kernel.ramAsked / (1 << 20);
    const state = { kind: 'signaled', signal: 9, message: `SIGKILL: out of memory: the guest RAM of ${mib} MiB (-m) is exhausted` } as const;
    for (const p of t ? [t.proc] : [...sys.processes.values()]) sys.exitProcess(p, state);
    return;
  }
  if (t && restart && t.state !== 'dead' && t.proc.exit === undefined) t.ctx.restartSyscall(t.restartToken);
}

/** Counts the caller's regions and descriptors as its syscall left them; what cannot be charged calls the OOM killer. */
export function afterSyscall(sys: LinuxSystem, t: LinuxThread): void {
  if (t.proc.exit !== undefined) return;
  if (!syncCounts(sys, t.proc)) oomKill(sys);
}
