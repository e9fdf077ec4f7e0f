// Data-processing (3 source), Arm ARM C4.1.95: MADD, MSUB, SMADDL, SMSUBL,
// UMADDL, UMSUBL, SMULH, UMULH. MUL and MNEG are MADD/MSUB with XZR as Ra.

import { ZR_READ, zrDst, zrSrc } from '../../cpu-state';
import { bit, bits, Encoding, Handler } from '../../decoder';
import { mul64, R, umul32, umulhi32 } from '../../int64';
import { smul32, smulh64, umulh64 } from './wide-multiply';

const TWO32 = 4294967296;

/** x[d..d+1] = a +/- R (64-bit), R holding a product. */
function accumulate(x: Int32Array, d: number, alo: number, ahi: number, sub: boolean): void {
  const plo = R[0] >>> 0;
  const phi = R[1];
  if (sub) {
    const lo = (alo >>> 0) - plo;
    x[d + 1] = (ahi - phi - (lo < 0 ? 1 : 0)) | 0;
    x[d] = lo | 0;
  } else {
    const lo = (alo >>> 0) + plo;
    x[d + 1] = (ahi + phi + (lo >= TWO32 ? 1 : 0)) | 0;
    x[d] = lo | 0;
  }
}

const threeSource: Handler = (insn, ctx) => {
  const sf = bit(insn, 31);
  const op31 = bits(insn, 23, 21);
  const sub = bit(insn, 15) === 1;
  if (bits(insn, 30, 29) !== 0) return null;
  if (sf === 0 && op31 !== 0) return null;
  if (op31 === 3 || op31 === 4 || op31 === 7 || ((op31 === 2 || op31 === 6) && sub)) return null;
  const x = ctx.cpu.x;
  const m = 2 * zrSrc(bits(insn, 20, 16));
  const a = 2 * zrSrc(bits(insn, 14, 10));
  const n = 2 * zrSrc(bits(insn, 9, 5));
  const d = 2 * zrDst(bits(insn, 4, 0));
  const noAddend = a === 2 * ZR_READ;
  switch (op31) {
    case 0:
      if (sf === 0) {
        if (noAddend) return sub ? () => { x[d] = -Math.imul(x[n], x[m]); x[d + 1] = 0; } : () => { x[d] = Math.imul(x[n], x[m]); x[d + 1] = 0; };
        return sub
          ? () => { x[d] = x[a] - Math.imul(x[n], x[m]); x[d + 1] = 0; }
          : () => { x[d] = x[a] + Math.imul(x[n], x[m]); x[d + 1] = 0; };
      }
      if (noAddend && !sub) {
        return () => { // MUL, written out: this is the hot multiply of hashing loops
          const alo = x[n];
          const blo = x[m];
          const hi = (umulhi32(alo, blo) + Math.imul(alo, x[m + 1]) + Math.imul(x[n + 1], blo)) | 0;
          x[d] = Math.imul(alo, blo);
          x[d + 1] = hi;
        };
      }
      return () => {
        const alo = x[a];
        const ahi = x[a + 1];
        mul64(x[n], x[n + 1], x[m], x[m + 1]);
        accumulate(x, d, alo, ahi, sub);
      };
    case 1:
      return () => {
        const alo = x[a];
        const ahi = x[a + 1];
        smul32(x[n], x[m]);
        accumulate(x, d, alo, ahi, sub);
      };
    case 5:
      return () => {
        const alo = x[a];
        const ahi = x[a + 1];
        umul32(x[n], x[m]);
        accumulate(x, d, alo, ahi, sub);
      };
    case 2:
      return () => {
        smulh64(x[n], x[n + 1], x[m], x[m + 1]);
        x[d] = R[0];
        x[d + 1] = R[1];
      };
    default:
      return () => {
        umulh64(x[n], x[n + 1], x[m], x[m + 1]);
        x[d] = R[0];
        x[d + 1] = R[1];
      };
  }
};

export const multiply: Encoding[] = [
  { name: 'MADD/MSUB/SMADDL/SMSUBL/UMADDL/UMSUBL/SMULH/UMULH', pattern: 'x xx 11011 xxx xxxxx x xxxxx xxxxx xxxxx', handler: threeSource },
];
