// Shifts by a signed per-lane register amount (SSHL, USHL, SRSHL, URSHL,
// SQSHL, UQSHL, SQRSHL, UQRSHL): the shift is the signed low byte of the
// second operand's lane; negative shifts go right.

import { asr64, lsl64, lsr64, R } from '../../int64';
import { saturated, satPair64, signedSat, unsignedSat } from './lane-math';

/** 2^s for s in -128..127, indexed by s + 128. */
const POW2 = new Float64Array(256);
for (let s = -128; s < 128; s++) POW2[s + 128] = 2 ** s;

export interface ShiftKind {
  signed: boolean;
  rounding: boolean;
  saturating: boolean;
}

/** The lane function for lanes of esize <= 32 bits (inputs as signed or unsigned numbers). */
export function shiftLane(esize: number, kind: ShiftKind): (a: number, b: number) => number {
  const sat = kind.saturating ? (kind.signed ? signedSat(esize) : unsignedSat(esize)) : undefined;
  const rounding = kind.rounding;
  return (a, b) => {
    const s = (b << 24) >> 24;
    if (s >= 0) {
      const v = a * POW2[s + 128];
      return sat === undefined ? v : sat(v);
    }
    if (!rounding) return Math.floor(a * POW2[s + 128]);
    // Beyond esize + 1 the rounded result is 0 for every input (and the sum below would lose bits).
    if (s < -40) return 0;
    return Math.floor((a + POW2[127 - s]) * POW2[s + 128]);
  };
}

/** The lane function for 64-bit lanes: R = shifted a. */
export function shiftLane64(kind: ShiftKind): (alo: number, ahi: number, blo: number) => void {
  const { signed, rounding, saturating } = kind;
  return (alo, ahi, blo) => {
    const s = (blo << 24) >> 24;
    if (s >= 0) shiftLeft64(alo, ahi, s, signed, saturating);
    else shiftRight64(alo, ahi, -s, signed, rounding);
  };
}

function shiftLeft64(alo: number, ahi: number, s: number, signed: boolean, saturating: boolean): void {
  if (!saturating) {
    if (s >= 64) {
      R[0] = 0;
      R[1] = 0;
    } else lsl64(alo, ahi, s);
    return;
  }
  if ((alo | ahi) === 0) {
    R[0] = 0;
    R[1] = 0;
    return;
  }
  if (s < 64) {
    lsl64(alo, ahi, s);
    const lo = R[0];
    const hi = R[1];
    if (signed) asr64(lo, hi, s);
    else lsr64(lo, hi, s);
    if (R[0] === alo && R[1] === ahi) {
      R[0] = lo;
      R[1] = hi;
      return;
    }
  }
  if (signed) satPair64(ahi);
  else {
    saturated[0] = 1;
    R[0] = -1;
    R[1] = -1;
  }
}

function shiftRight64(alo: number, ahi: number, k: number, signed: boolean, rounding: boolean): void {
  if (k >= 64) {
    const fill = signed ? ahi >> 31 : 0;
    // Rounding adds bit k-1: only bit 63 can matter, at k = 64.
    const round = rounding && k === 64 ? ahi >>> 31 : 0;
    if (rounding && k > 64) {
      R[0] = 0;
      R[1] = 0;
      return;
    }
    R[0] = fill + round;
    R[1] = fill + round === 0 ? 0 : fill;
    return;
  }
  const roundBit = rounding ? (k <= 32 ? (alo >>> (k - 1)) & 1 : (ahi >>> (k - 33)) & 1) : 0;
  if (signed) asr64(alo, ahi, k);
  else lsr64(alo, ahi, k);
  if (roundBit) {
    const lo = (R[0] >>> 0) + 1;
    R[0] = lo | 0;
    if (lo > 0xffffffff) R[1] = (R[1] + 1) | 0;
  }
}
