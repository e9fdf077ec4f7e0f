// Element operations of the three-same and by-element FP instructions, one per
// precision. Half and single take and return raw bit patterns; double takes
// (lo, hi) halves and leaves its result in FR. `acc` is the destination's old
// element (the FMLA/FMLS addend); the other operations ignore it.

import * as h from '../../fp/binary16';
import * as s from '../../fp/binary32';
import * as d from '../../fp/binary64';
import { CMP_EQUAL, CMP_GREATER } from '../../fp/compare';
import { FpEnv } from '../../fp/fpcr';
import { mulx16, mulx32, mulx64, recps16, recps32, recps64, rsqrts16, rsqrts32, rsqrts64 } from '../../fp/fused-steps';

export type Bin16 = (env: FpEnv, a: number, b: number, acc: number) => number;
export type Bin32 = Bin16;
export type Bin64 = (env: FpEnv, alo: number, ahi: number, blo: number, bhi: number, clo: number, chi: number) => void;

export interface FpBinary {
  readonly h: Bin16;
  readonly s: Bin32;
  readonly d: Bin64;
}

const FR = d.FR;

function bool64(pass: boolean): void {
  FR[0] = pass ? -1 : 0;
  FR[1] = FR[0];
}

const isGe = (c: number): boolean => c === CMP_EQUAL || c === CMP_GREATER;

function maxMin(isMax: boolean, numeric: boolean): FpBinary {
  return {
    h: (e, a, b) => h.f16MaxMin(e, a, b, isMax, numeric),
    s: (e, a, b) => s.f32MaxMin(e, a, b, isMax, numeric),
    d: (e, a, b, c, x) => d.f64MaxMin(e, a, b, c, x, isMax, numeric),
  };
}

export const ADD: FpBinary = { h: h.f16Add, s: s.f32Add, d: d.f64Add };
export const SUB: FpBinary = { h: h.f16Sub, s: s.f32Sub, d: d.f64Sub };
export const MUL: FpBinary = { h: h.f16Mul, s: s.f32Mul, d: d.f64Mul };
export const DIV: FpBinary = { h: h.f16Div, s: s.f32Div, d: d.f64Div };
export const MAX = maxMin(true, false);
export const MIN = maxMin(false, false);
export const MAXNM = maxMin(true, true);
export const MINNM = maxMin(false, true);
export const MULX: FpBinary = { h: mulx16, s: mulx32, d: mulx64 };
export const RECPS: FpBinary = { h: recps16, s: recps32, d: recps64 };
export const RSQRTS: FpBinary = { h: rsqrts16, s: rsqrts32, d: rsqrts64 };

export const MLA: FpBinary = {
  h: (e, a, b, acc) => h.f16MulAdd(e, acc, a, b),
  s: (e, a, b, acc) => s.f32MulAdd(e, acc, a, b),
  d: (e, alo, ahi, blo, bhi, clo, chi) => d.f64MulAdd(e, clo, chi, alo, ahi, blo, bhi),
};

/** FMLS negates the first multiplicand (a NaN there comes out with its sign flipped). */
export const MLS: FpBinary = {
  h: (e, a, b, acc) => h.f16MulAdd(e, acc, a ^ 0x8000, b),
  s: (e, a, b, acc) => s.f32MulAdd(e, acc, a ^ 0x80000000, b),
  d: (e, alo, ahi, blo, bhi, clo, chi) => d.f64MulAdd(e, clo, chi, alo, ahi ^ 0x80000000, blo, bhi),
};

export const ABD: FpBinary = {
  h: (e, a, b) => h.f16Sub(e, a, b) & 0x7fff,
  s: (e, a, b) => s.f32Sub(e, a, b) & 0x7fffffff,
  d: (e, alo, ahi, blo, bhi) => {
    d.f64Sub(e, alo, ahi, blo, bhi);
    FR[1] &= 0x7fffffff;
  },
};

/** FPCompareEQ signals only on signalling NaNs; GE and GT on any NaN. */
export const CMEQ: FpBinary = {
  h: (e, a, b) => (h.f16Compare(e, a, b, false) === CMP_EQUAL ? 0xffff : 0),
  s: (e, a, b) => (s.f32Compare(e, a, b, false) === CMP_EQUAL ? -1 : 0),
  d: (e, alo, ahi, blo, bhi) => bool64(d.f64Compare(e, alo, ahi, blo, bhi, false) === CMP_EQUAL),
};

export const CMGE: FpBinary = {
  h: (e, a, b) => (isGe(h.f16Compare(e, a, b, true)) ? 0xffff : 0),
  s: (e, a, b) => (isGe(s.f32Compare(e, a, b, true)) ? -1 : 0),
  d: (e, alo, ahi, blo, bhi) => bool64(isGe(d.f64Compare(e, alo, ahi, blo, bhi, true))),
};

export const CMGT: FpBinary = {
  h: (e, a, b) => (h.f16Compare(e, a, b, true) === CMP_GREATER ? 0xffff : 0),
  s: (e, a, b) => (s.f32Compare(e, a, b, true) === CMP_GREATER ? -1 : 0),
  d: (e, alo, ahi, blo, bhi) => bool64(d.f64Compare(e, alo, ahi, blo, bhi, true) === CMP_GREATER),
};

/** FACGE/FACGT compare absolute values (FPAbs leaves a NaN a NaN). */
export const ACGE: FpBinary = {
  h: (e, a, b) => CMGE.h(e, a & 0x7fff, b & 0x7fff, 0),
  s: (e, a, b) => CMGE.s(e, a & 0x7fffffff, b & 0x7fffffff, 0),
  d: (e, alo, ahi, blo, bhi) => CMGE.d(e, alo, ahi & 0x7fffffff, blo, bhi & 0x7fffffff, 0, 0),
};

export const ACGT: FpBinary = {
  h: (e, a, b) => CMGT.h(e, a & 0x7fff, b & 0x7fff, 0),
  s: (e, a, b) => CMGT.s(e, a & 0x7fffffff, b & 0x7fffffff, 0),
  d: (e, alo, ahi, blo, bhi) => CMGT.d(e, alo, ahi & 0x7fffffff, blo, bhi & 0x7fffffff, 0, 0),
};
