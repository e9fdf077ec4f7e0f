// Conversions between FP and integer (FCVT{N,P,M,Z,A}{S,U}, SCVTF, UCVTF,
// FJCVTZS), their fixed-point forms, and FMOV (general).

import { zrDst, zrSrc } from '../../cpu-state';
import { bits, Encoding, Handler, Op } from '../../decoder';
import * as h from '../../fp/binary16';
import * as s from '../../fp/binary32';
import * as d from '../../fp/binary64';
import { FX } from '../../fp/convert';
import { FpEnv, Rounding } from '../../fp/fpcr';
import { fjcvtzs } from './js-convert';
import { FType, writeD, writeH, writeS } from './registers';

const FR = d.FR;

/** FP (register n, word index) to integer register d (slot), fbits = 0 for the plain forms. */
function toInt(ftype: FType, sf: number, unsigned: boolean, mode: Rounding, fbits: number, cpu: FpEnv, vw: Int32Array, x: Int32Array, n: number, dst: number): Op {
  const width = sf ? 64 : 32;
  const hiMask = sf ? -1 : 0;
  const finish = () => {
    x[dst] = FX[0];
    x[dst + 1] = FX[1] & hiMask;
  };
  if (ftype === FType.Double)
    return () => {
      d.f64ToFixed(cpu, vw[n], vw[n + 1], fbits, unsigned, width, mode);
      finish();
    };
  if (ftype === FType.Single)
    return () => {
      s.f32ToFixed(cpu, vw[n], fbits, unsigned, width, mode);
      finish();
    };
  return () => {
    h.f16ToFixed(cpu, vw[n] & 0xffff, fbits, unsigned, width, mode);
    finish();
  };
}

function fromInt(ftype: FType, sf: number, unsigned: boolean, fbits: number, cpu: FpEnv, vw: Int32Array, x: Int32Array, src: number, dd: number): Op {
  const width = sf ? 64 : 32;
  if (ftype === FType.Double)
    return () => {
      d.f64FromFixed(cpu, x[src], x[src + 1], width, unsigned, fbits);
      writeD(vw, dd, FR[0], FR[1]);
    };
  if (ftype === FType.Single) return () => writeS(vw, dd, s.f32FromFixed(cpu, x[src], x[src + 1], width, unsigned, fbits));
  return () => writeH(vw, dd, h.f16FromFixed(cpu, x[src], x[src + 1], width, unsigned, fbits));
}

/** FMOV between a general register and an FP register (or the top half of V, rmode 01). */
function move(ftype: number, sf: number, rmode: number, toFp: boolean, vw: Int32Array, x: Int32Array, rn: number, rd: number): Op | null {
  if (rmode === 1) {
    if (sf !== 1 || ftype !== 2) return null;
    if (toFp) {
      const src = 2 * zrSrc(rn);
      const dd = 4 * rd;
      return () => {
        vw[dd + 2] = x[src];
        vw[dd + 3] = x[src + 1];
      };
    }
    const n = 4 * rn;
    const dst = 2 * zrDst(rd);
    return () => {
      x[dst] = vw[n + 2];
      x[dst + 1] = vw[n + 3];
    };
  }
  if (rmode !== 0 || ftype === 2 || (ftype === 0 && sf === 1) || (ftype === 1 && sf === 0)) return null;
  if (toFp) {
    const src = 2 * zrSrc(rn);
    const dd = 4 * rd;
    if (ftype === FType.Double) return () => writeD(vw, dd, x[src], x[src + 1]);
    if (ftype === FType.Single) return () => writeS(vw, dd, x[src]);
    return () => writeH(vw, dd, x[src]);
  }
  const n = 4 * rn;
  const dst = 2 * zrDst(rd);
  const mask = ftype === FType.Half ? 0xffff : -1;
  const hiFrom = ftype === FType.Double ? 1 : -1;
  return () => {
    x[dst] = vw[n] & mask;
    x[dst + 1] = hiFrom > 0 ? vw[n + 1] : 0;
  };
}

const MODES = [Rounding.TieEven, Rounding.PosInf, Rounding.NegInf, Rounding.Zero];

const fpInt: Handler = (insn, ctx) => {
  const sf = bits(insn, 31, 31);
  const ftype = bits(insn, 23, 22);
  const rmode = bits(insn, 20, 19);
  const opcode = bits(insn, 18, 16);
  const rn = bits(insn, 9, 5);
  const rd = bits(insn, 4, 0);
  const cpu = ctx.cpu;
  const vw = cpu.state.vw;
  const x = cpu.x;
  if (opcode === 6 || opcode === 7) {
    if (opcode === 6 && rmode === 3) return sf === 0 && ftype === 1 ? fjcvtzs(cpu, vw, x, 4 * rn, 2 * zrDst(rd)) : null;
    return move(ftype, sf, rmode, opcode === 7, vw, x, rn, rd);
  }
  if (ftype === 2) return null;
  if (opcode < 2) return toInt(ftype, sf, opcode === 1, MODES[rmode], 0, cpu, vw, x, 4 * rn, 2 * zrDst(rd));
  if (rmode !== 0) return null;
  if (opcode < 4) return fromInt(ftype, sf, opcode === 3, 0, cpu, vw, x, 2 * zrSrc(rn), 4 * rd);
  return toInt(ftype, sf, opcode === 5, Rounding.TieAway, 0, cpu, vw, x, 4 * rn, 2 * zrDst(rd));
};

const fpFixed: Handler = (insn, ctx) => {
  const sf = bits(insn, 31, 31);
  const ftype = bits(insn, 23, 22);
  const rmode = bits(insn, 20, 19);
  const opcode = bits(insn, 18, 16);
  const scale = bits(insn, 15, 10);
  if (ftype === 2 || (sf === 0 && scale < 32)) return null;
  const fbits = 64 - scale;
  const cpu = ctx.cpu;
  const vw = cpu.state.vw;
  const x = cpu.x;
  const rn = bits(insn, 9, 5);
  const rd = bits(insn, 4, 0);
  if (rmode === 3 && opcode < 2) return toInt(ftype, sf, opcode === 1, Rounding.Zero, fbits, cpu, vw, x, 4 * rn, 2 * zrDst(rd));
  if (rmode === 0 && (opcode === 2 || opcode === 3)) return fromInt(ftype, sf, opcode === 3, fbits, cpu, vw, x, 2 * zrSrc(rn), 4 * rd);
  return null;
};

export const fpIntConvert: Encoding[] = [
  { name: 'Conversion between FP and integer', pattern: 'x0011110 xx1 xxxxx 000000 xxxxx xxxxx', handler: fpInt },
  { name: 'Conversion between FP and fixed-point', pattern: 'x0011110 xx0 xxxxx xxxxxx xxxxx xxxxx', handler: fpFixed },
];
