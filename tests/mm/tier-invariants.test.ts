// The tier invariants pass (kernel/mm/tier-invariants.ts) can fail: each test
// builds a consistent machine, corrupts one structure the way a bug would,
// and checks that the pass names the object and the rule. The other memory
// tier tests run the pass after each test (checkMachines) and expect nothing.

import { describe, expect, it } from 'vitest';
import { BACKENDS, newMachine, userRead, userWrite } from './backends';
import { checkTierInvariants } from '../../kernel/mm/tier-invariants';
import { lookup } from '../../kernel/mm/page-store';
import { RadixTree } from '../../kernel/mm/radix-tree';
import { OutOfFrames } from '../../kernel/mm/pmm';
import type { Region } from '../../kernel/mm/region';

const RW = { read: true, write: true, exec: false };
const BASE = 0x40_0000;
const hex = (n: number): string => `0x${n.toString(16)}`;

describe.each(BACKENDS)('the tier invariants pass on $name', (backend) => {
  /** A VSpace mapping 4 pages of one object, two of them written. */
  function setup() {
    const { mem, mm } = newMachine(backend);
    const vs = mm.createVSpace();
    const mo = mm.createMemoryObject(4);
    vs.map(BASE, 4 * 4096, mo, 0, RW, 'heap');
    userWrite(backend, mem, mm, vs, BASE, 1);
    userWrite(backend, mem, mm, vs, BASE + 4096, 2);
    expect(checkTierInvariants(mm)).toEqual([]);
    return { mem, mm, vs, mo };
  }

  it('holds after fork-like clones, copies, munmap and destroy', () => {
    const { mem, mm, vs, mo } = setup();
    const child = mm.createVSpace();
    const copy = mm.clone(mo);
    child.map(BASE, 4 * 4096, copy, 0, RW, 'heap');
    expect(userRead(backend, mem, mm, child, BASE)).toBe(1);
    expect(checkTierInvariants(mm)).toEqual([]);
    userWrite(backend, mem, mm, child, BASE, 9);
    userWrite(backend, mem, mm, vs, BASE + 4096, 8);
    vs.unmap(BASE + 2 * 4096, 4096);
    expect(checkTierInvariants(mm)).toEqual([]);
    mm.destroyVSpace(child);
    mm.destroyMemoryObject(copy);
    expect(checkTierInvariants(mm)).toEqual([]);
  });

  it('charges the mappings of pages shared copy-on-write and of pages mapped twice, and gives the charge back with them', () => {
    const { mem, mm, vs, mo } = setup();
    mm.sharedMappings.bytes = 512;
    const held = () => mm.kobjs.bytesOf('shared-mapping');
    const child = mm.createVSpace();
    const copy = mm.clone(mo);
    child.map(BASE, 4 * 4096, copy, 0, RW, 'heap');
    // The child reads the two pages its parent wrote: frames shared with the parent, each mapping charged.
    expect(userRead(backend, mem, mm, child, BASE)).toBe(1);
    expect(userRead(backend, mem, mm, child, BASE + 4096)).toBe(2);
    expect(held()).toBe(2 * 512);
    // The same object's page mapped at a second address: charged too.
    const second = mm.createVSpace();
    second.map(BASE, 4096, copy, 0, RW, 'heap');
    expect(userRead(backend, mem, mm, second, BASE)).toBe(1);
    expect(held()).toBe(3 * 512);
    expect(checkTierInvariants(mm)).toEqual([]);
    // A write gives the child its own copy: its charged mappings of the shared frame go.
    userWrite(backend, mem, mm, child, BASE + 4096, 7);
    expect(held()).toBe(2 * 512);
    mm.destroyVSpace(second);
    mm.destroyVSpace(child);
    mm.destroyMemoryObject(copy);
    expect(held()).toBe(0);
    expect(checkTierInvariants(mm)).toEqual([]);
    // A charge the ledger does not hold is named.
    mm.kobjs.charge('shared-mapping', 512);
    expect(checkTierInvariants(mm)).toContain(`kernel-object ledger: 512 bytes of shared-mapping, the live MemoryObjects' charges add to 0`);
    mm.kobjs.release('shared-mapping', 512);
  });

  it('names a leaked frame', () => {
    const { mm } = setup();
    const pa = mm.pmm.alloc('mo-data');
    expect(checkTierInvariants(mm)).toEqual([`PMM: 3 frames owned 'mo-data', 2 held by live MemoryObjects (leaked: ${hex(pa)})`]);
    mm.pmm.free(pa, 'mo-data');
  });

  it('names a reverse-map entry no VSpace records', () => {
    const { mm, vs, mo } = setup();
    mo.addMapping(3, vs, BASE + 3 * 4096);
    const problems = checkTierInvariants(mm);
    expect(problems).toContain(`MemoryObject ${mo.id}: page 3 mapped at ${hex(BASE + 3 * 4096)} in VSpace ${vs.id}: the VSpace records no page there`);
    expect(problems).toContain(`MemoryObject ${mo.id}: page 3 is mapped but no frame is visible there`);
    mo.removeMapping(3, vs, BASE + 3 * 4096);
  });

  it('names a leaf left behind by an unmap that forgot the tables', () => {
    const { mm, vs, mo } = setup();
    const pa = vs.frameOf(BASE + 4096)!;
    // What a buggy unmap would do: drop the records, keep the hardware entry.
    (vs.internals().mapped as Map<number, unknown>).delete(BASE + 4096);
    mo.removeMapping(1, vs, BASE + 4096);
    expect(checkTierInvariants(mm)).toEqual([`VSpace ${vs.id}: leaf at ${hex(BASE + 4096)} -> ${hex(pa)} is stale: no page is recorded mapped there`]);
    mm.arch.unmap(vs.root, BASE + 4096, true);
  });

  it('names a frame whose refcount is off by one', () => {
    const { mm, vs, mo } = setup();
    const frame = lookup(mo.internals().top, 0)!.frame;
    frame.refs++;
    // Two refs would make the frame shared: its writable leaf is then wrong too.
    expect(checkTierInvariants(mm)).toEqual([
      `frame ${hex(frame.pa)}: refs 2, held by 1 store entries`,
      `VSpace ${vs.id}: leaf at ${hex(BASE)} -> ${hex(frame.pa)} is writable over a shared frame of MemoryObject ${mo.id} page 0 (copy-on-write needs it read-only)`,
    ]);
    frame.refs--;
  });

  it('names overlapping regions and the per-object count they break', () => {
    const { mm, vs, mo } = setup();
    const list = vs.regions as Region[];
    const bad: Region = { ...list[0], start: BASE + 4096, end: BASE + 8 * 4096, moPage: 0 };
    list.push(bad);
    const problems = checkTierInvariants(mm);
    expect(problems).toContain(`VSpace ${vs.id}: region [${hex(BASE + 4096)}, ${hex(BASE + 8 * 4096)}) overlaps [${hex(BASE)}, ${hex(BASE + 4 * 4096)})`);
    expect(problems).toContain(`VSpace ${vs.id}: MemoryObject ${mo.id} has 2 regions, 1 counted`);
    list.pop();
  });

  it('names a writable leaf over a frame a clone shares, and a leaf wider than its region', () => {
    const { mm, vs, mo } = setup();
    const copy = mm.clone(mo);
    const pa = vs.frameOf(BASE)!;
    const attrs = { read: true, write: true, exec: false, user: true, global: false, device: false };
    mm.arch.splitWriteProtection(vs.root, BASE);
    mm.arch.protect(vs.root, BASE, attrs);
    expect(checkTierInvariants(mm)).toEqual([`VSpace ${vs.id}: leaf at ${hex(BASE)} -> ${hex(pa)} is writable over a shared frame of MemoryObject ${mo.id} page 0 (copy-on-write needs it read-only)`]);
    mm.arch.protect(vs.root, BASE, { ...attrs, write: false, exec: true });
    expect(checkTierInvariants(mm)).toEqual([`VSpace ${vs.id}: leaf at ${hex(BASE)} -> ${hex(pa)} allows exec, its region does not`]);
    mm.arch.protect(vs.root, BASE, { ...attrs, write: false });
    mm.destroyMemoryObject(copy);
  });

  it('names a frozen store whose users and readers disagree', () => {
    const { mm, mo } = setup();
    const copy = mm.clone(mo);
    const frozen = mo.internals().top.backing!;
    frozen.users++;
    expect(checkTierInvariants(mm)).toEqual([`MemoryObject ${mo.id} store 2 down: frozen store has 3 users but 2 readers`]);
    frozen.users--;
    mm.destroyMemoryObject(copy);
    expect(mo.internals().top.backing).toBeNull();
  });

  it('names two address spaces tagged with one ASID', () => {
    const { mm, vs } = setup();
    const other = mm.createVSpace();
    const tag = other.internals().asidTag as { asid: number };
    const own = tag.asid;
    tag.asid = other.root.asid = vs.root.asid;
    expect(checkTierInvariants(mm)).toEqual([`VSpace ${other.id}: ASID ${vs.root.asid} is also VSpace ${vs.id}'s`]);
    tag.asid = other.root.asid = own;
  });

  it('names tables the VSpace counts but the walk does not reach', () => {
    const { mm, vs } = setup();
    const tables = vs.tablePages;
    // The VSpace's own counter (private), as a missed decrement would leave it.
    (vs as unknown as { tables: number }).tables++;
    expect(checkTierInvariants(mm)).toEqual([`VSpace ${vs.id}: ${tables} tables reachable, ${tables + 1} counted by the VSpace, ${tables} by the arch layer`]);
    (vs as unknown as { tables: number }).tables--;
  });

  it('a write that runs out of RAM between two radix nodes leaves neither an empty node nor a miscount (found by the pass)', () => {
    const { mm } = newMachine(backend);
    const mo = mm.createMemoryObject(8);
    const held: number[] = [];
    // Two frames left: the data page and the radix root; the next level's node finds none.
    while (mm.pmm.freeFrames > 2) held.push(mm.pmm.alloc('kernel-object'));
    expect(() => mo.write(0, new Uint8Array([7]))).toThrow(OutOfFrames);
    expect(checkTierInvariants(mm)).toEqual([]);
    expect(mm.pmm.stats()['mo-meta']).toBe(0);
    for (const pa of held) mm.pmm.free(pa, 'kernel-object');
    mo.write(0, new Uint8Array([7]));
    expect(mo.read(0, 1)[0]).toBe(7);
  });
});

describe.each(BACKENDS)('a clone dying when RAM is exhausted on $name', (backend) => {
  it('merges nothing, leaves a correct chain, and the next clone merges it (found by the pass)', () => {
    const { mm } = newMachine(backend);
    const parent = mm.createMemoryObject(1024);
    for (let p = 0; p < 600; p++) parent.write(p * 4096, new Uint8Array([p & 0xff]));
    const child = mm.clone(parent);
    const held: number[] = [];
    // A few frames left: the merge into the parent's empty top needs more radix nodes than that.
    while (mm.pmm.freeFrames > 2) held.push(mm.pmm.alloc('kernel-object'));
    // It threw OutOfFrames half way, and the child stayed live with a released store.
    mm.destroyMemoryObject(child);
    expect(child.isDestroyed).toBe(true);
    expect(checkTierInvariants(mm)).toEqual([]);
    expect(parent.depth).toBe(2);
    expect(parent.read(599 * 4096, 1)[0]).toBe(599 & 0xff);
    for (const pa of held) mm.pmm.free(pa, 'kernel-object');
    const again = mm.clone(parent);
    expect(checkTierInvariants(mm)).toEqual([]);
    // Merged first, then frozen by the clone: the parent's chain is its new top over one store.
    expect(parent.depth).toBe(2);
    expect(again.read(599 * 4096, 1)[0]).toBe(599 & 0xff);
    mm.destroyMemoryObject(again);
    expect(parent.depth).toBe(1);
    expect(checkTierInvariants(mm)).toEqual([]);
  });
});

describe('a radix tree whose node frames run out', () => {
  it('gives back the nodes a failed set made and keeps its counts', () => {
    let left = 2;
    const freed: number[] = [];
    const tree = new RadixTree<number>({
      alloc: () => {
        if (left-- <= 0) throw new Error('no frame');
        return 0x1000 * (left + 1);
      },
      free: (pa) => freed.push(pa),
    });
    expect(() => tree.set(5, 1)).toThrow('no frame');
    expect(tree.check()).toEqual([]);
    expect(tree.nodeCount).toBe(0);
    expect(freed).toHaveLength(2);
  });
});
