// Encoding and decoding of x86-64 leaf page-table entries from arch-neutral attributes.
// Software-available bits: bit 9 marks copy-on-write, bit 10 marks an "old" page
// (kept with P = 0 so the first access faults and is reported as access-flag),
// bit 11 marks a user page with no access at all. x86 has no "present but not
// readable" user page, so such a page is written supervisor-only, read-only and
// NX: every user access takes a protection (P = 1) fault, as on aarch64 with
// AP = 10 and UXN. A user page that is executable is always readable on x86.

import type { LeafEntry, PageAttrs, SoftMarks } from '../arch';
import type { WriteProtectCodec } from '../table-write-protect';
import { PTE_A, PTE_D, PTE_G, PTE_HI_NX, PTE_P, PTE_PCD, PTE_PS, PTE_PWT, PTE_RW, PTE_US } from '../../../board/x86_64/walker';

export const PTE_SW_COW = 0x200;
export const PTE_SW_OLD = 0x400;
export const PTE_SW_NO_ACCESS = 0x800;
/** What a kernel-written intermediate entry holds: the leaf decides the permissions. */
export const TABLE_ENTRY_LO = PTE_P | PTE_RW | PTE_US;

const LO_ADDRESS_MASK = 0xfffff000;
const HI_ADDRESS_MASK = 0x0000ffff;
const TWO_32 = 2 ** 32;

export interface RawEntry {
  lo: number;
  hi: number;
}

export function entryAddress(lo: number, hi: number): number {
  return (hi & HI_ADDRESS_MASK) * TWO_32 + ((lo & LO_ADDRESS_MASK) >>> 0);
}

function noAccess(a: PageAttrs): boolean {
  return a.user && !a.read && !a.write && !a.exec;
}

export function encodeLeaf(pa: number, attrs: PageAttrs, marks: SoftMarks = {}): RawEntry {
  let lo = (pa % TWO_32) & LO_ADDRESS_MASK;
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

/** A leaf the kernel wrote: present, or not present but kept as an "old" page. */
export function isLeafEntry(lo: number): boolean {
  return (lo & (PTE_P | PTE_SW_OLD)) !== 0;
}

export function decodeLeaf(lo: number, hi: number): LeafEntry {
  const none = (lo & PTE_SW_NO_ACCESS) !== 0;
  return {
    pa: entryAddress(lo, hi),
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

/** The entry of an "old" page after its first access: present and accessed. */
export function markedAccessed(lo: number): number {
  return ((lo & ~PTE_SW_OLD) | PTE_P | PTE_A) >>> 0;
}

/**
 * Hierarchical write protection in x86-64 terms: R/W clear in an upper-level
 * entry denies write below it (writes are allowed only when every level allows).
 */
export const X86_WRITE_PROTECT: WriteProtectCodec = {
  isTable: (lo) => (lo & (PTE_P | PTE_PS)) === PTE_P,
  tableAddress: entryAddress,
  tableWriteProtected: (lo) => (lo & PTE_RW) === 0,
  withTableWriteProtect: (lo, hi, on) => ({ lo: (on ? lo & ~PTE_RW : lo | PTE_RW) >>> 0, hi }),
  writableLeaf: (lo) => isLeafEntry(lo) && (lo & PTE_RW) !== 0,
  readOnlyCow: (lo, hi) => ({ lo: ((lo & ~PTE_RW) | PTE_SW_COW) >>> 0, hi }),
};
