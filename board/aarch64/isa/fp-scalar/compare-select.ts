// FCMP/FCMPE, FCCMP/FCCMPE, FCSEL and FMOV (scalar, immediate).

import { bits, Encoding, Handler } from '../../decoder';
import * as h from '../../fp/binary16';
import * as s from '../../fp/binary32';
import * as d from '../../fp/binary64';
import { FpEnv } from '../../fp/fpcr';
import { makeCondition } from '../conditions';
import { writeD, writeH, writeS } from './registers';

type Compare = () => number;

/** A decode-time-specialised comparison returning the NZCV nibble. */
function comparer(ftype: number, cpu: FpEnv, vw: Int32Array, n: number, m: number, withZero: boolean, signal: boolean): Compare {
  if (ftype === 1) return withZero ? () => d.f64Compare(cpu, vw[n], vw[n + 1], 0, 0, signal) : () => d.f64Compare(cpu, vw[n], vw[n + 1], vw[m], vw[m + 1], signal);
  if (ftype === 0) return withZero ? () => s.f32Compare(cpu, vw[n], 0, signal) : () => s.f32Compare(cpu, vw[n], vw[m], signal);
  return withZero ? () => h.f16Compare(cpu, vw[n] & 0xffff, 0, signal) : () => h.f16Compare(cpu, vw[n] & 0xffff, vw[m] & 0xffff, signal);
}

function setFlags(f: Int32Array, nzcv: number): void {
  f[0] = (nzcv >> 3) & 1;
  f[1] = (nzcv >> 2) & 1;
  f[2] = (nzcv >> 1) & 1;
  f[3] = nzcv & 1;
}

const compare: Handler = (insn, ctx) => {
  const ftype = bits(insn, 23, 22);
  if (ftype === 2 || bits(insn, 2, 0) !== 0) return null;
  const cpu = ctx.cpu;
  const f = cpu.f;
  const cmp = comparer(ftype, cpu, cpu.state.vw, 4 * bits(insn, 9, 5), 4 * bits(insn, 20, 16), bits(insn, 3, 3) === 1, bits(insn, 4, 4) === 1);
  return () => setFlags(f, cmp());
};

const condCompare: Handler = (insn, ctx) => {
  const ftype = bits(insn, 23, 22);
  if (ftype === 2) return null;
  const cpu = ctx.cpu;
  const f = cpu.f;
  const cmp = comparer(ftype, cpu, cpu.state.vw, 4 * bits(insn, 9, 5), 4 * bits(insn, 20, 16), false, bits(insn, 4, 4) === 1);
  const holds = makeCondition(f, bits(insn, 15, 12));
  const nzcv = bits(insn, 3, 0);
  return () => setFlags(f, holds() ? cmp() : nzcv);
};

const condSelect: Handler = (insn, ctx) => {
  const ftype = bits(insn, 23, 22);
  if (ftype === 2) return null;
  const vw = ctx.cpu.state.vw;
  const holds = makeCondition(ctx.cpu.f, bits(insn, 15, 12));
  const m = 4 * bits(insn, 20, 16);
  const n = 4 * bits(insn, 9, 5);
  const dd = 4 * bits(insn, 4, 0);
  if (ftype === 1)
    return () => {
      const src = holds() ? n : m;
      writeD(vw, dd, vw[src], vw[src + 1]);
    };
  if (ftype === 0) return () => writeS(vw, dd, vw[holds() ? n : m]);
  return () => writeH(vw, dd, vw[holds() ? n : m]);
};

/** VFPExpandImm: imm8 = a:b:cdefgh gives sign a, exponent NOT(b):b..b:cd, fraction efgh:0... */
export function expandImm(imm8: number, e: number, f: number): bigint {
  const sign = BigInt(imm8 >> 7);
  const b = (imm8 >> 6) & 1;
  const exp = ((b ^ 1) << (e - 1)) | ((b ? (1 << (e - 3)) - 1 : 0) << 2) | ((imm8 >> 4) & 3);
  const frac = BigInt(imm8 & 15) << BigInt(f - 4);
  return (sign << BigInt(e + f)) | (BigInt(exp) << BigInt(f)) | frac;
}

const moveImmediate: Handler = (insn, ctx) => {
  const ftype = bits(insn, 23, 22);
  if (ftype === 2) return null;
  const vw = ctx.cpu.state.vw;
  const imm8 = bits(insn, 20, 13);
  const dd = 4 * bits(insn, 4, 0);
  if (ftype === 1) {
    const v = expandImm(imm8, 11, 52);
    const lo = Number(v & 0xffffffffn) | 0;
    const hi = Number(v >> 32n) | 0;
    return () => writeD(vw, dd, lo, hi);
  }
  const v = ftype === 0 ? Number(expandImm(imm8, 8, 23)) | 0 : Number(expandImm(imm8, 5, 10));
  return ftype === 0 ? () => writeS(vw, dd, v) : () => writeH(vw, dd, v);
};

export const fpCompareSelect: Encoding[] = [
  { name: 'FCMP/FCMPE', pattern: '00011110 xx1 xxxxx 001000 xxxxx xxxxx', handler: compare },
  { name: 'FCCMP/FCCMPE', pattern: '00011110 xx1 xxxxx xxxx 01 xxxxx xxxxx', handler: condCompare },
  { name: 'FCSEL', pattern: '00011110 xx1 xxxxx xxxx 11 xxxxx xxxxx', handler: condSelect },
  { name: 'FMOV (scalar, immediate)', pattern: '00011110 xx1 xxxxxxxx 100 00000 xxxxx', handler: moveImmediate },
];
