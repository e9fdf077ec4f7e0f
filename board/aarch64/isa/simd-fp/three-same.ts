// AdvSIMD three same (FP) and its FP16 and scalar forms: FADD...FACGT and the
// pairwise FADDP/FMAXP/FMINP/FMAXNMP/FMINNMP. The FP16 encodings use the low
// three opcode bits of the single/double ones.

import { bit, bits, Encoding, Handler } from '../../decoder';
import * as ops from './binary-ops';
import { FpBinary } from './binary-ops';
import { binaryLanes, pairwiseLanes } from './lane-drivers';

interface SameFp {
  readonly name: string;
  readonly u: number;
  readonly a: number;
  readonly op3: number;
  readonly op: FpBinary;
  readonly scalar?: boolean;
  readonly pairwise?: boolean;
}

const SAME: readonly SameFp[] = [
  { name: 'FMAXNM', u: 0, a: 0, op3: 0b000, op: ops.MAXNM },
  { name: 'FMLA', u: 0, a: 0, op3: 0b001, op: ops.MLA },
  { name: 'FADD', u: 0, a: 0, op3: 0b010, op: ops.ADD },
  { name: 'FMULX', u: 0, a: 0, op3: 0b011, op: ops.MULX, scalar: true },
  { name: 'FCMEQ', u: 0, a: 0, op3: 0b100, op: ops.CMEQ, scalar: true },
  { name: 'FMAX', u: 0, a: 0, op3: 0b110, op: ops.MAX },
  { name: 'FRECPS', u: 0, a: 0, op3: 0b111, op: ops.RECPS, scalar: true },
  { name: 'FMINNM', u: 0, a: 1, op3: 0b000, op: ops.MINNM },
  { name: 'FMLS', u: 0, a: 1, op3: 0b001, op: ops.MLS },
  { name: 'FSUB', u: 0, a: 1, op3: 0b010, op: ops.SUB },
  { name: 'FMIN', u: 0, a: 1, op3: 0b110, op: ops.MIN },
  { name: 'FRSQRTS', u: 0, a: 1, op3: 0b111, op: ops.RSQRTS, scalar: true },
  { name: 'FMAXNMP', u: 1, a: 0, op3: 0b000, op: ops.MAXNM, pairwise: true },
  { name: 'FADDP', u: 1, a: 0, op3: 0b010, op: ops.ADD, pairwise: true },
  { name: 'FMUL', u: 1, a: 0, op3: 0b011, op: ops.MUL },
  { name: 'FCMGE', u: 1, a: 0, op3: 0b100, op: ops.CMGE, scalar: true },
  { name: 'FACGE', u: 1, a: 0, op3: 0b101, op: ops.ACGE, scalar: true },
  { name: 'FMAXP', u: 1, a: 0, op3: 0b110, op: ops.MAX, pairwise: true },
  { name: 'FDIV', u: 1, a: 0, op3: 0b111, op: ops.DIV },
  { name: 'FMINNMP', u: 1, a: 1, op3: 0b000, op: ops.MINNM, pairwise: true },
  { name: 'FABD', u: 1, a: 1, op3: 0b010, op: ops.ABD, scalar: true },
  { name: 'FCMGT', u: 1, a: 1, op3: 0b100, op: ops.CMGT, scalar: true },
  { name: 'FACGT', u: 1, a: 1, op3: 0b101, op: ops.ACGT, scalar: true },
  { name: 'FMINP', u: 1, a: 1, op3: 0b110, op: ops.MIN, pairwise: true },
];

function fields(insn: number): { d: number; n: number; m: number } {
  return { d: bits(insn, 4, 0), n: bits(insn, 9, 5), m: bits(insn, 20, 16) };
}

/** Single/double vector form: sz = 1 needs Q = 1. */
function vector(def: SameFp): Handler {
  const driver = def.pairwise ? pairwiseLanes : binaryLanes;
  return (insn, ctx) => {
    const q = bit(insn, 30);
    const sz = bit(insn, 22);
    if (sz === 1 && q === 0) return null;
    const { d, n, m } = fields(insn);
    const esize = sz ? 64 : 32;
    return driver(ctx.cpu, def.op, esize, (q ? 128 : 64) / esize, d, n, m);
  };
}

function vectorHalf(def: SameFp): Handler {
  const driver = def.pairwise ? pairwiseLanes : binaryLanes;
  return (insn, ctx) => {
    const { d, n, m } = fields(insn);
    return driver(ctx.cpu, def.op, 16, bit(insn, 30) ? 8 : 4, d, n, m);
  };
}

function scalar(half: boolean): Handler {
  return (insn, ctx) => {
    const { d, n, m } = fields(insn);
    const def = SAME_BY_KEY.get(key(bit(insn, 29), bit(insn, 23), bits(insn, 13, 11)));
    if (!def) return null;
    return binaryLanes(ctx.cpu, def.op, half ? 16 : bit(insn, 22) ? 64 : 32, 1, d, n, m);
  };
}

const key = (u: number, a: number, op3: number): number => (u << 4) | (a << 3) | op3;
const SAME_BY_KEY = new Map(SAME.map((def) => [key(def.u, def.a, def.op3), def]));

const op3Bits = (v: number): string => v.toString(2).padStart(3, '0');

export const threeSameFp: Encoding[] = SAME.flatMap((def) => {
  const o = op3Bits(def.op3);
  const lines: Encoding[] = [
    { name: `${def.name} (vector)`, pattern: `0q${def.u}01110 ${def.a}z1 mmmmm 11${o} 1 nnnnn ddddd`, handler: vector(def) },
    { name: `${def.name} (vector, half)`, pattern: `0q${def.u}01110 ${def.a}10 mmmmm 00${o} 1 nnnnn ddddd`, handler: vectorHalf(def) },
  ];
  if (def.scalar) {
    lines.push(
      { name: `${def.name} (scalar)`, pattern: `01${def.u}11110 ${def.a}z1 mmmmm 11${o} 1 nnnnn ddddd`, handler: scalar(false) },
      { name: `${def.name} (scalar, half)`, pattern: `01${def.u}11110 ${def.a}10 mmmmm 00${o} 1 nnnnn ddddd`, handler: scalar(true) },
    );
  }
  return lines;
});
