// The ArchMmu both backends share: map, unmap, protect and query over a
// TableTree, table-level write protection, teardown, and the TLB maintenance
// each of them needs. A backend subclasses it with its constants and its
// DescriptorCodec and adds fault decoding; it overrides only where its
// architecture differs.

import { BLOCK_SIZE, PAGE_SIZE, type ArchConstants, type ArchMmu, type EntryWrites, type LeafEntry, type PageAttrs, type PageFault, type PhysicalRam, type RawFault, type SoftMarks, type TableFrames, type TableInspection, type TableRoot, type TlbHooks, type WriteProtectCount } from './arch';
import { isLeafEntry, isLiveEntry, type DescriptorCodec } from './table-codec';
import { inspectTree } from './table-inspect';
import { LEAF_LEVEL, TableTree } from './table-tree';
import { TableWriteProtect, underProtectedTable } from './table-write-protect';

const TWO_48 = 2 ** 48;

export abstract class TableTreeMmu implements ArchMmu {
  protected readonly tree: TableTree;
  private readonly writeProtect: TableWriteProtect;

  constructor(
    readonly constants: ArchConstants,
    private readonly codec: DescriptorCodec,
    protected readonly ram: PhysicalRam,
    frames: TableFrames,
    protected readonly tlb: TlbHooks,
  ) {
    this.tree = new TableTree(ram, frames, codec, constants.name, codec.blockName);
    this.writeProtect = new TableWriteProtect(ram, codec, this.tree.writes);
  }

  get entryWrites(): EntryWrites {
    return this.tree.writes;
  }

  abstract decodeFault(raw: RawFault, root?: TableRoot): PageFault | null;

  createRoot(frames?: TableFrames): TableRoot {
    return this.tree.createRoot(frames);
  }

  map(root: TableRoot, va: number, pa: number, attrs: PageAttrs, marks?: SoftMarks): LeafEntry | null {
    this.checkVa(va);
    if (pa % PAGE_SIZE !== 0 || pa < 0 || pa >= TWO_48) throw new Error(`${this.constants.name}: physical address 0x${pa.toString(16)} is not a page-aligned 48-bit address`);
    const slot = this.tree.slot(root, va, true)!;
    const old = this.tree.readLeaf(slot);
    this.tree.write(slot, this.codec.encodeLeaf(pa, attrs, marks));
    if (old) this.tlb.invalidatePage(root.asid, va);
    else this.tree.counted(LEAF_LEVEL, 1);
    return old;
  }

  mapBlock(root: TableRoot, va: number, pa: number, attrs: PageAttrs): void {
    this.checkVa(va);
    const name = `${this.constants.name}: ${this.codec.blockName}`;
    if (va % BLOCK_SIZE !== 0 || pa % BLOCK_SIZE !== 0) throw new Error(`${name} 0x${pa.toString(16)} at ${va} is not 2 MiB aligned`);
    const slot = this.tree.slot(root, va, true, 2)!;
    if (isLiveEntry(this.codec.layout, this.ram.read64lo(slot))) throw new Error(`${name} at va ${va} would replace a live entry`);
    this.tree.writeUpper(slot, this.codec.encodeBlock(pa, attrs));
    this.tree.counted(2, 1);
  }

  unmap(root: TableRoot, va: number, releaseTables = false): LeafEntry | null {
    this.checkVa(va);
    const slot = this.tree.slot(root, va, false);
    const old = slot === null ? null : this.tree.readLeaf(slot);
    if (slot === null || !old) return null;
    this.ram.write64(slot, 0, 0);
    this.tlb.invalidatePage(root.asid, va);
    this.tree.leafCleared(root, releaseTables);
    return old;
  }

  protect(root: TableRoot, va: number, attrs: PageAttrs, marks?: SoftMarks): boolean {
    this.checkVa(va);
    const slot = this.tree.slot(root, va, false);
    const old = slot === null ? null : this.tree.readLeaf(slot);
    if (slot === null || !old) return false;
    // Protection changes do not make a page clean.
    this.tree.write(slot, this.codec.encodeLeaf(old.pa, attrs, marks, old.dirty));
    this.tlb.invalidatePage(root.asid, va);
    return true;
  }

  markAccessed(root: TableRoot, va: number): boolean {
    this.checkVa(va);
    const slot = this.tree.slot(root, va, false);
    if (slot === null) return false;
    const lo = this.ram.read64lo(slot);
    if (!isLeafEntry(this.codec.layout, lo)) return false;
    this.tree.write(slot, { lo: this.codec.markedAccessed(lo), hi: this.ram.read64hi(slot) });
    return true;
  }

  query(root: TableRoot, va: number): LeafEntry | null {
    this.checkVa(va);
    const slot = this.tree.slot(root, va, false);
    const leaf = slot === null ? null : this.tree.readLeaf(slot);
    if (!leaf || !leaf.attrs.write) return leaf;
    return this.writeProtect.anyProtected(this.tree.path.slots, LEAF_LEVEL) ? underProtectedTable(leaf) : leaf;
  }

  writeProtectRange(root: TableRoot, start: number, end: number): WriteProtectCount {
    this.checkRange(start, end);
    const count = this.writeProtect.protectRange(root.pa, start, end, (va) => this.tlb.invalidatePage(root.asid, va));
    if (count.tables > 0) this.tlb.invalidateAsid(root.asid);
    return count;
  }

  splitWriteProtection(root: TableRoot, va: number): number {
    this.checkVa(va);
    return this.writeProtect.split(root.pa, va);
  }

  /** Returns the frames (root included) for the caller to free; the backend frees nothing itself. */
  destroyRoot(root: TableRoot): number[] {
    const tables = this.tree.detach(root);
    this.tlb.invalidateAsid(root.asid);
    return tables;
  }

  countTables(root: TableRoot): number {
    return this.tree.tableCount(root);
  }

  inspect(root: TableRoot, onLeaf: (va: number, leaf: LeafEntry) => void): TableInspection {
    return inspectTree(this.ram, this.codec, this.tree.path, root.pa, onLeaf);
  }

  /** A page-aligned address of either half: [-userTop, userTop). */
  protected checkVa(va: number): void {
    const top = this.constants.userTop;
    if (!Number.isInteger(va) || va % PAGE_SIZE !== 0 || va < -top || va >= top) {
      throw new Error(`${this.constants.name}: virtual address ${va} is not a page-aligned address of either half`);
    }
  }

  /** A user-half range [start, end) of whole pages. */
  private checkRange(start: number, end: number): void {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start % PAGE_SIZE !== 0 || end % PAGE_SIZE !== 0 || start < 0 || end <= start || end > this.constants.userTop) {
      throw new Error(`${this.constants.name}: [${start}, ${end}) is not a range of whole user pages`);
    }
  }
}
