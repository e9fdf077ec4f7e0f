// The arch-neutral 4-level radix tree of 512-entry translation tables: the walk
// to va's entry (allocating missing tables on the way), reading a leaf back,
// and listing every table under a root (teardown, counting). Both backends'
// trees have this shape; their TableCodec supplies the entry encoding.

import { PAGE_SIZE, TABLE_ENTRIES, type EntryWrites, type LeafEntry, type PhysicalRam, type TableFrames, type TableRoot } from './arch';
import { entryAddress, isLeafEntry, isLiveEntry, isTableEntry, type EntryLayout, type RawEntry, type TableCodec } from './table-codec';
import { TableOccupancy } from './table-occupancy';

/** Bytes one entry maps at each level (0 = root). */
export const LEVEL_SIZE = [2 ** 39, 2 ** 30, 2 ** 21, 2 ** 12];
const TWO_48 = 2 ** 48;
export const LEAF_LEVEL = 3;

/** Index into the level's table: upper-half addresses use the same low 48 bits. */
export function indexAt(va: number, level: number): number {
  const u = va < 0 ? va + TWO_48 : va;
  return Math.floor(u / LEVEL_SIZE[level]) % TABLE_ENTRIES;
}

export class TableTree {
  /** Entries in use per table, and the walk just made (see TableOccupancy). */
  readonly path = new TableOccupancy();
  /** Entries written, by level (statistics). */
  readonly writes: EntryWrites = { upper: 0, leaves: 0 };
  private readonly layout: EntryLayout;
  /** Tables under each root, root included, kept as they come and go (the OOM killer's badness reads it for every process). */
  private readonly counts = new WeakMap<TableRoot, number>();

  constructor(
    private readonly ram: PhysicalRam,
    private readonly frames: TableFrames,
    private readonly codec: TableCodec,
    /** For messages: the arch and its name for a block entry. */
    private readonly arch: string,
    private readonly blockName: string,
  ) {
    this.layout = codec.layout;
  }

  createRoot(frames: TableFrames = this.frames): TableRoot {
    const pa = frames.allocRoot ? frames.allocRoot() : frames.alloc();
    this.ram.fill(pa, PAGE_SIZE, 0);
    const root = { pa, asid: 0, frames };
    this.counts.set(root, 1);
    return root;
  }

  /** How many tables the root has (root included): tables(root).length without the walk. */
  tableCount(root: TableRoot): number {
    return this.counts.get(root) ?? this.tables(root).length;
  }

  /** Where the root's lower tables come from and go back to. */
  private framesOf(root: TableRoot): TableFrames {
    return root.frames ?? this.frames;
  }

  /**
   * Physical address of va's entry in its level-`last` table, recording the walk
   * in `path`; null when a table on the way is missing and create is false.
   */
  slot(root: TableRoot, va: number, create: boolean, last = LEAF_LEVEL): number | null {
    const path = this.path;
    let table = root.pa;
    for (let level = 0; level < last; level++) {
      const slot = table + indexAt(va, level) * 8;
      path.tables[level] = table;
      path.slots[level] = slot;
      const lo = this.ram.read64lo(slot);
      if (isTableEntry(this.layout, lo)) {
        table = entryAddress(this.layout, lo, this.ram.read64hi(slot));
        continue;
      }
      if (isLiveEntry(this.layout, lo)) throw new Error(`${this.arch}: ${this.blockName} on the way to va ${va}: the kernel maps 4 KiB pages only`);
      if (!create) return null;
      path.add(table, 1);
      table = this.newTable(root);
      this.writeUpper(slot, this.codec.encodeTable(table));
    }
    path.tables[last] = table;
    path.slots[last] = table + indexAt(va, last) * 8;
    return path.slots[last];
  }

  readLeaf(slot: number): LeafEntry | null {
    const lo = this.ram.read64lo(slot);
    return isLeafEntry(this.layout, lo) ? this.codec.decodeLeaf(lo, this.ram.read64hi(slot)) : null;
  }

  /** Writes a level-3 entry. */
  write(slot: number, e: RawEntry): void {
    this.writes.leaves++;
    this.ram.write64(slot, e.lo, e.hi);
  }

  /** Writes an entry of a level 0-2 table. */
  writeUpper(slot: number, e: RawEntry): void {
    this.writes.upper++;
    this.ram.write64(slot, e.lo, e.hi);
  }

  /** The last walk's level-`level` table gained (+1) or lost (-1) an entry. */
  counted(level: number, delta: number): void {
    this.path.add(this.path.tables[level], delta);
  }

  /** The last walk's leaf was cleared: count it, and with release free the tables it left empty. */
  leafCleared(root: TableRoot, release: boolean): void {
    this.writes.leaves++;
    if (release) {
      const freed = this.path.releaseEmpty(LEAF_LEVEL, this.ram, this.framesOf(root));
      this.writes.upper += freed;
      const n = this.counts.get(root);
      if (n !== undefined) this.counts.set(root, n - freed);
    } else this.counted(LEAF_LEVEL, -1);
  }

  /** Every table reachable from the root, root first. */
  tables(root: TableRoot): number[] {
    const out: number[] = [];
    this.collect(root.pa, 0, out);
    return out;
  }

  /** Every table of the root, no longer counted: the caller frees them. */
  detach(root: TableRoot): number[] {
    const tables = this.tables(root);
    for (const t of tables) this.path.forget(t);
    this.counts.delete(root);
    return tables;
  }

  private newTable(root: TableRoot): number {
    const pa = this.framesOf(root).alloc();
    this.ram.fill(pa, PAGE_SIZE, 0);
    const n = this.counts.get(root);
    if (n !== undefined) this.counts.set(root, n + 1);
    return pa;
  }

  private collect(table: number, level: number, out: number[]): void {
    out.push(table);
    if (level === LEAF_LEVEL) return;
    for (let i = 0; i < TABLE_ENTRIES; i++) {
      const lo = this.ram.read64lo(table + i * 8);
      if (!isTableEntry(this.layout, lo)) continue;
      this.collect(entryAddress(this.layout, lo, this.ram.read64hi(table + i * 8)), level + 1, out);
    }
  }
}
