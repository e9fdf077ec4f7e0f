// NZCV of a - b without computing through a negated operand: the fast path
// of CMP, SUBS and CCMP (same flags as AddWithCarry(a, NOT b, 1)).

import { R } from '../../int64';

/** Flags of the 32-bit subtraction a - b. */
export function compare32(f: Int32Array, a: number, b: number): void {
  const r = (a - b) | 0;
  f[0] = r >>> 31;
  f[1] = r === 0 ? 1 : 0;
  f[2] = a >>> 0 >= b >>> 0 ? 1 : 0;
  f[3] = ((a ^ b) & (a ^ r)) >>> 31;
}

/** Flags of the 64-bit subtraction a - b (CMP: the difference is not kept). */
export function compareFlags64(f: Int32Array, alo: number, ahi: number, blo: number, bhi: number): void {
  const al = alo >>> 0;
  const bl = blo >>> 0;
  const rhi = (ahi - bhi - (al < bl ? 1 : 0)) | 0;
  const ah = ahi >>> 0;
  const bh = bhi >>> 0;
  f[0] = rhi >>> 31;
  f[1] = al === bl && rhi === 0 ? 1 : 0;
  f[2] = ah > bh || (ah === bh && al >= bl) ? 1 : 0;
  f[3] = ((ahi ^ bhi) & (ahi ^ rhi)) >>> 31;
}

/** Flags of the 64-bit subtraction a - b; the difference is left in R. */
export function compare64(f: Int32Array, alo: number, ahi: number, blo: number, bhi: number): void {
  const al = alo >>> 0;
  const bl = blo >>> 0;
  const rlo = (al - bl) | 0;
  const rhi = (ahi - bhi - (al < bl ? 1 : 0)) | 0;
  const ah = ahi >>> 0;
  const bh = bhi >>> 0;
  f[0] = rhi >>> 31;
  f[1] = (rlo | rhi) === 0 ? 1 : 0;
  f[2] = ah > bh || (ah === bh && al >= bl) ? 1 : 0;
  f[3] = ((ahi ^ bhi) & (ahi ^ rhi)) >>> 31;
  R[0] = rlo;
  R[1] = rhi;
}
