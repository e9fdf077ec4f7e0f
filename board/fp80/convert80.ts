// Loads from and stores to the other x87 memory formats: float32 and float64
// (loads exact, stores rounded by RC with the target's exponent range) and
// 16/32/64-bit integers (FILD exact; FIST by RC, FISTTP chopping).

import { C1, Cls, classify, DE, fcwRounding, IE, PE, R80, Rc, setR80, unpackInto, X87Env } from './float80';
import { Dest, lastCarried, lastInexact, lastRoundedUp, roundKeep, roundPack } from './round80';
import { KEPT, setW } from './wide';

const U = new Int32Array(4);

/** Raises IE; false when unmasked (nothing is loaded or stored). */
function invalid(env: X87Env): boolean {
  env.fsw |= IE;
  return (env.fcw & IE) !== 0;
}

/** Sets R80 to sign * m * 2^e for a nonzero 64-bit m (hi, lo). */
function setNormalized(sign: number, hi: number, lo: number, e: number): void {
  if (hi === 0) {
    hi = lo;
    lo = 0;
    e -= 32;
  }
  const s = Math.clz32(hi);
  if (s) {
    hi = (hi << s) | (lo >>> (32 - s));
    lo <<= s;
  }
  // m's top bit is now bit 63: the value's exponent is e + 63 - s.
  setR80((sign << 15) | (e + 63 - s + 16383), hi, lo);
}

/** FLD m32fp: R80 = the single `bits`; false when an unmasked exception stops the load. */
export function fromF32(env: X87Env, bits: number): boolean {
  const sign = bits >>> 31;
  const field = (bits >>> 23) & 0xff;
  const frac = bits & 0x7fffff;
  if (field === 0xff) {
    if (frac === 0) setR80((sign << 15) | 0x7fff, 0x80000000 | 0, 0);
    else {
      if (!(frac & 0x400000) && !invalid(env)) return false;
      setR80((sign << 15) | 0x7fff, 0xc0000000 | (frac << 8), 0);
    }
    return true;
  }
  if (field === 0) {
    if (frac === 0) {
      setR80(sign << 15, 0, 0);
      return true;
    }
    env.fsw |= DE; // loaded even when DE is unmasked
    setNormalized(sign, 0, frac, -149);
    return true;
  }
  setR80((sign << 15) | (field - 127 + 16383), 0x80000000 | (frac << 8), 0);
  return true;
}

/** FLD m64fp. */
export function fromF64(env: X87Env, lo: number, hi: number): boolean {
  const sign = hi >>> 31;
  const field = (hi >>> 20) & 0x7ff;
  const fHi = hi & 0xfffff;
  if (field === 0x7ff) {
    if ((fHi | lo) === 0) setR80((sign << 15) | 0x7fff, 0x80000000 | 0, 0);
    else {
      if (!(fHi & 0x80000) && !invalid(env)) return false;
      setR80((sign << 15) | 0x7fff, 0xc0000000 | (fHi << 11) | (lo >>> 21), lo << 11);
    }
    return true;
  }
  if (field === 0) {
    if ((fHi | lo) === 0) {
      setR80(sign << 15, 0, 0);
      return true;
    }
    env.fsw |= DE;
    setNormalized(sign, fHi, lo, -1074);
    return true;
  }
  setR80((sign << 15) | (field - 1023 + 16383), 0x80000000 | (fHi << 11) | (lo >>> 21), lo << 11);
  return true;
}

/** FST m32fp / m64fp: R80[0] (single) or R80[0..1] (double); false when nothing is stored. */
export function toFloat(env: X87Env, se: number, hi: number, lo: number, dest: Dest.Single | Dest.Double): boolean {
  const c = classify(se, hi, lo);
  const sign = (se >>> 15) & 1;
  switch (c) {
    case Cls.Unsupported:
      if (!invalid(env)) return false;
      packSpecial(dest, 1, 0xc0000000 | 0, 0);
      return true;
    case Cls.SNaN:
    case Cls.QNaN:
      if (c === Cls.SNaN && !invalid(env)) return false;
      packSpecial(dest, sign, hi | 0x40000000, lo);
      return true;
    case Cls.Inf:
      packSpecial(dest, sign, 0x80000000 | 0, 0);
      return true;
    case Cls.Zero:
      if (dest === Dest.Single) R80[0] = sign << 31;
      else {
        R80[0] = 0;
        R80[1] = sign << 31;
      }
      return true;
  }
  unpackInto(U, se, hi, lo);
  setW(U[2], U[3], 0, 0);
  return roundPack(env, sign, U[1], dest === Dest.Single ? 24 : 53, dest);
}

/** An infinity or NaN with the top fraction bits of (hi, lo). */
function packSpecial(dest: Dest, sign: number, hi: number, lo: number): void {
  if (dest === Dest.Single) R80[0] = (sign << 31) | 0x7f800000 | ((hi >>> 8) & 0x7fffff);
  else {
    R80[0] = (lo >>> 11) | (hi << 21);
    R80[1] = (sign << 31) | 0x7ff00000 | ((hi >>> 11) & 0xfffff);
  }
}

/** FILD: R80 = the signed integer (lo, hi) exactly. */
export function fromInt64(lo: number, hi: number): void {
  if ((lo | hi) === 0) {
    setR80(0, 0, 0);
    return;
  }
  const sign = hi >>> 31;
  if (sign) {
    lo = -lo | 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) | 0;
  }
  setNormalized(sign, hi, lo, 0);
}

/**
 * FIST/FISTP (chop false: RC) and FISTTP (chop true) to a `bits`-wide signed
 * integer in R80[0] (and R80[1] for 64). Out of range, NaN or infinity: IE
 * and the integer indefinite. False when nothing is stored.
 */
export function toInt(env: X87Env, se: number, hi: number, lo: number, bits: 16 | 32 | 64, chop: boolean): boolean {
  const c = classify(se, hi, lo);
  if (c === Cls.Zero) return setInt(0, 0, 0, bits);
  if (c !== Cls.Normal && c !== Cls.Denormal) return indefinite(env, bits);
  const sign = (se >>> 15) & 1;
  const rc = chop ? Rc.Chop : fcwRounding(env.fcw);
  unpackInto(U, se, hi, lo);
  const e = U[1];
  if (e > 63) return indefinite(env, bits);
  setW(U[2], U[3], 0, 0);
  roundKeep(e + 1, sign, rc);
  let mHi = KEPT[1];
  let mLo = KEPT[0];
  if (lastCarried()) {
    // KEPT was halved back to 2^e: the integer is 2^(e+1).
    if (e >= 63) return indefinite(env, bits);
    mHi = e >= 31 ? (e === 31 ? 1 : (mHi << 1) >>> 0) : 0;
    mLo = e >= 31 ? 0 : (mLo << 1) >>> 0;
  }
  if (!fits(mHi, mLo, sign, bits)) return indefinite(env, bits);
  if (lastInexact()) env.fsw |= PE;
  env.fsw = lastRoundedUp() ? env.fsw | C1 : env.fsw & ~C1;
  return setInt(sign, mHi, mLo, bits);
}

function fits(mHi: number, mLo: number, sign: number, bits: number): boolean {
  if (bits === 64) return mHi < 0x80000000 || (sign === 1 && mHi === 0x80000000 && mLo === 0);
  if (mHi !== 0) return false;
  const lim = bits === 32 ? 0x80000000 : 0x8000;
  return mLo < lim || (sign === 1 && mLo === lim);
}

function setInt(sign: number, mHi: number, mLo: number, bits: number): boolean {
  let lo = mLo | 0;
  let hi = mHi | 0;
  if (sign) {
    lo = -lo | 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) | 0;
  }
  R80[0] = bits === 16 ? lo & 0xffff : lo;
  R80[1] = bits === 64 ? hi : 0;
  return true;
}

function indefinite(env: X87Env, bits: number): boolean {
  if (!invalid(env)) return false;
  R80[0] = bits === 16 ? 0x8000 : bits === 32 ? 0x80000000 | 0 : 0;
  R80[1] = bits === 64 ? 0x80000000 | 0 : 0;
  return true;
}
