// What a backend tells the shared table code (table-tree, table-write-protect,
// table-tree-mmu) about its 64-bit entries. Each backend implements one
// DescriptorCodec in kernel/arch/<arch>/; the shared code knows no descriptor bit.

import type { LeafEntry, PageAttrs, SoftMarks } from './arch';

/** A 64-bit table entry as two 32-bit halves. */
export interface RawEntry {
  lo: number;
  hi: number;
}

/**
 * What an entry's bits say, as masks: the shared walks run on every map, unmap,
 * query and fault, and a call through a codec that two backends implement
 * would be polymorphic there (measured ~15% slower per operation).
 */
export interface EntryLayout {
  /** (lo & validMask) !== 0: the hardware takes the entry as live (a table, block or page). */
  readonly validMask: number;
  /** (lo & tableMask) === tableBits: at levels 0-2, the entry points to a next-level table. */
  readonly tableMask: number;
  readonly tableBits: number;
  /**
   * (lo & leafAnyMask) !== 0 and (lo & leafAllMask) === leafAllMask: a level-3
   * entry the kernel wrote (live, or kept as an "old" page).
   */
  readonly leafAnyMask: number;
  readonly leafAllMask: number;
  /** The output address: (hi & addressMaskHi) * 2^32 + (lo & addressMaskLo). */
  readonly addressMaskLo: number;
  readonly addressMaskHi: number;
}

const TWO_32 = 2 ** 32;

export function isLiveEntry(layout: EntryLayout, lo: number): boolean {
  return (lo & layout.validMask) !== 0;
}

export function isTableEntry(layout: EntryLayout, lo: number): boolean {
  return (lo & layout.tableMask) === layout.tableBits;
}

export function isLeafEntry(layout: EntryLayout, lo: number): boolean {
  return (lo & layout.leafAnyMask) !== 0 && (lo & layout.leafAllMask) === layout.leafAllMask;
}

export function entryAddress(layout: EntryLayout, lo: number, hi: number): number {
  return (hi & layout.addressMaskHi) * TWO_32 + ((lo & layout.addressMaskLo) >>> 0);
}

/** What the walk, teardown and counting need. */
export interface TableCodec {
  readonly layout: EntryLayout;
  /** An entry pointing to the next-level table at pa. */
  encodeTable(pa: number): RawEntry;
  decodeLeaf(lo: number, hi: number): LeafEntry;
}

/** What hierarchical write protection needs. */
export interface WriteProtectCodec {
  readonly layout: EntryLayout;
  /** The table entry denies write to everything below it. */
  tableWriteProtected(lo: number, hi: number): boolean;
  /** The table entry with "no write below" set (on) or cleared. */
  withTableWriteProtect(lo: number, hi: number, on: boolean): RawEntry;
  /** A level-3 entry the kernel wrote that grants write (ignoring the tables above it). */
  writableLeaf(lo: number, hi: number): boolean;
  /** That leaf made read-only and marked copy-on-write. */
  readOnlyCow(lo: number, hi: number): RawEntry;
}

/** Everything a backend's entries tell the shared MMU. */
export interface DescriptorCodec extends TableCodec, WriteProtectCodec {
  /** What the architecture calls a level-2 leaf, for messages ("block", "large page"). */
  readonly blockName: string;
  /** A level-3 page entry; dirty keeps the hardware's dirty flag where the entry has one. */
  encodeLeaf(pa: number, attrs: PageAttrs, marks?: SoftMarks, dirty?: boolean): RawEntry;
  /** A level-2 entry mapping a 2 MiB block. */
  encodeBlock(pa: number, attrs: PageAttrs): RawEntry;
  /** A leaf's low word after its first access (the access flag set). */
  markedAccessed(lo: number): number;
}
