// Double precision on raw (lo, hi) bit-pattern halves; results land in FR.
// With the default FPCR the common operations run on native doubles and
// detect inexact with error-free transformations (TwoSum, Dekker's product);
// near overflow, underflow or any special value they take the exact path.

import { compareBits, compareValues, maxMinBits } from './compare';
import { convertBits, fromFixedBits, toFixed, toFixedBits } from './convert';
import { addBits, divBits, mulAddBits, mulBits, sqrtBits } from './exact-arith';
import { FpEnv, fpcrRounding, FPCR_FZ, IXC, Rounding, SLOW_FPCR } from './fpcr';
import { DOUBLE, HALF, SINGLE } from './format';
import { roundIntBits, roundIntNBits, roundToIntegral } from './round-int';
import { roundToHalf, TO_HALF_SLOW } from './half-native';

/** The result of the last double operation: FR[0] = lo, FR[1] = hi. */
export const FR = new Int32Array(2);

const F64 = new Float64Array(1);
const I64 = new Int32Array(F64.buffer);
const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);

/** Bounds inside which Dekker's product and TwoSum are exact and results are normal. */
const LOW = 2 ** -960;
const HIGH = 2 ** 996;
const MIN_NORMAL = 2 ** -1022;
const SPLITTER = 134217729; // 2^27 + 1

export function f64Value(lo: number, hi: number): number {
  I64[0] = lo;
  I64[1] = hi;
  return F64[0];
}

function store(v: number): void {
  F64[0] = v;
  FR[0] = I64[0];
  FR[1] = I64[1];
}

function big(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

function storeBig(v: bigint): void {
  FR[0] = Number(v & 0xffffffffn) | 0;
  FR[1] = Number(v >> 32n) | 0;
}

export function isNaN64(lo: number, hi: number): boolean {
  const h = hi & 0x7fffffff;
  return h > 0x7ff00000 || (h === 0x7ff00000 && lo !== 0);
}

/** The low part of x * y given its rounded product p (exact inside LOW..HIGH). */
function productError(x: number, y: number, p: number): number {
  let c = SPLITTER * x;
  const xh = c - (c - x);
  const xl = x - xh;
  c = SPLITTER * y;
  const yh = c - (c - y);
  const yl = y - yh;
  return xh * yh - p + xh * yl + xl * yh + xl * yl;
}

function inRange(v: number): boolean {
  const m = Math.abs(v);
  return m >= LOW && m <= HIGH;
}

function fastAdd(env: FpEnv, x: number, y: number): boolean {
  const s = x + y;
  const m = Math.abs(s);
  if (s === 0) {
    store(s); // sums never underflow to zero: this one is exact
    return true;
  }
  if (!(m > MIN_NORMAL && m < 2 ** 1023)) return false;
  const bb = s - x;
  if (x - (s - bb) + (y - bb) !== 0) env.fpsr |= IXC;
  store(s);
  return true;
}

export function f64Add(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number): void {
  if ((env.fpcr & SLOW_FPCR) === 0 && fastAdd(env, f64Value(alo, ahi), f64Value(blo, bhi))) return;
  storeBig(addBits(DOUBLE, big(alo, ahi), big(blo, bhi), env, false));
}

export function f64Sub(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number): void {
  if ((env.fpcr & SLOW_FPCR) === 0 && fastAdd(env, f64Value(alo, ahi), -f64Value(blo, bhi))) return;
  storeBig(addBits(DOUBLE, big(alo, ahi), big(blo, bhi), env, true));
}

export function f64Mul(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number): void {
  if ((env.fpcr & SLOW_FPCR) === 0) {
    const x = f64Value(alo, ahi);
    const y = f64Value(blo, bhi);
    const p = x * y;
    if (p === 0 && (x === 0 || y === 0)) {
      store(p);
      return;
    }
    if (inRange(x) && inRange(y) && inRange(p)) {
      if (productError(x, y, p) !== 0) env.fpsr |= IXC;
      store(p);
      return;
    }
  }
  storeBig(mulBits(DOUBLE, big(alo, ahi), big(blo, bhi), env));
}

export function f64Div(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number): void {
  if ((env.fpcr & SLOW_FPCR) === 0) {
    const x = f64Value(alo, ahi);
    const y = f64Value(blo, bhi);
    const q = x / y;
    if (x === 0 && q === 0) {
      store(q);
      return;
    }
    if (inRange(x) && inRange(y) && inRange(q)) {
      const h = q * y;
      if (x - h !== productError(q, y, h)) env.fpsr |= IXC;
      store(q);
      return;
    }
  }
  storeBig(divBits(DOUBLE, big(alo, ahi), big(blo, bhi), env));
}

export function f64Sqrt(env: FpEnv, alo: number, ahi: number): void {
  if ((env.fpcr & SLOW_FPCR) === 0) {
    const x = f64Value(alo, ahi);
    if (x === 0) {
      FR[0] = alo;
      FR[1] = ahi;
      return;
    }
    if (x > 0 && inRange(x)) {
      const s = Math.sqrt(x);
      const h = s * s;
      if (x - h !== productError(s, s, h)) env.fpsr |= IXC;
      store(s);
      return;
    }
  }
  storeBig(sqrtBits(DOUBLE, big(alo, ahi), env));
}

/** FPMulAdd(addend, op1, op2) with one rounding. */
export function f64MulAdd(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number, clo: number, chi: number): void {
  if ((env.fpcr & SLOW_FPCR) === 0 && fastMulAdd(env, f64Value(alo, ahi), f64Value(blo, bhi), f64Value(clo, chi))) return;
  storeBig(mulAddBits(DOUBLE, big(alo, ahi), big(blo, bhi), big(clo, chi), env));
}

/**
 * Boldo and Melquiond's emulated FMA: x*y = p + e exactly (Dekker), z + p =
 * s + t exactly (TwoSum), then RN(s + RO(t + e)) where RO rounds to odd is
 * the correctly rounded z + x*y. Valid while nothing underflows: the operands,
 * the product and the result stay inside LOW..HIGH or normal.
 */
function fastMulAdd(env: FpEnv, z: number, x: number, y: number): boolean {
  const p = x * y;
  if (p === 0) return zeroProduct(env, z, x, y, p);
  if (!(inRange(x) && inRange(y) && inRange(p) && Math.abs(z) <= HIGH)) return false;
  const e = productError(x, y, p);
  const s = p + z;
  const sb = s - p;
  const t = p - (s - sb) + (z - sb);
  let u = t + e;
  const ub = u - t;
  const w = t - (u - ub) + (e - ub);
  if (w !== 0) {
    if (!(Math.abs(u) > MIN_NORMAL)) return false;
    u = roundedToOdd(u, w);
  }
  const r = s + u;
  const m = Math.abs(r);
  if (!(m > MIN_NORMAL && m < 2 ** 1023)) return false;
  const rb = r - s;
  if (w !== 0 || s - (r - rb) + (u - rb) !== 0) env.fpsr |= IXC;
  store(r);
  return true;
}

/** u = RN(a + b) with a + b = u + w (w nonzero): the neighbour of u with an odd last bit towards w, or u when odd. */
function roundedToOdd(u: number, w: number): number {
  F64[0] = u;
  if ((I64[0] & 1) !== 0) return u;
  if (w > 0 === u > 0) I64[0]++;
  else if (I64[0] === 0) {
    I64[0] = -1;
    I64[1]--;
  } else I64[0]--;
  return F64[0];
}

/** x or y is zero (the product is an exact signed zero): z + p as IEEE adds, unless an operand is not finite. */
function zeroProduct(env: FpEnv, z: number, x: number, y: number, p: number): boolean {
  if (!(Math.abs(x) < Infinity && Math.abs(y) < Infinity && Math.abs(z) < Infinity)) return false;
  if (x !== 0 && y !== 0) return false; // a product that underflowed to zero
  store(z + p);
  return true;
}

export function f64Compare(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number, signalAll: boolean): number {
  if ((env.fpcr & FPCR_FZ) === 0 && !isNaN64(alo, ahi) && !isNaN64(blo, bhi)) return compareValues(f64Value(alo, ahi), f64Value(blo, bhi));
  return compareBits(DOUBLE, big(alo, ahi), big(blo, bhi), env, signalAll);
}

export function f64MaxMin(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number, isMax: boolean, numeric: boolean): void {
  if ((env.fpcr & FPCR_FZ) === 0 && !isNaN64(alo, ahi) && !isNaN64(blo, bhi)) {
    const x = f64Value(alo, ahi);
    const y = f64Value(blo, bhi);
    const first = x !== y ? (isMax ? x > y : x < y) : false;
    FR[0] = first ? alo : blo;
    FR[1] = first ? ahi : bhi;
    if (x === 0 && y === 0) FR[1] = isMax ? ahi & bhi : ahi | bhi;
    return;
  }
  storeBig(maxMinBits(DOUBLE, big(alo, ahi), big(blo, bhi), env, isMax, numeric));
}

export function f64RoundInt(env: FpEnv, alo: number, ahi: number, mode: Rounding, exact: boolean): void {
  if ((env.fpcr & FPCR_FZ) === 0 && (ahi & 0x7ff00000) !== 0x7ff00000) {
    const v = f64Value(alo, ahi);
    const r = roundToIntegral(v, mode);
    FR[0] = alo;
    FR[1] = ahi;
    if (r === v) return;
    if (exact) env.fpsr |= IXC;
    if (r === 0) {
      FR[0] = 0;
      FR[1] = ahi & 0x80000000;
    } else store(r);
    return;
  }
  storeBig(roundIntBits(DOUBLE, big(alo, ahi), env, mode, exact));
}

export function f64RoundIntN(env: FpEnv, alo: number, ahi: number, mode: Rounding, width: 32 | 64): void {
  storeBig(roundIntNBits(DOUBLE, big(alo, ahi), env, mode, width));
}

export function f64ToF32(env: FpEnv, alo: number, ahi: number): number {
  if ((env.fpcr & SLOW_FPCR) === 0) {
    const x = f64Value(alo, ahi);
    const r = Math.fround(x);
    const m = Math.abs(r);
    if ((m > 2 ** -126 && m !== Infinity) || x === 0) {
      if (r !== x) env.fpsr |= IXC;
      F32[0] = r;
      return I32[0];
    }
  }
  return Number(convertBits(DOUBLE, SINGLE, big(alo, ahi), env, fpcrRounding(env.fpcr))) | 0;
}

/** FPConvert(double, single, FPRounding_ODD): truncate, then set the lowest bit when inexact. */
export function f64ToF32Odd(env: FpEnv, lo: number, hi: number): number {
  const saved = env.fpsr;
  env.fpsr = 0;
  const a = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  let r = Number(convertBits(DOUBLE, SINGLE, a, env, Rounding.Zero)) | 0;
  if (env.fpsr & IXC) r |= 1;
  env.fpsr |= saved;
  return r;
}

export function f64ToF16(env: FpEnv, alo: number, ahi: number): number {
  if ((env.fpcr & TO_HALF_SLOW) === 0 && (ahi & 0x7ff00000) !== 0x7ff00000) return roundToHalf(env, f64Value(alo, ahi), false);
  return Number(convertBits(DOUBLE, HALF, big(alo, ahi), env, fpcrRounding(env.fpcr)));
}

/** FPToFixed into FX (lo, hi). */
export function f64ToFixed(env: FpEnv, alo: number, ahi: number, fbits: number, unsigned: boolean, width: 32 | 64, mode: Rounding): void {
  if ((env.fpcr & FPCR_FZ) === 0) toFixed(isNaN64(alo, ahi), f64Value(alo, ahi), fbits, unsigned, width, mode, env);
  else toFixedBits(DOUBLE, big(alo, ahi), fbits, unsigned, width, mode, env);
}

export function f64FromFixed(env: FpEnv, lo: number, hi: number, width: 32 | 64, unsigned: boolean, fbits: number): void {
  if ((env.fpcr & SLOW_FPCR) === 0) {
    if (width === 32) {
      const v = unsigned ? lo >>> 0 : lo | 0;
      store(fbits === 0 ? v : v * 2 ** -fbits);
      return;
    }
    const high = unsigned ? hi >>> 0 : hi | 0;
    const v = high * 4294967296 + (lo >>> 0);
    if (v - high * 4294967296 !== (lo >>> 0)) env.fpsr |= IXC;
    store(fbits === 0 ? v : v * 2 ** -fbits);
    return;
  }
  storeBig(fromFixedBits(DOUBLE, lo, hi, width, unsigned, fbits, env, fpcrRounding(env.fpcr)));
}
