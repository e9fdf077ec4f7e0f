// AdvSIMD modified immediate: MOVI, MVNI, ORR, BIC (vector, immediate) and
// FMOV (vector, immediate), following AdvSIMDExpandImm and VFPExpandImm.

import { bit, bits, Handler } from '../../decoder';
import { vecViews } from './lanes';

/** The 64-bit immediate as (lo, hi) words, or null when the combination is unallocated. */
export function expandImm(op: number, cmode: number, imm8: number): [number, number] | null {
  let w: number;
  switch (cmode >>> 1) {
    case 0:
    case 1:
    case 2:
    case 3:
      w = imm8 << (8 * (cmode >>> 1));
      return [w | 0, w | 0];
    case 4:
    case 5:
      w = Math.imul(imm8 << (8 * ((cmode >>> 1) & 1)), 0x10001);
      return [w, w];
    case 6:
      w = cmode & 1 ? (imm8 << 16) | 0xffff : (imm8 << 8) | 0xff;
      return [w, w];
    default:
      break;
  }
  if ((cmode & 1) === 0) {
    if (op === 0) {
      w = Math.imul(imm8, 0x01010101);
      return [w, w];
    }
    return [byteMask(imm8 & 15), byteMask(imm8 >>> 4)];
  }
  return op === 0 ? [fp32Imm(imm8), fp32Imm(imm8)] : [0, fp64HighImm(imm8)];
}

/** Each of the 4 bits expanded to a byte of ones or zeros. */
function byteMask(nibble: number): number {
  let w = 0;
  for (let i = 0; i < 4; i++) if ((nibble >>> i) & 1) w |= 0xff << (8 * i);
  return w;
}

function fp32Imm(imm8: number): number {
  const a = imm8 >>> 7;
  const b = (imm8 >>> 6) & 1;
  return (a << 31) | ((b ^ 1) << 30) | ((b ? 0x1f : 0) << 25) | ((imm8 & 0x3f) << 19);
}

function fp64HighImm(imm8: number): number {
  const a = imm8 >>> 7;
  const b = (imm8 >>> 6) & 1;
  return (a << 31) | ((b ^ 1) << 30) | ((b ? 0xff : 0) << 22) | ((imm8 & 0x3f) << 16);
}

function fp16Imm(imm8: number): number {
  const a = imm8 >>> 7;
  const b = (imm8 >>> 6) & 1;
  return (a << 15) | ((b ^ 1) << 14) | ((b ? 3 : 0) << 12) | ((imm8 & 0x3f) << 6);
}

export const modifiedImmediate: Handler = (insn, ctx) => {
  const q = bit(insn, 30);
  const op = bit(insn, 29);
  const cmode = bits(insn, 15, 12);
  const o2 = bit(insn, 11);
  const imm8 = (bits(insn, 18, 16) << 5) | bits(insn, 9, 5);
  const { vw } = vecViews(ctx.cpu);
  const d4 = 4 * bits(insn, 4, 0);
  let lo: number;
  let hi: number;
  if (o2 === 1) {
    // FMOV (vector, immediate), half precision
    if (op === 1 || cmode !== 15) return null;
    lo = hi = Math.imul(fp16Imm(imm8), 0x10001);
  } else {
    if (op === 1 && cmode === 15 && q === 0) return null;
    const imm = expandImm(op, cmode, imm8);
    if (imm === null) return null;
    [lo, hi] = imm;
  }
  // ORR / BIC: cmode 0xx1 and 10x1 (not 11xx)
  const logical = (cmode & 1) === 1 && cmode < 12;
  if (!logical) {
    const invert = op === 1 && cmode < 14;
    if (invert) {
      lo = ~lo;
      hi = ~hi;
    }
    const l2 = q ? lo : 0;
    const h2 = q ? hi : 0;
    return () => {
      vw[d4] = lo;
      vw[d4 + 1] = hi;
      vw[d4 + 2] = l2;
      vw[d4 + 3] = h2;
    };
  }
  if (op === 0) {
    return q
      ? () => {
          vw[d4] |= lo;
          vw[d4 + 1] |= hi;
          vw[d4 + 2] |= lo;
          vw[d4 + 3] |= hi;
        }
      : () => {
          vw[d4] |= lo;
          vw[d4 + 1] |= hi;
          vw[d4 + 2] = 0;
          vw[d4 + 3] = 0;
        };
  }
  const ml = ~lo;
  const mh = ~hi;
  return q
    ? () => {
        vw[d4] &= ml;
        vw[d4 + 1] &= mh;
        vw[d4 + 2] &= ml;
        vw[d4 + 3] &= mh;
      }
    : () => {
        vw[d4] &= ml;
        vw[d4 + 1] &= mh;
        vw[d4 + 2] = 0;
        vw[d4 + 3] = 0;
      };
};
