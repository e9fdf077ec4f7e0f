// Products wider than a register, in int32 halves: the signed 32x32 -> 64
// product of SMADDL and the high 64 bits of the 128-bit products of SMULH
// and UMULH. Results land in R.

import { R, umul32 } from '../../int64';

const TWO32 = 4294967296;

/** R = the signed 64-bit product of two int32 values. */
export function smul32(a: number, b: number): void {
  umul32(a, b);
  // Unsigned product minus the 2^32 multiples a signed reading removes.
  R[1] = (R[1] - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
}

/** R = bits [127:64] of the unsigned product of two 64-bit values. */
export function umulh64(alo: number, ahi: number, blo: number, bhi: number): void {
  umul32(alo, blo);
  const p00hi = R[1] >>> 0;
  umul32(alo, bhi);
  const p01lo = R[0] >>> 0;
  const p01hi = R[1] >>> 0;
  umul32(ahi, blo);
  const p10lo = R[0] >>> 0;
  const p10hi = R[1] >>> 0;
  umul32(ahi, bhi);
  const mid = p00hi + p01lo + p10lo; // < 3 * 2^32: exact
  const lo = (R[0] >>> 0) + p01hi + p10hi + Math.floor(mid / TWO32); // < 4 * 2^32
  R[1] = (R[1] + Math.floor(lo / TWO32)) | 0;
  R[0] = lo | 0;
}

/** R = bits [127:64] of the signed product of two 64-bit values. */
export function smulh64(alo: number, ahi: number, blo: number, bhi: number): void {
  umulh64(alo, ahi, blo, bhi);
  // Reading a negative operand as unsigned adds 2^64 to it: remove the other operand's 2^64 multiple.
  let lo = R[0] >>> 0;
  let hi = R[1];
  if (ahi < 0) {
    const l = lo - (blo >>> 0);
    hi = (hi - bhi - (l < 0 ? 1 : 0)) | 0;
    lo = l >>> 0;
  }
  if (bhi < 0) {
    const l = lo - (alo >>> 0);
    hi = (hi - ahi - (l < 0 ? 1 : 0)) | 0;
    lo = l >>> 0;
  }
  R[0] = lo;
  R[1] = hi;
}
