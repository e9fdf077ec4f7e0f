import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, newMachine, userRead, userWrite, checkMachines } from './backends';

// After each test: the tier invariants hold in every machine it made (kernel/mm/tier-invariants.ts).
afterEach(checkMachines);

const RW = { read: true, write: true, exec: false };
const BASE = 0x40_0000;

describe.each(BACKENDS)('translation tables carved from Untyped on $name', (backend) => {
  it('kernel VSpaces take their root and tables from the pool, tagged page table, and give the pool back', () => {
    const { mem, mm } = newMachine(backend);
    const start = mm.pmm.audit();
    const vs = mm.createVSpace();
    expect(mm.pmm.ownerOf(vs.root.pa)).toBe('page-table');
    expect(mm.tableFrames.objectAt(vs.root.pa)?.type).toBe('vspace');
    const mo = mm.createMemoryObject(2);
    vs.map(BASE, 2 * 4096, mo, 0, RW, 'heap');
    userWrite(backend, mem, mm, vs, BASE, 1);
    const tables = mm.arch.countTables(vs.root);
    expect(tables).toBe(4);
    expect(mm.tableFrames.count).toBe(4);
    const counts = mm.pmm.audit();
    expect(counts['page-table']).toBe(4);
    // One 64 KiB pool chunk: the 12 frames not carved stay untyped-reserved.
    expect(counts['untyped-reserved']).toBe(16 - 4);
    for (const u of mm.tablePool.untypeds) expect(u.liveChildren).toBe(4);
    mm.destroyVSpace(vs);
    mm.destroyMemoryObject(mo);
    expect(mm.tablePool.untypeds.size).toBe(0);
    expect(mm.pmm.audit()).toEqual(start);
  });

  it('a VSpace retyped from a given untyped charges every table to it', () => {
    const { mem, mm } = newMachine(backend);
    const ut = mm.createUntyped(16);
    const vs = mm.createVSpace(ut);
    expect(vs.root.pa).toBe(ut.pa);
    const mo = mm.createMemoryObject(1);
    vs.map(BASE, 4096, mo, 0, RW, 'heap');
    expect(userRead(backend, mem, mm, vs, BASE)).toBe(0);
    expect(ut.liveChildren).toBe(4);
    expect(ut.usedBytes).toBe(4 * 4096);
    for (let f = 0; f < 4; f++) expect(mm.pmm.ownerOf(ut.pa + f * 4096)).toBe('page-table');
    expect(mm.pmm.ownerOf(ut.pa + 4 * 4096)).toBe('untyped-reserved');
    expect(() => ut.reset()).toThrow(/still live/);
    mm.destroyVSpace(vs);
    expect(ut.liveChildren).toBe(0);
    mm.pmm.audit();
  });

  it('revoking the untyped destroys its VSpace first, then the tables, and unmaps the object', () => {
    const { mem, mm } = newMachine(backend);
    const before = mm.pmm.audit();
    const ut = mm.createUntyped(16);
    const vs = mm.createVSpace(ut);
    const mo = mm.createMemoryObject(1);
    vs.map(BASE, 4096, mo, 0, RW, 'heap');
    userWrite(backend, mem, mm, vs, BASE, 9);
    expect(mo.mappingCount).toBe(1);
    ut.revoke();
    expect(vs.isDestroyed).toBe(true);
    expect(mm.vspaces.has(vs)).toBe(false);
    expect(mo.mappingCount).toBe(0);
    expect(mo.read(0, 1)[0]).toBe(9);
    expect(mm.pmm.stats()['page-table']).toBe(0);
    mm.destroyMemoryObject(mo);
    mm.destroyUntyped(ut);
    expect(mm.pmm.audit()).toEqual(before);
  });

  it('an untyped too small for the tables refuses the map that needs them', () => {
    const { mem, mm } = newMachine(backend);
    const ut = mm.createUntyped(13);
    const vs = mm.createVSpace(ut);
    const mo = mm.createMemoryObject(1);
    vs.map(BASE, 4096, mo, 0, RW, 'heap');
    const before = mm.pmm.audit();
    expect(() => userRead(backend, mem, mm, vs, BASE)).toThrow(/no room/);
    expect(ut.liveChildren).toBe(2);
    mm.destroyVSpace(vs);
    expect(ut.liveChildren).toBe(0);
    expect(before['page-table']).toBe(1);
    expect(mm.pmm.audit()['page-table']).toBe(0);
  });
});
