// Long random sequences of tier operations, checked after every step against a
// simple reference model, the PMM audit, and the hardware tables read back
// through the board walker. Fork clones every object one VSpace maps into the
// other; the big slot holds objects spanning two whole leaf tables, so fork's
// table-level write protection and its splitting are exercised.

import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, newMachine, RAM_BASE, type Backend, touch, checkMachines } from './backends';
import type { MemoryObject } from '../../kernel/mm/memory-object';
import type { Perms } from '../../kernel/mm/region';
import { assertTierInvariants } from '../../kernel/mm/tier-invariants';

// After each test: the tier invariants hold in every machine it made (kernel/mm/tier-invariants.ts).
afterEach(checkMachines);

const SLOT_BYTES = 0x1_0000;
const SLOT_BASE = 0x100_0000;
const SLOTS = 4;
/** The last slot: 2 MiB aligned, room for a big object. */
const BIG_SLOT = SLOTS - 1;
const BIG_SLOT_VA = 0x800_0000;
/** Two whole leaf tables. */
const BIG_PAGES = 1024;
const PERMS: Perms[] = [
  { read: true, write: true, exec: false },
  { read: true, write: false, exec: false },
  { read: false, write: false, exec: false },
  { read: true, write: false, exec: true },
];

interface ModelMo {
  readonly mo: MemoryObject;
  readonly pager: boolean;
  readonly content: Map<number, number>;
}

function origin(m: ModelMo, page: number): number {
  return m.pager ? (0x80 + page) & 0xff : 0;
}

function valueOf(m: ModelMo, page: number): number {
  return m.content.get(page) ?? origin(m, page);
}

interface ModelRegion {
  m: ModelMo;
  perms: Perms;
}

const page = fc.nat(3);
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
const op = fc.oneof(
  w(3, fc.record({ t: fc.constant('create' as const), pages: fc.integer({ min: 1, max: 4 }), pager: fc.boolean() })),
  w(1, fc.record({ t: fc.constant('create' as const), pages: fc.constant(BIG_PAGES), pager: fc.boolean() })),
  w(2, fc.record({ t: fc.constant('fork' as const), vs: fc.nat(1) })),
  w(3, fc.record({ t: fc.constant('clone' as const), mo: fc.nat() })),
  w(1, fc.record({ t: fc.constant('destroy' as const), mo: fc.nat() })),
  w(4, fc.record({ t: fc.constant('map' as const), vs: fc.nat(1), slot: fc.nat(SLOTS - 1), mo: fc.nat(), perms: fc.nat(PERMS.length - 1) })),
  w(1, fc.record({ t: fc.constant('unmap' as const), vs: fc.nat(1), slot: fc.nat(SLOTS - 1) })),
  w(2, fc.record({ t: fc.constant('protect' as const), vs: fc.nat(1), slot: fc.nat(SLOTS - 1), perms: fc.nat(PERMS.length - 1) })),
  w(8, fc.record({ t: fc.constant('uwrite' as const), vs: fc.nat(1), slot: fc.nat(SLOTS - 1), page, value: fc.integer({ min: 1, max: 255 }) })),
  w(5, fc.record({ t: fc.constant('uread' as const), vs: fc.nat(1), slot: fc.nat(SLOTS - 1), page })),
  w(3, fc.record({ t: fc.constant('mwrite' as const), mo: fc.nat(), page, value: fc.integer({ min: 1, max: 255 }) })),
  w(1, fc.record({ t: fc.constant('commit' as const), mo: fc.nat(), page })),
  w(2, fc.record({ t: fc.constant('decommit' as const), mo: fc.nat(), page })),
  w(1, fc.record({ t: fc.constant('age' as const), vs: fc.nat(1), slot: fc.nat(SLOTS - 1) })),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

/** Mostly user accesses and forks, after a prelude mapping a big and a small object read-write in VSpace 0. */
const forkHeavyOp: fc.Arbitrary<Op> = fc.oneof(
  w(8, fc.record({ t: fc.constant('uwrite' as const), vs: fc.nat(1), slot: fc.constantFrom(0, BIG_SLOT), page, value: fc.integer({ min: 1, max: 255 }) })),
  w(4, fc.record({ t: fc.constant('uread' as const), vs: fc.nat(1), slot: fc.constantFrom(0, BIG_SLOT), page })),
  w(3, fc.record({ t: fc.constant('fork' as const), vs: fc.nat(1) })),
  w(1, fc.record({ t: fc.constant('protect' as const), vs: fc.nat(1), slot: fc.constantFrom(0, BIG_SLOT), perms: fc.constantFrom(0, 1) })),
  w(1, fc.record({ t: fc.constant('age' as const), vs: fc.nat(1), slot: fc.constantFrom(0, BIG_SLOT) })),
  w(1, fc.record({ t: fc.constant('decommit' as const), mo: fc.nat(), page })),
  w(1, fc.record({ t: fc.constant('mwrite' as const), mo: fc.nat(), page, value: fc.integer({ min: 1, max: 255 }) })),
);
const FORK_PRELUDE: Op[] = [
  { t: 'create', pages: BIG_PAGES, pager: false },
  { t: 'map', vs: 0, slot: BIG_SLOT, mo: 0, perms: 0 },
  { t: 'create', pages: 4, pager: true },
  { t: 'map', vs: 0, slot: 0, mo: 1, perms: 0 },
];

/** The op's page index in m: for a big object, spread over both leaf tables. */
function pageIn(m: ModelMo, p: number): number {
  return m.mo.pageCount > 4 ? p * 341 : p;
}

/** The pages the checks look at: what the ops can reach, and the last one. */
function checkedPages(m: ModelMo): number[] {
  const n = m.mo.pageCount;
  return n > 4 ? [0, 1, 2, 3].map((p) => pageIn(m, p)).concat(n - 1) : Array.from({ length: n }, (_, i) => i);
}

function run(backend: Backend, ops: Op[]): void {
  const { mem, mm } = newMachine(backend, 3);
  const start = mm.pmm.audit();
  const vss = [mm.createVSpace(), mm.createVSpace()];
  const mos: ModelMo[] = [];
  const regions: (ModelRegion | null)[][] = [new Array(SLOTS).fill(null), new Array(SLOTS).fill(null)];
  const slotVa = (slot: number) => (slot === BIG_SLOT ? BIG_SLOT_VA : SLOT_BASE + slot * SLOT_BYTES);
  const pick = (i: number) => (mos.length ? mos[i % mos.length] : undefined);

  function dropRegion(v: number, slot: number): void {
    const r = regions[v][slot];
    if (!r) return;
    vss[v].unmap(slotVa(slot), r.m.mo.pageCount * 4096);
    regions[v][slot] = null;
  }

  function step(o: Op): void {
    switch (o.t) {
      case 'create':
        mos.push({ mo: mm.createMemoryObject(o.pages, o.pager ? (p, b) => b.fill((0x80 + p) & 0xff) : null), pager: o.pager, content: new Map() });
        return;
      case 'clone': {
        const m = pick(o.mo);
        if (m) mos.push({ mo: mm.clone(m.mo), pager: m.pager, content: new Map(m.content) });
        return;
      }
      case 'destroy': {
        const m = pick(o.mo);
        if (!m) return;
        regions.forEach((rs, v) => rs.forEach((r, s) => r?.m === m && dropRegion(v, s)));
        mm.destroyMemoryObject(m.mo);
        mos.splice(mos.indexOf(m), 1);
        return;
      }
      case 'map': {
        const m = pick(o.mo);
        if (!m) return;
        const slot = m.mo.pageCount > 4 ? BIG_SLOT : o.slot;
        dropRegion(o.vs, slot);
        vss[o.vs].map(slotVa(slot), m.mo.pageCount * 4096, m.mo, 0, PERMS[o.perms], 'mmap');
        regions[o.vs][slot] = { m, perms: PERMS[o.perms] };
        return;
      }
      case 'fork': {
        // As AddressSpace.fork: each object mapped once or more is cloned once; the other VSpace is replaced.
        const other = 1 - o.vs;
        if (regions[o.vs].every((r) => !r)) return; // nothing to fork; keep the other side's state
        for (let s = 0; s < SLOTS; s++) dropRegion(other, s);
        const clones = new Map<ModelMo, ModelMo>();
        regions[o.vs].forEach((r, s) => {
          if (!r) return;
          let c = clones.get(r.m);
          if (!c) {
            c = { mo: mm.clone(r.m.mo), pager: r.m.pager, content: new Map(r.m.content) };
            clones.set(r.m, c);
            mos.push(c);
          }
          vss[other].map(slotVa(s), c.mo.pageCount * 4096, c.mo, 0, r.perms, 'mmap');
          regions[other][s] = { m: c, perms: r.perms };
        });
        return;
      }
      case 'unmap':
        dropRegion(o.vs, o.slot);
        return;
      case 'protect': {
        const r = regions[o.vs][o.slot];
        if (!r) return;
        vss[o.vs].protect(slotVa(o.slot), r.m.mo.pageCount * 4096, PERMS[o.perms]);
        r.perms = PERMS[o.perms];
        return;
      }
      case 'uwrite':
      case 'uread': {
        const r = regions[o.vs][o.slot];
        const pg = r ? pageIn(r.m, o.page) : o.page;
        const va = slotVa(o.slot) + pg * 4096;
        const t = touch(backend, mem, mm, vss[o.vs], va, o.t === 'uwrite' ? 'write' : 'read');
        const inRegion = r !== null && pg < r.m.mo.pageCount;
        const allowed = inRegion && (o.t === 'uwrite' ? r.perms.write : r.perms.read || r.perms.exec);
        expect(t.ok).toBe(allowed);
        if (!t.ok || !r) return;
        if (o.t === 'uwrite') {
          mem.bytes[t.pa - RAM_BASE] = o.value;
          r.m.content.set(pg, o.value);
        } else expect(mem.bytes[t.pa - RAM_BASE]).toBe(valueOf(r.m, pg));
        return;
      }
      case 'mwrite': {
        const m = pick(o.mo);
        if (!m || o.page >= m.mo.pageCount) return;
        const pg = pageIn(m, o.page);
        m.mo.write(pg * 4096, new Uint8Array([o.value]));
        m.content.set(pg, o.value);
        return;
      }
      case 'commit':
      case 'decommit': {
        const m = pick(o.mo);
        if (!m || o.page >= m.mo.pageCount) return;
        const pg = pageIn(m, o.page);
        if (o.t === 'commit') m.mo.commit(pg);
        else {
          m.mo.decommit(pg);
          m.content.delete(pg);
        }
        return;
      }
      case 'age': {
        if (regions[o.vs][o.slot]) vss[o.vs].age(slotVa(o.slot), regions[o.vs][o.slot]!.m.mo.pageCount * 4096);
        return;
      }
    }
  }

  /** Every page the hardware lets the user read shows the model's bytes; every writable one is private. */
  function checkHardware(): void {
    regions.forEach((rs, v) =>
      rs.forEach((r, slot) => {
        if (!r) return;
        for (const page of checkedPages(r.m)) {
          const va = slotVa(slot) + page * 4096;
          const rd = backend.walk(mem, vss[v].root, va, 'read');
          if (rd.ok) expect(mem.bytes[rd.pa - RAM_BASE]).toBe(valueOf(r.m, page));
          const wr = backend.walk(mem, vss[v].root, va, 'write');
          if (wr.ok) {
            expect(r.perms.write).toBe(true);
            expect(r.m.mo.resolveRead(page)).toEqual({ pa: wr.pa, writable: true });
          }
        }
      }),
    );
  }

  for (const o of ops) {
    step(o);
    mm.pmm.audit();
    assertTierInvariants(mm);
    checkHardware();
    for (const m of mos) for (const p of checkedPages(m)) expect(m.mo.read(p * 4096, 1)[0]).toBe(valueOf(m, p));
  }
  for (const vs of vss) mm.destroyVSpace(vs);
  for (const m of mos) mm.destroyMemoryObject(m.mo);
  expect(mm.pmm.audit()).toEqual(start);
  assertTierInvariants(mm);
}

describe.each(BACKENDS)('tier properties on $name', (backend) => {
  it('random sequences match the reference model and return every frame', () => {
    fc.assert(fc.property(fc.array(op, { minLength: 10, maxLength: 80 }), (ops) => run(backend, ops)), { numRuns: 80 });
  });

  it('fork-heavy sequences (table-level write protection and its splits) match the model too', () => {
    fc.assert(fc.property(fc.array(forkHeavyOp, { minLength: 20, maxLength: 60, size: 'max' }), (ops) => run(backend, [...FORK_PRELUDE, ...ops])), { numRuns: 60 });
  });
});
