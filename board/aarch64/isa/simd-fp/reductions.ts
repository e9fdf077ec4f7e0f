// AdvSIMD across lanes (FMAXV, FMINV, FMAXNMV, FMINNMV) and scalar pairwise
// (FADDP, FMAXP, FMINP, FMAXNMP, FMINNMP), single/double and FP16.

import { bit, bits, Encoding, Handler } from '../../decoder';
import * as ops from './binary-ops';
import { FpBinary } from './binary-ops';
import { pairScalar, reduceLanes } from './lane-drivers';

/** Single precision needs the 4S arrangement; half precision takes 4H or 8H. */
function across(op: FpBinary, half: boolean): Handler {
  return (insn, ctx) => {
    const q = bit(insn, 30);
    if (!half && q === 0) return null;
    return reduceLanes(ctx.cpu, op, half ? 16 : 32, half && !q ? 4 : half ? 8 : 4, bits(insn, 4, 0), bits(insn, 9, 5));
  };
}

function pair(op: FpBinary, half: boolean): Handler {
  return (insn, ctx) => pairScalar(ctx.cpu, op, half ? 16 : bit(insn, 22) ? 64 : 32, bits(insn, 4, 0), bits(insn, 9, 5));
}

const ACROSS: readonly [string, number, string, FpBinary][] = [
  ['FMAXNMV', 0, '01100', ops.MAXNM],
  ['FMINNMV', 1, '01100', ops.MINNM],
  ['FMAXV', 0, '01111', ops.MAX],
  ['FMINV', 1, '01111', ops.MIN],
];

const PAIRS: readonly [string, number, string, FpBinary][] = [
  ['FMAXNMP (scalar)', 0, '01100', ops.MAXNM],
  ['FMINNMP (scalar)', 1, '01100', ops.MINNM],
  ['FADDP (scalar)', 0, '01101', ops.ADD],
  ['FMAXP (scalar)', 0, '01111', ops.MAX],
  ['FMINP (scalar)', 1, '01111', ops.MIN],
];

export const reductionsFp: Encoding[] = [
  ...ACROSS.flatMap(([name, a, opcode, op]) => [
    { name, pattern: `0q101110 ${a}0 11000 ${opcode} 10 nnnnn ddddd`, handler: across(op, false) },
    { name: `${name} (half)`, pattern: `0q001110 ${a}0 11000 ${opcode} 10 nnnnn ddddd`, handler: across(op, true) },
  ]),
  ...PAIRS.flatMap(([name, a, opcode, op]) => [
    { name, pattern: `01111110 ${a}z 11000 ${opcode} 10 nnnnn ddddd`, handler: pair(op, false) },
    { name: `${name}, half`, pattern: `01011110 ${a}0 11000 ${opcode} 10 nnnnn ddddd`, handler: pair(op, true) },
  ]),
];
