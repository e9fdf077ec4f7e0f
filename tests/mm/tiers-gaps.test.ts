import { afterEach, describe, expect, it } from 'vitest';
import { checkTierInvariants } from '../../kernel/mm/tier-invariants';
import { BACKENDS, newMachine, touch, userRead, userWrite, checkMachines } from './backends';
import type { TlbHooks } from '../../kernel/arch/arch';

// After each test: the tier invariants hold in every machine it made (kernel/mm/tier-invariants.ts).
afterEach(checkMachines);

const RW = { read: true, write: true, exec: false };
const NONE = { read: false, write: false, exec: false };
const BASE = 0x40_0000;

describe.each(BACKENDS)('tier gaps on $name', (backend) => {
  it('unmap and decommit free the translation tables they leave empty, down to the root', () => {
    const { mem, mm } = newMachine(backend);
    const vs = mm.createVSpace();
    const start = mm.pmm.audit();
    const mo = mm.createMemoryObject(2);
    vs.map(BASE, 4096, mo, 0, RW, 'heap');
    vs.map(0x7f00_0000_0000, 4096, mo, 1, RW, 'heap');
    userWrite(backend, mem, mm, vs, BASE, 1);
    userWrite(backend, mem, mm, vs, 0x7f00_0000_0000, 2);
    expect(vs.tablePages).toBe(7);
    vs.unmap(0x7f00_0000_0000, 4096);
    expect(vs.tablePages).toBe(4);
    expect(mm.pmm.stats()['page-table']).toBe(4);
    mo.decommit(0);
    expect(vs.tablePages).toBe(1);
    mm.destroyMemoryObject(mo);
    expect(mm.pmm.audit()).toEqual(start);
    // The root still works: a new fault builds the path again.
    const mo2 = mm.createMemoryObject(1);
    vs.map(BASE + 4096, 4096, mo2, 0, RW, 'heap');
    expect(userRead(backend, mem, mm, vs, BASE + 4096)).toBe(0);
    expect(vs.tablePages).toBe(4);
  });

  it('keeps a table while another page still uses it', () => {
    const { mem, mm } = newMachine(backend);
    const vs = mm.createVSpace();
    const mo = mm.createMemoryObject(2);
    vs.map(BASE, 2 * 4096, mo, 0, RW, 'heap');
    userWrite(backend, mem, mm, vs, BASE, 1);
    userWrite(backend, mem, mm, vs, BASE + 4096, 2);
    vs.unmap(BASE, 4096);
    expect(vs.tablePages).toBe(4);
    expect(userRead(backend, mem, mm, vs, BASE + 4096)).toBe(2);
  });

  it('rolls ASIDs over: the whole TLB is flushed and every VSpace takes a fresh one on activation', () => {
    const log: string[] = [];
    const tlb: TlbHooks = { invalidatePage() {}, invalidateAsid: (a) => log.push(`asid ${a}`), invalidateAll: () => log.push('all') };
    const { mem, mm } = newMachine(backend, undefined, tlb);
    const limit = 2 ** mm.arch.constants.asidBits;
    expect(limit).toBe(backend.name === 'x86_64' ? 4096 : 65536);
    const a = mm.createVSpace();
    const c = mm.createVSpace();
    expect([a.activate().asid, c.activate().asid]).toEqual([1, 2]);
    for (let i = 3; i < limit; i++) mm.asids.assign();
    expect(log).toEqual([]);
    const b = mm.createVSpace();
    expect(log).toEqual(['all']);
    expect(mm.asids.generation).toBe(2);
    expect(b.root.asid).toBe(1);
    const fresh = a.activate().asid;
    expect(fresh).not.toBe(b.root.asid);
    expect(fresh).toBeGreaterThan(0);
    expect(a.activate().asid).toBe(fresh);
    const mo = mm.createMemoryObject(1);
    a.map(BASE, 4096, mo, 0, RW, 'heap');
    expect(userWrite(backend, mem, mm, a, BASE, 3)).toBe(true);
    expect(fresh).toBe(2);
    // A tag of the old generation never goes back on the free list; a current one does.
    mm.destroyVSpace(c);
    expect(mm.asids.assign().asid).toBe(3);
    mm.destroyVSpace(b);
    expect(mm.asids.assign().asid).toBe(1);
  });

  it('a no-access region reports a permission fault and maps nothing; a no-access leaf refuses every user access', () => {
    const { mem, mm } = newMachine(backend);
    const vs = mm.createVSpace();
    const mo = mm.createMemoryObject(1);
    vs.map(BASE, 4096, mo, 0, NONE, 'mmap');
    for (const access of ['read', 'write', 'fetch'] as const) {
      const t = touch(backend, mem, mm, vs, BASE, access);
      expect(t).toMatchObject({ ok: false, outcomes: [{ resolved: false, report: { kind: 'permission' } }] });
    }
    expect(mm.arch.query(vs.root, BASE)).toBeNull();
    const pa = mm.pmm.alloc('mo-data');
    const none = { read: false, write: false, exec: false, user: true, global: false, device: false };
    mm.arch.map(vs.root, BASE + 4096, pa, none);
    expect(mm.arch.query(vs.root, BASE + 4096)?.attrs).toMatchObject({ read: false, write: false, exec: false, user: true });
    for (const access of ['read', 'write', 'fetch'] as const) {
      const w = backend.walk(mem, vs.root, BASE + 4096, access);
      expect(w.ok).toBe(false);
      if (!w.ok) expect(mm.arch.decodeFault(w.raw, vs.root)).toMatchObject({ kind: 'permission', access, user: true });
    }
    // The leaf was written behind the VSpace's back: the invariants pass names it and its frame.
    expect(checkTierInvariants(mm)).toEqual([
      `VSpace ${vs.id}: leaf at 0x${(BASE + 4096).toString(16)} -> 0x${pa.toString(16)} is stale: no page is recorded mapped there`,
      `PMM: 1 frames owned 'mo-data', 0 held by live MemoryObjects (leaked: 0x${pa.toString(16)})`,
    ]);
    mm.arch.unmap(vs.root, BASE + 4096, true);
    mm.pmm.free(pa, 'mo-data');
  });

  it('collapses the shadow chain when either side of a clone dies, without copying', () => {
    const { mm } = newMachine(backend);
    const start = mm.pmm.audit();
    const parent = mm.createMemoryObject(3);
    parent.write(0, new Uint8Array([1]));
    parent.write(4096, new Uint8Array([2]));
    const child = mm.clone(parent);
    parent.write(4096, new Uint8Array([20]));
    child.write(2 * 4096, new Uint8Array([30]));
    expect(child.depth).toBe(2);
    const copies = mm.counters.cowCopies;
    mm.destroyMemoryObject(parent);
    expect(child.depth).toBe(1);
    expect([0, 1, 2].map((p) => child.read(p * 4096, 1)[0])).toEqual([1, 2, 30]);
    expect(mm.pmm.stats()['mo-data']).toBe(3);
    child.write(0, new Uint8Array([9]));
    expect(mm.counters.cowCopies).toBe(copies);
    const grandchild = mm.clone(child);
    mm.destroyMemoryObject(grandchild);
    expect(child.depth).toBe(1);
    mm.destroyMemoryObject(child);
    expect(mm.pmm.audit()).toEqual(start);
  });

  it("a clone's decommitted page reads its origin, not the parent's data (Linux MADV_DONTNEED after fork)", () => {
    const { mem, mm } = newMachine(backend);
    const parent = mm.createMemoryObject(1);
    const file = mm.createMemoryObject(1, (_p, bytes) => bytes.fill(0x66));
    parent.write(0, new Uint8Array([42]));
    file.write(0, new Uint8Array([43]));
    const child = mm.clone(parent);
    const fileChild = mm.clone(file);
    const vs = mm.createVSpace();
    vs.map(BASE, 4096, child, 0, RW, 'heap');
    userWrite(backend, mem, mm, vs, BASE, 7);
    child.decommit(0);
    fileChild.decommit(0);
    expect(userRead(backend, mem, mm, vs, BASE)).toBe(0);
    expect(fileChild.read(0, 1)[0]).toBe(0x66);
    expect(parent.read(0, 1)[0]).toBe(42);
    expect(file.read(0, 1)[0]).toBe(43);
  });
});
