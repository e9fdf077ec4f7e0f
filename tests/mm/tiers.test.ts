import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, newMachine, RAM_BASE, touch, userRead, userWrite, checkMachines } from './backends';
import { collectStats, formatStats } from '../../kernel/mm/stats-report';

// After each test: the tier invariants hold in every machine it made (kernel/mm/tier-invariants.ts).
afterEach(checkMachines);

const RW = { read: true, write: true, exec: false };
const RO = { read: true, write: false, exec: false };
const RX = { read: true, write: false, exec: true };
const NONE = { read: false, write: false, exec: false };
const BASE = 0x40_0000;

describe.each(BACKENDS)('memory tiers on $name', (backend) => {
  function setup(maxChainDepth?: number) {
    const { mem, mm } = newMachine(backend, maxChainDepth);
    const start = mm.pmm.audit();
    const vs = mm.createVSpace();
    return { mem, mm, vs, start };
  }

  it('demand-faults a zero page on first read, writable after a write', () => {
    const { mem, mm, vs } = setup();
    const mo = mm.createMemoryObject(4);
    vs.map(BASE, 4 * 4096, mo, 0, RW, 'heap');
    expect(backend.walk(mem, vs.root, BASE + 5, 'read').ok).toBe(false);
    expect(userRead(backend, mem, mm, vs, BASE + 5)).toBe(0);
    expect(userWrite(backend, mem, mm, vs, BASE + 4096 + 7, 0xab)).toBe(true);
    expect(mo.read(4096 + 7, 1)[0]).toBe(0xab);
    expect(mm.pmm.stats()['mo-data']).toBe(2);
    expect(mm.counters.faultsDemand).toBe(2);
    mm.pmm.audit();
  });

  it('fills file-backed pages through the pager on first touch', () => {
    const { mem, mm, vs } = setup();
    const mo = mm.createMemoryObject(2, (page, bytes) => bytes.fill(0x10 + page));
    vs.map(BASE, 2 * 4096, mo, 0, RX, 'text');
    expect(userRead(backend, mem, mm, vs, BASE + 4096)).toBe(0x11);
    expect(touch(backend, mem, mm, vs, BASE, 'fetch').ok).toBe(true);
    expect(mm.counters.pagerFills).toBe(2);
    const w = touch(backend, mem, mm, vs, BASE, 'write');
    expect(w.ok).toBe(false);
    expect(w.outcomes.at(-1)).toMatchObject({ resolved: false, report: { kind: 'permission', address: BASE } });
  });

  it('reports unmapped addresses and refuses fetch from non-executable pages', () => {
    const { mem, mm, vs } = setup();
    const mo = mm.createMemoryObject(1);
    vs.map(BASE, 4096, mo, 0, RW, 'data');
    const t = touch(backend, mem, mm, vs, BASE + 0x10_0000, 'read');
    expect(t).toMatchObject({ ok: false, outcomes: [{ resolved: false, report: { kind: 'unmapped', address: BASE + 0x10_0000 } }] });
    userWrite(backend, mem, mm, vs, BASE, 1);
    const f = touch(backend, mem, mm, vs, BASE, 'fetch');
    expect(f).toMatchObject({ ok: false, outcomes: [{ resolved: false, report: { kind: 'permission' } }] });
  });

  it('copies on write after a clone, and gives the last sharer its page without a copy', () => {
    const { mem, mm, vs } = setup();
    const parent = mm.createMemoryObject(2);
    vs.map(BASE, 2 * 4096, parent, 0, RW, 'data');
    userWrite(backend, mem, mm, vs, BASE, 0x11);
    userWrite(backend, mem, mm, vs, BASE + 4096, 0x22);
    const child = mm.clone(parent);
    const vs2 = mm.createVSpace();
    vs2.map(BASE, 2 * 4096, child, 0, RW, 'data');
    // The parent's mapping became read-only in the hardware table.
    expect(backend.walk(mem, vs.root, BASE, 'write').ok).toBe(false);
    expect(userRead(backend, mem, mm, vs2, BASE)).toBe(0x11);
    const framesBefore = mm.pmm.stats()['mo-data'];
    expect(userWrite(backend, mem, mm, vs2, BASE, 0x99)).toBe(true);
    expect(mm.counters.cowCopies).toBe(1);
    expect(mm.pmm.stats()['mo-data']).toBe(framesBefore + 1);
    expect(userRead(backend, mem, mm, vs, BASE)).toBe(0x11);
    // Destroy the child: the frozen store collapses into the parent, whose page is private again.
    expect(parent.depth).toBe(2);
    mm.destroyVSpace(vs2);
    mm.destroyMemoryObject(child);
    expect(parent.depth).toBe(1);
    const t = touch(backend, mem, mm, vs, BASE + 4096, 'write');
    expect(t.ok).toBe(true);
    expect(t.outcomes.map((o) => (o.resolved ? o.action : 'x'))).toEqual(['cow-reuse']);
    expect(mm.counters.cowCopies).toBe(1);
    expect(mem.bytes[(t.ok ? t.pa : 0) - RAM_BASE]).toBe(0x22);
    mm.pmm.audit();
  });

  it('resolves access-flag faults after aging', () => {
    const { mem, mm, vs } = setup();
    const mo = mm.createMemoryObject(1);
    vs.map(BASE, 4096, mo, 0, RW, 'heap');
    userWrite(backend, mem, mm, vs, BASE, 5);
    expect(vs.age(BASE, 4096)).toBe(1);
    expect(mm.arch.query(vs.root, BASE)?.accessed).toBe(false);
    const t = touch(backend, mem, mm, vs, BASE, 'read');
    expect(t.outcomes.map((o) => (o.resolved ? o.action : 'x'))).toEqual(['access-flag']);
    expect(t.ok && mem.bytes[t.pa - RAM_BASE]).toBe(5);
    expect(mm.arch.query(vs.root, BASE)?.accessed).toBe(true);
  });

  it('decommit unmaps every mapping and the page reads as zero again', () => {
    const { mem, mm, vs } = setup();
    const mo = mm.createMemoryObject(1);
    const vs2 = mm.createVSpace();
    vs.map(BASE, 4096, mo, 0, RW, 'mmap');
    vs2.map(BASE * 2, 4096, mo, 0, RW, 'mmap');
    userWrite(backend, mem, mm, vs, BASE, 7);
    expect(userRead(backend, mem, mm, vs2, BASE * 2)).toBe(7);
    expect(mo.mappingCount).toBe(2);
    mo.decommit(0);
    expect(mo.mappingCount).toBe(0);
    expect(backend.walk(mem, vs.root, BASE, 'read').ok).toBe(false);
    expect(backend.walk(mem, vs2.root, BASE * 2, 'read').ok).toBe(false);
    expect(mm.pmm.stats()['mo-data']).toBe(0);
    expect(userRead(backend, mem, mm, vs2, BASE * 2)).toBe(0);
  });

  it('protect lowers and raises rights; PROT_NONE removes the entries', () => {
    const { mem, mm, vs } = setup();
    const mo = mm.createMemoryObject(3);
    vs.map(BASE, 3 * 4096, mo, 0, RW, 'heap');
    for (let i = 0; i < 3; i++) userWrite(backend, mem, mm, vs, BASE + i * 4096, i + 1);
    vs.protect(BASE + 4096, 4096, RO);
    expect(vs.regions.map((r) => [r.start, r.end, r.moPage, r.perms.write])).toEqual([
      [BASE, BASE + 4096, 0, true], [BASE + 4096, BASE + 8192, 1, false], [BASE + 8192, BASE + 12288, 2, true],
    ]);
    expect(backend.walk(mem, vs.root, BASE + 4096, 'write').ok).toBe(false);
    expect(backend.walk(mem, vs.root, BASE + 4096, 'read').ok).toBe(true);
    expect(touch(backend, mem, mm, vs, BASE + 4096, 'write').ok).toBe(false);
    vs.protect(BASE + 4096, 4096, RW);
    expect(userWrite(backend, mem, mm, vs, BASE + 4096, 9)).toBe(true);
    vs.protect(BASE, 4096, NONE);
    expect(backend.walk(mem, vs.root, BASE, 'read').ok).toBe(false);
    expect(touch(backend, mem, mm, vs, BASE, 'read').ok).toBe(false);
    expect(mo.read(0, 3)).toEqual(new Uint8Array([1, 0, 0]));
  });

  it('unmap splits a region and removes the hardware entries', () => {
    const { mem, mm, vs } = setup();
    const mo = mm.createMemoryObject(3);
    vs.map(BASE, 3 * 4096, mo, 0, RW, 'mmap');
    for (let i = 0; i < 3; i++) userWrite(backend, mem, mm, vs, BASE + i * 4096, i + 1);
    vs.unmap(BASE + 4096, 4096);
    expect(vs.regions.length).toBe(2);
    expect(backend.walk(mem, vs.root, BASE + 4096, 'read').ok).toBe(false);
    expect(userRead(backend, mem, mm, vs, BASE + 8192)).toBe(3);
    expect(mo.mappingCount).toBe(2);
  });

  it('flattens a long clone chain and keeps every generation readable', () => {
    const { mm } = setup(3);
    let mo = mm.createMemoryObject(2);
    mo.write(0, new Uint8Array([1]));
    const gens = [mo];
    for (let g = 2; g <= 6; g++) {
      mo = mm.clone(mo);
      mo.write(4096, new Uint8Array([g]));
      gens.push(mo);
      expect(mo.depth).toBeLessThanOrEqual(4);
    }
    expect(mm.counters.flattens).toBeGreaterThan(0);
    expect(gens.map((m) => m.read(0, 1)[0])).toEqual([1, 1, 1, 1, 1, 1]);
    expect(gens.map((m) => m.read(4096, 1)[0])).toEqual([0, 2, 3, 4, 5, 6]);
  });

  it('gives back every frame when everything is destroyed, and reports stats', () => {
    const { mem, mm, vs, start } = setup();
    const mo = mm.createMemoryObject(600);
    vs.map(BASE, 600 * 4096, mo, 0, RW, 'heap');
    for (let i = 0; i < 600; i += 50) userWrite(backend, mem, mm, vs, BASE + i * 4096, 1);
    const clone = mm.clone(mo);
    clone.write(0, new Uint8Array([3]));
    const stats = collectStats(mm);
    expect(stats.vspaces[0].tablePages).toBe(mm.arch.countTables(vs.root));
    expect(stats.vspaces[0].tablePages).toBeGreaterThanOrEqual(4);
    expect(formatStats(stats)).toMatch(/COW copies 1/);
    mm.destroyVSpace(vs);
    mm.destroyMemoryObject(mo);
    mm.destroyMemoryObject(clone);
    expect(mm.pmm.audit()).toEqual(start);
  });
});
