// AdvSIMD two-register miscellaneous (FP), its FP16 and scalar forms: FABS,
// FNEG, FSQRT, FRINT*, FCVT[NMAPZ][SU], SCVTF/UCVTF, FRECPE, FRSQRTE, FRECPX,
// URECPE, URSQRTE and the compares against zero.

import { bit, bits, Encoding, Handler } from '../../decoder';
import { Rounding } from '../../fp/fpcr';
import { unaryLanes } from './lane-drivers';
import * as ops from './unary-ops';
import { FpUnary } from './unary-ops';

interface MiscFp {
  readonly name: string;
  readonly u: number;
  readonly a: number;
  readonly opcode: number;
  readonly op: FpUnary;
  readonly vector: boolean;
  readonly scalar: boolean;
  /** URECPE/URSQRTE: 32-bit lanes only. */
  readonly singleOnly?: boolean;
}

function def(name: string, u: number, a: number, opcode: number, op: FpUnary, forms: 'v' | 's' | 'vs', singleOnly = false): MiscFp {
  return { name, u, a, opcode, op, vector: forms !== 's', scalar: forms !== 'v', singleOnly };
}

const MISC: readonly MiscFp[] = [
  def('FRINTN', 0, 0, 0b11000, ops.roundInt(Rounding.TieEven, false), 'v'),
  def('FRINTP', 0, 1, 0b11000, ops.roundInt(Rounding.PosInf, false), 'v'),
  def('FRINTM', 0, 0, 0b11001, ops.roundInt(Rounding.NegInf, false), 'v'),
  def('FRINTZ', 0, 1, 0b11001, ops.roundInt(Rounding.Zero, false), 'v'),
  def('FRINTA', 1, 0, 0b11000, ops.roundInt(Rounding.TieAway, false), 'v'),
  def('FRINTX', 1, 0, 0b11001, ops.roundInt(undefined, true), 'v'),
  def('FRINTI', 1, 1, 0b11001, ops.roundInt(undefined, false), 'v'),
  def('FRINT32Z', 0, 0, 0b11110, ops.roundIntN(Rounding.Zero, 32), 'v'),
  def('FRINT64Z', 0, 0, 0b11111, ops.roundIntN(Rounding.Zero, 64), 'v'),
  def('FRINT32X', 1, 0, 0b11110, ops.roundIntN(undefined, 32), 'v'),
  def('FRINT64X', 1, 0, 0b11111, ops.roundIntN(undefined, 64), 'v'),
  def('FCVTNS', 0, 0, 0b11010, ops.toInt(Rounding.TieEven, false, 0), 'vs'),
  def('FCVTPS', 0, 1, 0b11010, ops.toInt(Rounding.PosInf, false, 0), 'vs'),
  def('FCVTMS', 0, 0, 0b11011, ops.toInt(Rounding.NegInf, false, 0), 'vs'),
  def('FCVTZS', 0, 1, 0b11011, ops.toInt(Rounding.Zero, false, 0), 'vs'),
  def('FCVTAS', 0, 0, 0b11100, ops.toInt(Rounding.TieAway, false, 0), 'vs'),
  def('FCVTNU', 1, 0, 0b11010, ops.toInt(Rounding.TieEven, true, 0), 'vs'),
  def('FCVTPU', 1, 1, 0b11010, ops.toInt(Rounding.PosInf, true, 0), 'vs'),
  def('FCVTMU', 1, 0, 0b11011, ops.toInt(Rounding.NegInf, true, 0), 'vs'),
  def('FCVTZU', 1, 1, 0b11011, ops.toInt(Rounding.Zero, true, 0), 'vs'),
  def('FCVTAU', 1, 0, 0b11100, ops.toInt(Rounding.TieAway, true, 0), 'vs'),
  def('SCVTF', 0, 0, 0b11101, ops.fromInt(false, 0), 'vs'),
  def('UCVTF', 1, 0, 0b11101, ops.fromInt(true, 0), 'vs'),
  def('URECPE', 0, 1, 0b11100, ops.URECPE, 'v', true),
  def('URSQRTE', 1, 1, 0b11100, ops.URSQRTE, 'v', true),
  def('FRECPE', 0, 1, 0b11101, ops.RECPE, 'vs'),
  def('FRSQRTE', 1, 1, 0b11101, ops.RSQRTE, 'vs'),
  def('FRECPX', 0, 1, 0b11111, ops.RECPX, 's'),
  def('FSQRT', 1, 1, 0b11111, ops.SQRT, 'v'),
  def('FCMGT (zero)', 0, 1, 0b01100, ops.CMGT0, 'vs'),
  def('FCMEQ (zero)', 0, 1, 0b01101, ops.CMEQ0, 'vs'),
  def('FCMLT (zero)', 0, 1, 0b01110, ops.CMLT0, 'vs'),
  def('FCMGE (zero)', 1, 1, 0b01100, ops.CMGE0, 'vs'),
  def('FCMLE (zero)', 1, 1, 0b01101, ops.CMLE0, 'vs'),
  def('FABS (vector)', 0, 1, 0b01111, ops.ABS, 'v'),
  def('FNEG (vector)', 1, 1, 0b01111, ops.NEG, 'v'),
];

function vector(m: MiscFp): Handler {
  return (insn, ctx) => {
    const q = bit(insn, 30);
    const sz = bit(insn, 22);
    if (sz === 1 && (q === 0 || m.singleOnly)) return null;
    const esize = sz ? 64 : 32;
    return unaryLanes(ctx.cpu, m.op, esize, (q ? 128 : 64) / esize, bits(insn, 4, 0), bits(insn, 9, 5));
  };
}

function vectorHalf(m: MiscFp): Handler {
  return (insn, ctx) => unaryLanes(ctx.cpu, m.op, 16, bit(insn, 30) ? 8 : 4, bits(insn, 4, 0), bits(insn, 9, 5));
}

function scalar(m: MiscFp, half: boolean): Handler {
  return (insn, ctx) => unaryLanes(ctx.cpu, m.op, half ? 16 : bit(insn, 22) ? 64 : 32, 1, bits(insn, 4, 0), bits(insn, 9, 5));
}

const opBits = (v: number): string => v.toString(2).padStart(5, '0');

export const twoRegMiscFp: Encoding[] = MISC.flatMap((m) => {
  const o = opBits(m.opcode);
  const lines: Encoding[] = [];
  if (m.vector) {
    lines.push({ name: `${m.name}`, pattern: `0q${m.u}01110 ${m.a}z 10000 ${o} 10 nnnnn ddddd`, handler: vector(m) });
    if (m.op.h) lines.push({ name: `${m.name} (half)`, pattern: `0q${m.u}01110 ${m.a}1 11100 ${o} 10 nnnnn ddddd`, handler: vectorHalf(m) });
  }
  if (m.scalar) {
    lines.push({ name: `${m.name} (scalar)`, pattern: `01${m.u}11110 ${m.a}z 10000 ${o} 10 nnnnn ddddd`, handler: scalar(m, false) });
    lines.push({ name: `${m.name} (scalar, half)`, pattern: `01${m.u}11110 ${m.a}1 11100 ${o} 10 nnnnn ddddd`, handler: scalar(m, true) });
  }
  return lines;
});
