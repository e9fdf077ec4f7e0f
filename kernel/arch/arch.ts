// The one interface between the arch-neutral memory tiers (kernel/mm) and an
// architecture backend (kernel/arch/<arch>). The kernel describes mappings with
// arch-neutral attributes; only a backend knows descriptor bits.
//
// Addresses: physical addresses are plain numbers (< 2^48). Virtual addresses of
// the user half are plain numbers in [userBase, userTop). A kernel (upper-half)
// virtual address is the signed value of its 64-bit canonical form, e.g.
// 0xFFFF_8000_0000_0000 is -2^47: exact as a JS number and never BigInt.

export const PAGE_SIZE = 4096;
/** The size of a level-2 block (aarch64) / large page (x86_64 PD entry with PS). */
export const BLOCK_SIZE = 2 * 1024 * 1024;
export const PAGE_SHIFT = 12;
/** Entries in one translation table / radix node of 4 KiB holding 8-byte entries. */
export const TABLE_ENTRIES = 512;

export type ArchName = 'aarch64' | 'x86_64';

/** Arch-neutral attributes of one 4 KiB leaf mapping. */
export interface PageAttrs {
  readonly read: boolean;
  readonly write: boolean;
  readonly exec: boolean;
  /** Accessible from user mode (EL0 / CPL3). */
  readonly user: boolean;
  /** Matches every ASID/PCID (kernel mappings). */
  readonly global: boolean;
  /** Device memory (uncached, no speculation) rather than normal cacheable memory. */
  readonly device: boolean;
}

/**
 * Software markers a backend keeps in the entry's software-available bits.
 * The kernel reads them back with query(); hardware ignores them.
 */
export interface SoftMarks {
  /** The page is shared copy-on-write: a write fault means "copy or hand over". */
  readonly cow?: boolean;
  /**
   * Map the page "not yet accessed": the first access raises an access-flag
   * fault (aarch64: AF = 0; x86_64: P = 0 with a software marker, so the
   * backend can report the fault as access-flag).
   */
  readonly old?: boolean;
}

/** What a leaf entry holds, read back from the hardware table. */
export interface LeafEntry {
  readonly pa: number;
  readonly attrs: PageAttrs;
  /** The access flag (aarch64 AF, x86_64 A). */
  readonly accessed: boolean;
  /** Written since mapped (x86_64 D; aarch64 reports write permission granted by DBM or false). */
  readonly dirty: boolean;
  readonly cow: boolean;
}

/** Entries writeProtectRange wrote: upper-level table entries and single leaves. */
export interface WriteProtectCount {
  readonly tables: number;
  readonly leaves: number;
}

/** Table entries the shared table code wrote since boot: in tables of levels 0-2 (upper) and level 3 (leaves). */
export interface EntryWrites {
  upper: number;
  leaves: number;
}

/** What a debug walk of every table under a root found (ArchMmu.inspect). */
export interface TableInspection {
  /** Every table reachable from the root, root first. */
  readonly tables: readonly number[];
  /** The tree's bookkeeping against its entries: one line each (empty: consistent). */
  readonly problems: readonly string[];
}

/** A root translation table and the address-space identifier it is tagged with. */
export interface TableRoot {
  /** Physical address of the root table (PML4 / level-0 table). */
  readonly pa: number;
  /** ASID (aarch64) or PCID (x86_64); 0 when the backend has none in use. Set by the VSpace. */
  asid: number;
  /** Where this root's lower tables come from (the backend's default frames when absent). */
  readonly frames?: TableFrames;
}

/** Frames for translation tables, owned 'page table' in the PMM (carved from Untyped by the kernel). */
export interface TableFrames {
  /** A free 4 KiB frame's physical address; throws when memory is exhausted. */
  alloc(): number;
  /** A frame for a root table, when roots are a different kind of object than lower tables. */
  allocRoot?(): number;
  free(pa: number): void;
}

/** TLB maintenance the board provides (the CPU's software TLB, or a no-op in tests). */
export interface TlbHooks {
  invalidatePage(asid: number, va: number): void;
  invalidateAsid(asid: number): void;
  invalidateAll(): void;
}

/** The physical memory operations the kernel needs; board/memory PhysicalMemory satisfies it. */
export interface PhysicalRam {
  readonly ramBase: number;
  readonly ramSize: number;
  readBytes(pa: number, length: number): Uint8Array;
  writeBytes(pa: number, data: Uint8Array): void;
  fill(pa: number, length: number, value?: number): void;
  copy(dstPa: number, srcPa: number, length: number): void;
  read64lo(pa: number): number;
  read64hi(pa: number): number;
  write64(pa: number, lo: number, hi: number): void;
}

export interface ArchConstants {
  readonly name: ArchName;
  readonly pageSize: number;
  /** Translation levels walked for a 4 KiB page (4 on both backends). */
  readonly levels: number;
  /** Width of the ASID/PCID field: identifiers are 0 .. 2^asidBits - 1. */
  readonly asidBits: number;
  /** The user address range [userBase, userTop). */
  readonly userBase: number;
  readonly userTop: number;
}

export type FaultAccess = 'read' | 'write' | 'fetch';
export type FaultKind = 'not-present' | 'permission' | 'access-flag';

/** An arch-neutral page fault. */
export interface PageFault {
  /** Faulting virtual address (signed form for upper-half addresses, see top of file). */
  readonly address: number;
  readonly access: FaultAccess;
  readonly kind: FaultKind;
  /** The access came from user mode. */
  readonly user: boolean;
}

/**
 * A fault as the hardware reports it. aarch64: syndrome = ESR_EL1 (low 32 bits),
 * address = FAR_EL1. x86_64: syndrome = the #PF error code, address = CR2.
 */
export interface RawFault {
  readonly syndrome: number;
  readonly addressLo: number;
  readonly addressHi: number;
}

export interface ArchMmu {
  readonly constants: ArchConstants;
  /** Entries written so far (statistics; the kernel never reads them back). */
  readonly entryWrites: EntryWrites;
  /** Allocate and zero a root table; its lower tables come from frames (default: the backend's). */
  createRoot(frames?: TableFrames): TableRoot;
  /**
   * Map one 4 KiB page va -> pa, allocating intermediate tables as needed.
   * Replaces an existing leaf (invalidating its TLB entry) and returns the old one.
   */
  map(root: TableRoot, va: number, pa: number, attrs: PageAttrs, marks?: SoftMarks): LeafEntry | null;
  /**
   * Map one 2 MiB block va -> pa (both BLOCK_SIZE aligned) with a level-2 entry,
   * for the kernel's direct map. The slot must be empty; map/unmap/query of a
   * 4 KiB page inside a block throw.
   */
  mapBlock(root: TableRoot, va: number, pa: number, attrs: PageAttrs): void;
  /**
   * Remove the leaf at va, invalidate the TLB, and return what was there. With
   * releaseTables, a lower table left empty is freed (to the root's frames), and
   * so on upwards; the root stays.
   */
  unmap(root: TableRoot, va: number, releaseTables?: boolean): LeafEntry | null;
  /** Change the attributes (and marks) of an existing leaf; false when nothing is mapped at va. */
  protect(root: TableRoot, va: number, attrs: PageAttrs, marks?: SoftMarks): boolean;
  /** Set the access flag of an existing leaf (resolves an access-flag fault). */
  markAccessed(root: TableRoot, va: number): boolean;
  /**
   * Read back the leaf entry at va from the hardware tables, or null. The view is
   * the effective one: a leaf under a write-protected table reads as read-only
   * copy-on-write, whatever the leaf itself says.
   */
  query(root: TableRoot, va: number): LeafEntry | null;
  /**
   * Deny write to every page mapped in [start, end) (page aligned, user half) at
   * the highest table level whose entry covers range pages only ("no write below"
   * in that entry); pages of tables the range covers in part become read-only
   * copy-on-write one by one. Leaves under a protected table keep their bits, so
   * the cost grows with the tables, not with the pages. Invalidates the TLB.
   */
  writeProtectRange(root: TableRoot, start: number, end: number): WriteProtectCount;
  /**
   * Lift table-level write protection from the walk to va only: the protection
   * moves down onto the sibling entries at each protected level, and the writable
   * pages of va's leaf table become read-only copy-on-write one by one, so no
   * effective permission changes. Returns the entries written (0: nothing on
   * the walk was protected). A write fault calls this before resolving.
   */
  splitWriteProtection(root: TableRoot, va: number): number;
  /** Tear down every table of this root (not the pages they map) and return all their frames, root included. */
  destroyRoot(root: TableRoot): number[];
  /** Number of table frames reachable from the root, root included. */
  countTables(root: TableRoot): number;
  /**
   * Debug validation (slow: reads every entry): walk every table under the
   * root, telling onLeaf each level-3 leaf (its virtual address's low 48 bits,
   * the effective entry as query() reads it), and check the tree's own counts.
   */
  inspect(root: TableRoot, onLeaf: (va: number, leaf: LeafEntry) => void): TableInspection;
  /**
   * Decode a hardware fault. null when the exception is not a page fault the
   * kernel resolves (alignment, external abort, ...). The root lets a backend
   * read the faulting entry (x86_64 uses it to recognise access-flag faults).
   */
  decodeFault(raw: RawFault, root?: TableRoot): PageFault | null;
}

/** How the kernel builds a backend: both backends export one of these. */
export type ArchFactory = (ram: PhysicalRam, frames: TableFrames, tlb: TlbHooks) => ArchMmu;

export const NO_TLB: TlbHooks = {
  invalidatePage() {},
  invalidateAsid() {},
  invalidateAll() {},
};

export function pageAligned(n: number): boolean {
  return n % PAGE_SIZE === 0;
}
