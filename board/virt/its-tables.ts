// The ITS's device, collection and interrupt translation tables in guest
// memory, in the entry formats QEMU 7.2 uses (its GITS_BASER<n> leave the
// format to the implementation; a guest that reads its tables sees these):
//   device table entry, 8 bytes:      bit 0 valid, bits 5:1 EventID bits - 1,
//                                     bits 49:6 ITT address >> 8
//   collection table entry, 8 bytes:  bit 0 valid, bits 16:1 target processor
//   ITT entry, 12 bytes:              bit 0 valid, bit 1 physical, bits 25:2
//                                     INTID, bits 47:32 ICID, bits 63:48 vPE
//                                     (0); then a word with the doorbell (1023)
// A GITS_BASER<n> describes a flat table or, with Indirect, a level-1 table of
// 8-byte entries (bit 63 valid, bits 50:0 the level-2 page) each naming one
// page of entries. An entry outside RAM reads as invalid and is not written.

import type { PhysicalMemory } from '../memory/physical-memory';

const TWO32 = 4294967296;
const L1_ENTRY = 8;
export const DTE_SIZE = 8;
export const CTE_SIZE = 8;
export const ITE_SIZE = 12;
const NO_DOORBELL = 1023;

export interface TableParams {
  readonly valid: boolean;
  readonly indirect: boolean;
  readonly pageSize: number;
  readonly entrySize: number;
  readonly base: number;
  /** How many IDs the table holds (0 when not valid). */
  readonly entries: number;
}

/** QEMU's extract_table_params for one GITS_BASER<n> (as two 32-bit halves); idBits bounds the entries. */
export function tableParams(lo: number, hi: number, idBits: number): TableParams {
  const valid = (hi & 0x80000000) !== 0;
  const indirect = (hi & 0x40000000) !== 0;
  const entrySize = ((hi >>> 16) & 0x1f) + 1;
  const pageType = (lo >>> 8) & 3;
  const pageSize = pageType === 0 ? 4096 : pageType === 1 ? 16384 : 65536;
  const pages = (lo & 0xff) + 1;
  let entries = 0;
  if (valid) entries = indirect ? ((pages * pageSize) / L1_ENTRY) * Math.floor(pageSize / entrySize) : Math.floor((pages * pageSize) / entrySize);
  return { valid, indirect, pageSize, entrySize, base: tableBase(lo, hi, pageSize), entries: Math.min(entries, 2 ** idBits) };
}

/** Bits 47:12 of the address (47:16 and 51:48 from bits 15:12 with 64 KiB pages). */
function tableBase(lo: number, hi: number, pageSize: number): number {
  const addrHi = hi & 0xffff;
  if (pageSize !== 65536) return addrHi * TWO32 + ((lo & 0xfffff000) >>> 0);
  return ((lo >>> 12) & 0xf) * 2 ** 48 + addrHi * TWO32 + ((lo & 0xffff0000) >>> 0);
}

export class ItsMemory {
  constructor(private readonly phys: PhysicalMemory) {}

  /** The address of entry `id` (QEMU's table_entry_addr), or -1 when the level-1 entry is invalid or outside RAM. */
  entryAddress(t: TableParams, id: number): number {
    if (!t.indirect) return t.base + id * t.entrySize;
    const perPage = Math.floor(t.pageSize / t.entrySize);
    const l1 = this.phys.ramOffset(t.base + Math.floor(id / perPage) * L1_ENTRY);
    if (l1 < 0) return -1;
    const hi = this.phys.view.getUint32(l1 + 4, true);
    if ((hi & 0x80000000) === 0) return -1;
    const page = (hi & 0x7ffff) * TWO32 + this.phys.view.getUint32(l1, true);
    return page + (id % perPage) * t.entrySize;
  }

  /** The 64-bit little-endian word at pa as a number (every field used here is below bit 53), or undefined outside RAM. */
  read64(pa: number): number | undefined {
    const off = pa < 0 ? -1 : this.phys.ramOffset(pa);
    if (off < 0 || off + 8 > this.phys.ramSize) return undefined;
    return this.phys.view.getUint32(off + 4, true) * TWO32 + this.phys.view.getUint32(off, true);
  }

  write64(pa: number, value: number): void {
    const off = pa < 0 ? -1 : this.phys.ramOffset(pa);
    if (off < 0 || off + 8 > this.phys.ramSize) return;
    this.phys.view.setUint32(off, value % TWO32, true);
    this.phys.view.setUint32(off + 4, Math.floor(value / TWO32), true);
    this.phys.notifyWrite(pa, 8);
  }

  read32(pa: number): number | undefined {
    const off = pa < 0 ? -1 : this.phys.ramOffset(pa);
    return off < 0 || off + 4 > this.phys.ramSize ? undefined : this.phys.view.getUint32(off, true);
  }

  write32(pa: number, value: number): void {
    const off = pa < 0 ? -1 : this.phys.ramOffset(pa);
    if (off < 0 || off + 4 > this.phys.ramSize) return;
    this.phys.view.setUint32(off, value >>> 0, true);
    this.phys.notifyWrite(pa, 4);
  }
}

export interface DeviceEntry {
  readonly valid: boolean;
  /** EventID bits - 1. */
  readonly size: number;
  readonly itt: number;
}

export function decodeDte(v: number | undefined): DeviceEntry {
  if (v === undefined) return { valid: false, size: 0, itt: 0 };
  return { valid: v % 2 === 1, size: Math.floor(v / 2) % 32, itt: Math.floor(v / 64) * 256 };
}

export function encodeDte(e: DeviceEntry): number {
  return (e.valid ? 1 : 0) + e.size * 2 + Math.floor(e.itt / 256) * 64;
}

export interface TranslationEntry {
  readonly valid: boolean;
  readonly intid: number;
  readonly icid: number;
}

export function readIte(m: ItsMemory, pa: number): TranslationEntry {
  const v = m.read64(pa);
  if (v === undefined) return { valid: false, intid: 0, icid: 0 };
  const lo = v % TWO32;
  // Only physical entries (INTTYPE 1) are made here.
  return { valid: (lo & 1) === 1 && (lo & 2) !== 0, intid: (lo >>> 2) & 0xffffff, icid: Math.floor(v / TWO32) & 0xffff };
}

export function writeIte(m: ItsMemory, pa: number, e: TranslationEntry): void {
  const lo = e.valid ? (1 | 2 | ((e.intid & 0xffffff) << 2)) >>> 0 : 0;
  m.write64(pa, (e.valid ? e.icid & 0xffff : 0) * TWO32 + lo);
  m.write32(pa + 8, e.valid ? NO_DOORBELL : 0);
}
