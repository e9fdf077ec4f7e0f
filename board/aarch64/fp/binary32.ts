// Single precision on raw int32 bit patterns. With the default FPCR (round to
// nearest, no FZ, no DN) the common operations run on native doubles and
// detect inexact exactly; anything near a special case takes the exact path.

import { compareBits, compareValues, maxMinBits } from './compare';
import { convertBits, fromFixedBits, toFixed, toFixedBits } from './convert';
import { addBits, divBits, mulAddBits, mulBits, sqrtBits } from './exact-arith';
import { FpEnv, fpcrRounding, FPCR_FZ, IXC, Rounding, SLOW_FPCR } from './fpcr';
import { BFLOAT16, DOUBLE, HALF, SINGLE } from './format';
import { roundIntBits, roundIntNBits, roundToIntegral } from './round-int';
import { roundToHalf, TO_HALF_SLOW } from './half-native';

const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);
const F64 = new Float64Array(1);
const I64 = new Int32Array(F64.buffer);

/** Smallest magnitude the fast path accepts: strictly above it, a single result is normal and not tiny. */
const MIN_NORMAL = 2 ** -126;

export function f32Value(a: number): number {
  I32[0] = a;
  return F32[0];
}

function bitsOf(v: number): number {
  F32[0] = v;
  return I32[0];
}

function big(a: number): bigint {
  return BigInt(a >>> 0);
}

function small(v: bigint): number {
  return Number(v) | 0;
}

export function isNaN32(a: number): boolean {
  return (a & 0x7fffffff) > 0x7f800000;
}

/** Result of a fast operation when it is normal (or an exact zero); undefined sends the caller to the exact path. */
function finish(env: FpEnv, r: number, inexact: boolean): number | undefined {
  const m = Math.abs(r);
  if (m > MIN_NORMAL && m !== Infinity) {
    if (inexact) env.fpsr |= IXC;
    return bitsOf(r);
  }
  return undefined;
}

function fastAdd(env: FpEnv, x: number, y: number): number | undefined {
  const d = x + y;
  if (d === 0) return bitsOf(d); // sums never underflow to zero: this one is exact
  const bb = d - x;
  const err = x - (d - bb) + (y - bb);
  const r = Math.fround(d);
  return finish(env, r, r !== d || err !== 0);
}

export function f32Add(env: FpEnv, a: number, b: number): number {
  if ((env.fpcr & SLOW_FPCR) === 0) {
    const r = fastAdd(env, f32Value(a), f32Value(b));
    if (r !== undefined) return r;
  }
  return small(addBits(SINGLE, big(a), big(b), env, false));
}

export function f32Sub(env: FpEnv, a: number, b: number): number {
  if ((env.fpcr & SLOW_FPCR) === 0) {
    const r = fastAdd(env, f32Value(a), -f32Value(b));
    if (r !== undefined) return r;
  }
  return small(addBits(SINGLE, big(a), big(b), env, true));
}

export function f32Mul(env: FpEnv, a: number, b: number): number {
  if ((env.fpcr & SLOW_FPCR) === 0) {
    const x = f32Value(a);
    const y = f32Value(b);
    const d = x * y;
    if (d === 0 && (x === 0 || y === 0)) return bitsOf(d);
    const r = finish(env, Math.fround(d), Math.fround(d) !== d);
    if (r !== undefined) return r;
  }
  return small(mulBits(SINGLE, big(a), big(b), env));
}

export function f32Div(env: FpEnv, a: number, b: number): number {
  if ((env.fpcr & SLOW_FPCR) === 0) {
    const x = f32Value(a);
    const y = f32Value(b);
    const q = Math.fround(x / y);
    if (q === 0 && x === 0 && y !== 0 && y === y) return bitsOf(q);
    const r = finish(env, q, q * y !== x);
    if (r !== undefined) return r;
  }
  return small(divBits(SINGLE, big(a), big(b), env));
}

export function f32Sqrt(env: FpEnv, a: number): number {
  if ((env.fpcr & SLOW_FPCR) === 0) {
    const x = f32Value(a);
    const s = Math.fround(Math.sqrt(x));
    if (s === 0 && x === 0) return a;
    const r = finish(env, s, s * s !== x);
    if (r !== undefined) return r;
  }
  return small(sqrtBits(SINGLE, big(a), env));
}

/** FPMulAdd(addend, op1, op2): one rounding. The product of two singles is exact in a double. */
export function f32MulAdd(env: FpEnv, addend: number, op1: number, op2: number): number {
  if ((env.fpcr & SLOW_FPCR) === 0) {
    const r = fastMulAdd(env, f32Value(addend), f32Value(op1) * f32Value(op2));
    if (r !== undefined) return r;
  }
  return small(mulAddBits(SINGLE, big(addend), big(op1), big(op2), env));
}

function fastMulAdd(env: FpEnv, z: number, p: number): number | undefined {
  let d = p + z;
  if (d === 0 || d !== d) return undefined;
  const bb = d - p;
  const err = p - (d - bb) + (z - bb);
  if (err !== 0) {
    // d is a tie between two singles only when its 29 extra bits are 1000...0; the error then decides.
    F64[0] = d;
    if ((I64[0] & 0x1fffffff) === 0x10000000) {
      I64[0] += (err > 0) === (d > 0) ? 1 : -1;
      d = F64[0];
    }
  }
  const r = Math.fround(d);
  return finish(env, r, r !== d || err !== 0);
}

export function f32Compare(env: FpEnv, a: number, b: number, signalAll: boolean): number {
  if ((env.fpcr & FPCR_FZ) === 0 && !isNaN32(a) && !isNaN32(b)) return compareValues(f32Value(a), f32Value(b));
  return compareBits(SINGLE, big(a), big(b), env, signalAll);
}

export function f32MaxMin(env: FpEnv, a: number, b: number, isMax: boolean, numeric: boolean): number {
  if ((env.fpcr & FPCR_FZ) === 0 && !isNaN32(a) && !isNaN32(b)) {
    const x = f32Value(a);
    const y = f32Value(b);
    if (x !== y) return (isMax ? x > y : x < y) ? a : b;
    if (x !== 0) return b;
    return isMax ? a & b : a | b;
  }
  return small(maxMinBits(SINGLE, big(a), big(b), env, isMax, numeric));
}

export function f32RoundInt(env: FpEnv, a: number, mode: Rounding, exact: boolean): number {
  if ((env.fpcr & FPCR_FZ) === 0 && (a & 0x7f800000) !== 0x7f800000) {
    const v = f32Value(a);
    const r = roundToIntegral(v, mode);
    if (r === v) return a;
    if (exact) env.fpsr |= IXC;
    return r === 0 ? a & 0x80000000 : bitsOf(r); // an integral value near a single is a single
  }
  return small(roundIntBits(SINGLE, big(a), env, mode, exact));
}

export function f32RoundIntN(env: FpEnv, a: number, mode: Rounding, width: 32 | 64): number {
  return small(roundIntNBits(SINGLE, big(a), env, mode, width));
}

/** FCVT to double: the result lands in R64 (lo, hi). */
export function f32ToF64(env: FpEnv, a: number, out: Int32Array): void {
  if ((env.fpcr & SLOW_FPCR) === 0 && !isNaN32(a)) {
    F64[0] = f32Value(a);
    out[0] = I64[0];
    out[1] = I64[1];
    return;
  }
  const v = convertBits(SINGLE, DOUBLE, big(a), env, fpcrRounding(env.fpcr));
  out[0] = Number(v & 0xffffffffn) | 0;
  out[1] = Number(v >> 32n) | 0;
}

export function f32ToF16(env: FpEnv, a: number): number {
  if ((env.fpcr & TO_HALF_SLOW) === 0 && (a & 0x7f800000) !== 0x7f800000) return roundToHalf(env, f32Value(a), false);
  return Number(convertBits(SINGLE, HALF, big(a), env, fpcrRounding(env.fpcr)));
}

/** BFCVT: single to BFloat16 under the FPCR's rounding mode, FZ and DN. */
export function f32ToBf16(env: FpEnv, a: number): number {
  return Number(convertBits(SINGLE, BFLOAT16, big(a), env, fpcrRounding(env.fpcr)));
}

/** FPToFixed into FX (lo, hi). */
export function f32ToFixed(env: FpEnv, a: number, fbits: number, unsigned: boolean, width: 32 | 64, mode: Rounding): void {
  if ((env.fpcr & FPCR_FZ) === 0) toFixed(isNaN32(a), f32Value(a), fbits, unsigned, width, mode, env);
  else toFixedBits(SINGLE, big(a), fbits, unsigned, width, mode, env);
}

export function f32FromFixed(env: FpEnv, lo: number, hi: number, width: 32 | 64, unsigned: boolean, fbits: number): number {
  if ((env.fpcr & SLOW_FPCR) === 0) {
    const v = width === 32 ? (unsigned ? lo >>> 0 : lo | 0) : unsigned ? (hi >>> 0) * 4294967296 + (lo >>> 0) : (hi | 0) * 4294967296 + (lo >>> 0);
    if (Math.abs(v) < 2 ** 53) {
      const r = Math.fround(v);
      if (r !== v) env.fpsr |= IXC;
      return bitsOf(fbits === 0 ? r : r * 2 ** -fbits);
    }
  }
  return small(fromFixedBits(SINGLE, lo, hi, width, unsigned, fbits, env, fpcrRounding(env.fpcr)));
}
