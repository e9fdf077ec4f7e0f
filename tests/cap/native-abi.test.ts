import { describe, expect, it } from 'vitest';
import { BACKENDS, newMachine, touch, userRead, userWrite } from '../mm/backends';
import { KernelObject } from '../../kernel/cap/kernel-objects';
import { RIGHT_MAP, RIGHT_READ, RIGHT_WRITE, ALL_RIGHTS } from '../../kernel/cap/rights';
import { NativeError, nativeErrorName } from '../../kernel/native/native-errors';
import { Label, PERM_EXEC, PERM_READ, PERM_WRITE, RetypeCode } from '../../kernel/native/native-labels';
import { nativeInvoke } from '../../kernel/native/native-invoke';
import { createNativeSpace, SLOT_SELF, SLOT_UNTYPED, type NativeSpace } from '../../kernel/native/native-space';
import { nativeTrap } from '../../kernel/native/native-trap';
import type { MemoryObject } from '../../kernel/mm/memory-object';
import type { VSpace } from '../../kernel/mm/vspace';

const E = NativeError;
const BASE = 0x40_0000;
const RW = PERM_READ | PERM_WRITE;

function bodyAt(s: NativeSpace, slot: number) {
  const o = s.cspace.lookup(slot)?.object;
  if (!(o instanceof KernelObject)) throw new Error(`slot ${slot} holds no kernel object`);
  return o.body;
}
const moAt = (s: NativeSpace, slot: number): MemoryObject => (bodyAt(s, slot) as { mo: MemoryObject }).mo;
const vsAt = (s: NativeSpace, slot: number): VSpace => (bodyAt(s, slot) as { vs: VSpace }).vs;

/** Everything an invocation could change. */
function snapshot(s: NativeSpace) {
  const { mm } = s;
  return {
    frames: mm.pmm.audit(),
    slots: Array.from({ length: s.cspace.slotCount }, (_, i) => {
      const c = s.cspace.lookup(i);
      return c ? [c.rights, c.children.size, (c.object as KernelObject).body.kind] : null;
    }),
    untyped: [...mm.untypeds].map((u) => [u.usedBytes, u.liveChildren]),
    mos: [...mm.memoryObjects].map((m) => [m.id, m.committedPages, m.mappingCount, m.depth]),
    vspaces: [...mm.vspaces].map((v) => [v.id, v.mappedPages, v.regions.map((r) => [r.start, r.end, r.moPage, { ...r.perms }])]),
  };
}

function ok(s: NativeSpace, slot: number, label: number, args: number[]): number {
  const r = nativeInvoke(s, slot, label, args);
  expect(nativeErrorName(r.error)).toBe('ok');
  return r.value;
}

function rejected(s: NativeSpace, slot: number, label: number, args: number[], error: number): void {
  const before = snapshot(s);
  const r = nativeInvoke(s, slot, label, args);
  expect(nativeErrorName(r.error)).toBe(nativeErrorName(error));
  expect(r.value).toBe(0);
  expect(snapshot(s)).toEqual(before);
}

function setup(untypedBits = 20) {
  const backend = BACKENDS[1];
  const { mem, mm } = newMachine(backend);
  const start = mm.pmm.audit();
  const s = createNativeSpace(mm, untypedBits);
  return { backend, mem, mm, s, start };
}

describe('native ABI: invocation entry', () => {
  it('rejects empty, out-of-range and dead capability slots, and labels of another object type', () => {
    const { s } = setup();
    rejected(s, 77, Label.untypedRetype, [RetypeCode.memoryObject, 10, 1], E.invalidCapability);
    rejected(s, -1, Label.untypedRetype, [RetypeCode.memoryObject, 10, 1], E.invalidCapability);
    rejected(s, 256, Label.untypedRetype, [RetypeCode.memoryObject, 10, 1], E.invalidCapability);
    rejected(s, 1.5, Label.untypedRetype, [RetypeCode.memoryObject, 10, 1], E.invalidCapability);
    rejected(s, SLOT_UNTYPED, Label.memoryObjectCommit, [0, 1], E.illegalLabel);
    rejected(s, SLOT_SELF, Label.vspaceMap, [0, 0, 1, 0, 1], E.illegalLabel);
    rejected(s, SLOT_UNTYPED, 0x99, [], E.illegalLabel);
  });

  it('the trap reads x0, x1, x2.. and answers in x0 and x1', () => {
    const { s } = setup();
    const x = [SLOT_UNTYPED, Label.untypedRetype, RetypeCode.memoryObject, 9, 3, 0, 0, 0];
    nativeTrap(s, { readX: (n) => x[n], writeX: (n, v) => (x[n] = v) });
    expect(x.slice(0, 2)).toEqual([E.ok, 9]);
    expect(moAt(s, 9).pageCount).toBe(3);
    nativeTrap(s, { readX: (n) => x[n], writeX: (n, v) => (x[n] = v) });
    // x0 and x1 now hold 0 and 9: slot 0 is the capability space, and 9 is none of its labels.
    expect(x[0]).toBe(E.illegalLabel);
    x.splice(0, 8, SLOT_UNTYPED, Label.untypedRetype, RetypeCode.memoryObject, 9, 3, 0, 0, 0);
    nativeTrap(s, { readX: (n) => x[n], writeX: (n, v) => (x[n] = v) });
    expect(x.slice(0, 2)).toEqual([E.slotOccupied, 0]);
  });
});

describe('native ABI: untyped retype', () => {
  it('carves a MemoryObject, a VSpace and a capability space, each capability a child of the untyped one', () => {
    const { s, mm } = setup();
    const ut = (bodyAt(s, SLOT_UNTYPED) as { untyped: import('../../kernel/mm/untyped').Untyped }).untyped;
    expect(ok(s, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.memoryObject, 10, 4])).toBe(10);
    expect(moAt(s, 10).pageCount).toBe(4);
    expect(mm.pmm.ownerOf(ut.pa)).toBe('kernel-object');
    expect(ok(s, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.vspace, 11, 0])).toBe(11);
    expect(mm.pmm.ownerOf(vsAt(s, 11).root.pa)).toBe('page-table');
    expect(vsAt(s, 11).root.pa).toBe(ut.pa + 4096);
    expect(ok(s, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.cspace, 12, 0])).toBe(12);
    expect(bodyAt(s, 12).kind).toBe('cspace');
    expect(s.cspace.lookup(SLOT_UNTYPED)!.children.size).toBe(3);
    expect(ut.usedBytes).toBe(256 + 4096 + 4096);
    mm.pmm.audit();
  });

  it('rejects bad type codes, slots, sizes and an untyped without room, changing nothing', () => {
    const { s } = setup(12);
    rejected(s, SLOT_UNTYPED, Label.untypedRetype, [0, 10, 1], E.invalidArgument);
    rejected(s, SLOT_UNTYPED, Label.untypedRetype, [99, 10, 1], E.invalidArgument);
    rejected(s, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.memoryObject, SLOT_SELF, 1], E.slotOccupied);
    rejected(s, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.memoryObject, 256, 1], E.outOfRange);
    rejected(s, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.memoryObject, 10, 0], E.invalidArgument);
    rejected(s, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.memoryObject, 10, 2 ** 36 + 1], E.outOfRange);
    ok(s, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.memoryObject, 10, 1]);
    rejected(s, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.vspace, 11, 0], E.notEnoughMemory);
    rejected(s, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.cspace, 11, 0], E.notEnoughMemory);
  });
});

describe('native ABI: MemoryObject', () => {
  function withMo(pages = 4, untypedBits = 20) {
    const m = setup(untypedBits);
    ok(m.s, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.memoryObject, 10, pages]);
    return { ...m, mo: moAt(m.s, 10) };
  }

  it('commit and decommit a page range', () => {
    const { s, mo, mm } = withMo();
    expect(ok(s, 10, Label.memoryObjectCommit, [1, 2, SLOT_UNTYPED])).toBe(2);
    expect(mo.committedPages).toBe(2);
    // The frames were retyped out of the untyped: the PMM sees them as MemoryObject data, charged to it.
    expect(mm.pmm.stats()['mo-data']).toBe(2);
    expect(mm.pmm.stats()['mo-meta']).toBe(4);
    mo.write(4096, new Uint8Array([5]));
    expect(ok(s, 10, Label.memoryObjectDecommit, [1, 3])).toBe(3);
    expect(mo.committedPages).toBe(0);
    expect(mo.read(4096, 1)[0]).toBe(0);
    expect(mm.pmm.stats()['mo-data']).toBe(0);
  });

  it('rejects empty and outside ranges, missing write right, another untyped and a commit the untyped cannot hold', () => {
    const { s, mm } = withMo(4);
    for (const label of [Label.memoryObjectCommit, Label.memoryObjectDecommit]) {
      rejected(s, 10, label, [0, 0], E.invalidArgument);
      rejected(s, 10, label, [3, 2], E.outOfRange);
      rejected(s, 10, label, [4, 1], E.outOfRange);
      rejected(s, 10, label, [-1, 1], E.invalidArgument);
    }
    ok(s, SLOT_SELF, Label.cspaceMint, [10, 11, RIGHT_READ | RIGHT_MAP]);
    rejected(s, 11, Label.memoryObjectCommit, [0, 1, SLOT_UNTYPED], E.insufficientRights);
    rejected(s, 11, Label.memoryObjectDecommit, [0, 1], E.insufficientRights);
    rejected(s, 10, Label.memoryObjectCommit, [0, 1, 10], E.wrongObjectType);
    rejected(s, 10, Label.memoryObjectCommit, [0, 1, 99], E.invalidCapability);
    const other = mm.createUntyped(16);
    s.cspace.insertOriginal(40, new KernelObject({ kind: 'untyped', untyped: other }, () => mm.destroyUntyped(other)));
    rejected(s, 10, Label.memoryObjectCommit, [0, 1, 40], E.invalidArgument);
    ok(s, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.memoryObject, 12, 1 << 20]);
    // 2^20 bytes hold 256 frames, less the two headers' frame.
    rejected(s, 12, Label.memoryObjectCommit, [0, 256, SLOT_UNTYPED], E.notEnoughMemory);
    expect(mm.pmm.freeFrames).toBeGreaterThan(1000);
  });

  it('clones copy-on-write into a slot, the header carved from the named untyped', () => {
    const { s, mo, mm } = withMo();
    mo.write(0, new Uint8Array([7]));
    expect(ok(s, 10, Label.memoryObjectClone, [SLOT_UNTYPED, 13])).toBe(13);
    const clone = moAt(s, 13);
    expect(clone.read(0, 1)[0]).toBe(7);
    clone.write(0, new Uint8Array([8]));
    expect(mo.read(0, 1)[0]).toBe(7);
    expect(mm.counters.cowCopies).toBe(1);
    expect(s.cspace.lookup(13)!.parent).toBe(s.cspace.lookup(SLOT_UNTYPED));
  });

  it('clone rejects a non-untyped or empty header slot, an occupied destination, no read right and no room', () => {
    const { s } = withMo(4, 12);
    rejected(s, 10, Label.memoryObjectClone, [10, 13], E.wrongObjectType);
    rejected(s, 10, Label.memoryObjectClone, [40, 13], E.invalidCapability);
    rejected(s, 10, Label.memoryObjectClone, [SLOT_UNTYPED, 10], E.slotOccupied);
    ok(s, SLOT_SELF, Label.cspaceMint, [10, 11, RIGHT_WRITE]);
    rejected(s, 11, Label.memoryObjectClone, [SLOT_UNTYPED, 13], E.insufficientRights);
    for (let slot = 20; slot < 35; slot++) ok(s, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.memoryObject, slot, 1]);
    rejected(s, 10, Label.memoryObjectClone, [SLOT_UNTYPED, 13], E.notEnoughMemory);
  });
});

describe('native ABI: VSpace', () => {
  function withVs() {
    const m = setup();
    ok(m.s, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.memoryObject, 10, 4]);
    ok(m.s, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.vspace, 20, 0]);
    return { ...m, vs: vsAt(m.s, 20) };
  }

  it('maps, protects and unmaps; the tables the faults need come from the untyped', () => {
    const { s, vs, backend, mem, mm } = withVs();
    const ut = (bodyAt(s, SLOT_UNTYPED) as { untyped: import('../../kernel/mm/untyped').Untyped }).untyped;
    expect(ok(s, 20, Label.vspaceMap, [10, BASE, 2, 1, RW])).toBe(BASE);
    expect(userWrite(backend, mem, mm, vs, BASE + 4096, 0x5a)).toBe(true);
    expect(moAt(s, 10).read(2 * 4096, 1)[0]).toBe(0x5a);
    // Two headers, three lower tables, one data frame and four radix nodes.
    expect(ut.liveChildren).toBe(2 + 3 + 1 + 4);
    ok(s, 20, Label.vspaceProtect, [BASE, 2, PERM_READ]);
    expect(touch(backend, mem, mm, vs, BASE + 4096, 'write').ok).toBe(false);
    expect(userRead(backend, mem, mm, vs, BASE + 4096)).toBe(0x5a);
    ok(s, 20, Label.vspaceUnmap, [BASE, 2]);
    expect(vs.regions.length).toBe(0);
    expect(backend.walk(mem, vs.root, BASE + 4096, 'read').ok).toBe(false);
  });

  it('rejects bad addresses, sizes, permissions, rights and overlaps, changing nothing', () => {
    const { s } = withVs();
    rejected(s, 20, Label.vspaceMap, [10, BASE + 1, 1, 0, RW], E.misaligned);
    rejected(s, 20, Label.vspaceMap, [10, BASE, 0, 0, RW], E.invalidArgument);
    rejected(s, 20, Label.vspaceMap, [10, 2 ** 48 - 4096, 2, 0, RW], E.outOfRange);
    rejected(s, 20, Label.vspaceMap, [10, BASE, 2, 3, RW], E.outOfRange);
    rejected(s, 20, Label.vspaceMap, [10, BASE, 1, 0, 8], E.invalidArgument);
    rejected(s, 20, Label.vspaceMap, [SLOT_UNTYPED, BASE, 1, 0, RW], E.wrongObjectType);
    rejected(s, 20, Label.vspaceMap, [50, BASE, 1, 0, RW], E.invalidCapability);
    ok(s, SLOT_SELF, Label.cspaceMint, [10, 11, RIGHT_READ | RIGHT_MAP]);
    rejected(s, 20, Label.vspaceMap, [11, BASE, 1, 0, RW], E.insufficientRights);
    ok(s, SLOT_SELF, Label.cspaceMint, [10, 12, RIGHT_READ | RIGHT_WRITE]);
    rejected(s, 20, Label.vspaceMap, [12, BASE, 1, 0, PERM_READ], E.insufficientRights);
    ok(s, 20, Label.vspaceMap, [11, BASE, 2, 0, PERM_READ]);
    rejected(s, 20, Label.vspaceMap, [10, BASE + 4096, 1, 0, RW], E.regionOverlap);
    // The read-only capability it was mapped with caps what protect may grant.
    rejected(s, 20, Label.vspaceProtect, [BASE, 1, RW], E.insufficientRights);
    rejected(s, 20, Label.vspaceProtect, [BASE, 1, PERM_READ | PERM_EXEC], E.insufficientRights);
    rejected(s, 20, Label.vspaceProtect, [BASE, 1, 9], E.invalidArgument);
    rejected(s, 20, Label.vspaceProtect, [BASE + 8, 1, PERM_READ], E.misaligned);
    rejected(s, 20, Label.vspaceUnmap, [BASE, 0], E.invalidArgument);
    rejected(s, 20, Label.vspaceUnmap, [2 ** 48, 1], E.outOfRange);
    rejected(s, 20, Label.vspaceUnmap, [BASE + 100, 1], E.misaligned);
    ok(s, SLOT_SELF, Label.cspaceMint, [20, 21, ALL_RIGHTS & ~RIGHT_MAP]);
    rejected(s, 21, Label.vspaceUnmap, [BASE, 1], E.insufficientRights);
    rejected(s, 20, Label.memoryObjectCommit, [0, 1], E.illegalLabel);
  });
});

describe('native ABI: capability space', () => {
  it('copy, mint, delete; the last capability deleted destroys the object and frees its memory', () => {
    const { s, mm } = setup();
    const base = mm.pmm.audit();
    ok(s, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.memoryObject, 10, 2]);
    const mo = moAt(s, 10);
    ok(s, 10, Label.memoryObjectCommit, [0, 2, SLOT_UNTYPED]);
    expect(ok(s, SLOT_SELF, Label.cspaceCopy, [10, 30])).toBe(30);
    expect(s.cspace.lookup(30)!.rights).toBe(ALL_RIGHTS);
    expect(ok(s, SLOT_SELF, Label.cspaceMint, [30, 31, RIGHT_READ])).toBe(31);
    expect(s.cspace.lookup(31)!.rights).toBe(RIGHT_READ);
    ok(s, SLOT_SELF, Label.cspaceDelete, [10]);
    ok(s, SLOT_SELF, Label.cspaceDelete, [30]);
    expect(mo.isDestroyed).toBe(false);
    ok(s, SLOT_SELF, Label.cspaceDelete, [31]);
    expect(mo.isDestroyed).toBe(true);
    expect(mm.pmm.audit()).toEqual(base);
  });

  it('revoking the untyped destroys every object retyped from it and lets it carve afresh', () => {
    const { s, mm, backend, mem } = setup();
    const base = mm.pmm.audit();
    ok(s, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.memoryObject, 10, 2]);
    ok(s, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.vspace, 11, 0]);
    ok(s, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.cspace, 12, 0]);
    ok(s, 10, Label.memoryObjectClone, [SLOT_UNTYPED, 13]);
    ok(s, 11, Label.vspaceMap, [13, BASE, 2, 0, RW]);
    userWrite(backend, mem, mm, vsAt(s, 11), BASE, 1);
    ok(s, SLOT_SELF, Label.cspaceCopy, [13, 14]);
    expect(ok(s, SLOT_SELF, Label.cspaceRevoke, [SLOT_UNTYPED])).toBe(5);
    expect([10, 11, 12, 13, 14].map((i) => s.cspace.lookup(i))).toEqual([null, null, null, null, null]);
    expect(mm.memoryObjects.size).toBe(0);
    expect(mm.vspaces.size).toBe(0);
    expect(mm.pmm.audit()).toEqual(base);
    ok(s, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.vspace, 11, 0]);
    const ut = (bodyAt(s, SLOT_UNTYPED) as { untyped: import('../../kernel/mm/untyped').Untyped }).untyped;
    expect(vsAt(s, 11).root.pa).toBe(ut.pa);
  });

  it('rejects empty sources, occupied or outside destinations, widened or unknown rights, and a read-only space', () => {
    const { s } = setup();
    ok(s, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.memoryObject, 10, 2]);
    ok(s, SLOT_SELF, Label.cspaceMint, [10, 11, RIGHT_READ]);
    rejected(s, SLOT_SELF, Label.cspaceCopy, [40, 41], E.invalidCapability);
    rejected(s, SLOT_SELF, Label.cspaceCopy, [10, 11], E.slotOccupied);
    rejected(s, SLOT_SELF, Label.cspaceCopy, [10, 256], E.outOfRange);
    rejected(s, SLOT_SELF, Label.cspaceMint, [11, 12, RIGHT_READ | RIGHT_WRITE], E.insufficientRights);
    rejected(s, SLOT_SELF, Label.cspaceMint, [10, 12, 64], E.invalidArgument);
    rejected(s, SLOT_SELF, Label.cspaceMint, [300, 12, 1], E.invalidCapability);
    rejected(s, SLOT_SELF, Label.cspaceDelete, [40], E.invalidCapability);
    rejected(s, SLOT_SELF, Label.cspaceRevoke, [40], E.invalidCapability);
    rejected(s, SLOT_SELF, Label.cspaceRevoke, [-3], E.invalidCapability);
    rejected(s, SLOT_SELF, Label.untypedRetype, [1, 12, 1], E.illegalLabel);
    ok(s, SLOT_SELF, Label.cspaceMint, [SLOT_SELF, 5, RIGHT_READ]);
    rejected(s, 5, Label.cspaceDelete, [10], E.insufficientRights);
  });
});

describe('native ABI: objects destroyed behind a capability', () => {
  it('a capability to a MemoryObject whose untyped the kernel revoked is invalid, and faults on its region are reported', () => {
    const { s, mm, backend, mem } = setup();
    ok(s, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.memoryObject, 10, 1]);
    const vs = mm.createVSpace();
    vs.map(BASE, 4096, moAt(s, 10), 0, { read: true, write: true, exec: false }, 'mmap');
    const ut = (bodyAt(s, SLOT_UNTYPED) as { untyped: import('../../kernel/mm/untyped').Untyped }).untyped;
    ut.revoke();
    rejected(s, 10, Label.memoryObjectCommit, [0, 1], E.invalidCapability);
    const t = touch(backend, mem, mm, vs, BASE, 'read');
    expect(t).toMatchObject({ ok: false, outcomes: [{ resolved: false, report: { kind: 'unmapped' } }] });
  });
});
