// Integer lane arithmetic shared by the AdvSIMD arithmetic handlers:
// saturation with the sticky QC flag, and 64-bit lane helpers on (lo, hi)
// int32 pairs (results in the scratch R of int64.ts). No BigInt, no allocation.

import { add64, R, umul32 } from '../../int64';

/** FPSR.QC, the cumulative saturation bit. */
export const FPSR_QC = 1 << 27;

/** Set to 1 by any lane that saturates; drivers clear it before and fold it into FPSR.QC after. */
export const saturated = new Int32Array(1);

const TWO32 = 4294967296;

/** Clamp to the signed range of `esize` bits (<= 32), noting saturation. */
export function signedSat(esize: number): (v: number) => number {
  const max = 2 ** (esize - 1) - 1;
  const min = -(2 ** (esize - 1));
  return (v) => {
    if (v > max) {
      saturated[0] = 1;
      return max;
    }
    if (v < min) {
      saturated[0] = 1;
      return min;
    }
    return v;
  };
}

/** Clamp to the unsigned range of `esize` bits (<= 32), noting saturation. */
export function unsignedSat(esize: number): (v: number) => number {
  const max = 2 ** esize - 1;
  return (v) => {
    if (v > max) {
      saturated[0] = 1;
      return max;
    }
    if (v < 0) {
      saturated[0] = 1;
      return 0;
    }
    return v;
  };
}

/** R = a value that fits in 53 bits, as a pair. */
export function pairFromNumber(v: number): void {
  R[0] = v | 0;
  R[1] = Math.floor(v / TWO32) | 0;
}

/** R = the signed 64-bit product of two int32 values. */
export function smul32(a: number, b: number): void {
  umul32(a, b);
  R[1] = (R[1] - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
}

/** R = a - b (64-bit, wrapping). */
export function sub64(alo: number, ahi: number, blo: number, bhi: number): void {
  add64(alo, ahi, ~blo, ~bhi, 1);
}

/** R = a + b saturated to the signed 64-bit range. */
export function sqadd64(alo: number, ahi: number, blo: number, bhi: number): void {
  add64(alo, ahi, blo, bhi, 0);
  if (((ahi ^ R[1]) & (bhi ^ R[1])) < 0) satPair64(ahi);
}

/** R = a - b saturated to the signed 64-bit range. */
export function sqsub64(alo: number, ahi: number, blo: number, bhi: number): void {
  add64(alo, ahi, ~blo, ~bhi, 1);
  if (((ahi ^ bhi) & (ahi ^ R[1])) < 0) satPair64(ahi);
}

/** R = the signed 64-bit limit on the side of `signHi`'s sign, noting saturation. */
export function satPair64(signHi: number): void {
  saturated[0] = 1;
  R[0] = signHi < 0 ? 0 : -1;
  R[1] = signHi < 0 ? -0x80000000 : 0x7fffffff;
}

export function uqadd64(alo: number, ahi: number, blo: number, bhi: number): void {
  if (add64(alo, ahi, blo, bhi, 0)) {
    saturated[0] = 1;
    R[0] = -1;
    R[1] = -1;
  }
}

export function uqsub64(alo: number, ahi: number, blo: number, bhi: number): void {
  if (!add64(alo, ahi, ~blo, ~bhi, 1)) {
    saturated[0] = 1;
    R[0] = 0;
    R[1] = 0;
  }
}

/** Signed compare of two 64-bit pairs: -1, 0 or 1. */
export function scmp64(alo: number, ahi: number, blo: number, bhi: number): number {
  if (ahi !== bhi) return ahi < bhi ? -1 : 1;
  const a = alo >>> 0;
  const b = blo >>> 0;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Unsigned compare of two 64-bit pairs: -1, 0 or 1. */
export function ucmp64(alo: number, ahi: number, blo: number, bhi: number): number {
  const ah = ahi >>> 0;
  const bh = bhi >>> 0;
  if (ah !== bh) return ah < bh ? -1 : 1;
  const a = alo >>> 0;
  const b = blo >>> 0;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Carry-less product of two 8-bit values, low 16 bits. */
export function pmul8(a: number, b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) if ((b >>> i) & 1) r ^= a << i;
  return r;
}

/** R = the low 64 bits of the carry-less product of two 32-bit values; returns nothing else. */
export function clmul32(a: number, b: number): void {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < 32; i++) {
    if ((b >>> i) & 1) {
      lo ^= a << i;
      if (i > 0) hi ^= a >>> (32 - i);
    }
  }
  R[0] = lo;
  R[1] = hi;
}
