// The x86_64 backend of the arch interface: writes PML4/PDPT/PD/PT entries.

import { BLOCK_SIZE, PAGE_SIZE, type ArchConstants, type ArchFactory, type ArchMmu, type LeafEntry, type PageAttrs, type PhysicalRam, type RawFault, type SoftMarks, type TableFrames, type TableRoot, type TlbHooks, type WriteProtectCount, type PageFault } from '../arch';
import { PTE_D, PTE_P, PTE_PS } from '../../../board/x86_64/walker';
import { TableOccupancy } from '../table-occupancy';
import { TableWriteProtect, underProtectedTable } from '../table-write-protect';
import { X86_WRITE_PROTECT, decodeLeaf, encodeLeaf, entryAddress, isLeafEntry, markedAccessed, TABLE_ENTRY_LO, type RawEntry } from './pte';
import { decodeX86PageFault } from './fault';

export const X86_64_CONSTANTS: ArchConstants = {
  name: 'x86_64',
  pageSize: PAGE_SIZE,
  levels: 4,
  asidBits: 12,
  userBase: 0,
  userTop: 2 ** 47,
};

const LEVEL_SIZE = [2 ** 39, 2 ** 30, 2 ** 21, 2 ** 12];
const TWO_32 = 2 ** 32;
const TWO_48 = 2 ** 48;

function indexAt(va: number, level: number): number {
  const u = va < 0 ? va + TWO_48 : va;
  return Math.floor(u / LEVEL_SIZE[level]) % 512;
}

function checkVa(va: number): void {
  if (!Number.isInteger(va) || va % PAGE_SIZE !== 0 || va < -(2 ** 47) || va >= 2 ** 47) {
    throw new Error(`x86_64: virtual address ${va} is not a canonical page-aligned address`);
  }
}

/** A user-half range [start, end) of whole pages. */
function checkRange(start: number, end: number): void {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start % PAGE_SIZE !== 0 || end % PAGE_SIZE !== 0 || start < 0 || end <= start || end > 2 ** 47) {
    throw new Error(`x86_64: [${start}, ${end}) is not a range of whole user pages`);
  }
}

export class X86Mmu implements ArchMmu {
  readonly constants = X86_64_CONSTANTS;

  private readonly occupancy = new TableOccupancy();
  private readonly writeProtect: TableWriteProtect;

  constructor(
    private readonly ram: PhysicalRam,
    private readonly frames: TableFrames,
    private readonly tlb: TlbHooks,
  ) {
    this.writeProtect = new TableWriteProtect(ram, X86_WRITE_PROTECT);
  }

  createRoot(frames: TableFrames = this.frames): TableRoot {
    const pa = frames.allocRoot ? frames.allocRoot() : frames.alloc();
    this.ram.fill(pa, PAGE_SIZE, 0);
    return { pa, asid: 0, frames };
  }

  map(root: TableRoot, va: number, pa: number, attrs: PageAttrs, marks?: SoftMarks): LeafEntry | null {
    checkVa(va);
    if (pa % PAGE_SIZE !== 0) throw new Error(`x86_64: physical address 0x${pa.toString(16)} is not page aligned`);
    const slot = this.leafSlot(root, va, true)!;
    const old = this.readLeaf(slot);
    this.write(slot, encodeLeaf(pa, attrs, marks));
    if (old) this.tlb.invalidatePage(root.asid, va);
    else this.occupancy.add(this.occupancy.tables[3], 1);
    return old;
  }

  mapBlock(root: TableRoot, va: number, pa: number, attrs: PageAttrs): void {
    checkVa(va);
    if (va % BLOCK_SIZE !== 0 || pa % BLOCK_SIZE !== 0) throw new Error(`x86_64: large page 0x${pa.toString(16)} at ${va} is not 2 MiB aligned`);
    const slot = this.tableSlot(root, va, 2);
    if ((this.ram.read64lo(slot) & PTE_P) !== 0) throw new Error(`x86_64: large page at va ${va} would replace a live entry`);
    const e = encodeLeaf(pa, attrs);
    this.ram.write64(slot, (e.lo | PTE_PS) >>> 0, e.hi);
    this.occupancy.add(this.occupancy.tables[2], 1);
  }

  unmap(root: TableRoot, va: number, releaseTables = false): LeafEntry | null {
    checkVa(va);
    const slot = this.leafSlot(root, va, false);
    if (slot === null) return null;
    const old = this.readLeaf(slot);
    if (!old) return null;
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
    const next = encodeLeaf(old.pa, attrs, marks);
    // Keep the hardware's dirty flag: protection changes do not make a page clean.
    if (old.dirty) next.lo = (next.lo | PTE_D) >>> 0;
    this.write(slot, next);
    this.tlb.invalidatePage(root.asid, va);
    return true;
  }

  markAccessed(root: TableRoot, va: number): boolean {
    checkVa(va);
    const slot = this.leafSlot(root, va, false);
    if (slot === null) return false;
    const lo = this.ram.read64lo(slot);
    if (!isLeafEntry(lo)) return false;
    this.ram.write64(slot, markedAccessed(lo), this.ram.read64hi(slot));
    this.tlb.invalidatePage(root.asid, va);
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

  decodeFault(raw: RawFault, root?: TableRoot): PageFault | null {
    return decodeX86PageFault(raw, (va) => this.isOldPage(root, va));
  }

  private isOldPage(root: TableRoot | undefined, va: number): boolean {
    if (!root) return false;
    const pageVa = va - (((va % PAGE_SIZE) + PAGE_SIZE) % PAGE_SIZE);
    const slot = this.leafSlot(root, pageVa, false);
    if (slot === null) return false;
    const lo = this.ram.read64lo(slot);
    return (lo & PTE_P) === 0 && isLeafEntry(lo);
  }

  private newTable(root: TableRoot): number {
    const pa = (root.frames ?? this.frames).alloc();
    this.ram.fill(pa, PAGE_SIZE, 0);
    return pa;
  }

  /** Physical address of va's entry in its level-`level` table (0 = PML4), creating the tables above it. */
  private tableSlot(root: TableRoot, va: number, level: number): number {
    this.leafSlotTo(root, va, true, level);
    return this.occupancy.slots[level];
  }

  /** Physical address of the PT entry for va; null when a table on the way is missing and create is false. */
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
      if ((lo & PTE_P) === 0) {
        if (!create) return null;
        path.add(table, 1);
        const next = this.newTable(root);
        this.ram.write64(slot, (next % TWO_32) | TABLE_ENTRY_LO, Math.floor(next / TWO_32));
        table = next;
        continue;
      }
      if ((lo & PTE_PS) !== 0) throw new Error(`x86_64: large page on the way to va ${va}: the kernel maps 4 KiB pages only`);
      table = entryAddress(lo, this.ram.read64hi(slot));
    }
    path.tables[last] = table;
    path.slots[last] = table + indexAt(va, last) * 8;
    return path.slots[last];
  }

  private readLeaf(slot: number): LeafEntry | null {
    const lo = this.ram.read64lo(slot);
    return isLeafEntry(lo) ? decodeLeaf(lo, this.ram.read64hi(slot)) : null;
  }

  private write(slot: number, e: RawEntry): void {
    this.ram.write64(slot, e.lo, e.hi);
  }

  private collectTables(table: number, level: number, out: number[]): void {
    out.push(table);
    if (level === 3) return;
    for (let i = 0; i < 512; i++) {
      const lo = this.ram.read64lo(table + i * 8);
      if ((lo & PTE_P) === 0 || (lo & PTE_PS) !== 0) continue;
      this.collectTables(entryAddress(lo, this.ram.read64hi(table + i * 8)), level + 1, out);
    }
  }
}

export const createX86Mmu: ArchFactory = (ram, frames, tlb) => new X86Mmu(ram, frames, tlb);
