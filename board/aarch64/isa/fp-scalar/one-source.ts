// FP data-processing 1 source: FMOV, FABS, FNEG, FSQRT, FCVT between
// precisions, FRINT{N,P,M,Z,A,X,I} and FRINT{32,64}{Z,X}.

import { bits, Encoding, Handler, Op } from '../../decoder';
import * as h from '../../fp/binary16';
import * as s from '../../fp/binary32';
import * as d from '../../fp/binary64';
import { FpEnv, fpcrRounding, Rounding } from '../../fp/fpcr';
import { FType, writeD, writeH, writeS } from './registers';

const FR = d.FR;
const WIDE = new Int32Array(2);

/** Unary ops on one format: op 0..3 = FMOV, FABS, FNEG, FSQRT. */
function simple(ftype: FType, opcode: number, cpu: FpEnv, vw: Int32Array, n: number, dd: number): Op {
  if (ftype === FType.Double) {
    if (opcode === 3)
      return () => {
        d.f64Sqrt(cpu, vw[n], vw[n + 1]);
        writeD(vw, dd, FR[0], FR[1]);
      };
    const mask = opcode === 0 ? -1 : opcode === 1 ? 0x7fffffff : -1;
    const flip = opcode === 2 ? 0x80000000 : 0;
    return () => writeD(vw, dd, vw[n], (vw[n + 1] & mask) ^ flip);
  }
  if (ftype === FType.Single) {
    if (opcode === 3) return () => writeS(vw, dd, s.f32Sqrt(cpu, vw[n]));
    const mask = opcode === 1 ? 0x7fffffff : -1;
    const flip = opcode === 2 ? 0x80000000 : 0;
    return () => writeS(vw, dd, (vw[n] & mask) ^ flip);
  }
  if (opcode === 3) return () => writeH(vw, dd, h.f16Sqrt(cpu, vw[n] & 0xffff));
  const mask = opcode === 1 ? 0x7fff : 0xffff;
  const flip = opcode === 2 ? 0x8000 : 0;
  return () => writeH(vw, dd, (vw[n] & mask) ^ flip);
}

/** FCVT from ftype to the precision `to` (0 single, 1 double, 3 half); BFCVT is ftype 1 (the encoding's), to 2. */
function convert(ftype: FType, to: number, cpu: FpEnv, vw: Int32Array, n: number, dd: number): Op | null {
  if (ftype === FType.Double && to === 2) return () => writeH(vw, dd, s.f32ToBf16(cpu, vw[n])); // BFCVT Hd, Sn
  if (to === ftype || to === 2) return null;
  if (ftype === FType.Single) {
    if (to === FType.Double)
      return () => {
        s.f32ToF64(cpu, vw[n], WIDE);
        writeD(vw, dd, WIDE[0], WIDE[1]);
      };
    return () => writeH(vw, dd, s.f32ToF16(cpu, vw[n]));
  }
  if (ftype === FType.Double) {
    if (to === FType.Single) return () => writeS(vw, dd, d.f64ToF32(cpu, vw[n], vw[n + 1]));
    return () => writeH(vw, dd, d.f64ToF16(cpu, vw[n], vw[n + 1]));
  }
  if (to === FType.Single) return () => writeS(vw, dd, h.f16ToF32(cpu, vw[n] & 0xffff));
  return () => {
    h.f16ToF64(cpu, vw[n] & 0xffff, WIDE);
    writeD(vw, dd, WIDE[0], WIDE[1]);
  };
}

// FRINT opcodes 8..15: N, P, M, Z, A, (unallocated), X, I. Undefined: the FPCR mode at run time.
const RINT_MODE: (Rounding | undefined)[] = [Rounding.TieEven, Rounding.PosInf, Rounding.NegInf, Rounding.Zero, Rounding.TieAway, undefined, undefined, undefined];

function roundInt(ftype: FType, low: number, cpu: FpEnv, vw: Int32Array, n: number, dd: number): Op | null {
  if (low === 5) return null;
  const fixed = RINT_MODE[low];
  const exact = low === 6;
  const mode = () => (fixed === undefined ? fpcrRounding(cpu.fpcr) : fixed);
  if (ftype === FType.Double)
    return () => {
      d.f64RoundInt(cpu, vw[n], vw[n + 1], mode(), exact);
      writeD(vw, dd, FR[0], FR[1]);
    };
  if (ftype === FType.Single) return () => writeS(vw, dd, s.f32RoundInt(cpu, vw[n], mode(), exact));
  return () => writeH(vw, dd, h.f16RoundInt(cpu, vw[n] & 0xffff, mode(), exact));
}

/** FRINT32Z, FRINT32X, FRINT64Z, FRINT64X (single and double only). */
function roundIntN(ftype: FType, low: number, cpu: FpEnv, vw: Int32Array, n: number, dd: number): Op | null {
  if (ftype === FType.Half) return null;
  const width = low & 2 ? 64 : 32;
  const toZero = (low & 1) === 0;
  const mode = () => (toZero ? Rounding.Zero : fpcrRounding(cpu.fpcr));
  if (ftype === FType.Double)
    return () => {
      d.f64RoundIntN(cpu, vw[n], vw[n + 1], mode(), width);
      writeD(vw, dd, FR[0], FR[1]);
    };
  return () => writeS(vw, dd, s.f32RoundIntN(cpu, vw[n], mode(), width));
}

const oneSource: Handler = (insn, ctx) => {
  const ftype = bits(insn, 23, 22);
  const opcode = bits(insn, 20, 15);
  if (ftype === 2) return null;
  const cpu = ctx.cpu;
  const vw = cpu.state.vw;
  const n = 4 * bits(insn, 9, 5);
  const dd = 4 * bits(insn, 4, 0);
  if (opcode < 4) return simple(ftype, opcode, cpu, vw, n, dd);
  if (opcode >> 2 === 1) return convert(ftype, opcode & 3, cpu, vw, n, dd);
  if (opcode >> 3 === 1) return roundInt(ftype, opcode & 7, cpu, vw, n, dd);
  if (opcode >> 2 === 4) return roundIntN(ftype, opcode & 3, cpu, vw, n, dd);
  return null;
};

export const fpOneSource: Encoding[] = [
  { name: 'FP data-processing (1 source)', pattern: '00011110 xx1 xxxxxx 10000 xxxxx xxxxx', handler: oneSource },
];
