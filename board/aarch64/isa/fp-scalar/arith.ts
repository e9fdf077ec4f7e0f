// FP data-processing 2-source (FMUL...FNMUL) and 3-source (FMADD family).

import { bits, Encoding, Handler } from '../../decoder';
import * as h from '../../fp/binary16';
import * as s from '../../fp/binary32';
import * as d from '../../fp/binary64';
import { FpEnv } from '../../fp/fpcr';
import { writeD, writeH, writeS } from './registers';

type Op32 = (env: FpEnv, a: number, b: number) => number;
type Op64 = (env: FpEnv, alo: number, ahi: number, blo: number, bhi: number) => void;

const FR = d.FR;

// Indexed by the 2-source opcode: FMUL, FDIV, FADD, FSUB, FMAX, FMIN, FMAXNM, FMINNM, FNMUL.
const single: Op32[] = [
  s.f32Mul,
  s.f32Div,
  s.f32Add,
  s.f32Sub,
  (e, a, b) => s.f32MaxMin(e, a, b, true, false),
  (e, a, b) => s.f32MaxMin(e, a, b, false, false),
  (e, a, b) => s.f32MaxMin(e, a, b, true, true),
  (e, a, b) => s.f32MaxMin(e, a, b, false, true),
  (e, a, b) => s.f32Mul(e, a, b) ^ 0x80000000,
];

const half: Op32[] = [
  h.f16Mul,
  h.f16Div,
  h.f16Add,
  h.f16Sub,
  (e, a, b) => h.f16MaxMin(e, a, b, true, false),
  (e, a, b) => h.f16MaxMin(e, a, b, false, false),
  (e, a, b) => h.f16MaxMin(e, a, b, true, true),
  (e, a, b) => h.f16MaxMin(e, a, b, false, true),
  (e, a, b) => h.f16Mul(e, a, b) ^ 0x8000,
];

const double: Op64[] = [
  d.f64Mul,
  d.f64Div,
  d.f64Add,
  d.f64Sub,
  (e, a, b, c, x) => d.f64MaxMin(e, a, b, c, x, true, false),
  (e, a, b, c, x) => d.f64MaxMin(e, a, b, c, x, false, false),
  (e, a, b, c, x) => d.f64MaxMin(e, a, b, c, x, true, true),
  (e, a, b, c, x) => d.f64MaxMin(e, a, b, c, x, false, true),
  (e, a, b, c, x) => {
    d.f64Mul(e, a, b, c, x);
    FR[1] ^= 0x80000000;
  },
];

const twoSource: Handler = (insn, ctx) => {
  const ftype = bits(insn, 23, 22);
  const opcode = bits(insn, 15, 12);
  if (opcode > 8 || ftype === 2) return null;
  const cpu = ctx.cpu;
  const vw = cpu.state.vw;
  const m = 4 * bits(insn, 20, 16);
  const n = 4 * bits(insn, 9, 5);
  const dd = 4 * bits(insn, 4, 0);
  if (ftype === 1) {
    const fn = double[opcode];
    return () => {
      fn(cpu, vw[n], vw[n + 1], vw[m], vw[m + 1]);
      writeD(vw, dd, FR[0], FR[1]);
    };
  }
  if (ftype === 0) {
    const fn = single[opcode];
    return () => writeS(vw, dd, fn(cpu, vw[n], vw[m]));
  }
  const fn = half[opcode];
  return () => writeH(vw, dd, fn(cpu, vw[n] & 0xffff, vw[m] & 0xffff));
};

/** FMADD, FMSUB (op1 negated), FNMADD (addend and op1 negated), FNMSUB (addend negated). */
const threeSource: Handler = (insn, ctx) => {
  const ftype = bits(insn, 23, 22);
  if (ftype === 2) return null;
  const o1 = bits(insn, 21, 21);
  const o0 = bits(insn, 15, 15);
  const cpu = ctx.cpu;
  const vw = cpu.state.vw;
  const m = 4 * bits(insn, 20, 16);
  const a = 4 * bits(insn, 14, 10);
  const n = 4 * bits(insn, 9, 5);
  const dd = 4 * bits(insn, 4, 0);
  const negOp1 = o0 !== o1;
  const negAddend = o1 === 1;
  if (ftype === 1) {
    const s1 = negOp1 ? 0x80000000 : 0;
    const sa = negAddend ? 0x80000000 : 0;
    return () => {
      d.f64MulAdd(cpu, vw[a], vw[a + 1] ^ sa, vw[n], vw[n + 1] ^ s1, vw[m], vw[m + 1]);
      writeD(vw, dd, FR[0], FR[1]);
    };
  }
  if (ftype === 0) {
    const s1 = negOp1 ? 0x80000000 : 0;
    const sa = negAddend ? 0x80000000 : 0;
    return () => writeS(vw, dd, s.f32MulAdd(cpu, vw[a] ^ sa, vw[n] ^ s1, vw[m]));
  }
  const s1 = negOp1 ? 0x8000 : 0;
  const sa = negAddend ? 0x8000 : 0;
  return () => writeH(vw, dd, h.f16MulAdd(cpu, (vw[a] ^ sa) & 0xffff, (vw[n] ^ s1) & 0xffff, vw[m] & 0xffff));
};

export const fpArith: Encoding[] = [
  { name: 'FP data-processing (2 source)', pattern: '00011110 xx1 xxxxx xxxx 10 xxxxx xxxxx', handler: twoSource },
  { name: 'FP data-processing (3 source)', pattern: '00011111 xxx xxxxx xxxxxx xxxxx xxxxx', handler: threeSource },
];
