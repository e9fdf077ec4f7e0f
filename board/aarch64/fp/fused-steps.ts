// FPMulX, FPRecipStepFused (FRECPS) and FPRSqrtStepFused (FRSQRTS), one
// per precision. Each treats infinity times zero specially (2.0, 2.0, 1.5)
// after flushing input denormals; the rest is one fused multiply-add.

import * as h from './binary16';
import * as s from './binary32';
import * as d from './binary64';
import { DOUBLE, FpFormat, HALF, infinityBits, SINGLE } from './format';
import { FpEnv, fpcrRounding, FPCR_FZ, FPCR_FZ16, IDC, Rounding } from './fpcr';
import { processNaNs } from './nan';
import { fpRound } from './round';
import { FpType, unpack } from './unpack';

const FR = d.FR;

/** Zero after FPUnpack's flushing: raises IDC for a flushed single or double denormal. */
function zero16(env: FpEnv, a: number): boolean {
  if ((a & 0x7fff) === 0) return true;
  return (a & 0x7c00) === 0 && (env.fpcr & FPCR_FZ16) !== 0;
}

function zero32(env: FpEnv, a: number): boolean {
  if ((a & 0x7fffffff) === 0) return true;
  if ((a & 0x7f800000) !== 0 || (env.fpcr & FPCR_FZ) === 0) return false;
  env.fpsr |= IDC;
  return true;
}

function zero64(env: FpEnv, lo: number, hi: number): boolean {
  if ((hi & 0x7fffffff) === 0 && lo === 0) return true;
  if ((hi & 0x7ff00000) !== 0 || (env.fpcr & FPCR_FZ) === 0) return false;
  env.fpsr |= IDC;
  return true;
}

const inf16 = (a: number): boolean => (a & 0x7fff) === 0x7c00;
const inf32 = (a: number): boolean => (a & 0x7fffffff) === 0x7f800000;
const inf64 = (lo: number, hi: number): boolean => (hi & 0x7fffffff) === 0x7ff00000 && lo === 0;

/** Infinity times (flushed) zero, in either order; a non-infinite operand is unpacked as FPUnpack would. */
function infZero16(env: FpEnv, a: number, b: number): boolean {
  return (inf16(a) && zero16(env, b)) || (inf16(b) && zero16(env, a));
}

function infZero32(env: FpEnv, a: number, b: number): boolean {
  return (inf32(a) && zero32(env, b)) || (inf32(b) && zero32(env, a));
}

function infZero64(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number): boolean {
  return (inf64(alo, ahi) && zero64(env, blo, bhi)) || (inf64(blo, bhi) && zero64(env, alo, ahi));
}

export function mulx16(env: FpEnv, a: number, b: number): number {
  if (infZero16(env, a, b)) return 0x4000 | ((a ^ b) & 0x8000);
  return h.f16Mul(env, a, b);
}

export function mulx32(env: FpEnv, a: number, b: number): number {
  if (infZero32(env, a, b)) return 0x40000000 | ((a ^ b) & 0x80000000);
  return s.f32Mul(env, a, b);
}

export function mulx64(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number): void {
  if (infZero64(env, alo, ahi, blo, bhi)) {
    FR[0] = 0;
    FR[1] = 0x40000000 | ((ahi ^ bhi) & 0x80000000);
    return;
  }
  d.f64Mul(env, alo, ahi, blo, bhi);
}

/** FRECPS: 2 - a * b, fused. */
export function recps16(env: FpEnv, a: number, b: number): number {
  if (infZero16(env, a, b)) return 0x4000;
  return h.f16MulAdd(env, 0x4000, (a ^ 0x8000) & 0xffff, b);
}

export function recps32(env: FpEnv, a: number, b: number): number {
  if (infZero32(env, a, b)) return 0x40000000;
  return s.f32MulAdd(env, 0x40000000, a ^ 0x80000000, b);
}

export function recps64(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number): void {
  if (infZero64(env, alo, ahi, blo, bhi)) {
    FR[0] = 0;
    FR[1] = 0x40000000;
    return;
  }
  d.f64MulAdd(env, 0, 0x40000000, alo, ahi ^ 0x80000000, blo, bhi);
}

/*
 * FRSQRTS: (3 - a * b) / 2 with one rounding. The fused 3 - a*b rounded and
 * then halved is the same number whenever the halved result stays normal
 * (exponent field >= 3 before halving) and the sum could not have overflowed
 * (exponent field below the largest finite one); otherwise the exact path.
 */
export function rsqrts16(env: FpEnv, a: number, b: number): number {
  if (infZero16(env, a, b)) return 0x3e00;
  const saved = env.fpsr;
  const r = h.f16MulAdd(env, 0x4200, (a ^ 0x8000) & 0xffff, b);
  const e = (r >>> 10) & 0x1f;
  if (e === 0x1f && (!inf16(r) || inf16(a) || inf16(b))) return r;
  if (e >= 3 && e < 0x1e) return r - 0x400;
  env.fpsr = saved;
  return Number(rsqrtStepExact(HALF, BigInt(a & 0xffff), BigInt(b & 0xffff), env));
}

export function rsqrts32(env: FpEnv, a: number, b: number): number {
  if (infZero32(env, a, b)) return 0x3fc00000;
  const saved = env.fpsr;
  const r = s.f32MulAdd(env, 0x40400000, a ^ 0x80000000, b);
  const e = (r >>> 23) & 0xff;
  if (e === 0xff && (!inf32(r) || inf32(a) || inf32(b))) return r;
  if (e >= 3 && e < 0xfe) return r - 0x800000;
  env.fpsr = saved;
  return Number(rsqrtStepExact(SINGLE, BigInt(a >>> 0), BigInt(b >>> 0), env)) | 0;
}

export function rsqrts64(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number): void {
  if (infZero64(env, alo, ahi, blo, bhi)) {
    FR[0] = 0;
    FR[1] = 0x3ff80000;
    return;
  }
  const saved = env.fpsr;
  d.f64MulAdd(env, 0, 0x40080000, alo, ahi ^ 0x80000000, blo, bhi);
  const e = (FR[1] >>> 20) & 0x7ff;
  if (e === 0x7ff && (!inf64(FR[0], FR[1]) || inf64(alo, ahi) || inf64(blo, bhi))) return;
  if (e >= 3 && e < 0x7fe) {
    FR[1] -= 0x100000;
    return;
  }
  env.fpsr = saved;
  const v = rsqrtStepExact(DOUBLE, (BigInt(ahi >>> 0) << 32n) | BigInt(alo >>> 0), (BigInt(bhi >>> 0) << 32n) | BigInt(blo >>> 0), env);
  FR[0] = Number(v & 0xffffffffn) | 0;
  FR[1] = Number(v >> 32n) | 0;
}

/** FPRSqrtStepFused on bit patterns, every case (slow path). */
export function rsqrtStepExact(fmt: FpFormat, a: bigint, b: bigint, env: FpEnv): bigint {
  const neg = a ^ (1n << BigInt(fmt.n - 1));
  const u1 = unpack(fmt, neg, env, env.fpcr);
  const u2 = unpack(fmt, b, env, env.fpcr);
  const nan = processNaNs(fmt, u1, neg, u2, b, env);
  if (nan !== undefined) return nan;
  const inf1 = u1.type === FpType.Infinity;
  const inf2 = u2.type === FpType.Infinity;
  if (inf1 || inf2) return infinityBits(fmt, u1.sign ^ u2.sign);
  const rmode = fpcrRounding(env.fpcr);
  // 3 + p where p = (+/-) m1*m2 * 2^pe; the sum scaled to the smaller exponent.
  const pm = u1.type === FpType.Zero || u2.type === FpType.Zero ? 0n : u1.mant * u2.mant;
  const pe = u1.exp + u2.exp;
  const base = pm === 0n ? 0 : Math.min(pe, 0);
  const signedP = u1.sign ^ u2.sign ? -pm : pm;
  const sum = (3n << BigInt(-base)) + (pm === 0n ? 0n : signedP << BigInt(pe - base));
  if (sum === 0n) return rmode === Rounding.NegInf ? 1n << BigInt(fmt.n - 1) : 0n;
  return sum < 0n ? fpRound(fmt, 1, -sum, base - 1, env, env.fpcr, rmode) : fpRound(fmt, 0, sum, base - 1, env, env.fpcr, rmode);
}
