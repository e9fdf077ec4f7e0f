// salty compare's figures against programs whose answer is known in advance
// (tests/fixtures/compare/probe.c), on both backends: N fresh pages touched
// give N more demand faults, a fork then K page writes K more COW copies, and
// a crafted address-space shape the page-table frames its layout implies.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBackend, type BackendRun } from '../../tools/cli/compare-run';

const ARCHES = ['aarch64', 'x86_64'] as const;
type Arch = (typeof ARCHES)[number];

function probe(arch: Arch, ...args: string[]): BackendRun {
  const file = `tests/fixtures/compare/probe-${arch}.elf`;
  const r = runBackend(file, readFileSync(file), { args, argv0: 'probe', env: [], memoryBytes: 64 << 20, sampleEvery: 1000 });
  expect(r.stdout).toBe('probe done\n');
  expect(r.status).toBe(0);
  expect(r.arch).toBe(arch);
  return r;
}

/**
 * Both arches translate a 48-bit (aarch64) or 47-bit (x86_64) user address
 * with 4 KiB pages through 4 levels of 512-entry tables: the root, then one
 * table per distinct 512 GiB, 1 GiB and 2 MiB span (levels 1, 2, 3).
 */
const LAYOUT: Record<Arch, { readonly levels: number; readonly indexBits: number; readonly pageShift: number; readonly userBits: number }> = {
  aarch64: { levels: 4, indexBits: 9, pageShift: 12, userBits: 48 },
  x86_64: { levels: 4, indexBits: 9, pageShift: 12, userBits: 47 },
};

/** Tables below the root needed to map these pages and nothing else (disjoint from the program's). */
function tablesBelowRoot(arch: Arch, pages: readonly number[]): number {
  const l = LAYOUT[arch];
  let n = 0;
  for (let level = 1; level < l.levels; level++) {
    // A level-`level` table covers the span one entry of the level above maps.
    const span = 2 ** (l.pageShift + l.indexBits * (l.levels - level));
    n += new Set(pages.map((va) => Math.floor(va / span))).size;
  }
  for (const va of pages) expect(va).toBeLessThan(2 ** l.userBits);
  return n;
}

/** The pages probe.c's shape(S) maps, as written there. */
function shapePages(s: number): number[] {
  const base = 2 ** 44;
  const gib = 2 ** 30;
  const pages: number[] = [];
  if (s & 1) for (let i = 0; i < 3; i++) pages.push(base + i * 4096);
  if (s & 2) for (let i = 0; i < 4; i++) pages.push(base + 8 * gib + i * gib);
  if (s === 3) pages.push(base + 512 * gib, base + 1024 * gib);
  return pages;
}

describe.each(ARCHES)('salty compare figures on %s', (arch) => {
  it('counts one demand fault (and one data frame) per fresh page touched', () => {
    const base = probe(arch, 'touch', '0');
    for (const n of [1, 7, 40]) {
      const r = probe(arch, 'touch', String(n));
      expect(r.faults.demand - base.faults.demand).toBe(n);
      expect(r.framesAtPeak['mo-data'] - base.framesAtPeak['mo-data']).toBe(n);
      expect(r.faults.cow).toBe(base.faults.cow);
    }
  });

  it('counts one page invalidation and one leaf cleared per page unmapped', () => {
    for (const n of [1, 9]) {
      const touched = probe(arch, 'touch', String(n));
      const r = probe(arch, 'unmap', String(n));
      expect(r.tlb.page - touched.tlb.page).toBe(n);
      expect(r.entriesWritten.leaves - touched.entriesWritten.leaves).toBe(n);
      expect(r.faults.demand).toBe(touched.faults.demand);
    }
  });

  it('counts one COW copy per page the forked child writes', () => {
    const base = probe(arch, 'cow', '0');
    expect(base.fork.count).toBe(1);
    for (const k of [1, 5, 33]) {
      const r = probe(arch, 'cow', String(k));
      expect(r.cow.copies - base.cow.copies).toBe(k);
      expect(r.faults.cow - base.faults.cow).toBe(k);
      expect(r.fork.count).toBe(1);
    }
  });

  it('peaks at the page-table frames the layout implies for a crafted address space', () => {
    const base = probe(arch, 'shape', '0');
    const expected = [0, 3, 9, 17];
    for (const s of [1, 2, 3]) {
      const r = probe(arch, 'shape', String(s));
      expect(tablesBelowRoot(arch, shapePages(s))).toBe(expected[s]);
      expect(r.tableFramesAtPeak - base.tableFramesAtPeak).toBe(tablesBelowRoot(arch, shapePages(s)));
      // Each new table took one upper-level entry (pointing at it) and each page one leaf.
      expect(r.entriesWritten.upper - base.entriesWritten.upper).toBe(expected[s]);
      expect(r.faults.demand - base.faults.demand).toBe(shapePages(s).length);
      // The tables go back when the process ends.
      expect(r.framesAtExit['page-table']).toBe(base.framesAtExit['page-table']);
    }
  });
});
