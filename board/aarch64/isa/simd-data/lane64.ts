// 64-bit lane arithmetic on (lo, hi) int32 pairs for the AdvSIMD data group,
// built on ../../int64 (results in R). No BigInt, no allocation.

import { add64, asr64, lsl64, lsr64, R } from '../../int64';
import { sat } from './lanes';

const TWO32 = 4294967296;

/** Bit n (0..63) of a pair. */
export function bitAt(lo: number, hi: number, n: number): number {
  return n < 32 ? (lo >>> n) & 1 : (hi >>> (n - 32)) & 1;
}

/** R = v >> sh for sh in 1..64, arithmetic or logical; rounding adds bit sh-1 (exact, no 65-bit overflow). */
export function shr64(lo: number, hi: number, sh: number, signed: boolean, round: boolean): void {
  const r = round ? bitAt(lo, hi, sh - 1) : 0;
  if (sh >= 64) {
    R[0] = R[1] = signed ? hi >> 31 : 0;
  } else if (signed) {
    asr64(lo, hi, sh);
  } else {
    lsr64(lo, hi, sh);
  }
  if (r) add64(R[0], R[1], 1, 0, 0);
}

/** Saturating left shift by 0..63: mode 0 signed, 1 unsigned, 2 signed input to unsigned result. */
export function qshl64(lo: number, hi: number, sh: number, mode: number): void {
  if (mode === 2 && hi < 0) {
    sat[0] = 1;
    R[0] = R[1] = 0;
    return;
  }
  lsl64(lo, hi, sh);
  const rl = R[0];
  const rh = R[1];
  if (mode === 0) asr64(rl, rh, sh);
  else lsr64(rl, rh, sh);
  if (R[0] === lo && R[1] === hi) {
    R[0] = rl;
    R[1] = rh;
    return;
  }
  sat[0] = 1;
  if (mode === 0) {
    R[0] = hi < 0 ? 0 : -1;
    R[1] = hi < 0 ? -0x80000000 : 0x7fffffff;
  } else {
    R[0] = R[1] = -1;
  }
}

/** A pair as a double: exact below 2^53, close enough above for range checks against 32-bit limits. */
export function pairValue(lo: number, hi: number, signed: boolean): number {
  return (signed ? hi : hi >>> 0) * TWO32 + (lo >>> 0);
}

/** R = an exact integer double (|v| < 2^64) as a pair, two's complement. */
export function toPair(v: number): void {
  const hi = Math.floor(v / TWO32);
  R[0] = (v - hi * TWO32) | 0;
  R[1] = hi | 0;
}
