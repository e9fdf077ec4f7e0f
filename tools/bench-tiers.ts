// `npm run bench:tiers`: the memory tiers on both arch backends, without a CPU.
// Faults are handed to the kernel as the arch layer would decode them, so the
// figures are the kernel's service times alone. Medians of BENCH_REPEATS runs.

import { PhysicalMemory } from '../board/memory/physical-memory';
import type { ArchFactory, PageFault } from '../kernel/arch/arch';
import { createAarch64Mmu } from '../kernel/arch/aarch64/mmu';
import { createX86Mmu } from '../kernel/arch/x86_64/mmu';
import { buildDirectMap, DIRECT_MAP_ATTRS, DIRECT_MAP_BASE } from '../kernel/mm/direct-map';
import { resolveFault } from '../kernel/mm/fault';
import { MemoryManager } from '../kernel/mm/memory-manager';
import type { MemoryObject } from '../kernel/mm/memory-object';
import type { VSpace } from '../kernel/mm/vspace';

const RAM_BASE = 0x4000_0000;
const RAM_BYTES = 320 << 20;
const PAGE = 4096;
const BASE = 0x1000_0000;
const RW = { read: true, write: true, exec: false };
const SIZES_MIB = [16, 64, 256];
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const COW_SAMPLES = 2000;
const BACKENDS: [string, ArchFactory][] = [['aarch64', createAarch64Mmu], ['x86_64', createX86Mmu]];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function machine(arch: ArchFactory, ramBytes = RAM_BYTES): MemoryManager {
  const ram = new PhysicalMemory(RAM_BASE, ramBytes);
  return new MemoryManager({ ram, arch, map: { ramBase: RAM_BASE, ramSize: ramBytes, reserved: [] } });
}

function fault(mm: MemoryManager, vs: VSpace, va: number, kind: PageFault['kind']): void {
  const out = resolveFault(vs, { address: va, access: 'write', kind, user: true }, mm.counters);
  if (!out.resolved) throw new Error(out.report.reason);
}

/** Per-fault times in microseconds. */
function timedFaults(mm: MemoryManager, vs: VSpace, vas: number[], kind: PageFault['kind']): number[] {
  const out: number[] = [];
  for (const va of vas) {
    const t = performance.now();
    fault(mm, vs, va, kind);
    out.push((performance.now() - t) * 1000);
  }
  return out;
}

interface ForkRow {
  readonly arch: string;
  readonly mib: number;
  readonly forkMs: number;
  readonly pagesCopied: number;
  /** Entries fork wrote to take write away (table entries and single leaves). */
  readonly entriesWritten: number;
  readonly parentTables: number;
  readonly demandUs: number;
  readonly cowUs: number;
  /** The parent's first write to a leaf table after fork: split the table's protection, then copy. */
  readonly splitUs: number;
}

function pagesOf(mib: number): number[] {
  return Array.from({ length: (mib << 20) / PAGE }, (_, i) => BASE + i * PAGE);
}

function fork(mm: MemoryManager, mo: MemoryObject, length: number): { vs: VSpace; child: MemoryObject } {
  const child = mm.clone(mo);
  const vs = mm.createVSpace();
  vs.map(BASE, length, child, 0, RW, 'heap');
  return { vs, child };
}

/** A parent with every page of its heap touched (written). */
function parentOf(mm: MemoryManager, mib: number): { vs: VSpace; mo: MemoryObject; demand: number[] } {
  const vs = mm.createVSpace();
  const length = mib << 20;
  const mo = mm.createMemoryObject(length / PAGE);
  vs.map(BASE, length, mo, 0, RW, 'heap');
  return { vs, mo, demand: timedFaults(mm, vs, pagesOf(mib), 'not-present') };
}

function forkRow(arch: string, factory: ArchFactory, mib: number): ForkRow {
  const mm = machine(factory);
  const length = mib << 20;
  const demand: number[] = [];
  const forkMs: number[] = [];
  const copied: number[] = [];
  const written: number[] = [];
  const cow: number[] = [];
  const split: number[] = [];
  let parentTables = 0;
  // A fresh parent each time: a second fork of the same parent would find its tables already protected.
  for (let r = 0; r < REPEATS; r++) {
    const p = parentOf(mm, mib);
    demand.push(...p.demand);
    parentTables = p.vs.tablePages;
    const copiesBefore = mm.counters.cowCopies;
    const entriesBefore = mm.counters.writeProtectEntries;
    const framesBefore = mm.pmm.stats()['mo-data'];
    const t = performance.now();
    const f = fork(mm, p.mo, length);
    forkMs.push(performance.now() - t);
    copied.push(mm.counters.cowCopies - copiesBefore + (mm.pmm.stats()['mo-data'] - framesBefore));
    written.push(mm.counters.writeProtectEntries - entriesBefore);
    const sample = pagesOf(mib).filter((_, i) => i % Math.max(1, Math.floor(length / PAGE / COW_SAMPLES)) === 0);
    cow.push(...timedFaults(mm, f.vs, sample, 'not-present'));
    split.push(...timedFaults(mm, p.vs, pagesOf(mib).filter((_, i) => i % 512 === 0), 'permission'));
    mm.destroyVSpace(f.vs);
    mm.destroyMemoryObject(f.child);
    mm.destroyVSpace(p.vs);
    mm.destroyMemoryObject(p.mo);
  }
  return {
    arch,
    mib,
    forkMs: median(forkMs),
    pagesCopied: Math.max(...copied),
    entriesWritten: Math.max(...written),
    parentTables,
    demandUs: median(demand),
    cowUs: median(cow),
    splitUs: median(split),
  };
}

interface DirectMapRow {
  readonly arch: string;
  readonly how: string;
  readonly ms: number;
  readonly tables: number;
}

function directMapRows(arch: string, factory: ArchFactory): DirectMapRow[] {
  const size = 256 << 20;
  const blocks: number[] = [];
  const pages: number[] = [];
  let blockTables = 0;
  let pageTables = 0;
  for (let r = 0; r < REPEATS; r++) {
    const mm = machine(factory, 288 << 20);
    let root = mm.arch.createRoot();
    let t = performance.now();
    buildDirectMap(mm.arch, root, RAM_BASE, size);
    blocks.push(performance.now() - t);
    blockTables = mm.arch.countTables(root);
    root = mm.arch.createRoot();
    t = performance.now();
    for (let pa = RAM_BASE; pa < RAM_BASE + size; pa += PAGE) mm.arch.map(root, DIRECT_MAP_BASE + pa, pa, DIRECT_MAP_ATTRS);
    pages.push(performance.now() - t);
    pageTables = mm.arch.countTables(root);
  }
  return [
    { arch, how: '2 MiB blocks', ms: median(blocks), tables: blockTables },
    { arch, how: '4 KiB pages', ms: median(pages), tables: pageTables },
  ];
}

function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padStart(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

function main(): void {
  const rows: ForkRow[] = [];
  for (const [arch, factory] of BACKENDS) for (const mib of SIZES_MIB) rows.push(forkRow(arch, factory, mib));
  console.log(`Fork (clone + map of one MemoryObject with every page touched), medians of ${REPEATS}:\n`);
  console.log(
    table(
      ['arch', 'touched MiB', 'fork ms', 'fork us / MiB', 'pages copied', 'entries written', 'parent table pages', 'demand fault us', 'child COW fault us', 'parent split+COW us'],
      rows.map((r) => [r.arch, r.mib, r.forkMs.toFixed(3), ((r.forkMs * 1000) / r.mib).toFixed(2), r.pagesCopied, r.entriesWritten, r.parentTables, r.demandUs.toFixed(2), r.cowUs.toFixed(2), r.splitUs.toFixed(2)]),
    ),
  );
  const dm: DirectMapRow[] = [];
  for (const [arch, factory] of BACKENDS) dm.push(...directMapRows(arch, factory));
  console.log(`\nKernel direct map of 256 MiB, medians of ${REPEATS}:\n`);
  console.log(table(['arch', 'built with', 'ms', 'table pages'], dm.map((r) => [r.arch, r.how, r.ms.toFixed(2), r.tables])));
}

main();
