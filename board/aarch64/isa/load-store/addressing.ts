// Address arithmetic shared by the load/store classes: base-register
// writeback, register offsets with extend and shift, and the register slots
// of a transfer's operands.

import { add64, R, toAddress } from '../../int64';

const TWO32 = 4294967296;

/** x[n], x[n+1] = (lo, hi) + off, exactly in 64 bits (off is a small signed number). */
export function writeBack(x: Int32Array, n: number, lo: number, hi: number, off: number): void {
  const s = (lo >>> 0) + off; // off is far below 2^32: the carry is -1, 0 or 1
  x[n] = s | 0;
  x[n + 1] = (hi + (s >= TWO32 ? 1 : s < 0 ? -1 : 0)) | 0;
}

/** x[n], x[n+1] += (mlo, mhi) (post-index by register). */
export function addRegister(x: Int32Array, n: number, lo: number, hi: number, mlo: number, mhi: number): void {
  add64(lo, hi, mlo, mhi, 0);
  x[n] = R[0];
  x[n + 1] = R[1];
}

export type AddressFn = () => number;

/**
 * The address Xn|SP + ExtendReg(Rm, option, shift) for the register-offset
 * class, or null for the unallocated extend options (option<1> == 0).
 * `n` and `m` are register slots times two.
 */
export function registerOffsetAddress(x: Int32Array, n: number, m: number, option: number, shift: number): AddressFn | null {
  const scale = 2 ** shift;
  switch (option) {
    case 2: // UXTW
      return () => toAddress(x[n], x[n + 1]) + (x[m] >>> 0) * scale;
    case 6: // SXTW
      return () => toAddress(x[n], x[n + 1]) + x[m] * scale;
    case 3: // LSL / UXTX
    case 7: // SXTX
      // Wrapping 64-bit sums in int32 halves, without the scratch pair: these are the array-indexing loads.
      if (shift === 0) {
        return () => {
          const lo = (x[n] >>> 0) + (x[m] >>> 0);
          const hi = (x[n + 1] + x[m + 1] + (lo >= TWO32 ? 1 : 0)) | 0;
          return hi * TWO32 + (lo >>> 0);
        };
      }
      return () => {
        const mlo = x[m];
        const lo = (x[n] >>> 0) + ((mlo << shift) >>> 0);
        const mhi = (x[m + 1] << shift) | (mlo >>> (32 - shift));
        const hi = (x[n + 1] + mhi + (lo >= TWO32 ? 1 : 0)) | 0;
        return hi * TWO32 + (lo >>> 0);
      };
    default:
      return null;
  }
}
