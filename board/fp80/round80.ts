// Rounding an exact result held in W (normalized, bit 127 set) to the
// extended format under precision control, or to double or single for
// stores: all four rounding modes, tininess after rounding, masked and
// unmasked overflow and underflow (bias-adjusted results for register
// destinations), PE and the C1 round-up bit.

import { BIAS, BIAS_ADJUST, C1, EMAX, EMIN, fcwRounding, OE, PE, R80, Rc, UE, X87Env } from './float80';
import { anyBelowW, bitW, KEPT, keptW, W } from './wide';

export const enum Dest {
  Ext = 0,
  Double = 1,
  Single = 2,
}

const DEST_EMIN = [EMIN, -1022, -126];
const DEST_EMAX = [EMAX, 1023, 127];

let inexact = false;
let roundedUp = false;
let carried = false;

/** Whether an inexact result was rounded away from zero. */
export function roundsUp(rc: Rc, sign: number, lsb: number, half: boolean, sticky: boolean): boolean {
  switch (rc) {
    case Rc.Nearest:
      return half && (sticky || lsb !== 0);
    case Rc.Down:
      return sign !== 0 && (half || sticky);
    case Rc.Up:
      return sign === 0 && (half || sticky);
    default:
      return false;
  }
}

/**
 * Keeps the top k bits of W (k <= 64; k <= 0 keeps none, the value being
 * below the unit) in KEPT, rounded; sets inexact, roundedUp and carried
 * (the rounding carried into bit k, KEPT is then 2^(k-1)).
 */
export function roundKeep(k: number, sign: number, rc: Rc): void {
  let half: boolean;
  let sticky: boolean;
  if (k === 64) {
    // The common case (64-bit precision control): whole words.
    KEPT[0] = W[2];
    KEPT[1] = W[3];
    half = W[1] >>> 31 !== 0;
    sticky = (W[1] & 0x7fffffff) !== 0 || W[0] !== 0;
  } else {
    const s = 128 - k;
    keptW(s);
    half = bitW(s - 1) !== 0;
    sticky = anyBelowW(s - 1);
  }
  inexact = half || sticky;
  roundedUp = inexact && roundsUp(rc, sign, KEPT[0] & 1, half, sticky);
  carried = false;
  if (!roundedUp) return;
  KEPT[0] = KEPT[0] + 1;
  if (KEPT[0] === 0) KEPT[1] = KEPT[1] + 1;
  if (k <= 0) return;
  if (k === 64 ? (KEPT[0] | KEPT[1]) === 0 : k > 32 ? KEPT[1] >>> (k - 32) !== 0 : k === 32 ? KEPT[1] !== 0 : KEPT[0] >>> k !== 0) {
    carried = true;
    setKeptPow2(k - 1);
  }
}

function setKeptPow2(n: number): void {
  KEPT[0] = n < 32 ? 1 << n : 0;
  KEPT[1] = n >= 32 ? 1 << (n - 32) : 0;
}

export function lastInexact(): boolean {
  return inexact;
}

export function lastCarried(): boolean {
  return carried;
}

export function lastRoundedUp(): boolean {
  return roundedUp;
}

function setC1(env: X87Env, up: boolean): void {
  env.fsw = up ? env.fsw | C1 : env.fsw & ~C1;
}

/**
 * Rounds sign * W * 2^(exp - 127) to p significand bits in dest's format and
 * writes the encoding to R80 (extended: all three; double: R80[0..1]; single:
 * R80[0]). Returns false when nothing may be stored: an unmasked overflow or
 * underflow towards a memory destination.
 */
export function roundPack(env: X87Env, sign: number, exp: number, p: number, dest: Dest): boolean {
  const rc = fcwRounding(env.fcw);
  const emin = DEST_EMIN[dest];
  const emax = DEST_EMAX[dest];
  roundKeep(p, sign, rc);
  const e = exp + (carried ? 1 : 0);
  if (e > emax) return overflow(env, sign, e, p, dest, rc);
  if (e < emin) {
    if (!(env.fcw & UE)) {
      env.fsw |= UE;
      if (dest !== Dest.Ext) return false; // memory untouched, no PE or C1
      if (e + BIAS_ADJUST < emin) {
        // Beyond even the adjusted range (FSCALE): zero, as the host does.
        env.fsw |= PE;
        setC1(env, false);
        R80.fill(0);
        R80[2] = sign << 15;
        return true;
      }
      env.fsw |= inexact ? PE : 0;
      setC1(env, roundedUp);
      packNormal(sign, e + BIAS_ADJUST, p, dest);
      return true;
    }
    roundKeep(p - (emin - exp), sign, rc);
    if (carried) shiftKeptLeft(1);
    if (inexact) env.fsw |= UE | PE;
    setC1(env, roundedUp);
    packTiny(sign, p, dest);
    return true;
  }
  if (inexact) env.fsw |= PE;
  setC1(env, roundedUp);
  packNormal(sign, e, p, dest);
  return true;
}

function overflow(env: X87Env, sign: number, e: number, p: number, dest: Dest, rc: Rc): boolean {
  if (!(env.fcw & OE)) {
    env.fsw |= OE;
    if (dest !== Dest.Ext) return false; // memory untouched, no PE or C1
    if (e - BIAS_ADJUST > EMAX) {
      // Beyond even the adjusted range (FSCALE): infinity whatever the rounding, as the host does.
      env.fsw |= PE;
      setC1(env, true);
      packInf(sign, dest);
      return true;
    }
    env.fsw |= inexact ? PE : 0;
    setC1(env, roundedUp);
    packNormal(sign, e - BIAS_ADJUST, p, dest);
    return true;
  }
  env.fsw |= OE | PE;
  const toInf = rc === Rc.Nearest || (rc === Rc.Up && sign === 0) || (rc === Rc.Down && sign !== 0);
  setC1(env, toInf);
  if (toInf) packInf(sign, dest);
  else packMax(sign, p, dest);
  return true;
}

/** KEPT (p bits, top set) with unbiased exponent e of its top bit. */
function packNormal(sign: number, e: number, p: number, dest: Dest): void {
  if (dest === Dest.Ext) {
    shiftKeptLeft(64 - p);
    R80[0] = KEPT[0];
    R80[1] = KEPT[1];
    R80[2] = (sign << 15) | ((e + BIAS) & 0x7fff);
  } else if (dest === Dest.Double) {
    R80[0] = KEPT[0];
    R80[1] = (sign << 31) | (((e + 1022) << 20) + KEPT[1]);
  } else {
    R80[0] = (sign << 31) | (((e + 126) << 23) + KEPT[0]);
  }
}

/** KEPT counts units of the smallest denormal of p bits (it may have reached the smallest normal). */
function packTiny(sign: number, p: number, dest: Dest): void {
  if (dest === Dest.Ext) {
    shiftKeptLeft(64 - p);
    R80[0] = KEPT[0];
    R80[1] = KEPT[1];
    R80[2] = (sign << 15) | (KEPT[1] >>> 31);
  } else if (dest === Dest.Double) {
    R80[0] = KEPT[0];
    R80[1] = (sign << 31) | KEPT[1];
  } else {
    R80[0] = (sign << 31) | KEPT[0];
  }
}

function packInf(sign: number, dest: Dest): void {
  if (dest === Dest.Ext) {
    R80[0] = 0;
    R80[1] = 0x80000000 | 0;
    R80[2] = (sign << 15) | 0x7fff;
  } else if (dest === Dest.Double) {
    R80[0] = 0;
    R80[1] = (sign << 31) | 0x7ff00000;
  } else {
    R80[0] = (sign << 31) | 0x7f800000;
  }
}

function packMax(sign: number, p: number, dest: Dest): void {
  if (dest === Dest.Ext) {
    R80[1] = p >= 32 ? -1 : -1 << (32 - p);
    R80[0] = p <= 32 ? 0 : p === 64 ? -1 : -1 << (64 - p);
    R80[2] = (sign << 15) | 0x7ffe;
  } else if (dest === Dest.Double) {
    R80[0] = -1;
    R80[1] = (sign << 31) | 0x7fefffff;
  } else {
    R80[0] = (sign << 31) | 0x7f7fffff;
  }
}

function shiftKeptLeft(n: number): void {
  if (n === 0) return;
  if (n >= 32) {
    KEPT[1] = KEPT[0] << (n - 32);
    KEPT[0] = 0;
  } else {
    KEPT[1] = (KEPT[1] << n) | (KEPT[0] >>> (32 - n));
    KEPT[0] = KEPT[0] << n;
  }
}
