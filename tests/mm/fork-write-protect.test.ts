// Fork's write protection at table granularity: after a clone the parent's
// writable pages lose write through the table entries above them, so the cost
// grows with the translation tables, never with the touched pages. Everything
// is read back through the board's walkers.

import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, newMachine, RAM_BASE, touch, userRead, userWrite, type Backend, checkMachines } from './backends';
import type { MemoryManager } from '../../kernel/mm/memory-manager';
import type { MemoryObject } from '../../kernel/mm/memory-object';
import type { VSpace } from '../../kernel/mm/vspace';
import type { PhysicalMemory } from '../../board/memory/physical-memory';

// After each test: the tier invariants hold in every machine it made (kernel/mm/tier-invariants.ts).
afterEach(checkMachines);

const PAGE = 4096;
const TABLE_SPAN = 2 * 1024 * 1024; // what one leaf table maps
const PAGES_PER_TABLE = 512;
const BASE = 0x4000_0000; // 1 GiB aligned
const RW = { read: true, write: true, exec: false };

interface World {
  readonly mem: PhysicalMemory;
  readonly mm: MemoryManager;
  readonly parent: VSpace;
  readonly mo: MemoryObject;
  /** The PMM audit before anything was created. */
  readonly empty: ReturnType<MemoryManager['pmm']['audit']>;
}

function world(backend: Backend, pages: number, base = BASE): World {
  const { mem, mm } = newMachine(backend);
  const empty = mm.pmm.audit();
  const parent = mm.createVSpace();
  const mo = mm.createMemoryObject(pages);
  parent.map(base, pages * PAGE, mo, 0, RW, 'heap');
  return { mem, mm, parent, mo, empty };
}

/** fork as the process layer does it: clone the object, map the clone in a fresh VSpace. */
function fork(w: World, base = BASE): { child: VSpace; clone: MemoryObject } {
  const clone = w.mm.clone(w.mo);
  const child = w.mm.createVSpace();
  child.map(base, w.mo.pageCount * PAGE, clone, 0, RW, 'heap');
  return { child, clone };
}

function writeAll(backend: Backend, w: World, vas: number[], value: (va: number) => number): void {
  for (const va of vas) expect(userWrite(backend, w.mem, w.mm, w.parent, va, value(va))).toBe(true);
}

const stamp = (va: number) => ((va / PAGE) * 7 + 1) & 0xff;

describe.each(BACKENDS)('fork write protection on $name', (backend) => {
  it('denies write in parent and child after fork, copies nothing, and writes a few table entries', () => {
    // Three whole leaf tables and a partial fourth (the region's edge).
    const pages = 3 * PAGES_PER_TABLE + 4;
    const w = world(backend, pages);
    const touched = [0, 1, 511, 512, 700, 1100, 1535, 1536, 1539].map((p) => BASE + p * PAGE);
    writeAll(backend, w, touched, stamp);
    const data = w.mm.pmm.stats()['mo-data'];
    const { child } = fork(w);
    // Three table entries (one per whole leaf table) and the two touched pages of the partial table.
    expect(w.mm.counters.writeProtectEntries).toBe(3 + 2);
    for (const va of touched) {
      expect(backend.walk(w.mem, w.parent.root, va, 'write').ok).toBe(false);
      expect(backend.walk(w.mem, child.root, va, 'write').ok).toBe(false);
      const rd = backend.walk(w.mem, w.parent.root, va, 'read');
      expect(rd.ok && w.mem.bytes[rd.pa - RAM_BASE]).toBe(stamp(va));
      expect(userRead(backend, w.mem, w.mm, child, va)).toBe(stamp(va));
      // The kernel's own view (copy_to_user) agrees with the walker.
      const q = w.mm.arch.query(w.parent.root, va)!;
      expect(q.attrs.write).toBe(false);
      expect(q.cow).toBe(true);
    }
    expect(w.mm.counters.cowCopies).toBe(0);
    expect(w.mm.pmm.stats()['mo-data']).toBe(data);
  });

  it('a write splits only the table it lands in, and copies only the page written', () => {
    const w = world(backend, 3 * PAGES_PER_TABLE);
    const inFirst = [3, 4, 5].map((p) => BASE + p * PAGE);
    const inSecond = [600, 601].map((p) => BASE + p * PAGE);
    writeAll(backend, w, [...inFirst, ...inSecond], stamp);
    const { child } = fork(w);
    const data = w.mm.pmm.stats()['mo-data'];

    expect(userWrite(backend, w.mem, w.mm, w.parent, inFirst[0], 0xaa)).toBe(true);
    expect(w.mm.counters.writeProtectSplits).toBe(1);
    // The split made the first table's three writable leaves read-only one by one and lifted one table entry.
    expect(w.mm.counters.splitEntries).toBe(inFirst.length + 1);
    expect(w.mm.counters.cowCopies).toBe(1);
    expect(w.mm.pmm.stats()['mo-data']).toBe(data + 1);
    expect(backend.walk(w.mem, w.parent.root, inFirst[0], 'write').ok).toBe(true);
    // Its neighbours in the same table are now read-only themselves; a write there is a plain COW fault.
    expect(backend.walk(w.mem, w.parent.root, inFirst[1], 'write').ok).toBe(false);
    expect(userWrite(backend, w.mem, w.mm, w.parent, inFirst[1], 0xbb)).toBe(true);
    expect(w.mm.counters.writeProtectSplits).toBe(1);
    // The second table is still protected as a whole: its first write splits it.
    expect(backend.walk(w.mem, w.parent.root, inSecond[0], 'write').ok).toBe(false);
    expect(userWrite(backend, w.mem, w.mm, w.parent, inSecond[0], 0xcc)).toBe(true);
    expect(w.mm.counters.writeProtectSplits).toBe(2);
    expect(w.mm.counters.cowCopies).toBe(3);
    // The child still sees the data as it was at fork.
    for (const va of [...inFirst, ...inSecond]) expect(userRead(backend, w.mem, w.mm, child, va)).toBe(stamp(va));
    expect(userRead(backend, w.mem, w.mm, w.parent, inFirst[2])).toBe(stamp(inFirst[2]));
    expect(userRead(backend, w.mem, w.mm, w.parent, inSecond[1])).toBe(stamp(inSecond[1]));
  });

  it('the cost of fork follows the tables, not the pages touched', () => {
    const entries: number[] = [];
    for (const n of [16, 1024]) {
      const w = world(backend, 2 * PAGES_PER_TABLE);
      writeAll(backend, w, Array.from({ length: n }, (_, i) => BASE + i * PAGE), stamp);
      fork(w);
      entries.push(w.mm.counters.writeProtectEntries);
      expect(w.mm.counters.cowCopies).toBe(0);
    }
    // 16 pages sit in one leaf table, 1024 fill two: one table entry each.
    expect(entries).toEqual([1, 2]);
  });

  it('a region covering a whole 1 GiB is protected by one entry, split level by level', () => {
    const w = world(backend, 512 * PAGES_PER_TABLE);
    const a = [BASE + 10 * PAGE, BASE + 11 * PAGE];
    const b = BASE + 100 * TABLE_SPAN + 5 * PAGE;
    const c = BASE + 300 * TABLE_SPAN;
    writeAll(backend, w, [...a, b, c], stamp);
    const { child } = fork(w);
    expect(w.mm.counters.writeProtectEntries).toBe(1);
    for (const va of [...a, b, c]) {
      expect(backend.walk(w.mem, w.parent.root, va, 'write').ok).toBe(false);
      expect(backend.walk(w.mem, w.parent.root, va, 'read').ok).toBe(true);
    }
    expect(userWrite(backend, w.mem, w.mm, w.parent, a[0], 0x5a)).toBe(true);
    // Pushed onto the three leaf tables' entries, lifted at two levels, two leaves made read-only.
    expect(w.mm.counters.splitEntries).toBe(3 + 2 + a.length);
    expect(backend.walk(w.mem, w.parent.root, a[1], 'write').ok).toBe(false);
    expect(backend.walk(w.mem, w.parent.root, b, 'write').ok).toBe(false);
    expect(userWrite(backend, w.mem, w.mm, w.parent, b, 0x6b)).toBe(true);
    // Only the leaf table's entry was left to lift this time.
    expect(w.mm.counters.splitEntries).toBe(3 + 2 + a.length + 1 + 1);
    expect(w.mm.counters.cowCopies).toBe(2);
    for (const va of [...a, b, c]) expect(userRead(backend, w.mem, w.mm, child, va)).toBe(stamp(va));
    expect(userRead(backend, w.mem, w.mm, w.parent, c)).toBe(stamp(c));
  });

  it('a child writing copies only its page and leaves the parent intact', () => {
    const w = world(backend, 2 * PAGES_PER_TABLE);
    const vas = [0, 300, 700].map((p) => BASE + p * PAGE);
    writeAll(backend, w, vas, stamp);
    const { child } = fork(w);
    const data = w.mm.pmm.stats()['mo-data'];
    expect(userWrite(backend, w.mem, w.mm, child, vas[1], 0x77)).toBe(true);
    expect(w.mm.counters.cowCopies).toBe(1);
    expect(w.mm.pmm.stats()['mo-data']).toBe(data + 1);
    expect(userRead(backend, w.mem, w.mm, w.parent, vas[1])).toBe(stamp(vas[1]));
    expect(userRead(backend, w.mem, w.mm, child, vas[1])).toBe(0x77);
    // The parent's first write after the child's copy still copies: the frozen page is shared with the child's reads.
    expect(userWrite(backend, w.mem, w.mm, w.parent, vas[0], 0x12)).toBe(true);
    expect(userRead(backend, w.mem, w.mm, child, vas[0])).toBe(stamp(vas[0]));
  });

  it('mprotect after fork keeps shared pages read-only until copied', () => {
    const w = world(backend, 2 * PAGES_PER_TABLE);
    const vas = [1, 2, 900].map((p) => BASE + p * PAGE);
    writeAll(backend, w, vas, stamp);
    const { child } = fork(w);
    w.parent.protect(BASE, 2 * TABLE_SPAN, { read: true, write: false, exec: false });
    w.parent.protect(BASE, 2 * TABLE_SPAN, RW);
    for (const va of vas) expect(backend.walk(w.mem, w.parent.root, va, 'write').ok).toBe(false);
    const t = touch(backend, w.mem, w.mm, w.parent, vas[2], 'write');
    expect(t.ok).toBe(true);
    expect(t.outcomes.map((o) => (o.resolved ? o.action : 'x'))).toEqual(['cow-copy']);
    if (t.ok) w.mem.bytes[t.pa - RAM_BASE] = 0x44;
    expect(userRead(backend, w.mem, w.mm, child, vas[2])).toBe(stamp(vas[2]));
  });

  it('after fork, writes and teardown, every frame goes back (PMM conservation)', () => {
    const w = world(backend, 3 * PAGES_PER_TABLE + 8);
    const vas = [0, 5, 512, 1000, 1540].map((p) => BASE + p * PAGE);
    writeAll(backend, w, vas, stamp);
    const { child, clone } = fork(w);
    w.mm.pmm.audit();
    expect(userWrite(backend, w.mem, w.mm, child, vas[0], 1)).toBe(true);
    expect(userWrite(backend, w.mem, w.mm, w.parent, vas[2], 2)).toBe(true);
    expect(userWrite(backend, w.mem, w.mm, w.parent, vas[4], 3)).toBe(true);
    w.mm.pmm.audit();
    w.mm.destroyVSpace(child);
    w.mm.destroyMemoryObject(clone);
    // The parent owns its pages again: a write to a page still protected at table level reuses it.
    const t = touch(backend, w.mem, w.mm, w.parent, vas[3], 'write');
    expect(t.outcomes.map((o) => (o.resolved ? o.action : 'x'))).toEqual(['cow-reuse']);
    w.mm.destroyVSpace(w.parent);
    w.mm.destroyMemoryObject(w.mo);
    expect(w.mm.pmm.audit()).toEqual(w.empty);
  });
});
