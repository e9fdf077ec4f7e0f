// FPRoundInt (FRINTN/P/M/Z/A/X/I) and FPRoundIntN (FRINT32*/FRINT64*).

import { FpEnv, IOC, IXC, Rounding } from './fpcr';
import { FpFormat, infinityBits, zeroBits } from './format';
import { processNaN } from './nan';
import { encodeExact } from './round';
import { FpType, unpack } from './unpack';

/** v rounded to an integral value (v finite; every JS number at or above 2^52 is integral). */
export function roundToIntegral(v: number, mode: Rounding): number {
  const t = Math.trunc(v);
  const frac = v - t;
  if (frac === 0) return t;
  const away = t + (v < 0 ? -1 : 1);
  switch (mode) {
    case Rounding.TieEven: {
      const af = Math.abs(frac);
      return af > 0.5 || (af === 0.5 && t % 2 !== 0) ? away : t;
    }
    case Rounding.TieAway:
      return Math.abs(frac) >= 0.5 ? away : t;
    case Rounding.PosInf:
      return v > 0 ? away : t;
    case Rounding.NegInf:
      return v < 0 ? away : t;
    default:
      return t;
  }
}

/** FPRoundInt: `exact` (FRINTX) raises IXC when the value changes. */
export function roundIntBits(fmt: FpFormat, a: bigint, env: FpEnv, mode: Rounding, exact: boolean): bigint {
  const u = unpack(fmt, a, env, env.fpcr);
  if (u.type === FpType.QNaN || u.type === FpType.SNaN) return processNaN(fmt, u.type, a, env);
  if (u.type === FpType.Infinity) return infinityBits(fmt, u.sign);
  if (u.type === FpType.Zero) return zeroBits(fmt, u.sign);
  const r = roundToIntegral(u.value, mode);
  if (exact && r !== u.value) env.fpsr |= IXC;
  if (r === 0) return zeroBits(fmt, u.sign);
  return encodeExact(fmt, r, env, env.fpcr);
}

/** FPRoundIntN: an integral value that fits a `width`-bit signed integer, else -2^(width-1) with IOC. */
export function roundIntNBits(fmt: FpFormat, a: bigint, env: FpEnv, mode: Rounding, width: 32 | 64): bigint {
  const u = unpack(fmt, a, env, env.fpcr);
  const limit = 2 ** (width - 1);
  if (u.type === FpType.Zero) return zeroBits(fmt, u.sign);
  const r = u.type === FpType.Nonzero ? roundToIntegral(u.value, mode) : NaN;
  if (!(r >= -limit && r < limit)) {
    env.fpsr |= IOC;
    return encodeExact(fmt, -limit, env, env.fpcr);
  }
  if (r !== u.value) env.fpsr |= IXC;
  if (r === 0) return zeroBits(fmt, u.sign);
  return encodeExact(fmt, r, env, env.fpcr);
}
