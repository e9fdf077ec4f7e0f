// The checks `salty run --audit` makes when the run ends (the hostile-guest
// tests rely on them): the PMM's own audit (every frame exactly one owner,
// the counts add up), the writable layer's charge equal to the frames it
// holds, and, once no process is left, every frame back with the owner it
// had at boot (nothing leaked by the processes that ran), the file data
// aside. The tier invariants pass (kernel/mm/tier-invariants.ts) runs at the
// end and during the run, after process exits and OOM kills, as often as its
// cost stays under a tenth of the run's time (DURING_SHARE).

import type { OwnerCounts } from '../mm/pmm';
import { FRAME_OWNERS } from '../mm/frame-owner';
import type { LinuxSystem } from './linux-system';
import { fileFrames } from './writable-layer';
import { collectGarbage } from '../vfs/unix-gc';
import { MSG_CHARGE_KIND, SEM_CHARGE_KIND } from './kobj-charges';
import { checkTierInvariants } from '../mm/tier-invariants';
import { processExitHooks } from './process-exit-hooks';
import { oomKillHooks } from './oom-killer';
import { maxMapCount } from './proc-sys';
import { MQUEUE_CHARGE_KIND } from './mqueue-charges';

/** The share of the run's time the checks during it may take. */
const DURING_SHARE = 0.1;
/** Violations found during the run kept for the report (the first ones). */
const DURING_KEPT = 20;

interface AuditState {
  readonly boot: OwnerCounts;
  readonly started: number;
  /** Checks made during the run, their total time, and what they found. */
  checks: number;
  ms: number;
  lastMs: number;
  /** The check at the end of the run took this long. */
  endMs: number;
  readonly found: string[];
  dropped: number;
}

const states = new WeakMap<LinuxSystem, AuditState>();

/** Remembers the frames by owner as they are before any process runs, and turns on the checks during the run. */
export function recordBootFrames(sys: LinuxSystem): void {
  states.set(sys, { boot: sys.kernel.mm.pmm.audit(), started: performance.now(), checks: 0, ms: 0, lastMs: 0, endMs: 0, found: [], dropped: 0 });
}

/** For --stats: the tier invariants checks made during the run and their time, or nothing without --audit. */
export function auditCostLines(sys: LinuxSystem): string[] {
  const st = states.get(sys);
  return st ? [`audit: tier invariants checked ${st.checks} times during the run, ${st.ms.toFixed(1)} ms in all, and at the end in ${st.endMs.toFixed(1)} ms`] : [];
}

/** The tier invariants now, unless the checks so far took their share of the run's time. */
function checkDuring(sys: LinuxSystem, when: string): void {
  const st = states.get(sys);
  if (!st) return;
  const t0 = performance.now();
  // The next check is assumed to cost what the last one did.
  if (st.ms + st.lastMs > (t0 - st.started) * DURING_SHARE) return;
  const problems = tierProblems(sys);
  st.lastMs = performance.now() - t0;
  st.ms += st.lastMs;
  st.checks++;
  for (const p of problems) {
    if (st.found.length < DURING_KEPT) st.found.push(`${when}: ${p}`);
    else st.dropped++;
  }
}

processExitHooks.push((sys, p) => checkDuring(sys, `at the exit of pid ${p.pid}`));
oomKillHooks.push((sys) => checkDuring(sys, 'after an OOM kill'));

/** The tier invariants and the personality's own; a structure too broken to walk is one more violation, not a crash of the run. */
function tierProblems(sys: LinuxSystem): string[] {
  try {
    return [...checkTierInvariants(sys.kernel.mm), ...mapCountProblems(sys)];
  } catch (e) {
    return [`the tier invariants pass could not finish: ${(e as Error).message}`];
  }
}

/**
 * The personality's side: Linux lets mmap take a process one mapping past
 * vm.max_map_count, never more; every live VSpace is some process's (a
 * process being reaped included), else it leaked.
 */
function mapCountProblems(sys: LinuxSystem): string[] {
  const out: string[] = [];
  const max = maxMapCount(sys);
  const seen = new Set<unknown>();
  for (const p of sys.processes.values()) {
    const vs = p.mem.vs;
    if (seen.has(vs)) continue;
    seen.add(vs);
    if (p.exit === undefined && vs.regions.length > max + 1) out.push(`pid ${p.pid}: ${vs.regions.length} mappings, vm.max_map_count is ${max}`);
  }
  for (const vs of sys.kernel.mm.vspaces) if (!seen.has(vs)) out.push(`VSpace ${vs.id}: live, but no process's address space`);
  return out;
}

/** What is wrong after the run (empty: every check passed). */
export function auditAfterRun(sys: LinuxSystem): string[] {
  const problems: string[] = [];
  const mm = sys.kernel.mm;
  let now: OwnerCounts;
  // Sockets in flight that nothing can reach are freed by the time Linux's collector has run (it is amortized here).
  collectGarbage();
  try {
    now = mm.pmm.audit();
  } catch (e) {
    return [(e as Error).message];
  }
  const blocks = sys.fs.space.usedBlocks + sys.fs.anonSpace.usedBlocks;
  if (fileFrames.has(sys) && now['fs-data'] !== blocks) problems.push(`file data: ${now['fs-data']} frames owned, ${blocks} blocks in files`);
  const st = states.get(sys);
  if (st) problems.push(...st.found, ...(st.dropped > 0 ? [`${st.dropped} more violations during the run`] : []));
  const t0 = performance.now();
  problems.push(...tierProblems(sys));
  if (st) st.endMs = performance.now() - t0;
  const boot = st?.boot;
  if (boot && sys.sched.all.length === 0 && mm.memoryObjects.size === 0) {
    if (mm.vspaces.size !== 0) problems.push(`${mm.vspaces.size} VSpaces outlive every process`);
    // SysV message queues and semaphore sets outlive the processes that made them (until IPC_RMID).
    const kept = [MSG_CHARGE_KIND, SEM_CHARGE_KIND, MQUEUE_CHARGE_KIND].reduce((n, kind) => n + Math.ceil(mm.kobjs.bytesOf(kind) / 4096), 0);
    for (const o of FRAME_OWNERS) {
      if (o === 'free' || o === 'fs-data') continue;
      const queues = o === 'kobj' ? kept : 0;
      if (now[o] !== boot[o] + queues) problems.push(`${o}: ${now[o]} frames at the end, ${boot[o]} at boot${queues > 0 ? ` and ${queues} held by SysV queues and semaphore sets` : ''}`);
    }
  }
  return problems;
}
