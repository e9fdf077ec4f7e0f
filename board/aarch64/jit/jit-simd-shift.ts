// SSHL and USHL (vector, register): each element shifted by the signed low
// byte of the same element of Vm, left when positive, right when negative
// (arithmetic for SSHL, logical for USHL), a shift by the element size or
// more giving 0 (or the sign for a signed right shift). WebAssembly SIMD only
// shifts every lane by one amount, so each element is done as an integer:
// the results go to the slot's 16-byte scratch, then into Vd (Vd may be Vn
// or Vm). The rounding and saturating forms stay with the interpreter.

import { SLOT_SCRATCH16 } from './cpu-slot';
import type { Jit } from './jit-context';
import { S, simd, vOff, vset } from './jit-simd-emit';
import { Op, T } from '../../jit/wasm-module';

/** The fields of an AdvSIMD three-same instruction (0 Q U 01110 size 1 Rm opcode 1 Rn Rd), decoded once. */
export interface ThreeSame {
  readonly q: number;
  readonly u: number;
  readonly size: number;
  readonly opcode: number;
  readonly m: number;
  readonly n: number;
  readonly d: number;
}

export function threeSameFields(insn: number): ThreeSame {
  return { q: (insn >>> 30) & 1, u: (insn >>> 29) & 1, size: (insn >>> 22) & 3, opcode: (insn >>> 11) & 31, m: (insn >>> 16) & 31, n: (insn >>> 5) & 31, d: insn & 31 };
}

const LOAD32 = [
  [Op.I32Load8U, Op.I32Load8S],
  [Op.I32Load16U, Op.I32Load16S],
  [Op.I32Load, Op.I32Load],
];
const STORE32 = [Op.I32Store8, Op.I32Store16, Op.I32Store];

/** SSHL/USHL (opcode 01000); false for the other opcodes and the unallocated 64-bit form without Q. */
export function shiftByRegister(j: Jit, f: ThreeSame): boolean {
  if (f.opcode !== 0b01000 || (f.size === 3 && f.q === 0)) return false;
  const c = j.code;
  const bytes = 1 << f.size;
  const esize = 8 * bytes;
  const wide = f.size === 3;
  const x = j.tmp(wide ? T.I64 : T.I32);
  const s = j.tmp(T.I32);
  const lanes = (f.q ? 16 : 8) / bytes;
  for (let k = 0; k < lanes; k++) {
    const at = k * bytes;
    c.i32(0);
    if (wide) c.i32(0).mem(Op.I64Load, vOff(j, f.n) + at).set(x);
    else c.i32(0).mem(LOAD32[f.size][f.u ? 0 : 1], vOff(j, f.n) + at).set(x);
    c.i32(0).mem(Op.I32Load8S, vOff(j, f.m) + at).set(s);
    // Left: x << s while s < esize, else 0.
    c.get(s).i32(0).op(Op.I32GeS, Op.If, wide ? T.I64 : T.I32);
    c.get(x).get(s);
    if (wide) c.op(Op.I64ExtendI32U, Op.I64Shl).i64(0);
    else c.op(Op.I32Shl).i32(0);
    c.get(s).i32(esize).op(Op.I32LtS, Op.Select);
    c.op(Op.Else);
    // Right by -s: logical (0 past the element) or arithmetic (the sign past it).
    c.i32(0).get(s).op(Op.I32Sub).set(s);
    c.get(x);
    if (f.u) {
      c.get(s);
      if (wide) c.op(Op.I64ExtendI32U, Op.I64ShrU).i64(0);
      else c.op(Op.I32ShrU).i32(0);
      c.get(s).i32(esize).op(Op.I32LtS, Op.Select);
    } else {
      c.get(s).i32(esize - 1).get(s).i32(esize).op(Op.I32LtS, Op.Select);
      if (wide) c.op(Op.I64ExtendI32U, Op.I64ShrS);
      else c.op(Op.I32ShrS);
    }
    c.op(Op.End);
    c.mem(wide ? Op.I64Store : STORE32[f.size], j.slot + SLOT_SCRATCH16 + at);
  }
  j.free(wide ? T.I64 : T.I32, x);
  j.free(T.I32, s);
  vset(j, f.d, f.q, () => {
    c.i32(0);
    simd(c, S.Load).u(0).u(j.slot + SLOT_SCRATCH16);
  });
  return true;
}
