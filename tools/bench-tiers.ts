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
  readonly parentTables: number;
  readonly demandUs: number;
  readonly cowUs: number;
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

function forkRow(arch: string, factory: ArchFactory, mib: number): ForkRow {
  const mm = machine(factory);
  const vs = mm.createVSpace();
  const length = mib << 20;
  const mo = mm.createMemoryObject(length / PAGE);
  vs.map(BASE, length, mo, 0, RW, 'heap');
  const demand = timedFaults(mm, vs, pagesOf(mib), 'not-present');
  const forkMs: number[] = [];
  const copied: number[] = [];
  const cow: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const before = mm.counters.cowCopies;
    const framesBefore = mm.pmm.stats()['mo-data'];
    const t = performance.now();
    const f = fork(mm, mo, length);
    forkMs.push(performance.now() - t);
    copied.push(mm.counters.cowCopies - before + (mm.pmm.stats()['mo-data'] - framesBefore));
    const sample = pagesOf(mib).filter((_, i) => i % Math.max(1, Math.floor(length / PAGE / COW_SAMPLES)) === 0);
    cow.push(...timedFaults(mm, f.vs, sample, 'not-present'));
    mm.destroyVSpace(f.vs);
    mm.destroyMemoryObject(f.child);
  }
  return { arch, mib, forkMs: median(forkMs), pagesCopied: Math.max(...copied), parentTables: vs.tablePages, demandUs: median(demand), cowUs: median(cow) };
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
      ['arch', 'touched MiB', 'fork ms', 'fork us / MiB', 'pages copied', 'parent table pages', 'table KiB', 'demand fault us', 'COW fault us'],
      rows.map((r) => [r.arch, r.mib, r.forkMs.toFixed(2), ((r.forkMs * 1000) / r.mib).toFixed(1), r.pagesCopied, r.parentTables, r.parentTables * 4, r.demandUs.toFixed(2), r.cowUs.toFixed(2)]),
    ),
  );
  const dm: DirectMapRow[] = [];
  for (const [arch, factory] of BACKENDS) dm.push(...directMapRows(arch, factory));
  console.log(`\nKernel direct map of 256 MiB, medians of ${REPEATS}:\n`);
  console.log(table(['arch', 'built with', 'ms', 'table pages'], dm.map((r) => [r.arch, r.how, r.ms.toFixed(2), r.tables])));
}

main();
