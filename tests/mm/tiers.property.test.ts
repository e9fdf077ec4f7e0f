// Long random sequences of tier operations, checked after every step against a
// simple reference model, the PMM audit, and the hardware tables read back
// through the board walker.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BACKENDS, newMachine, RAM_BASE, type Backend, touch } from './backends';
import type { MemoryObject } from '../../kernel/mm/memory-object';
import type { Perms } from '../../kernel/mm/region';

const SLOT_BYTES = 0x1_0000;
const SLOT_BASE = 0x100_0000;
const SLOTS = 3;
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

function run(backend: Backend, ops: Op[]): void {
  const { mem, mm } = newMachine(backend, 3);
  const start = mm.pmm.audit();
  const vss = [mm.createVSpace(), mm.createVSpace()];
  const mos: ModelMo[] = [];
  const regions: (ModelRegion | null)[][] = [new Array(SLOTS).fill(null), new Array(SLOTS).fill(null)];
  const slotVa = (slot: number) => SLOT_BASE + slot * SLOT_BYTES;
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
        dropRegion(o.vs, o.slot);
        vss[o.vs].map(slotVa(o.slot), m.mo.pageCount * 4096, m.mo, 0, PERMS[o.perms], 'mmap');
        regions[o.vs][o.slot] = { m, perms: PERMS[o.perms] };
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
        const va = slotVa(o.slot) + o.page * 4096;
        const t = touch(backend, mem, mm, vss[o.vs], va, o.t === 'uwrite' ? 'write' : 'read');
        const inRegion = r !== null && o.page < r.m.mo.pageCount;
        const allowed = inRegion && (o.t === 'uwrite' ? r.perms.write : r.perms.read || r.perms.exec);
        expect(t.ok).toBe(allowed);
        if (!t.ok || !r) return;
        if (o.t === 'uwrite') {
          mem.bytes[t.pa - RAM_BASE] = o.value;
          r.m.content.set(o.page, o.value);
        } else expect(mem.bytes[t.pa - RAM_BASE]).toBe(valueOf(r.m, o.page));
        return;
      }
      case 'mwrite': {
        const m = pick(o.mo);
        if (!m || o.page >= m.mo.pageCount) return;
        m.mo.write(o.page * 4096, new Uint8Array([o.value]));
        m.content.set(o.page, o.value);
        return;
      }
      case 'commit':
      case 'decommit': {
        const m = pick(o.mo);
        if (!m || o.page >= m.mo.pageCount) return;
        if (o.t === 'commit') m.mo.commit(o.page);
        else {
          m.mo.decommit(o.page);
          m.content.delete(o.page);
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
        for (let page = 0; page < r.m.mo.pageCount; page++) {
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
    checkHardware();
    for (const m of mos) for (let p = 0; p < m.mo.pageCount; p++) expect(m.mo.read(p * 4096, 1)[0]).toBe(valueOf(m, p));
  }
  for (const vs of vss) mm.destroyVSpace(vs);
  for (const m of mos) mm.destroyMemoryObject(m.mo);
  expect(mm.pmm.audit()).toEqual(start);
}

describe.each(BACKENDS)('tier properties on $name', (backend) => {
  it('random sequences match the reference model and return every frame', () => {
    fc.assert(fc.property(fc.array(op, { minLength: 10, maxLength: 80 }), (ops) => run(backend, ops)), { numRuns: 80 });
  });
});
