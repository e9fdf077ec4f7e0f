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
import { beginInstruction } from './jit-interp-call';
import { translateExclusive } from './jit-exclusive';
import type { OpNumber } from './jit-fallback';

/**
 * Translates one AdvSIMD or FP instruction inline (slow cases as interpreter
 * calls); false (nothing emitted) for any other, which the interpreter-call
 * fallback (jit-fallback.ts) may then take whole.
 */
export function translateSimd(j: Jit, insn: number, off: number, opNumber: OpNumber | undefined): boolean {
  beginInstruction(insn, off, opNumber);
  // (The exclusives' slow cases take the same interpreter call.)
  if ((insn & 0x3f000000) === 0x08000000) return translateExclusive(j, insn);
  if ((insn & 0x9f20c400) === 0x0e20c400 && fpVectorBinary(j, insn)) return true;
  return inline(j, insn) || translateFp(j, insn);
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
