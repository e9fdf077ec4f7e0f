// FPCompare, FPMax/FPMin and FPMaxNum/FPMinNum on BigInt bit patterns.

import { FpEnv, IOC } from './fpcr';
import { FpFormat, infinityBits, zeroBits } from './format';
import { processNaNs } from './nan';
import { encodeExact } from './round';
import { FpType, isNaNType, unpack, Unpacked } from './unpack';

/** NZCV results of a floating-point comparison (bits 3..0 = N, Z, C, V). */
export const CMP_UNORDERED = 0b0011;
export const CMP_EQUAL = 0b0110;
export const CMP_LESS = 0b1000;
export const CMP_GREATER = 0b0010;

/** FPCompare; `signalAll` (FCMPE) raises IOC on quiet NaNs too. */
export function compareBits(fmt: FpFormat, a: bigint, b: bigint, env: FpEnv, signalAll: boolean): number {
  const ua = unpack(fmt, a, env, env.fpcr);
  const ub = unpack(fmt, b, env, env.fpcr);
  if (isNaNType(ua.type) || isNaNType(ub.type)) {
    if (signalAll || ua.type === FpType.SNaN || ub.type === FpType.SNaN) env.fpsr |= IOC;
    return CMP_UNORDERED;
  }
  return compareValues(ua.value, ub.value);
}

export function compareValues(x: number, y: number): number {
  return x === y ? CMP_EQUAL : x < y ? CMP_LESS : CMP_GREATER;
}

/** FPMax (isMax) or FPMin; `numeric` gives FPMaxNum/FPMinNum (a quiet NaN loses to a number). */
export function maxMinBits(fmt: FpFormat, a: bigint, b: bigint, env: FpEnv, isMax: boolean, numeric: boolean): bigint {
  let ua = unpack(fmt, a, env, env.fpcr);
  let ub = unpack(fmt, b, env, env.fpcr);
  if (numeric) {
    const loser: Unpacked = { type: FpType.Infinity, sign: isMax ? 1 : 0, mant: 0n, exp: 0, value: isMax ? -Infinity : Infinity };
    if (ua.type === FpType.QNaN && !isNaNType(ub.type)) {
      ua = loser;
      a = infinityBits(fmt, loser.sign);
    } else if (ub.type === FpType.QNaN && !isNaNType(ua.type)) {
      ub = loser;
      b = infinityBits(fmt, loser.sign);
    }
  }
  const nan = processNaNs(fmt, ua, a, ub, b, env);
  if (nan !== undefined) return nan;
  const first = isMax ? ua.value > ub.value : ua.value < ub.value;
  const pick = first ? ua : ub;
  if (pick.type === FpType.Infinity) return infinityBits(fmt, pick.sign);
  if (pick.type === FpType.Zero) {
    if (ua.type !== FpType.Zero || ub.type !== FpType.Zero) return zeroBits(fmt, pick.sign);
    return zeroBits(fmt, isMax ? ua.sign & ub.sign : ua.sign | ub.sign);
  }
  return encodeExact(fmt, pick.value, env, env.fpcr);
}
