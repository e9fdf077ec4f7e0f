// The EL1&0 translation regime this kernel runs the board with: 4 KiB granule,
// 48-bit virtual addresses in both halves (TTBR0 = the process, tagged with a
// 16-bit ASID; TTBR1 = the kernel), 48-bit physical addresses.
//
// MAIR_EL1 layout (AttrIndx -> memory type):
//   0  Normal, inner/outer write-back read/write-allocate (0xFF)  - RAM
//   1  Device-nGnRE (0x04)                                       - MMIO
//   2  Device-nGnRnE (0x00)                                      - strongly ordered MMIO (unused today)
//   3  Normal, non-cacheable (0x44)                              - (unused today)

import type { Stage1Regs } from '../../../board/aarch64/mmu/types';
import type { TableRoot } from '../arch';

export const ATTR_NORMAL = 0;
export const ATTR_DEVICE = 1;
export const ATTR_DEVICE_STRONG = 2;
export const ATTR_NORMAL_NC = 3;

export const MAIR_LO = 0x44_00_04_ff;
export const MAIR_HI = 0;

export const VA_BITS = 48;
export const ASID_BITS = 16;

// TCR_EL1 fields: T0SZ = T1SZ = 16; IRGN/ORGN = write-back write-allocate; SH = inner
// shareable; TG0 = 00 (4K), TG1 = 10 (4K); A1 = 0 (ASID from TTBR0); IPS = 101 (48 bits);
// AS = 1 (16-bit ASIDs); TBI0 = TBI1 = 0 (tagged addresses fault).
export const TCR_LO =
  (64 - VA_BITS) | (1 << 8) | (1 << 10) | (3 << 12) | (0 << 14) | ((64 - VA_BITS) << 16) | (1 << 24) | (1 << 26) | (3 << 28) | (2 << 30);
export const TCR_HI = 0b101 | (1 << 4);

/** SCTLR_EL1 bits this regime needs: M (MMU on), C and I (caches); WXN stays off. */
export const SCTLR_LO = 1 | (1 << 2) | (1 << 12);

const TWO_32 = 2 ** 32;

/** TTBRn_EL1 for a root: BADDR = the table, ASID in bits [63:48]. */
export function ttbrValue(root: TableRoot): { lo: number; hi: number } {
  const hi = (Math.floor(root.pa / TWO_32) & 0xffff) | ((root.asid & 0xffff) << 16);
  return { lo: root.pa % TWO_32 >>> 0, hi: hi >>> 0 };
}

/** The full stage-1 register set for a process root (TTBR0) and the kernel root (TTBR1). */
export function stage1Regs(userRoot: TableRoot, kernelRoot: TableRoot): Stage1Regs {
  const t0 = ttbrValue(userRoot);
  const t1 = ttbrValue({ pa: kernelRoot.pa, asid: 0 });
  return {
    sctlrLo: SCTLR_LO,
    tcrLo: TCR_LO >>> 0,
    tcrHi: TCR_HI,
    ttbr0Lo: t0.lo,
    ttbr0Hi: t0.hi,
    ttbr1Lo: t1.lo,
    ttbr1Hi: t1.hi,
    mairLo: MAIR_LO,
    mairHi: MAIR_HI,
  };
}
