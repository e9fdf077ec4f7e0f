// 64-bit shifts by an amount fixed at decode time (LSL/LSR/ASR immediate, the
// bitfield aliases): each amount range gets its own closure, with the
// shift counts precomputed, so the hot path has no branches and no scratch pair.

import type { Op } from '../decoder';

/** x[d..d+1] = x[n..n+1] << amount, 0 < amount < 64. */
export function shiftLeft64(x: Int32Array, d: number, n: number, amount: number): Op {
  if (amount >= 32) {
    const s = amount - 32;
    return () => {
      x[d + 1] = x[n] << s;
      x[d] = 0;
    };
  }
  const back = 32 - amount;
  return () => {
    const lo = x[n];
    x[d + 1] = (x[n + 1] << amount) | (lo >>> back);
    x[d] = lo << amount;
  };
}

/** x[d..d+1] = x[n..n+1] >>> amount (signed: >>), 0 < amount < 64. */
export function shiftRight64(x: Int32Array, d: number, n: number, amount: number, signed: boolean): Op {
  if (amount >= 32) {
    const s = amount - 32;
    return signed
      ? () => {
          const hi = x[n + 1];
          x[d] = hi >> s;
          x[d + 1] = hi >> 31;
        }
      : () => {
          x[d] = x[n + 1] >>> s;
          x[d + 1] = 0;
        };
  }
  const back = 32 - amount;
  return signed
    ? () => {
        const hi = x[n + 1];
        x[d] = (x[n] >>> amount) | (hi << back);
        x[d + 1] = hi >> amount;
      }
    : () => {
        const hi = x[n + 1];
        x[d] = (x[n] >>> amount) | (hi << back);
        x[d + 1] = hi >>> amount;
      };
}
