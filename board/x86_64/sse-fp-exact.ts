// The exact (slow) path of SSE arithmetic on BigInt bit patterns, with the
// x86 rules where they differ from IEEE's defaults as Arm implements them:
// DAZ reads denormal inputs as zeros (no flag); otherwise a denormal input
// raises DE unless a NaN operand decides the result; the first source's NaN
// wins (quietened), SNaNs raise IE; invalid operations give the negative
// "QNaN indefinite"; tininess is detected after rounding; FTZ flushes a tiny
// result to zero raising UE and PE when UE is masked; with UE unmasked any
// tiny result raises UE.

import { bitLength, type FpFormat, infinityBits, maxNormalBits, zeroBits } from '../aarch64/fp/format';
import { Rounding } from '../aarch64/fp/fpcr';
import { DAZ, DE, FTZ, IE, MX, mxRounding, OE, OM, PE, UE, UM, ZE } from './sse-fp-env';

export const enum Cls {
  Zero = 0,
  Finite = 1,
  Inf = 2,
  QNaN = 3,
  SNaN = 4,
}

export interface XUnpacked {
  cls: Cls;
  sign: number;
  /** For Finite: the value is mant * 2^exp. */
  mant: bigint;
  exp: number;
  /** The exact value as a JS number (0 for NaNs). */
  value: number;
  /** A denormal read as itself (DAZ clear). */
  den: boolean;
}

export function unpackX(fmt: FpFormat, bits: bigint): XUnpacked {
  const f = fmt.f;
  const sign = Number((bits >> BigInt(fmt.n - 1)) & 1n);
  const biased = Number((bits >> BigInt(f)) & BigInt((1 << fmt.e) - 1));
  const frac = bits & ((1n << BigInt(f)) - 1n);
  if (biased === 0) {
    if (frac === 0n || MX.ctl & DAZ) return special(Cls.Zero, sign, sign ? -0 : 0);
    return finite(sign, frac, 1 - fmt.bias - f, true);
  }
  if (biased === (1 << fmt.e) - 1) {
    if (frac === 0n) return special(Cls.Inf, sign, sign ? -Infinity : Infinity);
    return special((frac >> BigInt(f - 1)) & 1n ? Cls.QNaN : Cls.SNaN, sign, 0);
  }
  return finite(sign, frac | (1n << BigInt(f)), biased - fmt.bias - f, false);
}

function special(cls: Cls, sign: number, value: number): XUnpacked {
  return { cls, sign, mant: 0n, exp: 0, value, den: false };
}

function finite(sign: number, mant: bigint, exp: number, den: boolean): XUnpacked {
  const m = Number(mant) * 2 ** exp;
  return { cls: Cls.Finite, sign, mant, exp, value: sign ? -m : m, den };
}

export function isNaNCls(c: Cls): boolean {
  return c >= Cls.QNaN;
}

export function quietBits(fmt: FpFormat, bits: bigint): bigint {
  return bits | (1n << BigInt(fmt.f - 1));
}

/** The QNaN indefinite (sign set, top fraction bit set), raising IE. */
export function indefinite(fmt: FpFormat): bigint {
  MX.flags |= IE;
  return infinityBits(fmt, 1) | (1n << BigInt(fmt.f - 1));
}

/** The NaN result of a two-operand operation: the first NaN source, quietened. */
export function nanOf2(fmt: FpFormat, ua: XUnpacked, a: bigint, ub: XUnpacked, b: bigint): bigint | undefined {
  const na = isNaNCls(ua.cls);
  if (!na && !isNaNCls(ub.cls)) return undefined;
  if (ua.cls === Cls.SNaN || ub.cls === Cls.SNaN) MX.flags |= IE;
  return quietBits(fmt, na ? a : b);
}

function denormals(ua: XUnpacked, ub: XUnpacked): void {
  if (ua.den || ub.den) MX.flags |= DE;
}

/** q = mant >> shift rounded by mode (shift may be <= 0); RS[0] says whether it was inexact. */
function roundShift(mant: bigint, shift: number, sign: number, mode: Rounding): bigint {
  if (shift <= 0) {
    INEXACT = false;
    return mant << BigInt(-shift);
  }
  const s = BigInt(shift);
  let q = mant >> s;
  const rest = mant & ((1n << s) - 1n);
  INEXACT = rest !== 0n;
  if (INEXACT) {
    const half = 1n << (s - 1n);
    let up: boolean;
    if (mode === Rounding.TieEven) up = rest > half || (rest === half && (q & 1n) === 1n);
    else if (mode === Rounding.PosInf) up = sign === 0;
    else if (mode === Rounding.NegInf) up = sign === 1;
    else up = false;
    if (up) q += 1n;
  }
  return q;
}
let INEXACT = false;

/** Rounds the exact nonzero value (-1)^sign * mant * 2^exp to fmt under MXCSR. */
export function roundX(fmt: FpFormat, sign: number, mant: bigint, exp: number, mode: Rounding = mxRounding()): bigint {
  const f = fmt.f;
  const minExp = 1 - fmt.bias;
  let top = exp + bitLength(mant) - 1;
  let q = roundShift(mant, top - f - exp, sign, mode);
  let inexact = INEXACT;
  if (q >> BigInt(f + 1) !== 0n) {
    q >>= 1n;
    top++;
  }
  if (top < minExp) {
    const ctl = MX.ctl;
    if ((ctl & UM) === 0) {
      // #XM follows; the hardware reports PE for the result rounded to full precision.
      MX.flags |= inexact ? UE | PE : UE;
      return zeroBits(fmt, sign);
    }
    if (ctl & FTZ) {
      MX.flags |= UE | PE;
      return zeroBits(fmt, sign);
    }
    q = roundShift(mant, minExp - f - exp, sign, mode);
    if (INEXACT) MX.flags |= UE | PE;
    return zeroBits(fmt, sign) | q;
  }
  if (top + fmt.bias >= (1 << fmt.e) - 1) {
    if ((MX.ctl & OM) === 0) {
      MX.flags |= inexact ? OE | PE : OE;
      return infinityBits(fmt, sign);
    }
    MX.flags |= OE | PE;
    const toInf = mode === Rounding.TieEven || (mode === Rounding.PosInf && sign === 0) || (mode === Rounding.NegInf && sign === 1);
    return toInf ? infinityBits(fmt, sign) : maxNormalBits(fmt, sign);
  }
  if (inexact) MX.flags |= PE;
  return zeroBits(fmt, sign) | (BigInt(top + fmt.bias) << BigInt(f)) | (q & ((1n << BigInt(f)) - 1n));
}

function roundSigned(fmt: FpFormat, m: bigint, e: number): bigint {
  if (m === 0n) return zeroBits(fmt, mxRounding() === Rounding.NegInf ? 1 : 0);
  return m < 0n ? roundX(fmt, 1, -m, e) : roundX(fmt, 0, m, e);
}

function signedMant(u: XUnpacked, sign: number): bigint {
  return sign ? -u.mant : u.mant;
}

export function addX(fmt: FpFormat, a: bigint, b: bigint, subtract: boolean): bigint {
  const ua = unpackX(fmt, a);
  const ub = unpackX(fmt, b);
  const nan = nanOf2(fmt, ua, a, ub, b);
  if (nan !== undefined) return nan;
  denormals(ua, ub);
  const sb = subtract ? ub.sign ^ 1 : ub.sign;
  const infA = ua.cls === Cls.Inf;
  const infB = ub.cls === Cls.Inf;
  if (infA && infB && ua.sign !== sb) return indefinite(fmt);
  if (infA) return infinityBits(fmt, ua.sign);
  if (infB) return infinityBits(fmt, sb);
  const zeroA = ua.cls === Cls.Zero;
  const zeroB = ub.cls === Cls.Zero;
  if (zeroA && zeroB) return ua.sign === sb ? zeroBits(fmt, sb) : roundSigned(fmt, 0n, 0);
  if (zeroA) return roundX(fmt, sb, ub.mant, ub.exp);
  if (zeroB) return roundX(fmt, ua.sign, ua.mant, ua.exp);
  const e = Math.min(ua.exp, ub.exp);
  return roundSigned(fmt, (signedMant(ua, ua.sign) << BigInt(ua.exp - e)) + (signedMant(ub, sb) << BigInt(ub.exp - e)), e);
}

export function mulX(fmt: FpFormat, a: bigint, b: bigint): bigint {
  const ua = unpackX(fmt, a);
  const ub = unpackX(fmt, b);
  const nan = nanOf2(fmt, ua, a, ub, b);
  if (nan !== undefined) return nan;
  const sign = ua.sign ^ ub.sign;
  const infA = ua.cls === Cls.Inf;
  const infB = ub.cls === Cls.Inf;
  const zeroA = ua.cls === Cls.Zero;
  const zeroB = ub.cls === Cls.Zero;
  if ((infA && zeroB) || (zeroA && infB)) return indefinite(fmt);
  denormals(ua, ub);
  if (infA || infB) return infinityBits(fmt, sign);
  if (zeroA || zeroB) return zeroBits(fmt, sign);
  return roundX(fmt, sign, ua.mant * ub.mant, ua.exp + ub.exp);
}

/** Extra quotient/root bits below the rounding position; the lowest is sticky. */
const GUARD = 8;

export function divX(fmt: FpFormat, a: bigint, b: bigint): bigint {
  const ua = unpackX(fmt, a);
  const ub = unpackX(fmt, b);
  const nan = nanOf2(fmt, ua, a, ub, b);
  if (nan !== undefined) return nan;
  const sign = ua.sign ^ ub.sign;
  const infA = ua.cls === Cls.Inf;
  const infB = ub.cls === Cls.Inf;
  const zeroA = ua.cls === Cls.Zero;
  const zeroB = ub.cls === Cls.Zero;
  if ((infA && infB) || (zeroA && zeroB)) return indefinite(fmt);
  if (zeroB) {
    // Division by zero takes precedence over a denormal dividend (no DE).
    if (!infA) MX.flags |= ZE;
    return infinityBits(fmt, sign);
  }
  denormals(ua, ub);
  if (infA) return infinityBits(fmt, sign);
  if (zeroA || infB) return zeroBits(fmt, sign);
  const k = fmt.f + GUARD + 2 + Math.max(0, bitLength(ub.mant) - bitLength(ua.mant));
  const num = ua.mant << BigInt(k);
  let q = num / ub.mant;
  q = q * ub.mant !== num ? (q << 1n) | 1n : q << 1n;
  return roundX(fmt, sign, q, ua.exp - ub.exp - k - 1);
}

export function sqrtX(fmt: FpFormat, a: bigint): bigint {
  const ua = unpackX(fmt, a);
  if (isNaNCls(ua.cls)) {
    if (ua.cls === Cls.SNaN) MX.flags |= IE;
    return quietBits(fmt, a);
  }
  if (ua.cls === Cls.Zero) return zeroBits(fmt, ua.sign);
  if (ua.sign) return indefinite(fmt);
  if (ua.den) MX.flags |= DE;
  if (ua.cls === Cls.Inf) return infinityBits(fmt, 0);
  let k = 2 * (fmt.f + GUARD + 2);
  if ((ua.exp - k) % 2 !== 0) k++;
  const m = ua.mant << BigInt(k);
  let r = isqrt(m);
  r = r * r !== m ? (r << 1n) | 1n : r << 1n;
  return roundX(fmt, 0, r, (ua.exp - k) / 2 - 1);
}

function isqrt(n: bigint): bigint {
  let x = 1n << BigInt((bitLength(n) >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}
