// The aarch64 backend of the arch interface: writes VMSAv8-64 4 KiB-granule tables
// (four levels, 48-bit VAs). A root is a level-0 table; a process root goes in TTBR0
// with its ASID, the kernel root (mapping negative, upper-half addresses) in TTBR1.

import { BLOCK_SIZE, PAGE_SIZE, type ArchConstants, type ArchFactory, type ArchMmu, type LeafEntry, type PageAttrs, type PageFault, type PhysicalRam, type RawFault, type SoftMarks, type TableFrames, type TableRoot, type TlbHooks, type WriteProtectCount } from '../arch';
import { TableOccupancy } from '../table-occupancy';
import { TableWriteProtect, underProtectedTable } from '../table-write-protect';
import { AARCH64_WRITE_PROTECT, decodePage, descriptorAddress, encodeBlock, encodePage, encodeTable, isTableOrPage, withAccessFlag, type RawDescriptor } from './descriptor';
import { decodeAarch64Fault } from './fault';
import { ASID_BITS, VA_BITS } from './translation-regime';

export const AARCH64_CONSTANTS: ArchConstants = {
  name: 'aarch64',
  pageSize: PAGE_SIZE,
  levels: 4,
  asidBits: ASID_BITS,
  userBase: 0,
  userTop: 2 ** VA_BITS,
};

const LEVEL_SIZE = [2 ** 39, 2 ** 30, 2 ** 21, 2 ** 12];
const TWO_48 = 2 ** 48;

/** Index into the level's table: upper-half addresses use the same low 48 bits. */
function indexAt(va: number, level: number): number {
  const u = va < 0 ? va + TWO_48 : va;
  return Math.floor(u / LEVEL_SIZE[level]) % 512;
}

function checkVa(va: number): void {
  if (!Number.isInteger(va) || va % PAGE_SIZE !== 0 || va < -TWO_48 || va >= TWO_48) {
    throw new Error(`aarch64: virtual address ${va} is not a page-aligned address of either 48-bit half`);
  }
}

/** A user-half range [start, end) of whole pages. */
function checkRange(start: number, end: number): void {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start % PAGE_SIZE !== 0 || end % PAGE_SIZE !== 0 || start < 0 || end <= start || end > TWO_48) {
    throw new Error(`aarch64: [${start}, ${end}) is not a range of whole user pages`);
  }
}

export class Aarch64Mmu implements ArchMmu {
  readonly constants = AARCH64_CONSTANTS;

  private readonly occupancy = new TableOccupancy();
  private readonly writeProtect: TableWriteProtect;

  constructor(
    private readonly ram: PhysicalRam,
    private readonly frames: TableFrames,
    private readonly tlb: TlbHooks,
  ) {
    this.writeProtect = new TableWriteProtect(ram, AARCH64_WRITE_PROTECT);
  }

  createRoot(frames: TableFrames = this.frames): TableRoot {
    const pa = frames.allocRoot ? frames.allocRoot() : frames.alloc();
    this.ram.fill(pa, PAGE_SIZE, 0);
    return { pa, asid: 0, frames };
  }

  map(root: TableRoot, va: number, pa: number, attrs: PageAttrs, marks?: SoftMarks): LeafEntry | null {
    checkVa(va);
    if (pa % PAGE_SIZE !== 0 || pa < 0 || pa >= TWO_48) throw new Error(`aarch64: physical address 0x${pa.toString(16)} is not a page-aligned 48-bit address`);
    const slot = this.leafSlot(root, va, true)!;
    const old = this.readLeaf(slot);
    this.write(slot, encodePage(pa, attrs, marks));
    if (old) this.tlb.invalidatePage(root.asid, va);
    else this.occupancy.add(this.occupancy.tables[3], 1);
    return old;
  }

  mapBlock(root: TableRoot, va: number, pa: number, attrs: PageAttrs): void {
    checkVa(va);
    if (va % BLOCK_SIZE !== 0 || pa % BLOCK_SIZE !== 0) throw new Error(`aarch64: block 0x${pa.toString(16)} at ${va} is not 2 MiB aligned`);
    const slot = this.tableSlot(root, va, 2);
    if ((this.ram.read64lo(slot) & 1) !== 0) throw new Error(`aarch64: block at va ${va} would replace a live entry`);
    this.write(slot, encodeBlock(pa, attrs));
    this.occupancy.add(this.occupancy.tables[2], 1);
  }

  unmap(root: TableRoot, va: number, releaseTables = false): LeafEntry | null {
    checkVa(va);
    const slot = this.leafSlot(root, va, false);
    const old = slot === null ? null : this.readLeaf(slot);
    if (slot === null || !old) return null;
    this.ram.write64(slot, 0, 0);
    this.tlb.invalidatePage(root.asid, va);
    if (releaseTables) this.occupancy.releaseEmpty(3, this.ram, root.frames ?? this.frames);
    else this.occupancy.add(this.occupancy.tables[3], -1);
    return old;
  }

  protect(root: TableRoot, va: number, attrs: PageAttrs, marks?: SoftMarks): boolean {
    checkVa(va);
    const slot = this.leafSlot(root, va, false);
    const old = slot === null ? null : this.readLeaf(slot);
    if (slot === null || !old) return false;
    this.write(slot, encodePage(old.pa, attrs, marks));
    this.tlb.invalidatePage(root.asid, va);
    return true;
  }

  markAccessed(root: TableRoot, va: number): boolean {
    checkVa(va);
    const slot = this.leafSlot(root, va, false);
    if (slot === null) return false;
    const lo = this.ram.read64lo(slot);
    if (!isTableOrPage(lo)) return false;
    this.ram.write64(slot, withAccessFlag(lo), this.ram.read64hi(slot));
    // A descriptor with AF = 0 is never cached, so no TLB maintenance is needed.
    return true;
  }

  query(root: TableRoot, va: number): LeafEntry | null {
    checkVa(va);
    const slot = this.leafSlot(root, va, false);
    const leaf = slot === null ? null : this.readLeaf(slot);
    if (!leaf || !leaf.attrs.write) return leaf;
    return this.writeProtect.anyProtected(this.occupancy.slots, 3) ? underProtectedTable(leaf) : leaf;
  }

  writeProtectRange(root: TableRoot, start: number, end: number): WriteProtectCount {
    checkRange(start, end);
    const count = this.writeProtect.protectRange(root.pa, start, end, (va) => this.tlb.invalidatePage(root.asid, va));
    if (count.tables > 0) this.tlb.invalidateAsid(root.asid);
    return count;
  }

  splitWriteProtection(root: TableRoot, va: number): number {
    checkVa(va);
    return this.writeProtect.split(root.pa, va);
  }

  /** Returns the frames (root included) for the caller to free; the backend frees nothing itself. */
  destroyRoot(root: TableRoot): number[] {
    const out: number[] = [];
    this.collectTables(root.pa, 0, out);
    for (const t of out) this.occupancy.forget(t);
    this.tlb.invalidateAsid(root.asid);
    return out;
  }

  countTables(root: TableRoot): number {
    const out: number[] = [];
    this.collectTables(root.pa, 0, out);
    return out.length;
  }

  decodeFault(raw: RawFault): PageFault | null {
    return decodeAarch64Fault(raw);
  }

  private newTable(root: TableRoot): number {
    const pa = (root.frames ?? this.frames).alloc();
    this.ram.fill(pa, PAGE_SIZE, 0);
    return pa;
  }

  /** Physical address of va's entry in its level-`level` table, creating the tables above it. */
  private tableSlot(root: TableRoot, va: number, level: number): number {
    this.leafSlotTo(root, va, true, level);
    return this.occupancy.slots[level];
  }

  /** Physical address of the level-3 descriptor for va; null when a table on the way is missing and create is false. */
  private leafSlot(root: TableRoot, va: number, create: boolean): number | null {
    return this.leafSlotTo(root, va, create, 3);
  }

  private leafSlotTo(root: TableRoot, va: number, create: boolean, last: number): number | null {
    const path = this.occupancy;
    let table = root.pa;
    for (let level = 0; level < last; level++) {
      const slot = table + indexAt(va, level) * 8;
      path.tables[level] = table;
      path.slots[level] = slot;
      const lo = this.ram.read64lo(slot);
      if (isTableOrPage(lo)) {
        table = descriptorAddress(lo, this.ram.read64hi(slot));
        continue;
      }
      if ((lo & 1) !== 0) throw new Error(`aarch64: block descriptor on the way to va ${va}: the kernel maps 4 KiB pages only`);
      if (!create) return null;
      path.add(table, 1);
      table = this.newTable(root);
      this.write(slot, encodeTable(table));
    }
    path.tables[last] = table;
    path.slots[last] = table + indexAt(va, last) * 8;
    return path.slots[last];
  }

  private readLeaf(slot: number): LeafEntry | null {
    const lo = this.ram.read64lo(slot);
    return isTableOrPage(lo) ? decodePage(lo, this.ram.read64hi(slot)) : null;
  }

  private write(slot: number, d: RawDescriptor): void {
    this.ram.write64(slot, d.lo, d.hi);
  }

  private collectTables(table: number, level: number, out: number[]): void {
    out.push(table);
    if (level === 3) return;
    for (let i = 0; i < 512; i++) {
      const lo = this.ram.read64lo(table + i * 8);
      if (!isTableOrPage(lo)) continue;
      this.collectTables(descriptorAddress(lo, this.ram.read64hi(table + i * 8)), level + 1, out);
    }
  }
}

export const createAarch64Mmu: ArchFactory = (ram, frames, tlb) => new Aarch64Mmu(ram, frames, tlb);
