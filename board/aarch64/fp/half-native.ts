// Half precision through native doubles: every half value is a double, and
// sums, products, quotients and roots of halves computed in double and then
// rounded once to half are the correctly rounded half results (double has
// more than twice half's precision plus two bits). Round to nearest only.

import { FpEnv, FPCR_AHP, FPCR_FZ, FPCR_RMODE_SHIFT, IXC, OFC, UFC } from './fpcr';

/** FPCR bits that send a conversion to half to the exact path (FZ: an input denormal is flushed with IDC). */
export const TO_HALF_SLOW = FPCR_AHP | FPCR_FZ | (3 << FPCR_RMODE_SHIFT);

/** The weight of a significand unit per exponent field: 2^-24 for the subnormals (0), else 2^(e-25). */
const HALF_UNIT = Float64Array.from({ length: 0x1f }, (_, e) => (e === 0 ? 2 ** -24 : 2 ** (e - 25)));

/**
 * The value of a half bit pattern (bits 15:0 of `a`; NaN for the NaNs). Computed, not looked up: a table of all
 * 65,536 values was built at every start of salty, in the bundle's top-level code, 7-25 ms before anything ran
 * (docs/performance.md, session 13).
 */
export function halfValue(a: number): number {
  const e = (a >>> 10) & 0x1f;
  const f = a & 0x3ff;
  const m = e === 0x1f ? (f !== 0 ? NaN : Infinity) : (e === 0 ? f : 0x400 + f) * HALF_UNIT[e];
  return (a & 0x8000) !== 0 ? -m : m;
}

/** Exponent field 0x1f: an infinity or a NaN. */
export function nonFinite16(a: number): boolean {
  return (a & 0x7c00) === 0x7c00;
}

const F64 = new Float64Array(1);
const I64 = new Int32Array(F64.buffer);
const TWO52 = 4503599627370496;
/** 2^-14, the smallest normal half: below it a value is tiny. */
const HALF_MIN_NORMAL = 2 ** -14;

/**
 * FPRound of a finite double to half, round to nearest even, FZ16 clear.
 * `inexact` says the double itself is already inexact (then it must have been
 * rounded to odd so this second rounding is still correct).
 */
export function roundToHalf(env: FpEnv, d: number, inexact: boolean): number {
  F64[0] = d;
  const hi = I64[1];
  const sign = (hi >>> 16) & 0x8000;
  const m = Math.abs(d);
  if (m < HALF_MIN_NORMAL) {
    const k = m * 16777216; // in units of the smallest subnormal, 2^-24
    const r = k + TWO52 - TWO52;
    if (r !== k || inexact) env.fpsr |= UFC | IXC;
    return sign | r; // r = 1024 is the smallest normal's encoding
  }
  const e = ((hi >>> 20) & 0x7ff) - 1008; // the half exponent field
  if (e >= 0x1f) return overflow(env, sign);
  const frac = hi & 0xfffff;
  const low = frac & 0x3ff;
  const lo = I64[0];
  let r = (e << 10) | (frac >>> 10);
  if (low !== 0 || lo !== 0) {
    inexact = true;
    if (low > 0x200 || (low === 0x200 && (lo !== 0 || (r & 1) !== 0))) r++;
  }
  if (r >= 0x7c00) return overflow(env, sign);
  if (inexact) env.fpsr |= IXC;
  return sign | r;
}

function overflow(env: FpEnv, sign: number): number {
  env.fpsr |= OFC | IXC;
  return sign | 0x7c00;
}
