// AdvSIMD three different, the widening forms WebAssembly SIMD has exactly:
// SMULL/UMULL, SMLAL/UMLAL, SMLSL/UMLSL, SADDL/UADDL, SSUBL/USUBL (and their
// "2" forms on the upper halves): 0 Q U 01110 size 1 Rm opcode 00 Rn Rd.
// Also DUP (element, scalar): 01 0 11110000 imm5 000001 Rn Rd.

import { bit, bits } from '../decoder';
import type { Jit } from './jit-context';
import { ADD, EXTEND_HIGH_S, EXTEND_HIGH_U, EXTEND_LOW_S, EXTEND_LOW_U, EXTRACT_U, lane, pushConst, REPLACE, simd, SUB, vget, vset } from './jit-simd-emit';

/** extmul_{low,high}_{s,u} by the narrow size (0..2): [low s, high s, low u, high u]. */
const EXTMUL = [
  [0x9c, 0x9d, 0x9e, 0x9f],
  [0xbc, 0xbd, 0xbe, 0xbf],
  [0xdc, 0xdd, 0xde, 0xdf],
];

export function threeDifferent(j: Jit, insn: number): boolean {
  const q = bit(insn, 30);
  const u = bit(insn, 29);
  const size = bits(insn, 23, 22);
  const opcode = bits(insn, 15, 12);
  if (size === 3) return false;
  const m = bits(insn, 20, 16);
  const n = bits(insn, 9, 5);
  const d = bits(insn, 4, 0);
  const c = j.code;
  const wide = size + 1;
  const extend = (r: number) => {
    vget(j, r);
    simd(c, (q ? (u ? EXTEND_HIGH_U : EXTEND_HIGH_S) : u ? EXTEND_LOW_U : EXTEND_LOW_S)[size]);
  };
  const product = () => {
    vget(j, n);
    vget(j, m);
    simd(c, EXTMUL[size][2 * u + q]);
  };
  switch (opcode) {
    case 0b0000: // SADDL/UADDL
    case 0b0010: // SSUBL/USUBL
      vset(j, d, 1, () => {
        extend(n);
        extend(m);
        simd(c, (opcode === 0 ? ADD : SUB)[wide]);
      });
      return true;
    case 0b1100: // SMULL/UMULL
      vset(j, d, 1, product);
      return true;
    case 0b1000: // SMLAL/UMLAL
    case 0b1010: // SMLSL/UMLSL
      vset(j, d, 1, () => {
        vget(j, d);
        product();
        simd(c, (opcode === 0b1000 ? ADD : SUB)[wide]);
      });
      return true;
    default:
      return false;
  }
}

/** DUP (element, scalar), the MOV Vd.T[0]-to-scalar alias: the element zero-extended to 128 bits. */
export function dupScalar(j: Jit, insn: number): boolean {
  const imm5 = bits(insn, 20, 16);
  const size = [0, 1, 2, 3].find((s) => ((imm5 >>> s) & 1) === 1);
  if (size === undefined) return false;
  const c = j.code;
  vset(j, bits(insn, 4, 0), 1, () => {
    pushConst(c, new Array(16).fill(0));
    vget(j, bits(insn, 9, 5));
    lane(c, EXTRACT_U[size], imm5 >>> (size + 1));
    lane(c, REPLACE[size], 0);
  });
  return true;
}
