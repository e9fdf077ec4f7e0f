// FPConvert (between half, single and double), FPToFixed and FixedToFP.

import { FpEnv, FPCR_AHP, FPCR_DN, FPCR_FZ16, IOC, IXC, Rounding } from './fpcr';
import { defaultNaNBits, FpFormat, infinityBits, zeroBits } from './format';
import { fpRound } from './round';
import { roundToIntegral } from './round-int';
import { FpType, unpack } from './unpack';

/** FPConvert: FZ16 is ignored on the half-precision side; FPCR.AHP selects the alternative half format. */
export function convertBits(from: FpFormat, to: FpFormat, a: bigint, env: FpEnv, mode: Rounding): bigint {
  const fpcr = env.fpcr;
  const ahp = (fpcr & FPCR_AHP) !== 0;
  const altIn = ahp && from.ieeeHalf;
  const altOut = ahp && to.ieeeHalf;
  const u = unpack(from, a, env, from.ieeeHalf ? fpcr & ~FPCR_FZ16 : fpcr, altIn);
  if (u.type === FpType.QNaN || u.type === FpType.SNaN) {
    if (u.type === FpType.SNaN || altOut) env.fpsr |= IOC;
    if (altOut) return zeroBits(to, u.sign);
    if (fpcr & FPCR_DN) return defaultNaNBits(to);
    const frac = a & ((1n << BigInt(from.f)) - 1n);
    const moved = to.f >= from.f ? frac << BigInt(to.f - from.f) : frac >> BigInt(from.f - to.f);
    return infinityBits(to, u.sign) | moved | (1n << BigInt(to.f - 1));
  }
  if (u.type === FpType.Infinity) {
    if (!altOut) return infinityBits(to, u.sign);
    env.fpsr |= IOC;
    return zeroBits(to, u.sign) | ((1n << BigInt(to.n - 1)) - 1n);
  }
  if (u.type === FpType.Zero) return zeroBits(to, u.sign);
  return fpRound(to, u.sign, u.mant, u.exp, env, to.ieeeHalf ? fpcr & ~FPCR_FZ16 : fpcr, mode, altOut);
}

/** FPToFixed's integer result, as (lo, hi) halves. */
export const FX = new Int32Array(2);

const TWO32 = 4294967296;

/**
 * FPToFixed of an unpacked operand given as its type and exact value: scale by
 * 2^fbits, round, saturate to `width` bits (IOC) or raise IXC when inexact.
 */
export function toFixed(isNaN: boolean, value: number, fbits: number, unsigned: boolean, width: 32 | 64, mode: Rounding, env: FpEnv): void {
  if (isNaN) {
    env.fpsr |= IOC;
    FX[0] = 0;
    FX[1] = 0;
    return;
  }
  const v = fbits === 0 ? value : value * 2 ** fbits;
  const r = v === Infinity || v === -Infinity ? v : roundToIntegral(v, mode);
  const min = unsigned ? 0 : -(2 ** (width - 1));
  const limit = unsigned ? 2 ** width : 2 ** (width - 1);
  if (r < min) {
    env.fpsr |= IOC;
    splitInteger(min);
  } else if (r >= limit) {
    env.fpsr |= IOC;
    if (width === 64) {
      FX[0] = -1;
      FX[1] = unsigned ? -1 : 0x7fffffff;
    } else {
      FX[0] = unsigned ? -1 : 0x7fffffff;
      FX[1] = 0;
    }
  } else {
    if (r !== v) env.fpsr |= IXC;
    splitInteger(r);
  }
}

function splitInteger(r: number): void {
  const hi = Math.floor(r / TWO32);
  FX[0] = (r - hi * TWO32) | 0;
  FX[1] = hi | 0;
}

/** FPToFixed from a bit pattern (any format): flushes denormals as FPUnpack does. */
export function toFixedBits(fmt: FpFormat, a: bigint, fbits: number, unsigned: boolean, width: 32 | 64, mode: Rounding, env: FpEnv): void {
  const u = unpack(fmt, a, env, env.fpcr);
  toFixed(u.type === FpType.QNaN || u.type === FpType.SNaN, u.value, fbits, unsigned, width, mode, env);
}

/** FixedToFP: the integer (lo, hi) (width bits, signed or not) times 2^-fbits, rounded to fmt. */
export function fromFixedBits(fmt: FpFormat, lo: number, hi: number, width: 32 | 64, unsigned: boolean, fbits: number, env: FpEnv, mode: Rounding): bigint {
  let v: bigint;
  if (width === 32) v = unsigned ? BigInt(lo >>> 0) : BigInt(lo | 0);
  else {
    v = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
    if (!unsigned) v = BigInt.asIntN(64, v);
  }
  if (v === 0n) return zeroBits(fmt, 0);
  return v < 0n ? fpRound(fmt, 1, -v, -fbits, env, env.fpcr, mode) : fpRound(fmt, 0, v, -fbits, env, env.fpcr, mode);
}
