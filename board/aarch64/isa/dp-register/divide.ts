// 64-bit division in int32 halves (UDIV, SDIV). Quotients land in R. The
// divisor is never zero here: the instruction handles that before calling.

import { clz64, R } from '../../int64';

const TWO32 = 4294967296;
const TWO53 = 9007199254740992;

/** R = floor(a / b), unsigned 64-bit, b != 0. */
export function udiv64(alo: number, ahi: number, blo: number, bhi: number): void {
  const a = (ahi >>> 0) * TWO32 + (alo >>> 0);
  const b = (bhi >>> 0) * TWO32 + (blo >>> 0);
  if (a < TWO53) {
    // Both exact as doubles, and the rounded quotient cannot reach the next integer.
    const q = Math.floor(a / b);
    R[0] = q | 0;
    R[1] = Math.floor(q / TWO32) | 0;
    return;
  }
  longDivide(alo >>> 0, ahi >>> 0, blo >>> 0, bhi >>> 0);
}

/** Shift-and-subtract over the quotient bits that can be set (for dividends of 2^53 and above). */
function longDivide(alo: number, ahi: number, blo: number, bhi: number): void {
  let steps = clz64(blo | 0, bhi | 0) - clz64(alo | 0, ahi | 0);
  if (steps < 0) {
    R[0] = 0;
    R[1] = 0;
    return;
  }
  // Divisor aligned under the dividend's top bit.
  let dlo = blo;
  let dhi = bhi;
  if (steps >= 32) {
    dhi = dlo;
    dlo = 0;
    if (steps > 32) dhi = (dhi << (steps - 32)) >>> 0;
  } else if (steps > 0) {
    dhi = ((dhi << steps) | (dlo >>> (32 - steps))) >>> 0;
    dlo = (dlo << steps) >>> 0;
  }
  let rlo = alo;
  let rhi = ahi;
  let qlo = 0;
  let qhi = 0;
  for (; steps >= 0; steps--) {
    qhi = ((qhi << 1) | (qlo >>> 31)) >>> 0;
    qlo = (qlo << 1) >>> 0;
    if (rhi > dhi || (rhi === dhi && rlo >= dlo)) {
      const borrow = rlo < dlo ? 1 : 0;
      rlo = (rlo - dlo) >>> 0;
      rhi = (rhi - dhi - borrow) >>> 0;
      qlo = (qlo | 1) >>> 0;
    }
    dlo = ((dlo >>> 1) | (dhi << 31)) >>> 0;
    dhi = dhi >>> 1;
  }
  R[0] = qlo | 0;
  R[1] = qhi | 0;
}

/** R = a / b rounded toward zero, signed 64-bit, b != 0 (INT64_MIN / -1 wraps to INT64_MIN). */
export function sdiv64(alo: number, ahi: number, blo: number, bhi: number): void {
  const negA = ahi < 0;
  const negB = bhi < 0;
  if (negA) {
    ahi = alo === 0 ? -ahi : ~ahi;
    alo = -alo;
  }
  if (negB) {
    bhi = blo === 0 ? -bhi : ~bhi;
    blo = -blo;
  }
  udiv64(alo, ahi, blo, bhi);
  if (negA !== negB) {
    const lo = R[0];
    R[1] = lo === 0 ? -R[1] : ~R[1];
    R[0] = -lo;
  }
}
