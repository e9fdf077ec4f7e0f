// RLIMIT_CPU: a process whose CPU time (user + system, all its threads)
// reaches the soft limit gets SIGXCPU, and the soft limit moves up a second
// so that the next second brings another; at the hard limit it gets
// SIGKILL (Linux's check_process_timers). The run loop checks it with the
// timers and bounds a slice by the soonest time a limit can be reached.

import type { LinuxProcess } from './linux-process';
import type { LinuxSystem } from './linux-system';
import { processUsage } from './process-usage';
import { limitsOf, RLIMIT_CPU } from './resource-limits';
import { sendToProcess } from './signal-delivery';

const SIGKILL = 9;
const SIGXCPU = 24;
const SI_KERNEL = 0x80;

function cpuSeconds(p: LinuxProcess): number {
  const u = processUsage(p);
  return (u.userMs + u.systemMs) / 1000;
}

/** Sends what the limits call for; answers the soonest kernel time (ms) another check may be due (Infinity: none). */
export function checkCpuLimits(sys: LinuxSystem): number {
  let next = Infinity;
  for (const p of sys.processes.values()) {
    if (p.exit !== undefined) continue;
    const limit = limitsOf(p)[RLIMIT_CPU];
    const [soft, hard] = limit;
    if (soft === Infinity) continue;
    const used = cpuSeconds(p);
    if (hard !== Infinity && used >= hard) {
      sendToProcess(sys, p, { signo: SIGKILL, code: SI_KERNEL, pid: 0, uid: 0 });
      continue;
    }
    let target = Math.min(soft, hard);
    if (used >= soft) {
      sendToProcess(sys, p, { signo: SIGXCPU, code: SI_KERNEL, pid: 0, uid: 0 });
      if (soft < hard) limit[0] = soft + 1;
      target = Math.min(soft + 1, hard);
    }
    // CPU time cannot run faster than kernel time, and only while a thread can spend it.
    if ([...p.threads].some((t) => t.state === 'runnable')) next = Math.min(next, sys.now() + Math.max(0, (target - cpuSeconds(p)) * 1000));
  }
  return next;
}
