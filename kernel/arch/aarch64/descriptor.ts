// VMSAv8-64 4 KiB-granule descriptors the kernel writes, from arch-neutral attributes.
//
// Leaf (level-3 page) encoding:
//   user pages:   PXN = 1 always (the kernel never runs user memory), UXN = !exec,
//                 AP = 01 when writable, 11 when read-only, 10 when neither (EL0 may
//                 then still execute: execute-only).
//   kernel pages: UXN = 1, PXN = !exec, AP = 00 when writable, else 10.
//   AttrIndx 0 (Normal, inner shareable) or 1 (Device-nGnRE); AF = 0 for "old"
//   pages; nG = !global. Software bits: 55 = copy-on-write, 56 = user page (so a
//   user page with no access, AP = 10, reads back as a user page).
// Table descriptors: APTable[1] (bit 62) set denies write at every level below
// (hierarchical write protection, used by fork).

import type { LeafEntry, PageAttrs, SoftMarks } from '../arch';
import { entryAddress, type DescriptorCodec, type EntryLayout, type RawEntry } from '../table-codec';
import { ATTR_DEVICE, ATTR_DEVICE_STRONG, ATTR_NORMAL } from './translation-regime';

const VALID = 1;
const TABLE_OR_PAGE = 2;
const AP_EL0 = 1 << 6; // AP[1]
const AP_READ_ONLY = 1 << 7; // AP[2]
const SH_INNER = 3 << 8;
const AF = 1 << 10;
const NG = 1 << 11;
const HI_PXN = 1 << (53 - 32);
const HI_UXN = 1 << (54 - 32);
const HI_SW_COW = 1 << (55 - 32);
const HI_SW_USER = 1 << (56 - 32);
const HI_AP_TABLE_NO_WRITE = 1 << (62 - 32);

const LO_ADDRESS_MASK = 0xfffff000;
const HI_ADDRESS_MASK = 0xffff;
const TWO_32 = 2 ** 32;

/** Table and page descriptors both have bits [1:0] = 11 (a page only at level 3); OA in bits [47:12]. */
const LAYOUT: EntryLayout = {
  validMask: VALID,
  tableMask: VALID | TABLE_OR_PAGE,
  tableBits: VALID | TABLE_OR_PAGE,
  leafAnyMask: VALID,
  leafAllMask: VALID | TABLE_OR_PAGE,
  addressMaskLo: LO_ADDRESS_MASK,
  addressMaskHi: HI_ADDRESS_MASK,
};

function isTableOrPage(lo: number): boolean {
  return (lo & 3) === 3;
}

function encodeTable(pa: number): RawEntry {
  return { lo: ((pa % TWO_32) | VALID | TABLE_OR_PAGE) >>> 0, hi: Math.floor(pa / TWO_32) & HI_ADDRESS_MASK };
}

function accessPermissions(a: PageAttrs): number {
  if (!a.user) return a.write ? 0 : AP_READ_ONLY;
  if (a.write) return AP_EL0;
  return a.read ? AP_EL0 | AP_READ_ONLY : AP_READ_ONLY;
}

function encodePage(pa: number, attrs: PageAttrs, marks: SoftMarks = {}): RawEntry {
  let lo = ((pa % TWO_32) & LO_ADDRESS_MASK) | VALID | TABLE_OR_PAGE | accessPermissions(attrs);
  lo |= attrs.device ? ATTR_DEVICE << 2 : (ATTR_NORMAL << 2) | SH_INNER;
  if (!marks.old) lo |= AF;
  if (!attrs.global) lo |= NG;
  let hi = Math.floor(pa / TWO_32) & HI_ADDRESS_MASK;
  if (attrs.user) hi |= HI_PXN | HI_SW_USER | (attrs.exec ? 0 : HI_UXN);
  else hi |= HI_UXN | (attrs.exec ? 0 : HI_PXN);
  if (marks.cow) hi |= HI_SW_COW;
  return { lo: lo >>> 0, hi: hi >>> 0 };
}

function decodePage(lo: number, hi: number): LeafEntry {
  const user = (hi & HI_SW_USER) !== 0;
  const attrIndx = (lo >>> 2) & 7;
  return {
    pa: entryAddress(LAYOUT, lo, hi),
    attrs: {
      read: user ? (lo & AP_EL0) !== 0 : true,
      write: (lo & AP_READ_ONLY) === 0,
      exec: (hi & (user ? HI_UXN : HI_PXN)) === 0,
      user,
      global: (lo & NG) === 0,
      device: attrIndx === ATTR_DEVICE || attrIndx === ATTR_DEVICE_STRONG,
    },
    accessed: (lo & AF) !== 0,
    dirty: false, // no hardware dirty-bit management (FEAT_HAFDBS) in this model
    cow: (hi & HI_SW_COW) !== 0,
  };
}

/** A level-1/2 block descriptor: a page descriptor's attributes with bits [1:0] = 01. */
function encodeBlock(pa: number, attrs: PageAttrs): RawEntry {
  const d = encodePage(pa, attrs);
  return { lo: (d.lo & ~TABLE_OR_PAGE) >>> 0, hi: d.hi };
}

/** Set AF in a page descriptor's low word. */
function withAccessFlag(lo: number): number {
  return (lo | AF) >>> 0;
}

/** VMSAv8-64 descriptors for the shared table code; write protection is APTable[1] and AP[2]. */
export const AARCH64_DESCRIPTORS: DescriptorCodec = {
  blockName: 'block',
  layout: LAYOUT,
  encodeTable,
  decodeLeaf: decodePage,
  encodeLeaf: encodePage,
  encodeBlock,
  markedAccessed: withAccessFlag,
  tableWriteProtected: (_lo, hi) => (hi & HI_AP_TABLE_NO_WRITE) !== 0,
  withTableWriteProtect: (lo, hi, on) => ({ lo, hi: (on ? hi | HI_AP_TABLE_NO_WRITE : hi & ~HI_AP_TABLE_NO_WRITE) >>> 0 }),
  writableLeaf: (lo) => isTableOrPage(lo) && (lo & AP_READ_ONLY) === 0,
  readOnlyCow: (lo, hi) => ({ lo: (lo | AP_READ_ONLY) >>> 0, hi: (hi | HI_SW_COW) >>> 0 }),
};
