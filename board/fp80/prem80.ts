// FPREM and FPREM1: partial remainders with the quotient's low bits in C0,
// C3, C1 and C2 set while the reduction is incomplete. A slow path on
// BigInt (these instructions loop inside libm's argument reduction only).

import { C0, C1, C2, C3, Cls, classify, setR80, setSelf, unpackInto, X87Env } from './float80';
import { Check, checkTwo, denormalOperand, invalidResult } from './nan80';
import { Dest, roundPack } from './round80';
import { normalizeW, setW } from './wide';

const UA = new Int32Array(4);
const UB = new Int32Array(4);
const QBITS = C0 | C1 | C2 | C3;

function sig(u: Int32Array): bigint {
  return (BigInt(u[2] >>> 0) << 32n) | BigInt(u[3] >>> 0);
}

/**
 * ST0 = remainder of ST0 / ST1; `nearest` for FPREM1 (IEEE remainder), else
 * FPREM (truncating). Updates C0..C3; false after an unmasked exception.
 */
export function prem80(env: X87Env, aSe: number, aHi: number, aLo: number, bSe: number, bHi: number, bLo: number, nearest: boolean): boolean {
  const ca = classify(aSe, aHi, aLo);
  const cb = classify(bSe, bHi, bLo);
  env.fsw &= ~QBITS;
  const check = checkTwo(env, ca, aSe, aHi, aLo, cb, bSe, bHi, bLo, true);
  if (check !== Check.Go) return check === Check.Write;
  if (ca === Cls.Inf || cb === Cls.Zero) return invalidResult(env) === Check.Write;
  if ((ca === Cls.Denormal || cb === Cls.Denormal) && denormalOperand(env) === Check.Skip) return false;
  if (ca === Cls.Zero) {
    setR80(aSe, aHi, aLo);
    return true;
  }
  if (cb === Cls.Inf) {
    // ST0 unchanged, except that a pseudo-denormal comes back with exponent field 1.
    setSelf(aSe, aHi, aLo);
    return true;
  }
  unpackInto(UA, aSe, aHi, aLo);
  unpackInto(UB, bSe, bHi, bLo);
  const d = UA[1] - UB[1];
  const sa = UA[0];
  let ma = sig(UA);
  const mb = sig(UB);
  if (d < 0 && !(nearest && d === -1)) {
    // ST0 itself, re-encoded (a pseudo-denormal gets exponent field 1; a denormal meets an unmasked UE).
    return setRemainder(env, sa, ma, UA[1]);
  }
  let q: bigint;
  let r: bigint;
  let expR: number;
  if (d >= 64) {
    const shift = BigInt(32 + ((d - 32) % 32));
    // QQ = trunc(a / b / 2^(d - n)); the remainder keeps b's exponent + (d - n).
    const num = ma << shift;
    q = num / mb;
    r = num - q * mb;
    expR = UB[1] + d - Number(shift);
    env.fsw |= C2;
    return setRemainder(env, sa, r, expR);
  }
  const num = ma << BigInt(Math.max(d, 0));
  const den = d < 0 ? mb << 1n : mb;
  q = num / den;
  r = num - q * den;
  expR = UB[1] - (d < 0 ? 1 : 0);
  let sign = sa;
  if (nearest) {
    const twice = r << 1n;
    if (twice > den || (twice === den && (q & 1n) === 1n)) {
      q += 1n;
      r = den - r;
      sign ^= 1;
    }
  }
  if (q & 4n) env.fsw |= C0;
  if (q & 2n) env.fsw |= C3;
  if (q & 1n) env.fsw |= C1;
  ma = r;
  return setRemainder(env, r === 0n ? sa : sign, ma, expR);
}

/** R80 = sign * r * 2^(expR - 63): exact (a remainder needs no rounding beyond denormalization). */
function setRemainder(env: X87Env, sign: number, r: bigint, expR: number): boolean {
  if (r === 0n) {
    setR80(sign << 15, 0, 0);
    return true;
  }
  const hi = Number(r >> 32n);
  const lo = Number(r & 0xffffffffn);
  setW(hi, lo, 0, 0);
  const exp = expR - normalizeW();
  const c1 = env.fsw & C1;
  const ok = roundPack(env, sign, exp, 64, Dest.Ext);
  env.fsw = (env.fsw & ~C1) | c1;
  return ok;
}

