// The counters salty compare and --stats report, on both backends: table
// entries written by level, TLB invalidations by kind, ASIDs assigned, and
// the PMM's peak per owner.

import { afterEach, describe, expect, it } from 'vitest';
import type { TlbHooks } from '../../kernel/arch/arch';
import { BACKENDS, newMachine, userWrite, checkMachines } from './backends';

// After each test: the tier invariants hold in every machine it made (kernel/mm/tier-invariants.ts).
afterEach(checkMachines);

const RW = { read: true, write: true, exec: false };
const BASE = 0x40_0000;

describe.each(BACKENDS)('statistics counters on $name', (backend) => {
  it('counts the entries a first page writes (three table pointers, one leaf) and what its unmap clears', () => {
    const { mem, mm } = newMachine(backend);
    const vs = mm.createVSpace();
    const mo = mm.createMemoryObject(2);
    vs.map(BASE, 2 * 4096, mo, 0, RW, 'heap');
    const w0 = { ...mm.arch.entryWrites };
    expect(userWrite(backend, mem, mm, vs, BASE, 1)).toBe(true);
    expect(mm.arch.entryWrites.upper - w0.upper).toBe(3);
    expect(mm.arch.entryWrites.leaves - w0.leaves).toBe(1);
    expect(userWrite(backend, mem, mm, vs, BASE + 4096, 1)).toBe(true);
    expect(mm.arch.entryWrites.upper - w0.upper).toBe(3);
    expect(mm.arch.entryWrites.leaves - w0.leaves).toBe(2);
    // Unmapping both clears two leaves, then the three emptied tables' pointers.
    vs.unmap(BASE, 2 * 4096);
    expect(mm.arch.entryWrites.leaves - w0.leaves).toBe(4);
    expect(mm.arch.entryWrites.upper - w0.upper).toBe(6);
  });

  it('counts the TLB maintenance it asks of the machine, by kind, and passes it on', () => {
    const seen: string[] = [];
    const tlb: TlbHooks = { invalidatePage: () => seen.push('page'), invalidateAsid: () => seen.push('asid'), invalidateAll: () => seen.push('all') };
    const { mem, mm } = newMachine(backend, undefined, tlb);
    const vs = mm.createVSpace();
    const mo = mm.createMemoryObject(3);
    vs.map(BASE, 3 * 4096, mo, 0, RW, 'heap');
    for (let p = 0; p < 3; p++) userWrite(backend, mem, mm, vs, BASE + p * 4096, 1);
    vs.unmap(BASE, 3 * 4096);
    mm.destroyVSpace(vs);
    const c = mm.counters;
    expect([c.tlbPage, c.tlbAsid, c.tlbAll]).toEqual([seen.filter((s) => s === 'page').length, seen.filter((s) => s === 'asid').length, 0]);
    expect(c.tlbPage).toBeGreaterThanOrEqual(3);
    expect(c.tlbAsid).toBeGreaterThanOrEqual(1);
  });

  it('counts ASIDs assigned and the highest in use; reuse does not raise it', () => {
    const { mm } = newMachine(backend);
    const a = mm.createVSpace();
    const b = mm.createVSpace();
    mm.destroyVSpace(b);
    mm.createVSpace();
    expect(mm.asids.assigned).toBe(3);
    expect(mm.asids.highest).toBe(2);
    expect(a.root.asid).toBe(1);
  });

  it('keeps each owner\'s peak, and the fewest free frames', () => {
    const { mm } = newMachine(backend);
    const start = mm.pmm.stats();
    const frames = [0, 1, 2, 3, 4].map(() => mm.pmm.alloc('kernel-object'));
    for (const pa of frames.slice(0, 4)) mm.pmm.free(pa, 'kernel-object');
    mm.pmm.alloc('kernel-object');
    const peak = mm.pmm.peakStats();
    expect(mm.pmm.stats()['kernel-object'] - start['kernel-object']).toBe(2);
    expect(peak['kernel-object'] - start['kernel-object']).toBe(5);
    expect(start.free - peak.free).toBe(5);
  });
});
