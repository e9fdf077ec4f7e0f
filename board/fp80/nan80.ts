// The x87's rules for invalid and NaN operands: unsupported encodings and
// signalling NaNs raise IE; a NaN result is the quieted NaN operand, of two
// the QNaN over the SNaN, else the larger significand; a masked invalid
// operation returns the real indefinite. Returns tell the caller whether the
// destination is written (an unmasked IE leaves it alone).

import { Cls, DE, IE, isNaNCls, setIndefinite, setR80, X87Env } from './float80';

/** Sentinel results of the operand checks. */
export const enum Check {
  /** Operands are numbers: compute. */
  Go = 0,
  /** R80 holds the result. */
  Write = 1,
  /** Unmasked exception: leave the destination alone. */
  Skip = 2,
}

/** Raises IE; true when it is masked (the caller then returns a masked response). */
export function raiseInvalid(env: X87Env): boolean {
  env.fsw |= IE;
  return (env.fcw & IE) !== 0;
}

export function invalidResult(env: X87Env): Check {
  if (!raiseInvalid(env)) return Check.Skip;
  setIndefinite();
  return Check.Write;
}

/** Raises DE for a denormal operand; Skip when DE is unmasked. */
export function denormalOperand(env: X87Env): Check {
  env.fsw |= DE;
  return env.fcw & DE ? Check.Go : Check.Skip;
}

function quiet(se: number, hi: number, lo: number): void {
  setR80(se, hi | 0x40000000, lo);
}

/** One operand: unsupported, SNaN or QNaN handled; Go for anything else. */
export function checkOne(env: X87Env, c: Cls, se: number, hi: number, lo: number): Check {
  if (c === Cls.Unsupported) return invalidResult(env);
  if (c === Cls.SNaN) {
    if (!raiseInvalid(env)) return Check.Skip;
    quiet(se, hi, lo);
    return Check.Write;
  }
  if (c === Cls.QNaN) {
    setR80(se, hi, lo);
    return Check.Write;
  }
  if (c === Cls.Denormal) return denormalOperand(env);
  return Check.Go;
}

/** Two operands: invalid encodings, NaN propagation, then DE for denormals (unless `noDenormal`). */
export function checkTwo(
  env: X87Env,
  ca: Cls,
  aSe: number,
  aHi: number,
  aLo: number,
  cb: Cls,
  bSe: number,
  bHi: number,
  bLo: number,
  noDenormal = false,
): Check {
  if (ca === Cls.Unsupported || cb === Cls.Unsupported) return invalidResult(env);
  const nanA = isNaNCls(ca);
  const nanB = isNaNCls(cb);
  if (nanA || nanB) {
    if ((ca === Cls.SNaN || cb === Cls.SNaN) && !raiseInvalid(env)) return Check.Skip;
    if (nanA && nanB) {
      if (ca !== cb) {
        if (ca === Cls.QNaN) quiet(aSe, aHi, aLo);
        else quiet(bSe, bHi, bLo);
      } else if (largerNaN(aSe, aHi, aLo, bSe, bHi, bLo)) quiet(aSe, aHi, aLo);
      else quiet(bSe, bHi, bLo);
    } else if (nanA) quiet(aSe, aHi, aLo);
    else quiet(bSe, bHi, bLo);
    return Check.Write;
  }
  if (!noDenormal && (ca === Cls.Denormal || cb === Cls.Denormal)) return denormalOperand(env);
  return Check.Go;
}

/** Whether NaN a wins over NaN b: the larger significand, on a tie the positive one. */
function largerNaN(aSe: number, aHi: number, aLo: number, bSe: number, bHi: number, bLo: number): boolean {
  const ah = aHi >>> 0;
  const bh = bHi >>> 0;
  if (ah !== bh) return ah > bh;
  const al = aLo >>> 0;
  const bl = bLo >>> 0;
  if (al !== bl) return al > bl;
  return (aSe & 0xffff) <= (bSe & 0xffff);
}

