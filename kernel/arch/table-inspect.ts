// A debug walk of every table under a root (the tier invariants pass,
// kernel/mm/tier-invariants.ts): each leaf as the hardware sees it (a leaf
// under a write-protected table reads read-only copy-on-write), every table
// reached, and what in the tree's own bookkeeping disagrees with the entries:
// the per-table count of entries in use (which decides when an emptied table
// is freed), empty lower tables left behind, and entries no code writes.
// Knows no descriptor bit: the backend's codec answers.

import { TABLE_ENTRIES, type LeafEntry, type PhysicalRam, type TableInspection } from './arch';
import { entryAddress, isLeafEntry, isLiveEntry, isTableEntry, type DescriptorCodec } from './table-codec';
import type { TableOccupancy } from './table-occupancy';
import { LEAF_LEVEL, LEVEL_SIZE } from './table-tree';
import { underProtectedTable } from './table-write-protect';

interface Walk {
  readonly ram: PhysicalRam;
  readonly codec: DescriptorCodec;
  readonly occupancy: TableOccupancy;
  readonly onLeaf: (va: number, leaf: LeafEntry) => void;
  readonly tables: number[];
  readonly problems: string[];
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** Walks the tree under rootPa; leaf addresses are the low 48 bits of the virtual address. */
export function inspectTree(ram: PhysicalRam, codec: DescriptorCodec, occupancy: TableOccupancy, rootPa: number, onLeaf: (va: number, leaf: LeafEntry) => void): TableInspection {
  const walk: Walk = { ram, codec, occupancy, onLeaf, tables: [], problems: [] };
  visit(walk, rootPa, 0, 0, false);
  return { tables: walk.tables, problems: walk.problems };
}

function visit(w: Walk, table: number, level: number, base: number, protectedAbove: boolean): void {
  w.tables.push(table);
  const layout = w.codec.layout;
  let live = 0;
  // One read of the whole table (a fresh copy, so aligned; entries little-endian as on every host we run on): most entries are empty.
  const words = new Uint32Array(w.ram.readBytes(table, TABLE_ENTRIES * 8).buffer);
  for (let i = 0; i < TABLE_ENTRIES; i++) {
    const lo = words[2 * i];
    const hi = words[2 * i + 1];
    if ((lo | hi) === 0) continue;
    const va = base + i * LEVEL_SIZE[level];
    if (level === LEAF_LEVEL) {
      if (!isLeafEntry(layout, lo)) {
        w.problems.push(`level-3 entry ${i} of table ${hex(table)} (va ${hex(va)}) holds ${hex(hi)}:${hex(lo >>> 0)}, which is no leaf the kernel writes`);
        continue;
      }
      live++;
      const leaf = w.codec.decodeLeaf(lo, hi);
      w.onLeaf(va, protectedAbove && leaf.attrs.write ? underProtectedTable(leaf) : leaf);
      continue;
    }
    if (isTableEntry(layout, lo)) {
      live++;
      visit(w, entryAddress(layout, lo, hi), level + 1, va, protectedAbove || w.codec.tableWriteProtected(lo, hi));
    } else if (isLiveEntry(layout, lo)) {
      live++;
      w.problems.push(`level-${level} entry ${i} of table ${hex(table)} maps ${hex(va)} with a ${w.codec.blockName} entry`);
    } else {
      w.problems.push(`level-${level} entry ${i} of table ${hex(table)} (va ${hex(va)}) is not live but holds ${hex(hi)}:${hex(lo >>> 0)}`);
    }
  }
  const counted = w.occupancy.count(table);
  if (counted !== live) w.problems.push(`level-${level} table ${hex(table)} holds ${live} live entries, its occupancy count says ${counted}`);
  if (level > 0 && live === 0) w.problems.push(`level-${level} table ${hex(table)} is empty but was not freed`);
}
