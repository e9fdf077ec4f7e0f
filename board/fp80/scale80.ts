// FRNDINT, FSCALE and FXTRACT: the operations that move a value's binary
// point (round to an integer, add to the exponent, split the exponent off).

import { BIAS, C1, Cls, classify, EMAX, EMIN, fcwRounding, PE, R80, setInf, setR80, setSelf, setZero, unpackInto, X87Env, ZE } from './float80';
import { Check, checkOne, checkTwo, invalidResult } from './nan80';
import { Dest, lastCarried, lastInexact, lastRoundedUp, roundKeep, roundPack } from './round80';
import { KEPT, setW } from './wide';

const U = new Int32Array(4);

/** FRNDINT: ST0 rounded to an integer by RC (precision control does not apply). */
export function roundInt80(env: X87Env, se: number, hi: number, lo: number): boolean {
  const c = classify(se, hi, lo);
  const check = checkOne(env, c, se, hi, lo);
  if (check !== Check.Go) return check === Check.Write;
  if (c === Cls.Zero || c === Cls.Inf) {
    setR80(se, hi, lo);
    return true;
  }
  unpackInto(U, se, hi, lo);
  const sign = U[0];
  const e = U[1];
  if (e >= 63) {
    setR80(se, hi, lo);
    return true;
  }
  setW(U[2], U[3], 0, 0);
  roundKeep(e + 1, sign, fcwRounding(env.fcw));
  if (lastInexact()) env.fsw |= PE;
  env.fsw = lastRoundedUp() ? env.fsw | C1 : env.fsw & ~C1;
  let kHi = KEPT[1];
  let kLo = KEPT[0];
  if ((kHi | kLo) === 0) {
    setZero(sign);
    return true;
  }
  // The integer's top bit: e (or e + 1 after a carry, or 0 when e < 0).
  let top = e < 0 ? 0 : e + (lastCarried() ? 1 : 0);
  if (lastCarried()) {
    kHi = top >= 32 ? 1 << (top - 32) : 0;
    kLo = top >= 32 ? 0 : 1 << top;
  }
  const s = 63 - top;
  let h: number;
  let l: number;
  if (s >= 32) {
    h = kLo << (s - 32);
    l = 0;
  } else if (s > 0) {
    h = (kHi << s) | (kLo >>> (32 - s));
    l = kLo << s;
  } else {
    h = kHi;
    l = kLo;
  }
  setR80((sign << 15) | (top + BIAS), h, l);
  return true;
}

/** FSCALE: ST0 * 2^trunc(ST1). */
export function scale80(env: X87Env, aSe: number, aHi: number, aLo: number, bSe: number, bHi: number, bLo: number): boolean {
  const ca = classify(aSe, aHi, aLo);
  const cb = classify(bSe, bHi, bLo);
  const check = checkTwo(env, ca, aSe, aHi, aLo, cb, bSe, bHi, bLo);
  if (check !== Check.Go) return check === Check.Write;
  const sa = (aSe >>> 15) & 1;
  const sb = (bSe >>> 15) & 1;
  if (cb === Cls.Inf) {
    if (sb === 0 ? ca === Cls.Zero : ca === Cls.Inf) return invalidResult(env) === Check.Write;
    if (sb === 0) setInf(sa);
    else setZero(sa);
    if (ca === Cls.Zero || ca === Cls.Inf) setR80(aSe, aHi, aLo);
    return true;
  }
  if (ca === Cls.Zero || ca === Cls.Inf || cb === Cls.Zero) {
    setSelf(aSe, aHi, aLo);
    return true;
  }
  const n = truncExponent(cb, bSe, bHi, bLo);
  unpackInto(U, aSe, aHi, aLo);
  setW(U[2], U[3], 0, 0);
  return roundPack(env, sa, U[1] + n, 64, Dest.Ext);
}

/** trunc(b) as an exponent adjustment, clamped far beyond any representable range. */
function truncExponent(cb: Cls, se: number, hi: number, lo: number): number {
  if (cb === Cls.Zero) return 0;
  unpackInto(U, se, hi, lo);
  const e = U[1];
  if (e < 0) return 0;
  const limit = 4 * (EMAX - EMIN);
  const mag = e >= 20 ? limit : Math.min(limit, (U[2] >>> 0) >>> (31 - e));
  return U[0] ? -mag : mag;
}

/** R80 and the second result of FXTRACT (ST1 = exponent, R80 = significand). */
export const EXPONENT = new Int32Array(3);

/**
 * FXTRACT: writes the exponent to EXPONENT (lo, hi, se) and the significand
 * (the value with exponent 0) to R80. False after an unmasked exception.
 */
export function extract80(env: X87Env, se: number, hi: number, lo: number): boolean {
  const c = classify(se, hi, lo);
  if (c === Cls.Zero) {
    env.fsw |= ZE;
    if (!(env.fcw & ZE)) return false;
    setInf(1);
    EXPONENT.set(R80);
    setR80(se, hi, lo);
    return true;
  }
  const check = checkOne(env, c, se, hi, lo);
  if (check === Check.Skip) return false;
  if (check === Check.Write) {
    EXPONENT.set(R80);
    return true;
  }
  if (c === Cls.Inf) {
    setInf(0);
    EXPONENT.set(R80);
    setR80(se, hi, lo);
    return true;
  }
  unpackInto(U, se, hi, lo);
  intToExt(U[1]);
  EXPONENT.set(R80);
  setR80((U[0] << 15) | BIAS, U[2], U[3]);
  return true;
}

/** R80 = the small integer n exactly. */
function intToExt(n: number): void {
  if (n === 0) {
    setZero(0);
    return;
  }
  const m = Math.abs(n);
  const s = Math.clz32(m);
  setR80(((n < 0 ? 1 : 0) << 15) | (31 - s + BIAS), m << s, 0);
}

