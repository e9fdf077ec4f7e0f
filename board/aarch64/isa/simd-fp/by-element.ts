// AdvSIMD (scalar) x indexed element, FP: FMLA, FMLS, FMUL, FMULX in half,
// single and double precision.

import { bit, bits, Encoding, Handler } from '../../decoder';
import * as ops from './binary-ops';
import { FpBinary } from './binary-ops';
import { elementLanes } from './lane-drivers';

function handler(op: FpBinary, isScalar: boolean, half: boolean): Handler {
  return (insn, ctx) => {
    const q = bit(insn, 30);
    const h = bit(insn, 11);
    const l = bit(insn, 21);
    const d = bits(insn, 4, 0);
    const n = bits(insn, 9, 5);
    if (half) {
      const index = (h << 2) | (l << 1) | bit(insn, 20);
      return elementLanes(ctx.cpu, op, 16, isScalar ? 1 : q ? 8 : 4, d, n, bits(insn, 19, 16), index);
    }
    const m = bits(insn, 20, 16);
    if (bit(insn, 22) === 0) return elementLanes(ctx.cpu, op, 32, isScalar ? 1 : q ? 4 : 2, d, n, m, (h << 1) | l);
    if (l === 1 || (!isScalar && q === 0)) return null;
    return elementLanes(ctx.cpu, op, 64, isScalar ? 1 : 2, d, n, m, h);
  };
}

const DEFS: readonly [string, number, string, FpBinary][] = [
  ['FMLA (by element)', 0, '0001', ops.MLA],
  ['FMLS (by element)', 0, '0101', ops.MLS],
  ['FMUL (by element)', 0, '1001', ops.MUL],
  ['FMULX (by element)', 1, '1001', ops.MULX],
];

export const byElementFp: Encoding[] = DEFS.flatMap(([name, u, opcode, op]) => [
  { name, pattern: `0q${u}01111 1z lm mmmm ${opcode} h0 nnnnn ddddd`, handler: handler(op, false, false) },
  { name: `${name}, half`, pattern: `0q${u}01111 00 lm mmmm ${opcode} h0 nnnnn ddddd`, handler: handler(op, false, true) },
  { name: `${name}, scalar`, pattern: `01${u}11111 1z lm mmmm ${opcode} h0 nnnnn ddddd`, handler: handler(op, true, false) },
  { name: `${name}, scalar half`, pattern: `01${u}11111 00 lm mmmm ${opcode} h0 nnnnn ddddd`, handler: handler(op, true, true) },
]);
