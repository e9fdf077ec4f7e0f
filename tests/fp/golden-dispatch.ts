// Runs one recorded qemu case ("op fpcr a b c") through the FP library and
// returns [result, fpsr] as hex strings, in the form the golden file records.

import * as h from '../../board/aarch64/fp/binary16';
import * as s from '../../board/aarch64/fp/binary32';
import * as d from '../../board/aarch64/fp/binary64';
import { FX } from '../../board/aarch64/fp/convert';
import { FpEnv, fpcrRounding, Rounding } from '../../board/aarch64/fp/fpcr';

type Kind = 'h' | 's' | 'd';
const FR = d.FR;
const OUT = new Int32Array(2);

const lo = (v: bigint) => Number(v & 0xffffffffn) | 0;
const hi = (v: bigint) => Number((v >> 32n) & 0xffffffffn) | 0;
const pair = (l: number, h2: number) => ((BigInt(h2 >>> 0) << 32n) | BigInt(l >>> 0)).toString(16);
const signOf = (k: Kind) => (k === 'd' ? 1n << 63n : k === 's' ? 1n << 31n : 1n << 15n);

function binary(k: Kind, env: FpEnv, op: string, a: bigint, b: bigint): bigint {
  if (k === 'd') {
    const al = lo(a), ah = hi(a), bl = lo(b), bh = hi(b);
    if (op === 'fadd') d.f64Add(env, al, ah, bl, bh);
    else if (op === 'fsub') d.f64Sub(env, al, ah, bl, bh);
    else if (op === 'fmul' || op === 'fnmul') d.f64Mul(env, al, ah, bl, bh);
    else if (op === 'fdiv') d.f64Div(env, al, ah, bl, bh);
    else d.f64MaxMin(env, al, ah, bl, bh, op.startsWith('fmax'), op.endsWith('nm'));
    return BigInt(`0x${pair(FR[0], FR[1])}`);
  }
  const m = k === 's' ? s : null;
  const ai = Number(a) | 0, bi = Number(b) | 0;
  let r: number;
  if (op === 'fadd') r = m ? m.f32Add(env, ai, bi) : h.f16Add(env, ai, bi);
  else if (op === 'fsub') r = m ? m.f32Sub(env, ai, bi) : h.f16Sub(env, ai, bi);
  else if (op === 'fmul' || op === 'fnmul') r = m ? m.f32Mul(env, ai, bi) : h.f16Mul(env, ai, bi);
  else if (op === 'fdiv') r = m ? m.f32Div(env, ai, bi) : h.f16Div(env, ai, bi);
  else r = m ? m.f32MaxMin(env, ai, bi, op.startsWith('fmax'), op.endsWith('nm')) : h.f16MaxMin(env, ai, bi, op.startsWith('fmax'), op.endsWith('nm'));
  return BigInt(k === 's' ? r >>> 0 : r & 0xffff);
}

function ternary(k: Kind, env: FpEnv, op: string, a: bigint, b: bigint, c: bigint): bigint {
  const sb = signOf(k);
  const op1 = op === 'fmsub' || op === 'fnmadd' ? a ^ sb : a;
  const addend = op === 'fnmadd' || op === 'fnmsub' ? c ^ sb : c;
  if (k === 'd') {
    d.f64MulAdd(env, lo(addend), hi(addend), lo(op1), hi(op1), lo(b), hi(b));
    return BigInt(`0x${pair(FR[0], FR[1])}`);
  }
  if (k === 's') return BigInt(s.f32MulAdd(env, Number(addend) | 0, Number(op1) | 0, Number(b) | 0) >>> 0);
  return BigInt(h.f16MulAdd(env, Number(addend), Number(op1), Number(b)) & 0xffff);
}

const RINT: Record<string, Rounding | undefined> = {
  frintn: Rounding.TieEven,
  frintp: Rounding.PosInf,
  frintm: Rounding.NegInf,
  frintz: Rounding.Zero,
  frinta: Rounding.TieAway,
};

function unary(k: Kind, env: FpEnv, op: string, a: bigint): bigint {
  const mode = RINT[op] ?? fpcrRounding(env.fpcr);
  const exact = op === 'frintx';
  if (k === 'd') {
    if (op === 'fsqrt') d.f64Sqrt(env, lo(a), hi(a));
    else d.f64RoundInt(env, lo(a), hi(a), mode, exact);
    return BigInt(`0x${pair(FR[0], FR[1])}`);
  }
  const ai = Number(a) | 0;
  if (k === 's') return BigInt((op === 'fsqrt' ? s.f32Sqrt(env, ai) : s.f32RoundInt(env, ai, mode, exact)) >>> 0);
  return BigInt((op === 'fsqrt' ? h.f16Sqrt(env, ai) : h.f16RoundInt(env, ai, mode, exact)) & 0xffff);
}

function convert(op: string, env: FpEnv, a: bigint): bigint {
  const ai = Number(a & 0xffffffffn) | 0;
  switch (op) {
    case 'fcvt.sd':
      return BigInt(d.f64ToF32(env, lo(a), hi(a)) >>> 0);
    case 'fcvt.hd':
      return BigInt(d.f64ToF16(env, lo(a), hi(a)));
    case 'fcvt.ds':
      s.f32ToF64(env, ai, OUT);
      return BigInt(`0x${pair(OUT[0], OUT[1])}`);
    case 'fcvt.hs':
      return BigInt(s.f32ToF16(env, ai));
    case 'fcvt.sh':
      return BigInt(h.f16ToF32(env, ai) >>> 0);
    default:
      h.f16ToF64(env, ai, OUT);
      return BigInt(`0x${pair(OUT[0], OUT[1])}`);
  }
}

const CVT_MODE: Record<string, Rounding> = { n: Rounding.TieEven, p: Rounding.PosInf, m: Rounding.NegInf, z: Rounding.Zero, a: Rounding.TieAway };

function toInt(op: string, env: FpEnv, a: bigint): bigint {
  // e.g. fcvtzs.wd: mode z, signed, W destination, double source
  const [name, shape] = op.split('.');
  const mode = CVT_MODE[name[4]];
  const unsigned = name[5] === 'u';
  const width = shape[0] === 'w' ? 32 : 64;
  const k = shape[1];
  if (k === 'd') d.f64ToFixed(env, lo(a), hi(a), 0, unsigned, width, mode);
  else if (k === 's') s.f32ToFixed(env, Number(a) | 0, 0, unsigned, width, mode);
  else h.f16ToFixed(env, Number(a) | 0, 0, unsigned, width, mode);
  return BigInt(`0x${pair(FX[0], width === 32 ? 0 : FX[1])}`);
}

function fromInt(op: string, env: FpEnv, a: bigint): bigint {
  const [name, shape] = op.split('.');
  const unsigned = name[0] === 'u';
  const k = shape[0];
  const width = shape[1] === 'w' ? 32 : 64;
  if (k === 'd') {
    d.f64FromFixed(env, lo(a), hi(a), width, unsigned, 0);
    return BigInt(`0x${pair(FR[0], FR[1])}`);
  }
  if (k === 's') return BigInt(s.f32FromFixed(env, lo(a), hi(a), width, unsigned, 0) >>> 0);
  return BigInt(h.f16FromFixed(env, lo(a), hi(a), width, unsigned, 0) & 0xffff);
}

export function runCase(op: string, fpcr: number, a: bigint, b: bigint, c: bigint): [string, string] {
  const env: FpEnv = { fpcr, fpsr: 0 };
  const [name, kindText] = op.split('.');
  const k = kindText as Kind;
  let r: bigint;
  if (name.startsWith('fcvt') && name.length > 4) r = toInt(op, env, a);
  else if (name === 'fcvt') r = convert(op, env, a);
  else if (name === 'scvtf' || name === 'ucvtf') r = fromInt(op, env, a);
  else if (name === 'fcmp' || name === 'fcmpe') {
    const sig = name === 'fcmpe';
    const nzcv = k === 'd' ? d.f64Compare(env, lo(a), hi(a), lo(b), hi(b), sig) : k === 's' ? s.f32Compare(env, Number(a) | 0, Number(b) | 0, sig) : h.f16Compare(env, Number(a), Number(b), sig);
    r = BigInt(nzcv) << 28n;
  } else if (['fmadd', 'fmsub', 'fnmadd', 'fnmsub'].includes(name)) r = ternary(k, env, name, a, b, c);
  else if (['fadd', 'fsub', 'fmul', 'fdiv', 'fnmul', 'fmax', 'fmin', 'fmaxnm', 'fminnm'].includes(name)) {
    r = binary(k, env, name, a, b);
    if (name === 'fnmul') r ^= signOf(k);
  } else r = unary(k, env, name, a);
  return [r.toString(16), env.fpsr.toString(16)];
}
