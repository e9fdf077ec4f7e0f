// FADD/FSUB, FMUL, FDIV and FSQRT on 80-bit operands, exact then rounded
// once under the control word's precision and rounding control. Each returns
// whether the destination is written (false after an unmasked IE, DE or ZE).

import { Cls, classify, fcwPrecision, fcwRounding, Rc, setInf, setZero, unpackInto, X87Env, ZE } from './float80';
import { Check, checkOne, checkTwo, denormalOperand, invalidResult } from './nan80';
import { Dest, roundPack } from './round80';
import { addW, isZeroW, normalizeW, rsubW, setW, shiftRightJamW, W } from './wide';

const UA = new Int32Array(4);
const UB = new Int32Array(4);

function done(c: Check): boolean {
  return c === Check.Write;
}

/** a + b, or a - b when `subtract`. */
export function add80(env: X87Env, aSe: number, aHi: number, aLo: number, bSe: number, bHi: number, bLo: number, subtract: boolean): boolean {
  const ca = classify(aSe, aHi, aLo);
  const cb = classify(bSe, bHi, bLo);
  const c = checkTwo(env, ca, aSe, aHi, aLo, cb, bSe, bHi, bLo);
  if (c !== Check.Go) return done(c);
  const sa = (aSe >>> 15) & 1;
  const sb = ((bSe >>> 15) & 1) ^ (subtract ? 1 : 0);
  if (ca === Cls.Inf || cb === Cls.Inf) {
    if (ca === Cls.Inf && cb === Cls.Inf && sa !== sb) return done(invalidResult(env));
    setInf(ca === Cls.Inf ? sa : sb);
    return true;
  }
  if (ca === Cls.Zero && cb === Cls.Zero) {
    setZero(sa === sb ? sa : fcwRounding(env.fcw) === Rc.Down ? 1 : 0);
    return true;
  }
  const p = fcwPrecision(env.fcw);
  if (cb === Cls.Zero) return roundOne(env, sa, aSe, aHi, aLo, p);
  if (ca === Cls.Zero) return roundOne(env, sb, bSe, bHi, bLo, p);
  unpackInto(UA, aSe, aHi, aLo);
  unpackInto(UB, bSe, bHi, bLo);
  let big = UA;
  let small = UB;
  let sBig = sa;
  if (UB[1] > UA[1] || (UB[1] === UA[1] && (UB[2] >>> 0 > UA[2] >>> 0 || (UB[2] === UA[2] && UB[3] >>> 0 > UA[3] >>> 0)))) {
    big = UB;
    small = UA;
    sBig = sb;
  }
  let exp = big[1];
  setW(small[2], small[3], 0, 0);
  shiftRightJamW(big[1] - small[1]);
  if (sa === sb) {
    if (addW(big[2], big[3], 0, 0)) {
      shiftRightJamW(1);
      W[3] |= 0x80000000;
      exp++;
    }
  } else {
    rsubW(big[2], big[3], 0, 0);
    if (isZeroW()) {
      setZero(fcwRounding(env.fcw) === Rc.Down ? 1 : 0);
      return true;
    }
    exp -= normalizeW();
  }
  return roundPack(env, sBig, exp, p, Dest.Ext);
}

/** A single finite nonzero value rounded to the current precision (x + 0). */
function roundOne(env: X87Env, sign: number, se: number, hi: number, lo: number, p: number): boolean {
  unpackInto(UA, se, hi, lo);
  setW(UA[2], UA[3], 0, 0);
  return roundPack(env, sign, UA[1], p, Dest.Ext);
}

export function mul80(env: X87Env, aSe: number, aHi: number, aLo: number, bSe: number, bHi: number, bLo: number): boolean {
  const ca = classify(aSe, aHi, aLo);
  const cb = classify(bSe, bHi, bLo);
  const c = checkTwo(env, ca, aSe, aHi, aLo, cb, bSe, bHi, bLo);
  if (c !== Check.Go) return done(c);
  const sign = ((aSe ^ bSe) >>> 15) & 1;
  if (ca === Cls.Inf || cb === Cls.Inf) {
    if (ca === Cls.Zero || cb === Cls.Zero) return done(invalidResult(env));
    setInf(sign);
    return true;
  }
  if (ca === Cls.Zero || cb === Cls.Zero) {
    setZero(sign);
    return true;
  }
  unpackInto(UA, aSe, aHi, aLo);
  unpackInto(UB, bSe, bHi, bLo);
  mul64(UA[2], UA[3], UB[2], UB[3]);
  const exp = UA[1] + UB[1] + 1 - normalizeW();
  return roundPack(env, sign, exp, fcwPrecision(env.fcw), Dest.Ext);
}

const LIMB = new Float64Array(8);

/** W = (aHi:aLo) * (bHi:bLo), exactly, on 16-bit limbs. */
export function mul64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const a0 = aLo & 0xffff, a1 = aLo >>> 16, a2 = aHi & 0xffff, a3 = aHi >>> 16;
  const b0 = bLo & 0xffff, b1 = bLo >>> 16, b2 = bHi & 0xffff, b3 = bHi >>> 16;
  LIMB[0] = a0 * b0;
  LIMB[1] = a0 * b1 + a1 * b0;
  LIMB[2] = a0 * b2 + a1 * b1 + a2 * b0;
  LIMB[3] = a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0;
  LIMB[4] = a1 * b3 + a2 * b2 + a3 * b1;
  LIMB[5] = a2 * b3 + a3 * b2;
  LIMB[6] = a3 * b3;
  LIMB[7] = 0;
  let carry = 0;
  for (let i = 0; i < 8; i += 2) {
    const lo = LIMB[i] + carry;
    const l16 = lo % 65536;
    const hi = LIMB[i + 1] + (lo - l16) / 65536;
    const h16 = hi % 65536;
    carry = (hi - h16) / 65536;
    W[i >>> 1] = l16 + h16 * 65536;
  }
}

export function div80(env: X87Env, aSe: number, aHi: number, aLo: number, bSe: number, bHi: number, bLo: number): boolean {
  const ca = classify(aSe, aHi, aLo);
  const cb = classify(bSe, bHi, bLo);
  const c = checkTwo(env, ca, aSe, aHi, aLo, cb, bSe, bHi, bLo, true);
  if (c !== Check.Go) return done(c);
  const sign = ((aSe ^ bSe) >>> 15) & 1;
  if (cb === Cls.Zero) {
    if (ca === Cls.Zero) return done(invalidResult(env));
    if (ca !== Cls.Inf) {
      env.fsw |= ZE;
      if (!(env.fcw & ZE)) return false;
    }
    setInf(sign);
    return true;
  }
  if ((ca === Cls.Denormal || cb === Cls.Denormal) && denormalOperand(env) === Check.Skip) return false;
  if (ca === Cls.Inf) {
    if (cb === Cls.Inf) return done(invalidResult(env));
    setInf(sign);
    return true;
  }
  if (cb === Cls.Inf) {
    setZero(sign);
    return true;
  }
  if (ca === Cls.Zero) {
    setZero(sign);
    return true;
  }
  unpackInto(UA, aSe, aHi, aLo);
  unpackInto(UB, bSe, bHi, bLo);
  divSig(UA[2], UA[3], UB[2], UB[3], 67);
  const exp = UA[1] - UB[1] - 66 + 127 - normalizeW();
  return roundPack(env, sign, exp, fcwPrecision(env.fcw), Dest.Ext);
}

/**
 * W = floor(n * 2^(bits-1) / d) with the remainder's nonzero-ness jammed into
 * bit 0, for 64-bit n and d with their top bits set (bits quotient steps).
 */
export function divSig(nHi: number, nLo: number, dHi: number, dLo: number, bits: number): void {
  let r2 = 0;
  let r1 = nHi >>> 0;
  let r0 = nLo >>> 0;
  const d1 = dHi >>> 0;
  const d0 = dLo >>> 0;
  setW(0, 0, 0, 0);
  for (let i = 0; i < bits; i++) {
    let bit = 0;
    if (r2 || r1 > d1 || (r1 === d1 && r0 >= d0)) {
      const lo = r0 - d0;
      r0 = lo >>> 0;
      const hi = r1 - d1 - (lo < 0 ? 1 : 0);
      r1 = hi >>> 0;
      r2 = 0;
      bit = 1;
    }
    shiftLeftOneW(bit);
    r2 = r1 >>> 31;
    r1 = ((r1 << 1) | (r0 >>> 31)) >>> 0;
    r0 = (r0 << 1) >>> 0;
  }
  if (r2 | r1 | r0) W[0] |= 1;
}

function shiftLeftOneW(bit: number): void {
  W[3] = (W[3] << 1) | (W[2] >>> 31);
  W[2] = (W[2] << 1) | (W[1] >>> 31);
  W[1] = (W[1] << 1) | (W[0] >>> 31);
  W[0] = (W[0] << 1) | bit;
}

export function sqrt80(env: X87Env, se: number, hi: number, lo: number): boolean {
  const ca = classify(se, hi, lo);
  const sign = (se >>> 15) & 1;
  if (ca === Cls.Zero) {
    setZero(sign);
    return true;
  }
  if (sign && ca !== Cls.QNaN && ca !== Cls.SNaN && ca !== Cls.Unsupported) return done(invalidResult(env));
  const c = checkOne(env, ca, se, hi, lo);
  if (c !== Check.Go) return done(c);
  if (ca === Cls.Inf) {
    setInf(0);
    return true;
  }
  unpackInto(UA, se, hi, lo);
  const e = UA[1];
  const s = (e & 1) === 0 ? 69 : 68; // e - 63 - s even
  sqrtSig(UA[2], UA[3], s);
  const exp = (e - 63 - s) / 2 + 127 - normalizeW();
  return roundPack(env, 0, exp, fcwPrecision(env.fcw), Dest.Ext);
}

const REM = new Uint32Array(3);
const ROOT = new Uint32Array(3);
const TRIAL = new Uint32Array(3);

/** W = floor(sqrt(sig * 2^s)) with a nonzero remainder jammed into bit 0. */
function sqrtSig(hi: number, lo: number, s: number): void {
  REM.fill(0);
  ROOT.fill(0);
  const top = 64 + s + ((64 + s) & 1); // even bit count of the radicand
  for (let j = top - 2; j >= 0; j -= 2) {
    const pair = (sigBit(hi, lo, j + 1 - s) << 1) | sigBit(hi, lo, j - s);
    shl3(REM, 2, pair);
    TRIAL.set(ROOT);
    shl3(TRIAL, 2, 1);
    if (cmp3(REM, TRIAL) >= 0) {
      sub3(REM, TRIAL);
      shl3(ROOT, 1, 1);
    } else shl3(ROOT, 1, 0);
  }
  setW(0, ROOT[2], ROOT[1], ROOT[0]);
  if (REM[0] | REM[1] | REM[2]) W[0] |= 1;
}

function sigBit(hi: number, lo: number, i: number): number {
  if (i < 0 || i > 63) return 0;
  return i >= 32 ? (hi >>> (i - 32)) & 1 : (lo >>> i) & 1;
}

function shl3(x: Uint32Array, n: number, low: number): void {
  x[2] = (x[2] << n) | (x[1] >>> (32 - n));
  x[1] = (x[1] << n) | (x[0] >>> (32 - n));
  x[0] = (x[0] << n) | low;
}

function cmp3(a: Uint32Array, b: Uint32Array): number {
  for (let i = 2; i >= 0; i--) if (a[i] !== b[i]) return a[i] > b[i] ? 1 : -1;
  return 0;
}

function sub3(a: Uint32Array, b: Uint32Array): void {
  let borrow = 0;
  for (let i = 0; i < 3; i++) {
    const d = a[i] - b[i] - borrow;
    a[i] = d;
    borrow = d < 0 ? 1 : 0;
  }
}
