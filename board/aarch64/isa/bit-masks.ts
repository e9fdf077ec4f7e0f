// DecodeBitMasks (Arm ARM shared pseudocode) for logical immediates: the
// replicated, rotated run of ones an (N, immr, imms) triple stands for.

import { R, ones64, ror64 } from '../int64';

/** The immediate as (lo, hi), or null for a reserved encoding. */
export function logicalImmediate(n: number, imms: number, immr: number, datasize: 32 | 64): [number, number] | null {
  const combined = (n << 6) | (~imms & 0x3f);
  if (combined === 0) return null;
  const len = 31 - Math.clz32(combined);
  if (len < 1 || (datasize === 32 && len > 5)) return null;
  const levels = (1 << len) - 1;
  const s = imms & levels;
  const r = immr & levels;
  if (s === levels) return null;
  const esize = 1 << len;
  if (esize === 64) {
    ones64(s + 1);
    ror64(R[0], R[1], r);
    return [R[0], R[1]];
  }
  const emask = esize === 32 ? -1 : (1 << esize) - 1;
  const run = s + 1 === 32 ? -1 : (1 << (s + 1)) - 1;
  let e = r === 0 ? run : ((run >>> r) | (run << (esize - r))) & emask;
  for (let w = esize; w < 32; w *= 2) e |= e << w;
  return datasize === 32 ? [e | 0, 0] : [e | 0, e | 0];
}
