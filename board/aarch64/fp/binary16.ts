// Half precision on raw 16-bit patterns. With round to nearest and FZ16 clear
// the arithmetic runs on native doubles (./half-native); NaNs, infinities,
// division by zero, AHP and the other modes take the exact BigInt path.

import { compareBits, compareValues, maxMinBits } from './compare';
import { convertBits, fromFixedBits, FX, toFixed, toFixedBits } from './convert';
import { addBits, divBits, mulAddBits, mulBits, sqrtBits } from './exact-arith';
import { FpEnv, fpcrRounding, FPCR_AHP, FPCR_FZ16, FPCR_RMODE_SHIFT, IOC, IXC, Rounding } from './fpcr';
import { DOUBLE, HALF, SINGLE } from './format';
import { halfValue, nonFinite16, roundToHalf } from './half-native';
import { lastSumInexact, sumToOdd } from './sum-to-odd';
import { roundToIntegral, roundIntBits, roundIntNBits } from './round-int';

/** FPCR bits outside which half arithmetic may take the native path. */
const SLOW_HALF = FPCR_FZ16 | (3 << FPCR_RMODE_SHIFT);

const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);
const F64 = new Float64Array(1);
const I64 = new Int32Array(F64.buffer);

function big(a: number): bigint {
  return BigInt(a & 0xffff);
}

function fast2(env: FpEnv, a: number, b: number): boolean {
  return (env.fpcr & SLOW_HALF) === 0 && !nonFinite16(a) && !nonFinite16(b);
}

export function f16Add(env: FpEnv, a: number, b: number): number {
  if (fast2(env, a, b)) return roundToHalf(env, halfValue(a) + halfValue(b), false);
  return Number(addBits(HALF, big(a), big(b), env, false));
}

export function f16Sub(env: FpEnv, a: number, b: number): number {
  if (fast2(env, a, b)) return roundToHalf(env, halfValue(a) - halfValue(b), false);
  return Number(addBits(HALF, big(a), big(b), env, true));
}

export function f16Mul(env: FpEnv, a: number, b: number): number {
  if (fast2(env, a, b)) return roundToHalf(env, halfValue(a) * halfValue(b), false);
  return Number(mulBits(HALF, big(a), big(b), env));
}

export function f16Div(env: FpEnv, a: number, b: number): number {
  if (fast2(env, a, b) && (b & 0x7fff) !== 0) return roundToHalf(env, halfValue(a) / halfValue(b), false);
  return Number(divBits(HALF, big(a), big(b), env));
}

export function f16Sqrt(env: FpEnv, a: number): number {
  if ((env.fpcr & SLOW_HALF) === 0 && (a & 0xffff) < 0x7c00) return roundToHalf(env, Math.sqrt(halfValue(a)), false);
  return Number(sqrtBits(HALF, big(a), env));
}

/** The product of two halves is exact in a double; the sum is rounded to odd, then to half. */
export function f16MulAdd(env: FpEnv, addend: number, op1: number, op2: number): number {
  if (fast2(env, op1, op2) && !nonFinite16(addend)) {
    const p = halfValue(op1) * halfValue(op2);
    const z = halfValue(addend);
    if (p === 0 && z === 0) return roundToHalf(env, z + p, false);
    const s = sumToOdd(z, p);
    return roundToHalf(env, s, lastSumInexact());
  }
  return Number(mulAddBits(HALF, big(addend), big(op1), big(op2), env));
}

export function f16Compare(env: FpEnv, a: number, b: number, signalAll: boolean): number {
  const x = halfValue(a);
  const y = halfValue(b);
  if ((env.fpcr & FPCR_FZ16) === 0 && x === x && y === y) return compareValues(x, y);
  return compareBits(HALF, big(a), big(b), env, signalAll);
}

export function f16MaxMin(env: FpEnv, a: number, b: number, isMax: boolean, numeric: boolean): number {
  const x = halfValue(a);
  const y = halfValue(b);
  if ((env.fpcr & FPCR_FZ16) === 0 && x === x && y === y) {
    if (x !== y) return (isMax ? x > y : x < y) ? a & 0xffff : b & 0xffff;
    if (x !== 0) return b & 0xffff;
    return (isMax ? a & b : a | b) & 0xffff;
  }
  return Number(maxMinBits(HALF, big(a), big(b), env, isMax, numeric));
}

export function f16RoundInt(env: FpEnv, a: number, mode: Rounding, exact: boolean): number {
  if ((env.fpcr & FPCR_FZ16) === 0 && !nonFinite16(a)) {
    const v = halfValue(a);
    const r = roundToIntegral(v, mode);
    if (r === v) return a & 0xffff;
    if (exact) env.fpsr |= IXC;
    // every integral value within half's range is a half
    return r === 0 ? a & 0x8000 : roundToHalf(env, r, false);
  }
  return Number(roundIntBits(HALF, big(a), env, mode, exact));
}

export function f16RoundIntN(env: FpEnv, a: number, mode: Rounding, width: 32 | 64): number {
  return Number(roundIntNBits(HALF, big(a), env, mode, width));
}

export function f16ToF32(env: FpEnv, a: number): number {
  const v = halfValue(a);
  if ((env.fpcr & FPCR_AHP) === 0 && v === v) {
    F32[0] = v;
    return I32[0];
  }
  return Number(convertBits(HALF, SINGLE, big(a), env, fpcrRounding(env.fpcr))) | 0;
}

/** FCVT to double into out (lo, hi). */
export function f16ToF64(env: FpEnv, a: number, out: Int32Array): void {
  const v = halfValue(a);
  if ((env.fpcr & FPCR_AHP) === 0 && v === v) {
    F64[0] = v;
    out[0] = I64[0];
    out[1] = I64[1];
    return;
  }
  const r = convertBits(HALF, DOUBLE, big(a), env, fpcrRounding(env.fpcr));
  out[0] = Number(r & 0xffffffffn) | 0;
  out[1] = Number(r >> 32n) | 0;
}

/** FPToFixed into FX (lo, hi). */
export function f16ToFixed(env: FpEnv, a: number, fbits: number, unsigned: boolean, width: 32 | 64, mode: Rounding): void {
  if ((env.fpcr & FPCR_FZ16) === 0) {
    const v = halfValue(a);
    toFixed(v !== v, v, fbits, unsigned, width, mode, env);
  } else toFixedBits(HALF, big(a), fbits, unsigned, width, mode, env);
}

/** FPToFixed into a 16-bit lane: saturation past 16 bits raises IOC and no IXC. */
export function f16ToFixed16(env: FpEnv, a: number, fbits: number, unsigned: boolean, mode: Rounding): number {
  const saved = env.fpsr;
  f16ToFixed(env, a, fbits, unsigned, 32, mode);
  const v = unsigned ? FX[0] >>> 0 : FX[0];
  const min = unsigned ? 0 : -0x8000;
  const max = unsigned ? 0xffff : 0x7fff;
  if (v >= min && v <= max) return v & 0xffff;
  env.fpsr = saved | IOC;
  return (v < min ? min : max) & 0xffff;
}

export function f16FromFixed(env: FpEnv, lo: number, hi: number, width: 32 | 64, unsigned: boolean, fbits: number): number {
  if ((env.fpcr & SLOW_HALF) === 0) {
    const v = width === 32 ? (unsigned ? lo >>> 0 : lo | 0) : (unsigned ? hi >>> 0 : hi | 0) * 4294967296 + (lo >>> 0);
    if (Math.abs(v) < 2 ** 53) return v === 0 ? 0 : roundToHalf(env, fbits === 0 ? v : v * 2 ** -fbits, false);
  }
  return Number(fromFixedBits(HALF, lo, hi, width, unsigned, fbits, env, fpcrRounding(env.fpcr)));
}

/** A half-precision pattern as the single with the same value (NaN payloads moved up). */
export function halfToSingleExact(env: FpEnv, a: number): number {
  const sign = (a & 0x8000) << 16;
  const exp = (a >>> 10) & 0x1f;
  const frac = a & 0x3ff;
  if (exp === 0x1f) return sign | 0x7f800000 | (frac << 13);
  if (exp !== 0) return sign | ((exp + 112) << 23) | (frac << 13);
  if (frac === 0 || env.fpcr & FPCR_FZ16) return sign;
  const shift = Math.clz32(frac) - 21; // normalise: the leading one to bit 10
  return sign | ((113 - shift) << 23) | (((frac << shift) & 0x3ff) << 13);
}
