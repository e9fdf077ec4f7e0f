// Scalar FP register writes: a scalar result zeroes the rest of the 128-bit
// vector register. Register n's words are vw[4n..4n+3]; its halfword 0 is vh[8n].

export function writeS(vw: Int32Array, d: number, v: number): void {
  vw[d] = v;
  vw[d + 1] = 0;
  vw[d + 2] = 0;
  vw[d + 3] = 0;
}

export function writeD(vw: Int32Array, d: number, lo: number, hi: number): void {
  vw[d] = lo;
  vw[d + 1] = hi;
  vw[d + 2] = 0;
  vw[d + 3] = 0;
}

/** `d` is the register's word index (4n); its halfword index is 2d. */
export function writeH(vw: Int32Array, d: number, v: number): void {
  vw[d] = v & 0xffff;
  vw[d + 1] = 0;
  vw[d + 2] = 0;
  vw[d + 3] = 0;
}

/** ftype field: 0 single, 1 double, 3 half (2 is unallocated for arithmetic). */
export const enum FType {
  Single = 0,
  Double = 1,
  Half = 3,
}
