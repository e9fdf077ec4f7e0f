// SSE conversions: single <-> double, integers <-> floating point (CVT*,
// CVTT*), and ROUNDSS/SD's round-to-integral. Integer results land in IR
// (lo, hi); an out-of-range or NaN source gives the integer indefinite
// (0x80000000 or 0x8000000000000000) with IE. Conversions to integers and
// ROUND* never raise DE; DAZ still reads denormal sources as zeros.

import { DOUBLE, SINGLE } from '../aarch64/fp/format';
import { Rounding } from '../aarch64/fp/fpcr';
import { roundToIntegral } from '../aarch64/fp/round-int';
import { Cls, roundX, unpackX } from './sse-fp-exact';
import { DAZ, DE, IE, MX, mxNearest, mxRounding, PE, roundingOfRc } from './sse-fp-env';
import { f32Bits, f32Value, isNaN32 } from './sse-fp32';
import { big64, DR, f64Value, isDenormal64, isNaN64, storeBig, storeDR } from './sse-fp64';

/** The integer result of the last float-to-integer conversion: IR[0] = lo, IR[1] = hi. */
export const IR = new Int32Array(2);

const TWO32 = 4294967296;

/** CVTSS2SD into DR. */
export function cvtF32ToF64(a: number): void {
  const e = a & 0x7f800000;
  if (e === 0x7f800000 && (a & 0x7fffff) !== 0) {
    if ((a & 0x400000) === 0) MX.flags |= IE;
    DR[1] = (a & 0x80000000) | 0x7ff80000 | ((a & 0x3fffff) >>> 3);
    DR[0] = a << 29;
    return;
  }
  if (e === 0 && (a & 0x7fffff) !== 0) {
    if (MX.ctl & DAZ) {
      DR[0] = 0;
      DR[1] = a & 0x80000000;
      return;
    }
    MX.flags |= DE;
  }
  storeDR(f32Value(a));
}

/** CVTSD2SS. */
export function cvtF64ToF32(lo: number, hi: number): number {
  if (isNaN64(lo, hi)) {
    if ((hi & 0x80000) === 0) MX.flags |= IE;
    return (hi & 0x80000000) | 0x7fc00000 | ((hi & 0x7ffff) << 3) | (lo >>> 29);
  }
  const e = hi & 0x7ff00000;
  if (mxNearest() && e !== 0x7ff00000 && e !== 0) {
    const v = f64Value(lo, hi);
    const r = Math.fround(v);
    const m = Math.abs(r);
    if (m > 2 ** -126 && m !== Infinity) {
      if (r !== v) MX.flags |= PE;
      return f32Bits(r);
    }
  }
  const u = unpackX(DOUBLE, big64(lo, hi));
  if (u.den) MX.flags |= DE;
  if (u.cls === Cls.Zero) return hi & 0x80000000;
  if (u.cls === Cls.Inf) return (hi & 0x80000000) | 0x7f800000;
  return Number(roundX(SINGLE, u.sign, u.mant, u.exp)) | 0;
}

/** The signed integer (lo, hi) of `width` bits as an exact BigInt-free value, or undefined beyond 2^53. */
function intValue(lo: number, hi: number, width: number): number | undefined {
  if (width === 32) return lo | 0;
  const v = (hi | 0) * TWO32 + (lo >>> 0);
  return Math.abs(v) < 2 ** 53 ? v : undefined;
}

function intToFloatSlow(fmt: typeof SINGLE, lo: number, hi: number, width: number): bigint {
  let v = width === 32 ? BigInt(lo | 0) : BigInt.asIntN(64, big64(lo, hi));
  if (v === 0n) return 0n;
  const sign = v < 0n ? 1 : 0;
  if (sign) v = -v;
  return roundX(fmt, sign, v, 0);
}

/** CVTSI2SS (32- or 64-bit signed source). */
export function cvtIntToF32(lo: number, hi: number, width: number): number {
  const v = intValue(lo, hi, width);
  if (v !== undefined && mxNearest()) {
    const r = Math.fround(v);
    if (r !== v) MX.flags |= PE;
    return f32Bits(r);
  }
  return Number(intToFloatSlow(SINGLE, lo, hi, width)) | 0;
}

/** CVTSI2SD into DR. */
export function cvtIntToF64(lo: number, hi: number, width: number): void {
  const v = intValue(lo, hi, width);
  if (v !== undefined) storeDR(v);
  else storeBig(intToFloatSlow(DOUBLE, lo, hi, width));
}

/** Rounds an exact finite value to an integer of `width` bits into IR (indefinite with IE when it does not fit). */
function toInt(v: number, width: number, mode: Rounding): void {
  const r = roundToIntegral(v, mode);
  const limit = width === 32 ? 2147483648 : 9223372036854775808;
  if (!(r >= -limit && r < limit)) {
    MX.flags |= IE;
    IR[0] = width === 32 ? 0x80000000 | 0 : 0;
    IR[1] = width === 32 ? 0 : 0x80000000 | 0;
    return;
  }
  if (r !== v) MX.flags |= PE;
  const h = Math.floor(r / TWO32);
  IR[0] = (r - h * TWO32) | 0;
  IR[1] = width === 32 ? 0 : h | 0;
}

/** CVTSS2SI / CVTTSS2SI into IR. */
export function cvtF32ToInt(a: number, width: number, truncate: boolean): void {
  const mode = truncate ? Rounding.Zero : mxRounding();
  if (isNaN32(a)) return toInt(NaN, width, mode);
  const den = (a & 0x7f800000) === 0;
  toInt(den && MX.ctl & DAZ ? 0 : f32Value(a), width, mode);
}

/** CVTSD2SI / CVTTSD2SI into IR. */
export function cvtF64ToInt(lo: number, hi: number, width: number, truncate: boolean): void {
  const mode = truncate ? Rounding.Zero : mxRounding();
  if (isNaN64(lo, hi)) return toInt(NaN, width, mode);
  toInt(isDenormal64(lo, hi) && MX.ctl & DAZ ? 0 : f64Value(lo, hi), width, mode);
}

function roundMode(imm: number): Rounding {
  return imm & 4 ? mxRounding() : roundingOfRc(imm & 3);
}

/** ROUNDSS: imm8[1:0] the mode (as MXCSR.RC), imm8[2] use MXCSR.RC, imm8[3] suppress PE. */
export function roundF32(a: number, imm: number): number {
  if (isNaN32(a)) {
    if ((a & 0x400000) === 0) MX.flags |= IE;
    return a | 0x400000;
  }
  if ((a & 0x7f800000) === 0x7f800000) return a;
  if ((a & 0x7f800000) === 0 && MX.ctl & DAZ) return a & 0x80000000;
  const v = f32Value(a);
  const r = roundToIntegral(v, roundMode(imm));
  if (r === v) return a;
  if ((imm & 8) === 0) MX.flags |= PE;
  return r === 0 ? a & 0x80000000 : f32Bits(r);
}

/** ROUNDSD into DR. */
export function roundF64(lo: number, hi: number, imm: number): void {
  DR[0] = lo;
  DR[1] = hi;
  if (isNaN64(lo, hi)) {
    if ((hi & 0x80000) === 0) MX.flags |= IE;
    DR[1] = hi | 0x80000;
    return;
  }
  if ((hi & 0x7ff00000) === 0x7ff00000) return;
  if (isDenormal64(lo, hi) && MX.ctl & DAZ) {
    DR[0] = 0;
    DR[1] = hi & 0x80000000;
    return;
  }
  const v = f64Value(lo, hi);
  const r = roundToIntegral(v, roundMode(imm));
  if (r === v) return;
  if ((imm & 8) === 0) MX.flags |= PE;
  if (r === 0) {
    DR[0] = 0;
    DR[1] = hi & 0x80000000;
  } else storeDR(r);
}

