// CPACR_EL1.FPEN traps of FP/AdvSIMD instructions (EC 0x07). Which encodings
// are FP/AdvSIMD is known at decode time: a block records the index of its
// first one, and the run loop stops there when FP access is trapped, so code
// pays one compare per block and nothing per instruction.

import { Ec, esr, GuestFault } from './exception-syndrome';

/** CPACR_EL1.FPEN as reset by a CPU that runs user code (the hosted kernel, tests): no traps. */
export const FPEN_ENABLED = 3 << 20;

/**
 * ESR of the trap as QEMU 7.2 reports it for AArch64: CV = 1, COND = 0b1110,
 * the rest zero (Arm ARM: ISS encoding for an exception from an access to
 * SVE, Advanced SIMD or floating-point functionality).
 */
export const FP_ACCESS_SYNDROME = esr(Ec.FpAccess, (1 << 24) | (0xe << 20));

const FP_ACCESS_TRAP = new GuestFault(FP_ACCESS_SYNDROME, NaN);

export function fpAccessTrap(): GuestFault {
  return FP_ACCESS_TRAP;
}

/** MRS/MSR of FPCR (op2 = 0) or FPSR (op2 = 1), any Rt. */
const FPCR_FPSR_MASK = 0xffdfffc0;
const FPCR_FPSR_VALUE = 0xd51b4400;

/**
 * True for an instruction that FPEN traps: the SIMD&FP data-processing group
 * and the SIMD&FP loads and stores (op0 = x11x in the top-level encoding
 * table), and MRS/MSR of FPCR/FPSR.
 */
export function isFpInstruction(insn: number): boolean {
  if ((insn & 0x0c000000) === 0x0c000000) return true;
  return ((insn & FPCR_FPSR_MASK) >>> 0) === FPCR_FPSR_VALUE;
}

/** Whether FPEN (CPACR_EL1 bits 21:20) traps FP/AdvSIMD at exception level `el`. */
export function fpTrappedAt(cpacr: number, el: number): boolean {
  const fpen = (cpacr >>> 20) & 3;
  return fpen === 0 || fpen === 2 || (fpen === 1 && el === 0);
}
