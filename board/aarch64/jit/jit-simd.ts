// The AdvSIMD (and SIMD&FP transfer) instructions the block compiler takes,
// by encoding class: the vector registers stay in the CPU slot and each
// instruction becomes a few WebAssembly SIMD operations on them. A block
// holding one never runs compiled while CPACR traps FP (the run loop stops
// such blocks at their first FP instruction, as for the FP loads and stores).

import { acrossLanes, addpScalar, byElement, threeSame, twoRegMisc } from './jit-simd-arith';
import { copy, ext, fmovGeneral, modifiedImmediate, permute, shiftImmediate, table } from './jit-simd-data';
import { multipleStructures } from './jit-simd-structures';
import { reverseBits } from './jit-simd-scalar';
import { translateFp } from './jit-fp-scalar';
import { fpVectorBinary } from './jit-fp-arith';
import { dupScalar, threeDifferent } from './jit-simd-widen';
import type { Jit } from './jit-context';
import { callInterpreter, canCallInterpreter } from './jit-interp-call';

/** Translates one AdvSIMD or FP instruction, inline or as a call to the interpreter; false (nothing emitted) for any other. */
export function translateSimd(j: Jit, insn: number): boolean {
  if ((insn & 0x9f20c400) === 0x0e20c400 && fpVectorBinary(j, insn)) return true;
  return inline(j, insn) || translateFp(j, insn) || interpreted(j, insn);
}

function inline(j: Jit, insn: number): boolean {
  if ((insn & 0x9f200400) === 0x0e200400) return threeSame(j, insn);
  if ((insn & 0x9f3e0c00) === 0x0e200800) return twoRegMisc(j, insn);
  if ((insn & 0x9f200c00) === 0x0e200000) return threeDifferent(j, insn);
  if ((insn & 0xffe0fc00) === 0x5e000400) return dupScalar(j, insn);
  if ((insn & 0x9f3e0c00) === 0x0e300800) return acrossLanes(j, insn);
  if ((insn & 0x9ff80400) === 0x0f000400) return modifiedImmediate(j, insn);
  if ((insn & 0x9f800400) === 0x0f000400) return shiftImmediate(j, insn);
  if ((insn & 0x9f000400) === 0x0f000000) return byElement(j, insn);
  if ((insn & 0x9fe08400) === 0x0e000400) return copy(j, insn);
  if ((insn & 0xbf208c00) === 0x0e000800) return permute(j, insn);
  if ((insn & 0xbfe08400) === 0x2e000000) return ext(j, insn);
  if ((insn & 0xbfe08c00) === 0x0e000000) return table(j, insn);
  if ((insn & 0xbfbf0000) === 0x0c000000 || (insn & 0xbfa00000) === 0x0c800000) return multipleStructures(j, insn);
  if ((insn & 0xfffffc00) === 0x5ef1b800) return addpScalar(j, insn);
  if ((insn & 0x7ffffc00) === 0x5ac00000) return reverseBits(j, insn);
  return fmovGeneral(j, insn);
}

/**
 * The rest of AdvSIMD and FP data processing, and the structure loads and
 * stores, as calls to the interpreter's op: the block stays compiled around
 * them. Data processing is pure (registers, FPCR, FPSR); Rd is read back (the
 * conversions to general registers, UMOV, SMOV write it) and NZCV after the
 * FP compares. Loads and stores call out like any slow access.
 */
function interpreted(j: Jit, insn: number): boolean {
  if (!canCallInterpreter()) return false;
  if ((insn & 0x0e000000) === 0x0e000000) {
    const compare = (insn & 0x5f203c00) === 0x1e202000 || (insn & 0x5f200c00) === 0x1e200400;
    callInterpreter(j, [insn & 31], compare, true);
    return true;
  }
  if ((insn & 0xbe000000) === 0x0c000000) {
    callInterpreter(j, [(insn >>> 5) & 31]);
    return true;
  }
  // DC ZVA (memset's zeroing of whole blocks): a store that may fault or trap at EL0.
  if ((insn & 0xffffffe0) >>> 0 === 0xd50b7420) {
    callInterpreter(j);
    return true;
  }
  return false;
}
