// The checks `salty run --audit` makes when the run ends (the hostile-guest
// tests rely on them): the PMM's own audit (every frame exactly one owner,
// the counts add up), the writable layer's charge equal to the frames it
// holds, and, once no process is left, every frame back with the owner it
// had at boot (nothing leaked by the processes that ran), the file data
// aside.

import type { OwnerCounts } from '../mm/pmm';
import { FRAME_OWNERS } from '../mm/frame-owner';
import type { LinuxSystem } from './linux-system';
import { fileFrames } from './writable-layer';
import { collectGarbage } from '../vfs/unix-gc';
import { MSG_CHARGE_KIND, SEM_CHARGE_KIND } from './kobj-charges';
import { MQUEUE_CHARGE_KIND } from './mqueue-charges';

const atBoot = new WeakMap<LinuxSystem, OwnerCounts>();

/** Remembers the frames by owner as they are before any process runs. */
export function recordBootFrames(sys: LinuxSystem): void {
  atBoot.set(sys, sys.kernel.mm.pmm.audit());
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
  for (const vs of mm.vspaces) {
    const walked = vs.countTablesByWalk();
    if (vs.tablePages !== walked) problems.push(`vspace ${vs.id}: ${vs.tablePages} tables counted, ${walked} reachable`);
  }
  const boot = atBoot.get(sys);
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
