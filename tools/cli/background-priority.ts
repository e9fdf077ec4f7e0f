// V8's worker threads (TurboFan compiling the block compiler's modules and
// optimizing the emulator's JavaScript, concurrent GC) run beside the main
// thread, which runs the guest. Four of them share this machine's cores with
// it: at equal priority the scheduler takes turns, and the guest waits while
// code it may never run again compiles. Their nice value is raised once at
// start (Linux: a thread's id names it to setpriority), so the main thread
// keeps a core and the workers take what is left. Threads made later (libuv's
// pool, salty's own workers) are made by the main thread and keep its
// priority. SALTY_BACKGROUND_NICE=0 leaves them alone (measuring).

import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

const NICE = 10;

/** Raises the nice value of every thread of this process but the main one to NICE (never lowers it). */
export function lowerBackgroundPriority(): void {
  const nice = Number(process.env.SALTY_BACKGROUND_NICE ?? NICE);
  if (process.platform !== 'linux' || !(nice > 0)) return;
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return;
  }
  for (const t of tasks) {
    const tid = Number(t);
    if (tid === process.pid) continue;
    try {
      if (getPriority(tid) < nice) setPriority(tid, Math.min(nice, 19));
    } catch {
      // The thread ended meanwhile, or the host refuses: it keeps its priority.
    }
  }
}
