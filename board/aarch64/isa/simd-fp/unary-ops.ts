// Element operations of the two-register misc FP instructions (and the
// fixed-point conversions by immediate), one per precision: half and single
// on raw patterns, double on (lo, hi) with the result in FR.

import * as h from '../../fp/binary16';
import * as s from '../../fp/binary32';
import * as d from '../../fp/binary64';
import { CMP_EQUAL, CMP_GREATER, CMP_LESS } from '../../fp/compare';
import { FX } from '../../fp/convert';
import { FpEnv, fpcrRounding, Rounding } from '../../fp/fpcr';
import { EST, EST16, EST32, EST64, EstFormat, recipEstimate, recpX, rsqrtEstimate, unsignedRecipEstimate, unsignedRSqrtEstimate } from '../../fp/estimates';

export type Un16 = (env: FpEnv, a: number) => number;
export type Un32 = Un16;
export type Un64 = (env: FpEnv, lo: number, hi: number) => void;

export interface FpUnary {
  readonly h: Un16 | null;
  readonly s: Un32;
  readonly d: Un64 | null;
}

const FR = d.FR;

export const ABS: FpUnary = {
  h: (_e, a) => a & 0x7fff,
  s: (_e, a) => a & 0x7fffffff,
  d: (_e, lo, hi) => {
    FR[0] = lo;
    FR[1] = hi & 0x7fffffff;
  },
};

export const NEG: FpUnary = {
  h: (_e, a) => (a ^ 0x8000) & 0xffff,
  s: (_e, a) => a ^ 0x80000000,
  d: (_e, lo, hi) => {
    FR[0] = lo;
    FR[1] = hi ^ 0x80000000;
  },
};

export const SQRT: FpUnary = { h: h.f16Sqrt, s: s.f32Sqrt, d: d.f64Sqrt };

/** FRINT<mode>; `mode` undefined means FPCR's rounding (FRINTI, FRINTX). */
export function roundInt(mode: Rounding | undefined, exact: boolean): FpUnary {
  if (mode === undefined) {
    return {
      h: (e, a) => h.f16RoundInt(e, a, fpcrRounding(e.fpcr), exact),
      s: (e, a) => s.f32RoundInt(e, a, fpcrRounding(e.fpcr), exact),
      d: (e, lo, hi) => d.f64RoundInt(e, lo, hi, fpcrRounding(e.fpcr), exact),
    };
  }
  return { h: (e, a) => h.f16RoundInt(e, a, mode, exact), s: (e, a) => s.f32RoundInt(e, a, mode, exact), d: (e, lo, hi) => d.f64RoundInt(e, lo, hi, mode, exact) };
}

/** FRINT32Z/X, FRINT64Z/X (no half-precision forms). */
export function roundIntN(mode: Rounding | undefined, width: 32 | 64): FpUnary {
  return {
    h: null,
    s: (e, a) => s.f32RoundIntN(e, a, mode ?? fpcrRounding(e.fpcr), width),
    d: (e, lo, hi) => d.f64RoundIntN(e, lo, hi, mode ?? fpcrRounding(e.fpcr), width),
  };
}

/** FCVT<mode>S/U and FCVTZS/U #fbits: to a same-width integer lane. */
export function toInt(mode: Rounding, unsigned: boolean, fbits: number): FpUnary {
  return {
    h: (e, a) => h.f16ToFixed16(e, a, fbits, unsigned, mode),
    s: (e, a) => {
      s.f32ToFixed(e, a, fbits, unsigned, 32, mode);
      return FX[0];
    },
    d: (e, lo, hi) => {
      d.f64ToFixed(e, lo, hi, fbits, unsigned, 64, mode);
      FR[0] = FX[0];
      FR[1] = FX[1];
    },
  };
}

/** SCVTF/UCVTF (#fbits): from a same-width integer lane, FPCR rounding. */
export function fromInt(unsigned: boolean, fbits: number): FpUnary {
  return {
    h: (e, a) => h.f16FromFixed(e, unsigned ? a & 0xffff : (a << 16) >> 16, 0, 32, unsigned, fbits),
    s: (e, a) => s.f32FromFixed(e, a, 0, 32, unsigned, fbits),
    d: (e, lo, hi) => d.f64FromFixed(e, lo, hi, 64, unsigned, fbits),
  };
}

type Test = (c: number) => boolean;

/** FCMxx against zero: `test` sees the FPCompare result of (element, 0). */
function compareZero(test: Test, signalAll: boolean): FpUnary {
  return {
    h: (e, a) => (test(h.f16Compare(e, a, 0, signalAll)) ? 0xffff : 0),
    s: (e, a) => (test(s.f32Compare(e, a, 0, signalAll)) ? -1 : 0),
    d: (e, lo, hi) => {
      FR[0] = test(d.f64Compare(e, lo, hi, 0, 0, signalAll)) ? -1 : 0;
      FR[1] = FR[0];
    },
  };
}

export const CMGT0 = compareZero((c) => c === CMP_GREATER, true);
export const CMGE0 = compareZero((c) => c === CMP_GREATER || c === CMP_EQUAL, true);
export const CMEQ0 = compareZero((c) => c === CMP_EQUAL, false);
export const CMLE0 = compareZero((c) => c === CMP_LESS || c === CMP_EQUAL, true);
export const CMLT0 = compareZero((c) => c === CMP_LESS, true);

type Estimator = (fmt: EstFormat, env: FpEnv, hi: number, lo: number) => void;

function estimate(fn: Estimator): FpUnary {
  return {
    h: (e, a) => {
      fn(EST16, e, a, 0);
      return EST[0];
    },
    s: (e, a) => {
      fn(EST32, e, a, 0);
      return EST[0];
    },
    d: (e, lo, hi) => {
      fn(EST64, e, hi, lo);
      FR[0] = EST[0];
      FR[1] = EST[1];
    },
  };
}

export const RECPE = estimate(recipEstimate);
export const RSQRTE = estimate(rsqrtEstimate);
export const RECPX = estimate(recpX);

export const URECPE: FpUnary = { h: null, s: (_e, a) => unsignedRecipEstimate(a), d: null };
export const URSQRTE: FpUnary = { h: null, s: (_e, a) => unsignedRSqrtEstimate(a), d: null };
