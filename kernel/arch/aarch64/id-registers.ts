// Linux's emulation of EL0 MRS reads of the ID registers: the CPU traps them
// (FEAT_IDST, EC 0x18) and the kernel answers with the user-visible view of
// the CPU's features, as arm64 Linux does for programs that probe features
// through MRS. Fields describe what this CPU implements, not what qemu's max
// CPU would report: a program must not be told of a feature it cannot use.

/** The 64-bit answer as (lo, hi) halves; undefined when the register is not emulated (SIGILL). */
export function idRegisterValue(op0: number, op1: number, crn: number, crm: number, op2: number): [number, number] | undefined {
  if (op0 !== 3 || op1 !== 0 || crn !== 0) return undefined;
  if (crm === 0) {
    if (op2 === 0) return [MIDR, 0];
    if (op2 === 5) return [MPIDR, 0];
    if (op2 === 6) return [0, 0]; // REVIDR_EL1
    return undefined;
  }
  if (crm < 2 || crm > 7) return undefined;
  // The rest of the ID space reads as zero unless a register has visible fields.
  return VISIBLE.get((crm << 3) | op2) ?? [0, 0];
}

/** MIDR_EL1 as qemu-aarch64's max CPU reports it to user programs. */
const MIDR = 0x000f0510;
/** MPIDR_EL1: Linux shows every task bit 31 only. */
const MPIDR = 0x80000000;

/** A register value from its 4-bit fields: [bit position, value]. */
function fields(...f: [number, number][]): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const [pos, v] of f) {
    if (pos < 32) lo |= v << pos;
    else hi |= v << (pos - 32);
  }
  return [lo | 0, hi | 0];
}

const VISIBLE = new Map<number, [number, number]>([
  // ID_AA64PFR0_EL1: EL0 and EL1 AArch64, FP and AdvSIMD with half precision (value 1).
  [(4 << 3) | 0, fields([0, 1], [4, 1], [16, 1], [20, 1])],
  // ID_AA64ISAR0_EL1: AES+PMULL, SHA1, SHA256+SHA512, CRC32, LSE atomics, RDM, SHA3, SM3, SM4, DotProd, FHM, FlagM2.
  [(6 << 3) | 0, fields([4, 2], [8, 1], [12, 2], [16, 1], [20, 2], [28, 1], [32, 1], [36, 1], [40, 1], [44, 1], [48, 1], [52, 2])],
  // ID_AA64ISAR1_EL1: DC CVAP, FJCVTZS, FCMA, LDAPR+LDAPUR (RCpc 2), FRINT32/64, SB, BF16, I8MM.
  [(6 << 3) | 1, fields([0, 1], [12, 1], [16, 1], [20, 2], [32, 1], [36, 1], [44, 1], [52, 1])],
]);
