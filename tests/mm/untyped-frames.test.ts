// MemoryObject frames retyped out of an untyped: the PMM's owners, the limit
// the untyped sets, and a revoke that gives every frame back, clones made
// with another untyped included.
import { afterEach, describe, expect, it } from 'vitest';
import { UntypedExhausted } from '../../kernel/mm/untyped-frames';
import { BACKENDS, newMachine, userRead, userWrite, checkMachines } from './backends';

// After each test: the tier invariants hold in every machine it made (kernel/mm/tier-invariants.ts).
afterEach(checkMachines);

const RW = { read: true, write: true, exec: false };
const BASE = 0x40_0000;

describe('MemoryObject frames from an untyped', () => {
  it('commits charge frames and radix nodes to the untyped, which the PMM sees as MemoryObject data and metadata', () => {
    const { mm } = newMachine(BACKENDS[0]);
    const start = mm.pmm.audit();
    const u = mm.createUntyped(16);
    const mo = mm.createMemoryObject(8, null, mm.untypedFrames(u));
    mo.commit(0, 3);
    expect(u.usedBytes).toBe((3 + 4) * 4096);
    expect(mm.pmm.stats()['mo-data'] - start['mo-data']).toBe(3);
    expect(mm.pmm.stats()['mo-meta'] - start['mo-meta']).toBe(4);
    expect(mm.pmm.stats()['untyped-reserved'] - start['untyped-reserved']).toBe(16 - 7);
    mo.decommit(0, 3);
    // The radix nodes go with the last page.
    expect(u.usedBytes).toBe(0);
    mm.destroyMemoryObject(mo);
    mm.destroyUntyped(u);
    expect(mm.pmm.audit()).toEqual(start);
  });

  it('an object never holds more than its untyped: the fault that would exceed it fails', () => {
    const backend = BACKENDS[1];
    const { mem, mm } = newMachine(backend);
    const u = mm.createUntyped(15); // 8 frames
    const mo = mm.createMemoryObject(16, null, mm.untypedFrames(u));
    const vs = mm.createVSpace();
    vs.map(BASE, 16 * 4096, mo, 0, RW, 'mmap');
    let written = 0;
    expect(() => {
      for (let i = 0; i < 16; i++) {
        userWrite(backend, mem, mm, vs, BASE + i * 4096, i + 1);
        written++;
      }
    }).toThrow(UntypedExhausted);
    // Four radix nodes and four pages fill the eight frames.
    expect(written).toBe(4);
    expect(u.freeBytes).toBe(0);
    mm.pmm.audit();
  });

  it('revoking an untyped destroys the clones that read its frames, even those made with another untyped, and every frame comes back', () => {
    const backend = BACKENDS[1];
    const { mem, mm } = newMachine(backend);
    const start = mm.pmm.audit();
    const u = mm.createUntyped(16);
    const v = mm.createUntyped(16);
    const mo = mm.createMemoryObject(4, null, mm.untypedFrames(u));
    const vs = mm.createVSpace();
    vs.map(BASE, 4 * 4096, mo, 0, RW, 'mmap');
    for (let i = 0; i < 4; i++) userWrite(backend, mem, mm, vs, BASE + i * 4096, 10 + i);
    const clone = mm.clone(mo, mm.untypedFrames(v));
    vs.map(BASE + 0x10_0000, 4 * 4096, clone, 0, RW, 'mmap');
    expect(userRead(backend, mem, mm, vs, BASE + 0x10_0000 + 4096)).toBe(11);
    userWrite(backend, mem, mm, vs, BASE + 0x10_0000, 99);
    // The clone's copy came from v; the page it shares with mo is u's.
    expect(v.usedBytes).toBe((1 + 4) * 4096);
    u.revoke();
    expect(mo.isDestroyed).toBe(true);
    expect(clone.isDestroyed).toBe(true);
    expect(u.usedBytes).toBe(0);
    expect(v.usedBytes).toBe(0);
    mm.pmm.audit();
    // Both regions now fault as unmapped: their objects are gone.
    expect(userRead(backend, mem, mm, vs, BASE)).toBeNull();
    expect(userRead(backend, mem, mm, vs, BASE + 0x10_0000)).toBeNull();
    mm.destroyVSpace(vs);
    mm.destroyUntyped(u);
    mm.destroyUntyped(v);
    expect(mm.pmm.audit()).toEqual(start);
  });

  it('revoking the clone\'s untyped leaves the original whole', () => {
    const backend = BACKENDS[0];
    const { mem, mm } = newMachine(backend);
    const u = mm.createUntyped(16);
    const v = mm.createUntyped(16);
    const mo = mm.createMemoryObject(2, null, mm.untypedFrames(u));
    mo.write(0, new Uint8Array([7]));
    const clone = mm.clone(mo, mm.untypedFrames(v));
    clone.write(0, new Uint8Array([8]));
    v.revoke();
    expect(clone.isDestroyed).toBe(true);
    expect(mo.isDestroyed).toBe(false);
    expect(mo.read(0, 1)[0]).toBe(7);
    expect(v.usedBytes).toBe(0);
    void mem;
    mm.pmm.audit();
  });
});

describe('decommit of a huge range', () => {
  it('visits only the pages something holds: 2^36 pages take no time, and the held ones go', () => {
    const backend = BACKENDS[1];
    const { mem, mm } = newMachine(backend);
    const u = mm.createUntyped(20);
    const mo = mm.createMemoryObject(2 ** 36, null, mm.untypedFrames(u));
    mo.commit(5, 2);
    mo.commit(2 ** 35, 1);
    const clone = mm.clone(mo, mm.untypedFrames(u));
    clone.commit(7, 1);
    const vs = mm.createVSpace();
    vs.map(BASE, 16 * 4096, clone, 0, RW, 'mmap');
    userWrite(backend, mem, mm, vs, BASE + 9 * 4096, 3);
    const t = Date.now();
    clone.decommit(0, 2 ** 36);
    expect(Date.now() - t).toBeLessThan(1000);
    for (const p of [5, 6, 7, 9, 2 ** 35]) expect(clone.isResident(p)).toBe(false);
    expect(mo.isResident(5) && mo.isResident(2 ** 35)).toBe(true);
    expect(vs.mappedPages).toBe(0);
    mo.decommit(0, 2 ** 36);
    expect(mo.isResident(5)).toBe(false);
    mm.pmm.audit();
  });
});
