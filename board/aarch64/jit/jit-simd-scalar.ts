// General-register instructions glibc's string routines use beside their
// AdvSIMD loops: RBIT (W and X), before CLZ finds the first matching byte.

import { bit, bits } from '../decoder';
import type { Jit } from './jit-context';
import { Op, T } from '../../jit/wasm-module';

/** Swap steps of a 64-bit bit reversal: (shift, mask of the lower group) from 1-bit to 32-bit groups. */
const STEPS: Array<[number, number, number]> = [
  [1, 0x55555555, 0x55555555],
  [2, 0x33333333, 0x33333333],
  [4, 0x0f0f0f0f, 0x0f0f0f0f],
  [8, 0x00ff00ff, 0x00ff00ff],
  [16, 0x0000ffff, 0x0000ffff],
];

/** RBIT Wd/Xd, Wn/Xn. */
export function reverseBits(j: Jit, insn: number): boolean {
  const sf = bit(insn, 31);
  const c = j.code;
  const v = j.tmp(T.I64);
  j.x(bits(insn, 9, 5));
  if (sf === 1) c.i64(32).op(Op.I64Rotr);
  else c.op(Op.I32WrapI64, Op.I64ExtendI32U);
  c.set(v);
  // Swap ever smaller groups: ((v >> s) & m) | ((v & m) << s).
  for (const [s, lo, hi] of [...STEPS].reverse()) {
    if (s === 16 && sf === 0) {
      c.get(v).i64(16).op(Op.I64ShrU).i64(0xffff, 0).op(Op.I64And);
      c.get(v).i64(0xffff, 0).op(Op.I64And).i64(16).op(Op.I64Shl, Op.I64Or).set(v);
      continue;
    }
    c.get(v).i64(s).op(Op.I64ShrU).i64(lo, hi).op(Op.I64And);
    c.get(v).i64(lo, hi).op(Op.I64And).i64(s).op(Op.I64Shl, Op.I64Or).set(v);
  }
  c.get(v);
  j.free(T.I64, v);
  j.setX(bits(insn, 4, 0), sf);
  return true;
}
