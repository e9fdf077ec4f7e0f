// SSE single-precision arithmetic on int32 bit patterns. Under round to
// nearest, with normal (or zero) operands and a normal result, the native
// double computation is exact after one rounding to single (53 >= 2*24+2) and
// inexactness is detected exactly; everything else takes the exact path.

import { SINGLE } from '../aarch64/fp/format';
import { addX, divX, mulX, sqrtX } from './sse-fp-exact';
import { DAZ, DE, IE, MX, mxNearest, PE } from './sse-fp-env';

const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);
const MIN_NORMAL = 2 ** -126;

export function f32Value(a: number): number {
  I32[0] = a;
  return F32[0];
}

export function f32Bits(v: number): number {
  F32[0] = v;
  return I32[0];
}

function big(a: number): bigint {
  return BigInt(a >>> 0);
}

function small(v: bigint): number {
  return Number(v) | 0;
}

/** Zero, or a normal finite number: the fast paths' operands. */
function plain(a: number): boolean {
  const e = a & 0x7f800000;
  return e === 0 ? (a & 0x7fffffff) === 0 : e !== 0x7f800000;
}

export function isNaN32(a: number): boolean {
  return (a & 0x7fffffff) > 0x7f800000;
}

function isDenormal32(a: number): boolean {
  return (a & 0x7f800000) === 0 && (a & 0x7fffff) !== 0;
}

/** A normal result of a fast operation (PE when inexact); undefined sends the caller to the exact path. */
function finish(r: number, inexact: boolean): number | undefined {
  const m = Math.abs(r);
  if (m > MIN_NORMAL && m !== Infinity) {
    if (inexact) MX.flags |= PE;
    return f32Bits(r);
  }
  return undefined;
}

function fastAdd(x: number, y: number): number | undefined {
  const d = x + y;
  if (d === 0) return f32Bits(d);
  const bb = d - x;
  const err = x - (d - bb) + (y - bb);
  const r = Math.fround(d);
  return finish(r, r !== d || err !== 0);
}

export function f32Add(a: number, b: number): number {
  if (mxNearest() && plain(a) && plain(b)) {
    const r = fastAdd(f32Value(a), f32Value(b));
    if (r !== undefined) return r;
  }
  return small(addX(SINGLE, big(a), big(b), false));
}

export function f32Sub(a: number, b: number): number {
  if (mxNearest() && plain(a) && plain(b)) {
    const r = fastAdd(f32Value(a), -f32Value(b));
    if (r !== undefined) return r;
  }
  return small(addX(SINGLE, big(a), big(b), true));
}

export function f32Mul(a: number, b: number): number {
  if (mxNearest() && plain(a) && plain(b)) {
    const x = f32Value(a);
    const y = f32Value(b);
    const d = x * y;
    if (d === 0) return f32Bits(d);
    const r = finish(Math.fround(d), Math.fround(d) !== d);
    if (r !== undefined) return r;
  }
  return small(mulX(SINGLE, big(a), big(b)));
}

export function f32Div(a: number, b: number): number {
  if (mxNearest() && plain(a) && plain(b) && (b & 0x7fffffff) !== 0) {
    const x = f32Value(a);
    const y = f32Value(b);
    const q = Math.fround(x / y);
    if (x === 0) return f32Bits(q);
    const r = finish(q, q * y !== x);
    if (r !== undefined) return r;
  }
  return small(divX(SINGLE, big(a), big(b)));
}

export function f32Sqrt(a: number): number {
  if (mxNearest() && plain(a) && a >= 0) {
    const x = f32Value(a);
    if (x === 0) return a;
    const s = Math.fround(Math.sqrt(x));
    const r = finish(s, s * s !== x);
    if (r !== undefined) return r;
  }
  return small(sqrtX(SINGLE, big(a)));
}

/** An operand as MIN/MAX/CMP read it: DAZ flushes denormals (the flushed zero is what MIN/MAX return). */
function dazed(a: number): number {
  return MX.ctl & DAZ && isDenormal32(a) ? a & 0x80000000 : a;
}

/** MINSS/MAXSS: a is the destination (first source). Any NaN raises IE and returns b, as does equality. */
export function f32MinMax(a: number, b: number, isMax: boolean): number {
  a = dazed(a);
  b = dazed(b);
  if (isNaN32(a) || isNaN32(b)) {
    MX.flags |= IE;
    return b;
  }
  if (isDenormal32(a) || isDenormal32(b)) MX.flags |= DE;
  const x = f32Value(a);
  const y = f32Value(b);
  return (isMax ? x > y : x < y) ? a : b;
}

/** Comparison outcome: 0 greater, 1 less, 2 equal, 3 unordered. */
export const GT = 0;
export const LT = 1;
export const EQ = 2;
export const UN = 3;

/** Compares a with b; `signalQuiet` raises IE on a quiet NaN too (COMISS, CMPLT...). */
export function f32Compare(a: number, b: number, signalQuiet: boolean): number {
  a = dazed(a);
  b = dazed(b);
  const na = isNaN32(a);
  const nb = isNaN32(b);
  if (na || nb) {
    if (signalQuiet || (na && (a & 0x400000) === 0) || (nb && (b & 0x400000) === 0)) MX.flags |= IE;
    return UN;
  }
  if (isDenormal32(a) || isDenormal32(b)) MX.flags |= DE;
  const x = f32Value(a);
  const y = f32Value(b);
  return x === y ? EQ : x < y ? LT : GT;
}
