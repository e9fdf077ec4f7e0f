// Statistics of every tier, and their readable report.

import { FRAME_OWNERS, OWNER_LABEL } from './frame-owner';
import type { MemoryManager } from './memory-manager';
import type { MmCounters } from './mm-stats';
import type { OwnerCounts } from './pmm';
import type { KindFigures } from './kobj-ledger';

export interface TierStats {
  readonly frames: OwnerCounts;
  readonly totalFrames: number;
  readonly untyped: { readonly count: number; readonly usedBytes: number; readonly freeBytes: number };
  readonly memoryObjects: { readonly live: number; readonly committedPages: number };
  readonly vspaces: readonly { readonly id: number; readonly tablePages: number; readonly mappedPages: number }[];
  readonly counters: MmCounters;
  /** The most frames each owner held at once ('free': the fewest free). */
  readonly peakFrames: OwnerCounts;
  readonly entryWrites: { readonly upper: number; readonly leaves: number };
  readonly asids: { readonly assigned: number; readonly highest: number; readonly rollovers: number };
  /** Kernel objects charged to guest memory, by kind (kobj-ledger.ts). */
  readonly kobjs: readonly KindFigures[];
  /** Guest pages other parts of the kernel report (the writable layer's). */
  readonly outside: readonly { readonly label: string; readonly pages: number }[];
  /** The PMM's and the kobj ledger's audits: 'ok' or what failed. */
  readonly audit: string;
}

export function collectStats(mm: MemoryManager): TierStats {
  let usedBytes = 0;
  let freeBytes = 0;
  const all = [...mm.untypeds, ...mm.tablePool.untypeds];
  for (const u of all) {
    usedBytes += u.usedBytes;
    freeBytes += u.freeBytes;
  }
  let committedPages = 0;
  for (const mo of mm.memoryObjects) committedPages += mo.committedPages;
  return {
    frames: mm.pmm.stats(),
    totalFrames: mm.pmm.frameCount,
    untyped: { count: all.length, usedBytes, freeBytes },
    memoryObjects: { live: mm.memoryObjects.size, committedPages },
    vspaces: [...mm.vspaces].map((v) => ({ id: v.id, tablePages: v.tablePages, mappedPages: v.mappedPages })),
    counters: { ...mm.counters },
    peakFrames: mm.pmm.peakStats(),
    entryWrites: { ...mm.arch.entryWrites },
    asids: { assigned: mm.asids.assigned, highest: mm.asids.highest, rollovers: mm.asids.rollovers },
    kobjs: mm.kobjs.figures(),
    outside: mm.kobjs.outsideFigures(),
    audit: auditTiers(mm),
  };
}

export function formatStats(s: TierStats): string {
  const c = s.counters;
  const lines = [`PMM: ${s.totalFrames} frames of 4 KiB`];
  for (const o of FRAME_OWNERS) lines.push(`  ${OWNER_LABEL[o].padEnd(22)} ${String(s.frames[o]).padStart(8)}`);
  if (s.kobjs.length > 0) lines.push(...formatKobjs(s.kobjs));
  for (const o of s.outside) lines.push(`Guest memory in ${o.label}: ${o.pages} pages (${((o.pages * 4096) / 1024).toFixed(0)} KiB)`);
  lines.push(`Audit (every frame one owner, kernel-object charges held in whole frames): ${s.audit}`);
  lines.push(`Untyped: ${s.untyped.count} regions (the kernel's table pool included), ${s.untyped.usedBytes} bytes used, ${s.untyped.freeBytes} free`);
  lines.push(`MemoryObjects: ${s.memoryObjects.live} live, ${s.memoryObjects.committedPages} pages committed (own)`);
  lines.push(`  created ${c.moCreated}, destroyed ${c.moDestroyed}, zero-filled ${c.demandZero}, pager-filled ${c.pagerFills}`);
  lines.push(`  COW copies ${c.cowCopies}, hand-overs ${c.cowHandovers}, chains flattened ${c.flattens}`);
  lines.push(`Faults: demand ${c.faultsDemand}, copy-on-write ${c.faultsCow}, access flag ${c.faultsAccessFlag}, spurious ${c.faultsSpurious}, unresolved ${c.faultsUnresolved}`);
  lines.push(`Page-table frames at peak: ${s.peakFrames['page-table']}; entries written: ${s.entryWrites.upper} upper-level, ${s.entryWrites.leaves} leaves`);
  lines.push(`TLB invalidations: page ${c.tlbPage}, ASID/PCID ${c.tlbAsid}, all ${c.tlbAll}; ASIDs/PCIDs assigned ${s.asids.assigned} (highest ${s.asids.highest}, rollovers ${s.asids.rollovers})`);
  if (c.forks > 0) lines.push(`Forks: ${c.forks}, ${c.forkEntries} table entries written, ${c.forkMs.toFixed(3)} ms`);
  lines.push(`VSpaces: ${s.vspaces.length}`);
  for (const v of s.vspaces) lines.push(`  vspace ${v.id}: ${v.tablePages} table pages, ${v.mappedPages} pages mapped`);
  return lines.join('\n');
}

/** Kernel-object memory by kind: bytes charged now and at the peak, and the frames they hold. */
function formatKobjs(kinds: readonly KindFigures[]): string[] {
  const kib = (b: number): string => `${(b / 1024).toFixed(0)} KiB`.padStart(12);
  const lines = ['Kernel objects charged to guest memory (now, peak, frames now):'];
  for (const k of [...kinds].sort((a, b) => b.peakBytes - a.peakBytes)) lines.push(`  ${k.kind.padEnd(20)} ${kib(k.bytes)} ${kib(k.peakBytes)} ${String(k.frames).padStart(8)}`);
  return lines;
}

function auditTiers(mm: MemoryManager): string {
  try {
    mm.pmm.audit();
    mm.kobjs.audit();
    return 'ok';
  } catch (e) {
    return (e as Error).message;
  }
}
