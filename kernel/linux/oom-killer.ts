// The OOM killer, as Linux's: when guest memory is exhausted, the process with
// the highest badness (its resident pages, its page tables and the kernel
// objects charged to it, shifted by oom_score_adj in thousandths of RAM) is
// killed with SIGKILL, one line on stderr names it and its size, and the rest
// run on. A process with oom_score_adj -1000 is never chosen.

import { PAGE_SIZE } from '../arch/arch';
import { accountOf } from './kobj-charges';
import type { LinuxProcess } from './linux-process';
import type { LinuxSystem } from './linux-system';
import { commOf } from './proc-process';
import { reportOom } from './oom-report';
import { oomScoreAdjOf } from './proc-root';

const OOM_SCORE_ADJ_MIN = -1000;

/** Called after each OOM kill (the host side may reclaim what the killed process left on its heap: tools/cli/host-heap.ts). */
export const oomKillHooks: ((sys: LinuxSystem) => void)[] = [];

/** Linux's oom_badness in pages, or null when the process may not be chosen. */
export function badness(sys: LinuxSystem, p: LinuxProcess): number | null {
  const adj = oomScoreAdjOf(p);
  if (adj === OOM_SCORE_ADJ_MIN || p.exit !== undefined || p.mem.users === 0 || p.mem.vs.isDestroyed) return null;
  const total = sys.kernel.mm.pmm.frameCount;
  const points = p.mem.vs.mappedPages + tablePages(p) + Math.ceil(accountOf(p).kobjBytes / PAGE_SIZE);
  // As Linux: adj times whole thousandths of RAM (so +1000 never quite doubles a score).
  return points + adj * Math.trunc(total / 1000);
}

/** /proc/PID/oom_score: the badness scaled into [0, 2000] and by two thirds, as Linux 5.9 on prints it. */
export function oomScore(sys: LinuxSystem, p: LinuxProcess): number {
  const b = badness(sys, p);
  if (b === null) return 0;
  const total = sys.kernel.mm.pmm.frameCount;
  return Math.max(0, Math.trunc(((1000 + Math.trunc((b * 1000) / total)) * 2) / 3));
}

/** The process the OOM killer would choose now (the highest badness; the newest on a tie), or null. */
export function chooseVictim(sys: LinuxSystem): LinuxProcess | null {
  let best: LinuxProcess | null = null;
  let bestPoints = -Infinity;
  for (const p of sys.processes.values()) {
    const b = badness(sys, p);
    if (b !== null && b >= bestPoints) {
      best = p;
      bestPoints = b;
    }
  }
  return best;
}

/**
 * Kills the chosen process (and every process sharing its memory) and names
 * it on stderr. Returns the victim, or null when no process can be chosen.
 */
export function oomKill(sys: LinuxSystem): LinuxProcess | null {
  const victim = chooseVictim(sys);
  if (!victim) return null;
  reportOom(sys, () => `salty: ${killLine(sys, victim)}\n`);
  const mib = sys.kernel.ramAsked / (1 << 20);
  const message = `SIGKILL: out of memory: the guest RAM of ${mib} MiB (-m) is exhausted`;
  const mem = victim.mem;
  for (const p of [...sys.processes.values()]) if (p !== victim && p.mem === mem) sys.exitProcess(p, { kind: 'signaled', signal: 9, message });
  sys.exitProcess(victim, { kind: 'signaled', signal: 9, message });
  for (const hook of oomKillHooks) hook(sys);
  return victim;
}

/** "Out of memory: Killed process PID (comm) total-vm:...kB, anon-rss:...kB, ..." as Linux's dmesg line. */
export function killLine(sys: LinuxSystem, p: LinuxProcess): string {
  const vs = p.mem.vs;
  let vm = 0;
  let anon = 0;
  let file = 0;
  let shmem = 0;
  for (const r of vs.regions) {
    vm += r.end - r.start;
    const pages = vs.residentIn(r.start, r.end);
    if (p.mem.shared.has(r.mo)) shmem += pages;
    else if (r.mo.pager && !r.perms.write) file += pages;
    else anon += pages;
  }
  const kb = (pages: number): string => `${(pages * PAGE_SIZE) / 1024}kB`;
  const pgtables = (tablePages(p) * PAGE_SIZE) / 1024;
  return (
    `Out of memory: Killed process ${p.pid} (${commOf(p)}) total-vm:${vm / 1024}kB, anon-rss:${kb(anon)}, file-rss:${kb(file)}, shmem-rss:${kb(shmem)}, ` +
    `UID:${p.creds.uid} pgtables:${pgtables}kB oom_score_adj:${oomScoreAdjOf(p)}`
  );
}

function tablePages(p: LinuxProcess): number {
  try {
    return p.mem.vs.tablePages;
  } catch {
    return 0;
  }
}
