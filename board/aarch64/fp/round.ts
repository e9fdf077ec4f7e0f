// FPRound: an exact nonzero value mant * 2^exp to a format's bit pattern,
// with flush-to-zero, underflow (tiny before rounding and inexact), overflow
// by rounding mode, and the alternative half-precision format.

import { FpEnv, FPCR_FZ, FPCR_FZ16, IOC, IXC, OFC, Rounding, UFC } from './fpcr';
import { bitLength, FpFormat, infinityBits, maxNormalBits, zeroBits } from './format';

export function fpRound(
  fmt: FpFormat,
  sign: number,
  mant: bigint,
  exp: number,
  env: FpEnv,
  fpcr: number,
  rmode: Rounding,
  altHp = false,
): bigint {
  const f = fmt.f;
  const minExp = 1 - fmt.bias;
  const top = exp + bitLength(mant) - 1;
  const flush = fmt.ieeeHalf ? (fpcr & FPCR_FZ16) !== 0 : (fpcr & FPCR_FZ) !== 0;
  if (flush && top < minExp) {
    env.fpsr |= UFC;
    return zeroBits(fmt, sign);
  }
  const tiny = top < minExp;
  const shift = (tiny ? minExp : top) - f - exp;
  let q: bigint;
  let inexact = false;
  if (shift <= 0) {
    q = mant << BigInt(-shift);
  } else {
    const s = BigInt(shift);
    q = mant >> s;
    const rest = mant & ((1n << s) - 1n);
    if (rest !== 0n) {
      inexact = true;
      const half = 1n << (s - 1n);
      if (roundsUp(rmode, sign, rest, half, q)) q += 1n;
    }
  }
  let biased: number;
  if (tiny) {
    biased = q >> BigInt(f) !== 0n ? 1 : 0;
  } else {
    biased = top + fmt.bias;
    if (q >> BigInt(f + 1) !== 0n) {
      q >>= 1n;
      biased++;
    }
  }
  if (tiny && inexact) env.fpsr |= UFC;
  const limit = altHp ? 1 << fmt.e : (1 << fmt.e) - 1;
  if (biased >= limit) return overflow(fmt, sign, env, rmode, altHp);
  if (inexact) env.fpsr |= IXC;
  return zeroBits(fmt, sign) | (BigInt(biased) << BigInt(f)) | (q & ((1n << BigInt(f)) - 1n));
}

function roundsUp(rmode: Rounding, sign: number, rest: bigint, half: bigint, q: bigint): boolean {
  switch (rmode) {
    case Rounding.TieEven:
      return rest > half || (rest === half && (q & 1n) === 1n);
    case Rounding.TieAway:
      return rest >= half;
    case Rounding.PosInf:
      return sign === 0;
    case Rounding.NegInf:
      return sign === 1;
    default:
      return false;
  }
}

function overflow(fmt: FpFormat, sign: number, env: FpEnv, rmode: Rounding, altHp: boolean): bigint {
  if (altHp) {
    env.fpsr |= IOC;
    return zeroBits(fmt, sign) | ((1n << BigInt(fmt.n - 1)) - 1n);
  }
  env.fpsr |= OFC | IXC;
  const toInfinity =
    rmode === Rounding.TieEven || rmode === Rounding.TieAway || (rmode === Rounding.PosInf && sign === 0) || (rmode === Rounding.NegInf && sign === 1);
  return toInfinity ? infinityBits(fmt, sign) : maxNormalBits(fmt, sign);
}

/** Encodes a JS number known to be exactly representable in fmt (integral results, chosen operands). */
export function encodeExact(fmt: FpFormat, v: number, env: FpEnv, fpcr: number): bigint {
  if (v === 0) return zeroBits(fmt, Object.is(v, -0) ? 1 : 0);
  if (!Number.isFinite(v)) return infinityBits(fmt, v < 0 ? 1 : 0);
  const sign = v < 0 ? 1 : 0;
  let m = Math.abs(v);
  let e = 0;
  while (m !== Math.floor(m)) {
    m *= 2 ** 64;
    e -= 64;
  }
  return fpRound(fmt, sign, BigInt(m), e, env, fpcr, Rounding.TieEven);
}
