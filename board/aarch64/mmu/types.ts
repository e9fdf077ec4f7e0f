// Shared vocabulary of the stage-1 translation walker (VMSAv8-64) and the CPU's TLB.
// Virtual addresses cross this boundary as two unsigned 32-bit halves so every
// 64-bit address is exact; physical addresses (< 2^48) are plain numbers.

export const enum Access {
  Read = 0,
  Write = 1,
  Fetch = 2,
}

/** The EL1&0 stage-1 translation registers, each 64-bit one as lo/hi halves (unsigned). */
export interface Stage1Regs {
  sctlrLo: number;
  tcrLo: number;
  tcrHi: number;
  ttbr0Lo: number;
  ttbr0Hi: number;
  ttbr1Lo: number;
  ttbr1Hi: number;
  mairLo: number;
  mairHi: number;
}

/** Permission bits a successful walk grants, cached by the TLB and checked on every access. */
export const enum Perm {
  El0Read = 1,
  El0Write = 2,
  El0Exec = 4,
  El1Read = 8,
  El1Write = 16,
  El1Exec = 32,
}

export type FaultKind = 'translation' | 'access-flag' | 'permission' | 'address-size';

export interface WalkOk {
  readonly ok: true;
  /** Physical address of the 4 KiB page holding the VA (the TLB caches 4 KiB granules even for blocks). */
  readonly pagePa: number;
  /** Bitwise OR of Perm values. */
  readonly perms: number;
  /** nG = 0: the entry matches every ASID. */
  readonly global: boolean;
  /** true when MAIR marks the memory as Device (unaligned accesses then fault). */
  readonly device: boolean;
  /** The MAIR_EL1 attribute byte the descriptor's AttrIndx selects, and its SH field (PAR_EL1 reports both). */
  readonly attr: number;
  readonly shareability: number;
  /** Level of the leaf descriptor (0..3), and the size it maps. */
  readonly level: number;
  readonly blockSize: number;
}

export interface WalkFault {
  readonly ok: false;
  readonly kind: FaultKind;
  /** Level at which the fault was found (0..3); -1 is not used: address-size faults of the TTBR itself report level 0. */
  readonly level: number;
  /** true when the fault came from a translation-table access itself (bus error on a table read). */
  readonly externalAbort?: boolean;
}

export type WalkResult = WalkOk | WalkFault;
