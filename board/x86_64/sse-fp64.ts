// SSE double-precision arithmetic on (lo, hi) int32 halves; results land in
// DR. Under round to nearest, with normal (or zero) operands and results well
// inside the range where TwoSum and Dekker's product are exact, the native
// result is the answer and inexactness is detected exactly; anything else
// takes the exact path.

import { DOUBLE } from '../aarch64/fp/format';
import { addX, divX, mulX, sqrtX } from './sse-fp-exact';
import { DAZ, DE, IE, MX, mxNearest, PE } from './sse-fp-env';
import { EQ, GT, LT, UN } from './sse-fp32';

/** The result of the last double operation: DR[0] = lo, DR[1] = hi. */
export const DR = new Int32Array(2);

const F64 = new Float64Array(1);
const I64 = new Int32Array(F64.buffer);
const LOW = 2 ** -960;
const HIGH = 2 ** 996;
const MIN_NORMAL = 2 ** -1022;
const SPLITTER = 134217729;

export function f64Value(lo: number, hi: number): number {
  I64[0] = lo;
  I64[1] = hi;
  return F64[0];
}

/** Stores a non-NaN double into DR. */
export function storeDR(v: number): void {
  F64[0] = v;
  DR[0] = I64[0];
  DR[1] = I64[1];
}

export function big64(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

export function storeBig(v: bigint): void {
  DR[0] = Number(v & 0xffffffffn) | 0;
  DR[1] = Number(v >> 32n) | 0;
}

function plain(lo: number, hi: number): boolean {
  const e = hi & 0x7ff00000;
  return e === 0 ? (hi & 0x7fffffff) === 0 && lo === 0 : e !== 0x7ff00000;
}

export function isNaN64(lo: number, hi: number): boolean {
  const h = hi & 0x7fffffff;
  return h > 0x7ff00000 || (h === 0x7ff00000 && lo !== 0);
}

export function isDenormal64(lo: number, hi: number): boolean {
  return (hi & 0x7ff00000) === 0 && ((hi & 0xfffff) !== 0 || lo !== 0);
}

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

function fastAdd(x: number, y: number): boolean {
  const s = x + y;
  if (s === 0) {
    storeDR(s);
    return true;
  }
  const m = Math.abs(s);
  if (!(m > MIN_NORMAL && m < 2 ** 1023)) return false;
  const bb = s - x;
  if (x - (s - bb) + (y - bb) !== 0) MX.flags |= PE;
  storeDR(s);
  return true;
}

export function f64Add(alo: number, ahi: number, blo: number, bhi: number): void {
  if (mxNearest() && plain(alo, ahi) && plain(blo, bhi) && fastAdd(f64Value(alo, ahi), f64Value(blo, bhi))) return;
  storeBig(addX(DOUBLE, big64(alo, ahi), big64(blo, bhi), false));
}

export function f64Sub(alo: number, ahi: number, blo: number, bhi: number): void {
  if (mxNearest() && plain(alo, ahi) && plain(blo, bhi) && fastAdd(f64Value(alo, ahi), -f64Value(blo, bhi))) return;
  storeBig(addX(DOUBLE, big64(alo, ahi), big64(blo, bhi), true));
}

export function f64Mul(alo: number, ahi: number, blo: number, bhi: number): void {
  if (mxNearest() && plain(alo, ahi) && plain(blo, bhi)) {
    const x = f64Value(alo, ahi);
    const y = f64Value(blo, bhi);
    const p = x * y;
    if (x === 0 || y === 0) {
      storeDR(p);
      return;
    }
    if (inRange(x) && inRange(y) && inRange(p)) {
      if (productError(x, y, p) !== 0) MX.flags |= PE;
      storeDR(p);
      return;
    }
  }
  storeBig(mulX(DOUBLE, big64(alo, ahi), big64(blo, bhi)));
}

export function f64Div(alo: number, ahi: number, blo: number, bhi: number): void {
  if (mxNearest() && plain(alo, ahi) && plain(blo, bhi)) {
    const x = f64Value(alo, ahi);
    const y = f64Value(blo, bhi);
    if (x === 0 && y !== 0) {
      storeDR(x / y);
      return;
    }
    const q = x / y;
    if (inRange(x) && inRange(y) && inRange(q)) {
      const h = q * y;
      if (x - h !== productError(q, y, h)) MX.flags |= PE;
      storeDR(q);
      return;
    }
  }
  storeBig(divX(DOUBLE, big64(alo, ahi), big64(blo, bhi)));
}

export function f64Sqrt(alo: number, ahi: number): void {
  if (mxNearest() && plain(alo, ahi)) {
    const x = f64Value(alo, ahi);
    if (x === 0) {
      DR[0] = alo;
      DR[1] = ahi;
      return;
    }
    if (x > 0 && inRange(x)) {
      const s = Math.sqrt(x);
      const h = s * s;
      if (x - h !== productError(s, s, h)) MX.flags |= PE;
      storeDR(s);
      return;
    }
  }
  storeBig(sqrtX(DOUBLE, big64(alo, ahi)));
}

/** MINSD/MAXSD into DR: a is the destination (first source); NaN or equality returns b (after DAZ). */
export function f64MinMax(alo: number, ahi: number, blo: number, bhi: number, isMax: boolean): void {
  if (MX.ctl & DAZ) {
    if (isDenormal64(alo, ahi)) {
      alo = 0;
      ahi &= 0x80000000;
    }
    if (isDenormal64(blo, bhi)) {
      blo = 0;
      bhi &= 0x80000000;
    }
  }
  DR[0] = blo;
  DR[1] = bhi;
  if (isNaN64(alo, ahi) || isNaN64(blo, bhi)) {
    MX.flags |= IE;
    return;
  }
  if (isDenormal64(alo, ahi) || isDenormal64(blo, bhi)) MX.flags |= DE;
  const x = f64Value(alo, ahi);
  const y = f64Value(blo, bhi);
  if (isMax ? x > y : x < y) {
    DR[0] = alo;
    DR[1] = ahi;
  }
}

function isSNaN64(lo: number, hi: number): boolean {
  return isNaN64(lo, hi) && (hi & 0x80000) === 0;
}

/** 0 greater, 1 less, 2 equal, 3 unordered; `signalQuiet` raises IE on quiet NaNs too. */
export function f64Compare(alo: number, ahi: number, blo: number, bhi: number, signalQuiet: boolean): number {
  const na = isNaN64(alo, ahi);
  const nb = isNaN64(blo, bhi);
  if (na || nb) {
    if (signalQuiet || isSNaN64(alo, ahi) || isSNaN64(blo, bhi)) MX.flags |= IE;
    return UN;
  }
  const daz = (MX.ctl & DAZ) !== 0;
  const da = isDenormal64(alo, ahi);
  const db = isDenormal64(blo, bhi);
  if ((da || db) && !daz) MX.flags |= DE;
  const x = da && daz ? 0 : f64Value(alo, ahi);
  const y = db && daz ? 0 : f64Value(blo, bhi);
  return x === y ? EQ : x < y ? LT : GT;
}
