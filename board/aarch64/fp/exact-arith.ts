// The exact (slow) path of FPAdd/FPSub, FPMul, FPDiv, FPSqrt and FPMulAdd on
// BigInt bit patterns: any FPCR, every special case as the Arm ARM orders it.

import { DZC, FpEnv, fpcrRounding, IOC, Rounding } from './fpcr';
import { bitLength, defaultNaNBits, FpFormat, infinityBits, zeroBits } from './format';
import { processNaN, processNaNs, processNaNs3 } from './nan';
import { fpRound } from './round';
import { FpType, unpack, Unpacked } from './unpack';

/** Extra quotient/root bits below the rounding position; the lowest carries the sticky remainder. */
const GUARD = 8;

function invalid(fmt: FpFormat, env: FpEnv): bigint {
  env.fpsr |= IOC;
  return defaultNaNBits(fmt);
}

function zeroSum(fmt: FpFormat, env: FpEnv): bigint {
  return zeroBits(fmt, fpcrRounding(env.fpcr) === Rounding.NegInf ? 1 : 0);
}

/** Rounds the exact signed value m * 2^e (m may be negative or zero). */
function roundSigned(fmt: FpFormat, m: bigint, e: number, env: FpEnv): bigint {
  if (m === 0n) return zeroSum(fmt, env);
  return m < 0n ? fpRound(fmt, 1, -m, e, env, env.fpcr, fpcrRounding(env.fpcr)) : fpRound(fmt, 0, m, e, env, env.fpcr, fpcrRounding(env.fpcr));
}

function signed(u: Unpacked, sign: number): bigint {
  return sign ? -u.mant : u.mant;
}

/** Exact sum of two finite values, each given with the sign to use. */
function exactSum(fmt: FpFormat, ua: Unpacked, sa: number, ub: Unpacked, sb: number, env: FpEnv): bigint {
  if (ua.type === FpType.Zero) return roundSigned(fmt, signed(ub, sb), ub.exp, env);
  if (ub.type === FpType.Zero) return roundSigned(fmt, signed(ua, sa), ua.exp, env);
  const e = Math.min(ua.exp, ub.exp);
  const m = (signed(ua, sa) << BigInt(ua.exp - e)) + (signed(ub, sb) << BigInt(ub.exp - e));
  return roundSigned(fmt, m, e, env);
}

export function addBits(fmt: FpFormat, a: bigint, b: bigint, env: FpEnv, subtract: boolean): bigint {
  const ua = unpack(fmt, a, env, env.fpcr);
  const ub = unpack(fmt, b, env, env.fpcr);
  const nan = processNaNs(fmt, ua, a, ub, b, env);
  if (nan !== undefined) return nan;
  const sb = subtract ? ub.sign ^ 1 : ub.sign;
  const infA = ua.type === FpType.Infinity;
  const infB = ub.type === FpType.Infinity;
  if (infA && infB && ua.sign !== sb) return invalid(fmt, env);
  if (infA) return infinityBits(fmt, ua.sign);
  if (infB) return infinityBits(fmt, sb);
  if (ua.type === FpType.Zero && ub.type === FpType.Zero && ua.sign === sb) return zeroBits(fmt, sb);
  return exactSum(fmt, ua, ua.sign, ub, sb, env);
}

export function mulBits(fmt: FpFormat, a: bigint, b: bigint, env: FpEnv): bigint {
  const ua = unpack(fmt, a, env, env.fpcr);
  const ub = unpack(fmt, b, env, env.fpcr);
  const nan = processNaNs(fmt, ua, a, ub, b, env);
  if (nan !== undefined) return nan;
  const sign = ua.sign ^ ub.sign;
  const infA = ua.type === FpType.Infinity;
  const infB = ub.type === FpType.Infinity;
  const zeroA = ua.type === FpType.Zero;
  const zeroB = ub.type === FpType.Zero;
  if ((infA && zeroB) || (zeroA && infB)) return invalid(fmt, env);
  if (infA || infB) return infinityBits(fmt, sign);
  if (zeroA || zeroB) return zeroBits(fmt, sign);
  return fpRound(fmt, sign, ua.mant * ub.mant, ua.exp + ub.exp, env, env.fpcr, fpcrRounding(env.fpcr));
}

export function divBits(fmt: FpFormat, a: bigint, b: bigint, env: FpEnv): bigint {
  const ua = unpack(fmt, a, env, env.fpcr);
  const ub = unpack(fmt, b, env, env.fpcr);
  const nan = processNaNs(fmt, ua, a, ub, b, env);
  if (nan !== undefined) return nan;
  const sign = ua.sign ^ ub.sign;
  const infA = ua.type === FpType.Infinity;
  const infB = ub.type === FpType.Infinity;
  const zeroA = ua.type === FpType.Zero;
  const zeroB = ub.type === FpType.Zero;
  if ((infA && infB) || (zeroA && zeroB)) return invalid(fmt, env);
  if (infA || zeroB) {
    if (!infA) env.fpsr |= DZC;
    return infinityBits(fmt, sign);
  }
  if (zeroA || infB) return zeroBits(fmt, sign);
  // Scale the dividend so the quotient has fmt.f + GUARD bits at least.
  const k = fmt.f + GUARD + 2 + Math.max(0, bitLength(ub.mant) - bitLength(ua.mant));
  const num = ua.mant << BigInt(k);
  let q = num / ub.mant;
  if (q * ub.mant !== num) q = (q << 1n) | 1n;
  else q <<= 1n;
  return fpRound(fmt, sign, q, ua.exp - ub.exp - k - 1, env, env.fpcr, fpcrRounding(env.fpcr));
}

export function sqrtBits(fmt: FpFormat, a: bigint, env: FpEnv): bigint {
  const ua = unpack(fmt, a, env, env.fpcr);
  if (ua.type === FpType.QNaN || ua.type === FpType.SNaN) return processNaN(fmt, ua.type, a, env);
  if (ua.type === FpType.Zero) return zeroBits(fmt, ua.sign);
  if (ua.sign) return invalid(fmt, env);
  if (ua.type === FpType.Infinity) return infinityBits(fmt, 0);
  // mant * 2^exp with an even exponent and enough bits for fmt.f + GUARD root bits.
  let k = 2 * (fmt.f + GUARD + 2);
  if ((ua.exp - k) % 2 !== 0) k++;
  const m = ua.mant << BigInt(k);
  let r = isqrt(m);
  r = r * r !== m ? (r << 1n) | 1n : r << 1n;
  return fpRound(fmt, 0, r, (ua.exp - k) / 2 - 1, env, env.fpcr, fpcrRounding(env.fpcr));
}

function isqrt(n: bigint): bigint {
  // Newton's iteration from above converges monotonically down to floor(sqrt(n)).
  let x = 1n << BigInt((bitLength(n) >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** FPMulAdd: addend + op1 * op2 with a single rounding. Negations are the caller's (on the patterns). */
export function mulAddBits(fmt: FpFormat, addend: bigint, op1: bigint, op2: bigint, env: FpEnv): bigint {
  const ua = unpack(fmt, addend, env, env.fpcr);
  const u1 = unpack(fmt, op1, env, env.fpcr);
  const u2 = unpack(fmt, op2, env, env.fpcr);
  const inf1 = u1.type === FpType.Infinity;
  const inf2 = u2.type === FpType.Infinity;
  const zero1 = u1.type === FpType.Zero;
  const zero2 = u2.type === FpType.Zero;
  const infZero = (inf1 && zero2) || (zero1 && inf2);
  const nan = processNaNs3(fmt, ua, addend, u1, op1, u2, op2, env);
  if (ua.type === FpType.QNaN && infZero) return invalid(fmt, env);
  if (nan !== undefined) return nan;
  const signP = u1.sign ^ u2.sign;
  const infP = inf1 || inf2;
  const infA = ua.type === FpType.Infinity;
  if (infZero || (infA && infP && ua.sign !== signP)) return invalid(fmt, env);
  if ((infA && ua.sign === 0) || (infP && signP === 0)) return infinityBits(fmt, 0);
  if (infA || infP) return infinityBits(fmt, 1);
  const zeroP = zero1 || zero2;
  if (ua.type === FpType.Zero && zeroP && ua.sign === signP) return zeroBits(fmt, ua.sign);
  const product: Unpacked = zeroP
    ? { type: FpType.Zero, sign: signP, mant: 0n, exp: 0, value: 0 }
    : { type: FpType.Nonzero, sign: signP, mant: u1.mant * u2.mant, exp: u1.exp + u2.exp, value: 0 };
  return exactSum(fmt, ua, ua.sign, product, signP, env);
}
