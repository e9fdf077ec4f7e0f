// Encoding and decoding of x86-64 leaf page-table entries from arch-neutral attributes.
// Software-available bits: bit 9 marks copy-on-write, bit 10 marks an "old" page
// (kept with P = 0 so the first access faults and is reported as access-flag),
// bit 11 marks a user page with no access at all. x86 has no "present but not
// readable" user page, so such a page is written supervisor-only, read-only and
// NX: every user access takes a protection (P = 1) fault, as on aarch64 with
// AP = 10 and UXN. A user page that is executable is always readable on x86.

import type { LeafEntry, PageAttrs, SoftMarks } from '../arch';
import { entryAddress, isLeafEntry, type DescriptorCodec, type EntryLayout, type RawEntry } from '../table-codec';

// The entry bits as the SDM defines them (Vol. 3A, 4.5), written here and not
// taken from the board's walker, so the tests that read our tables back
// through the walker check one against the other.
export const PTE_P = 0x1;
export const PTE_RW = 0x2;
export const PTE_US = 0x4;
export const PTE_PWT = 0x8;
export const PTE_PCD = 0x10;
export const PTE_A = 0x20;
export const PTE_D = 0x40;
/** Page size (PDPT/PD entries): the entry maps a large page. */
export const PTE_PS = 0x80;
export const PTE_G = 0x100;
/** Execute-disable, bit 63: bit 31 of the high word. */
export const PTE_HI_NX = 0x80000000;

const PTE_SW_COW = 0x200;
const PTE_SW_OLD = 0x400;
const PTE_SW_NO_ACCESS = 0x800;
/** What a kernel-written intermediate entry holds: the leaf decides the permissions. */
const TABLE_ENTRY_LO = PTE_P | PTE_RW | PTE_US;

const LO_ADDRESS_MASK = 0xfffff000;
const HI_ADDRESS_MASK = 0x0000ffff;
const TWO_32 = 2 ** 32;

/** A table entry is present without PS; a leaf present or "old"; the address is in bits [47:12] (this model's MAXPHYADDR is 48). */
const LAYOUT: EntryLayout = {
  validMask: PTE_P,
  tableMask: PTE_P | PTE_PS,
  tableBits: PTE_P,
  leafAnyMask: PTE_P | PTE_SW_OLD,
  leafAllMask: 0,
  addressMaskLo: LO_ADDRESS_MASK,
  addressMaskHi: HI_ADDRESS_MASK,
};

function noAccess(a: PageAttrs): boolean {
  return a.user && !a.read && !a.write && !a.exec;
}

/** A PT entry; dirty keeps D set (a change of permissions does not make a page clean). */
function encodeLeaf(pa: number, attrs: PageAttrs, marks: SoftMarks = {}, dirty = false): RawEntry {
  let lo = ((pa % TWO_32) & LO_ADDRESS_MASK) | (dirty ? PTE_D : 0);
  if (noAccess(attrs)) {
    lo |= (marks.old ? PTE_SW_OLD : PTE_P | PTE_A) | PTE_SW_NO_ACCESS | (attrs.global ? PTE_G : 0) | (marks.cow ? PTE_SW_COW : 0);
    return { lo: lo >>> 0, hi: ((Math.floor(pa / TWO_32) & HI_ADDRESS_MASK) | PTE_HI_NX) >>> 0 };
  }
  const hi = (Math.floor(pa / TWO_32) & HI_ADDRESS_MASK) | (attrs.exec ? 0 : PTE_HI_NX);
  lo |= marks.old ? PTE_SW_OLD : PTE_P | PTE_A;
  if (attrs.write) lo |= PTE_RW;
  if (attrs.user) lo |= PTE_US;
  if (attrs.global) lo |= PTE_G;
  if (attrs.device) lo |= PTE_PCD | PTE_PWT;
  if (marks.cow) lo |= PTE_SW_COW;
  return { lo: lo >>> 0, hi: hi >>> 0 };
}

function decodeLeaf(lo: number, hi: number): LeafEntry {
  const none = (lo & PTE_SW_NO_ACCESS) !== 0;
  return {
    pa: entryAddress(LAYOUT, lo, hi),
    attrs: {
      // A present x86 page is always readable; an "old" one becomes readable on first touch.
      read: !none,
      write: (lo & PTE_RW) !== 0,
      exec: (hi & PTE_HI_NX) === 0,
      user: none || (lo & PTE_US) !== 0,
      global: (lo & PTE_G) !== 0,
      device: (lo & PTE_PCD) !== 0,
    },
    accessed: (lo & PTE_P) !== 0 && (lo & PTE_A) !== 0,
    dirty: (lo & PTE_D) !== 0,
    cow: (lo & PTE_SW_COW) !== 0,
  };
}

/** An "old" page: kept with P = 0 so its first access faults. */
export function isOldPage(lo: number): boolean {
  return (lo & PTE_P) === 0 && isLeafEntry(LAYOUT, lo);
}

/** The entry of an "old" page after its first access: present and accessed. */
function markedAccessed(lo: number): number {
  return ((lo & ~PTE_SW_OLD) | PTE_P | PTE_A) >>> 0;
}

/** A PD entry mapping a 2 MiB large page. */
function encodeLargePage(pa: number, attrs: PageAttrs): RawEntry {
  const e = encodeLeaf(pa, attrs);
  return { lo: (e.lo | PTE_PS) >>> 0, hi: e.hi };
}

/**
 * x86-64 entries for the shared table code. Hierarchical write protection: R/W
 * clear in an upper-level entry denies write below it (writes are allowed only
 * when every level allows).
 */
export const X86_PTES: DescriptorCodec = {
  blockName: 'large page',
  layout: LAYOUT,
  encodeTable: (pa) => ({ lo: (pa % TWO_32) | TABLE_ENTRY_LO, hi: Math.floor(pa / TWO_32) }),
  decodeLeaf,
  encodeLeaf,
  encodeBlock: encodeLargePage,
  markedAccessed,
  tableWriteProtected: (lo) => (lo & PTE_RW) === 0,
  withTableWriteProtect: (lo, hi, on) => ({ lo: (on ? lo & ~PTE_RW : lo | PTE_RW) >>> 0, hi }),
  writableLeaf: (lo) => isLeafEntry(LAYOUT, lo) && (lo & PTE_RW) !== 0,
  readOnlyCow: (lo, hi) => ({ lo: ((lo & ~PTE_RW) | PTE_SW_COW) >>> 0, hi }),
};
