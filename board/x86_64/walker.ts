// The x86-64 4-level page walker (PML4 -> PDPT -> PD -> PT) over physical memory,
// as the processor performs it with CR0.PG = 1, CR4.PAE = 1, EFER.LME = 1 and
// CR4.LA57 = 0. It raises #PF with the architectural error code and CR2, and sets
// the accessed and dirty flags as the hardware does. SMEP, SMAP and protection
// keys are not modelled (their enables are off). MAXPHYADDR is 48.
// Entries are read as two 32-bit halves: no BigInt.

import type { PhysicalMemory } from '../memory/physical-memory';

/** Page-table entry bits in the low 32-bit half. */
export const PTE_P = 0x1;
export const PTE_RW = 0x2;
export const PTE_US = 0x4;
export const PTE_PWT = 0x8;
export const PTE_PCD = 0x10;
export const PTE_A = 0x20;
export const PTE_D = 0x40;
export const PTE_PS = 0x80;
export const PTE_G = 0x100;
/** Execute-disable, bit 63: bit 31 of the high half. */
export const PTE_HI_NX = 0x80000000;
/** Bits 48..51 of the high half: reserved with MAXPHYADDR = 48. */
const HI_RESERVED_ABOVE_MAXPHY = 0x000f0000;
const HI_ADDRESS_MASK = 0x0000ffff;
const LO_ADDRESS_MASK = 0xfffff000;
/** Bits 13..29 must be zero in a 1 GiB page entry, bits 13..20 in a 2 MiB one. */
const LO_RESERVED_1G = 0x3fffe000;
const LO_RESERVED_2M = 0x001fe000;

/** #PF error-code bits. */
export const PF_P = 0x1;
export const PF_W = 0x2;
export const PF_U = 0x4;
export const PF_RSVD = 0x8;
export const PF_I = 0x10;

export const VECTOR_GP = 13;
export const VECTOR_PF = 14;

export type X86Access = 'read' | 'write' | 'fetch';

/** The paging state of the control registers the walk depends on. */
export interface X86PagingRegs {
  /** CR3's physical base of the PML4 (page aligned; PCID bits excluded). */
  readonly cr3: number;
  /** CR0.WP: supervisor writes honour read-only pages. */
  readonly wp: boolean;
  /** EFER.NXE: bit 63 is execute-disable (reserved otherwise). */
  readonly nxe: boolean;
}

export interface X86WalkOk {
  readonly ok: true;
  readonly pa: number;
  /** Size of the page that translated: 4 KiB, 2 MiB or 1 GiB. */
  readonly pageSize: number;
  readonly writable: boolean;
  readonly user: boolean;
  readonly executable: boolean;
  readonly global: boolean;
}

export interface X86WalkFault {
  readonly ok: false;
  /** 14 (#PF) or 13 (#GP for a non-canonical address). */
  readonly vector: number;
  readonly errorCode: number;
  /** The faulting linear address (what the CPU loads into CR2 for #PF). */
  readonly cr2: number;
}

export type X86WalkResult = X86WalkOk | X86WalkFault;

const TWO_47 = 2 ** 47;
const TWO_48 = 2 ** 48;
const LEVEL_SIZE = [2 ** 39, 2 ** 30, 2 ** 21, 2 ** 12];

/**
 * A linear address is a number: the user half as is, the upper half as the
 * signed value of its canonical form (0xFFFF_8000_0000_0000 is -2^47).
 */
export function isCanonical(va: number): boolean {
  return Number.isInteger(va) && va >= -TWO_47 && va < TWO_47;
}

function indexAt(u: number, level: number): number {
  return Math.floor(u / LEVEL_SIZE[level]) % 512;
}

interface PathStep {
  readonly entryPa: number;
  readonly lo: number;
}

class Walk {
  rw = true;
  us = true;
  nx = false;
  readonly path: PathStep[] = [];
}

function reservedBitsSet(lo: number, hi: number, level: number, nxe: boolean): boolean {
  if ((hi & HI_RESERVED_ABOVE_MAXPHY) !== 0) return true;
  if (!nxe && (hi & PTE_HI_NX) !== 0) return true;
  if ((lo & PTE_PS) === 0) return false;
  if (level === 0) return true;
  if (level === 1) return (lo & LO_RESERVED_1G) !== 0;
  if (level === 2) return (lo & LO_RESERVED_2M) !== 0;
  return false;
}

function permissionFault(w: Walk, access: X86Access, user: boolean, regs: X86PagingRegs): boolean {
  if (user && !w.us) return true;
  if (access === 'write' && !w.rw && (user || regs.wp)) return true;
  return access === 'fetch' && w.nx;
}

function errorCode(access: X86Access, user: boolean, regs: X86PagingRegs, present: boolean, rsvd: boolean): number {
  let code = present ? PF_P : 0;
  if (access === 'write') code |= PF_W;
  if (user) code |= PF_U;
  if (rsvd) code |= PF_RSVD;
  if (access === 'fetch' && regs.nxe) code |= PF_I;
  return code;
}

/** Set A on every entry walked and D on the leaf of a write, as the processor does on a successful translation. */
function setAccessedDirty(mem: PhysicalMemory, w: Walk, write: boolean): void {
  const last = w.path.length - 1;
  for (let i = 0; i <= last; i++) {
    const step = w.path[i];
    let lo = step.lo | PTE_A;
    if (i === last && write) lo |= PTE_D;
    if (lo !== step.lo) mem.write64(step.entryPa, lo >>> 0, mem.read64hi(step.entryPa));
  }
}

/** Translate va for one access; user = CPL 3. */
export function walkX86(mem: PhysicalMemory, regs: X86PagingRegs, va: number, access: X86Access, user: boolean): X86WalkResult {
  if (!isCanonical(va)) return { ok: false, vector: VECTOR_GP, errorCode: 0, cr2: va };
  const u = va < 0 ? va + TWO_48 : va;
  const w = new Walk();
  let table = regs.cr3 - (regs.cr3 % 4096);
  for (let level = 0; level < 4; level++) {
    const entryPa = table + indexAt(u, level) * 8;
    const lo = mem.read64lo(entryPa);
    const hi = mem.read64hi(entryPa);
    if ((lo & PTE_P) === 0) return fault(va, errorCode(access, user, regs, false, false));
    if (reservedBitsSet(lo, hi, level, regs.nxe)) return fault(va, errorCode(access, user, regs, true, true));
    w.path.push({ entryPa, lo });
    w.rw &&= (lo & PTE_RW) !== 0;
    w.us &&= (lo & PTE_US) !== 0;
    if (regs.nxe && (hi & PTE_HI_NX) !== 0) w.nx = true;
    const base = (hi & HI_ADDRESS_MASK) * 2 ** 32 + ((lo & LO_ADDRESS_MASK) >>> 0);
    const leaf = level === 3 || (lo & PTE_PS) !== 0;
    if (!leaf) {
      table = base;
      continue;
    }
    if (permissionFault(w, access, user, regs)) return fault(va, errorCode(access, user, regs, true, false));
    setAccessedDirty(mem, w, access === 'write');
    const size = LEVEL_SIZE[level];
    const pageBase = base - (base % size);
    return {
      ok: true,
      pa: pageBase + (u % size),
      pageSize: size,
      writable: w.rw,
      user: w.us,
      executable: !w.nx,
      global: (lo & PTE_G) !== 0,
    };
  }
  throw new Error('unreachable: a 4-level walk always ends at a leaf');
}

function fault(va: number, code: number): X86WalkFault {
  return { ok: false, vector: VECTOR_PF, errorCode: code, cr2: va };
}
