// Hierarchical write protection over a 4-level, 512-entry translation tree:
// both architectures let a table entry take write permission away from
// everything below it (aarch64 APTable[1], x86_64 R/W of an upper-level entry,
// the effective permission being the AND over the walk). A range is protected
// at the highest level whose entry covers only range pages, so the cost grows
// with the tables, not with the pages; a write fault later "splits" one walk.
// The backend supplies the entry encoding; this file knows no descriptor bit.

import { TABLE_ENTRIES as ENTRIES, type EntryWrites, type LeafEntry, type PhysicalRam, type WriteProtectCount } from './arch';
import { entryAddress, isTableEntry, type RawEntry, type WriteProtectCodec } from './table-codec';
import { indexAt, LEVEL_SIZE } from './table-tree';

/** Entries written by one operation: table entries (hierarchical) and leaves; mutable while counting. */
export interface ProtectCount extends WriteProtectCount {
  tables: number;
  leaves: number;
}

const TWO_48 = 2 ** 48;

export class TableWriteProtect {
  constructor(
    private readonly ram: PhysicalRam,
    private readonly codec: WriteProtectCodec,
    /** Statistics: entries written, by level. */
    private readonly writes: EntryWrites = { upper: 0, leaves: 0 },
  ) {}

  /**
   * Deny write to every page mapped in [start, end). onLeaf is told the address
   * of each leaf made read-only (for its TLB entry).
   */
  protectRange(rootPa: number, start: number, end: number, onLeaf: (va: number) => void): ProtectCount {
    const count = { tables: 0, leaves: 0 };
    const u = start < 0 ? start + TWO_48 : start;
    this.protectIn(rootPa, 0, 0, u, u + (end - start), count, (uva) => onLeaf(start + (uva - u)));
    return count;
  }

  /**
   * Lift table-level protection from the walk to va only: at each protected
   * level the protection moves down onto every sibling entry, and the writable
   * leaves of va's leaf table become read-only copy-on-write one by one.
   * Effective permissions do not change anywhere. Returns entries written.
   */
  split(rootPa: number, va: number): number {
    const u = va < 0 ? va + TWO_48 : va;
    let table = rootPa;
    let written = 0;
    for (let level = 0; level < 3; level++) {
      const slot = table + indexAt(u, level) * 8;
      const lo = this.ram.read64lo(slot);
      const hi = this.ram.read64hi(slot);
      if (!isTableEntry(this.codec.layout, lo)) return written;
      const next = entryAddress(this.codec.layout, lo, hi);
      if (this.codec.tableWriteProtected(lo, hi)) {
        // Push down before lifting, so no walk ever sees more than it should.
        written += this.pushDown(next, level + 1);
        this.write(slot, this.codec.withTableWriteProtect(lo, hi, false), level);
        written++;
      }
      table = next;
    }
    return written;
  }

  /** Whether any of the table entries at these addresses (a walk's upper levels) denies write. */
  anyProtected(slots: readonly number[], levels: number): boolean {
    for (let level = 0; level < levels; level++) {
      const slot = slots[level];
      if (this.codec.tableWriteProtected(this.ram.read64lo(slot), this.ram.read64hi(slot))) return true;
    }
    return false;
  }

  private protectIn(table: number, level: number, base: number, start: number, end: number, count: ProtectCount, onLeaf: (uva: number) => void): void {
    const size = LEVEL_SIZE[level];
    const first = Math.max(0, Math.floor((start - base) / size));
    const last = Math.min(ENTRIES - 1, Math.floor((end - 1 - base) / size));
    for (let i = first; i <= last; i++) {
      const slot = table + i * 8;
      const lo = this.ram.read64lo(slot);
      const hi = this.ram.read64hi(slot);
      const s = base + i * size;
      if (level === 3) {
        if (!this.codec.writableLeaf(lo, hi)) continue;
        this.write(slot, this.codec.readOnlyCow(lo, hi), 3);
        count.leaves++;
        onLeaf(s);
        continue;
      }
      if (!isTableEntry(this.codec.layout, lo) || this.codec.tableWriteProtected(lo, hi)) continue;
      if (s >= start && s + size <= end) {
        this.write(slot, this.codec.withTableWriteProtect(lo, hi, true), level);
        count.tables++;
      } else {
        this.protectIn(entryAddress(this.codec.layout, lo, hi), level + 1, s, start, end, count, onLeaf);
      }
    }
  }

  /** Move protection one level down: onto every table entry, or onto every writable leaf. */
  private pushDown(table: number, level: number): number {
    let written = 0;
    for (let i = 0; i < ENTRIES; i++) {
      const slot = table + i * 8;
      const lo = this.ram.read64lo(slot);
      const hi = this.ram.read64hi(slot);
      if (level === 3) {
        if (!this.codec.writableLeaf(lo, hi)) continue;
        this.write(slot, this.codec.readOnlyCow(lo, hi), 3);
      } else {
        if (!isTableEntry(this.codec.layout, lo) || this.codec.tableWriteProtected(lo, hi)) continue;
        this.write(slot, this.codec.withTableWriteProtect(lo, hi, true), level);
      }
      written++;
    }
    return written;
  }

  private write(slot: number, e: RawEntry, level: number): void {
    if (level === 3) this.writes.leaves++;
    else this.writes.upper++;
    this.ram.write64(slot, e.lo, e.hi);
  }
}

/** A leaf as seen through a write-protected table: read-only, copy-on-write. */
export function underProtectedTable(leaf: LeafEntry): LeafEntry {
  return { ...leaf, attrs: { ...leaf.attrs, write: false }, cow: true };
}
