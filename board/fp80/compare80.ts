// FCOM/FUCOM/FTST/FICOM condition codes, FCOMI/FUCOMI flags, and FXAM's
// classes.

import { C0, C1, C2, C3, Cls, classify, DE, IE, isNaNCls, unpackInto, X87Env } from './float80';

export const enum Order {
  Greater = 0,
  Less = C0,
  Equal = C3,
  Unordered = C0 | C2 | C3,
}

const UA = new Int32Array(4);
const UB = new Int32Array(4);

/**
 * Compares a with b. `quiet` (FUCOM*) raises IE only for SNaNs and
 * unsupported encodings; otherwise any NaN raises it. Returns the order as
 * condition-code bits (C3, C2, C0); the host sets them even when the
 * exception is unmasked.
 */
export function compare80(env: X87Env, aSe: number, aHi: number, aLo: number, bSe: number, bHi: number, bLo: number, quiet: boolean): number {
  const ca = classify(aSe, aHi, aLo);
  const cb = classify(bSe, bHi, bLo);
  if (ca === Cls.Unsupported || cb === Cls.Unsupported || isNaNCls(ca) || isNaNCls(cb)) {
    const signal = !quiet || ca === Cls.SNaN || cb === Cls.SNaN || ca === Cls.Unsupported || cb === Cls.Unsupported;
    if (signal) env.fsw |= IE;
    return Order.Unordered;
  }
  if (ca === Cls.Denormal || cb === Cls.Denormal) env.fsw |= DE;
  return order(ca, aSe, aHi, aLo, cb, bSe, bHi, bLo);
}

function order(ca: Cls, aSe: number, aHi: number, aLo: number, cb: Cls, bSe: number, bHi: number, bLo: number): Order {
  const sa = (aSe >>> 15) & 1;
  const sb = (bSe >>> 15) & 1;
  if (ca === Cls.Zero && cb === Cls.Zero) return Order.Equal;
  const ka = key(ca, sa, UA, aSe, aHi, aLo);
  const kb = key(cb, sb, UB, bSe, bHi, bLo);
  if (ka !== kb) return ka < kb ? Order.Less : Order.Greater;
  if (ca !== Cls.Normal && ca !== Cls.Denormal) return Order.Equal;
  // Same sign, both finite nonzero: compare magnitudes.
  let c = UA[1] - UB[1];
  if (c === 0) c = (UA[2] >>> 0) - (UB[2] >>> 0);
  if (c === 0) c = (UA[3] >>> 0) - (UB[3] >>> 0);
  if (c === 0) return Order.Equal;
  return (c > 0) !== (sa === 1) ? Order.Greater : Order.Less;
}

/** A coarse rank: -inf < negative < zero < positive < +inf. Unpacks finite values into u. */
function key(c: Cls, sign: number, u: Int32Array, se: number, hi: number, lo: number): number {
  if (c === Cls.Zero) return 0;
  if (c === Cls.Inf) return sign ? -2 : 2;
  unpackInto(u, se, hi, lo);
  return sign ? -1 : 1;
}

/** FCOMI's RFLAGS: ZF (bit 6), PF (bit 2), CF (bit 0) from an order. */
export function orderToEflags(o: number): number {
  return (o & C3 ? 0x40 : 0) | (o & C2 ? 0x4 : 0) | (o & C0 ? 0x1 : 0);
}

/** FXAM: C3, C2, C0 for the class and C1 = sign (empty registers are the caller's: C3 + C0). */
export function examine80(se: number, hi: number, lo: number): number {
  const sign = se & 0x8000 ? C1 : 0;
  switch (classify(se, hi, lo)) {
    case Cls.Unsupported:
      return sign;
    case Cls.QNaN:
    case Cls.SNaN:
      return sign | C0;
    case Cls.Normal:
      return sign | C2;
    case Cls.Inf:
      return sign | C2 | C0;
    case Cls.Zero:
      return sign | C3;
    default:
      return sign | C3 | C2;
  }
}
