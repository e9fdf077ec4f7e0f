// SSE/SSE2/SSE3/SSE4.1 floating-point arithmetic: ADD/SUB/MUL/DIV/SQRT/MIN/MAX
// in PS/SS/PD/SD forms, CMPccPS/SS/PD/SD, (U)COMISS/SD, the horizontal forms
// (HADD/HSUB, ADDSUB) and DPPS/DPPD. Lanes are computed into a scratch, then
// written only when no unmasked exception was raised.

import type { X86CpuState } from '../cpu-state';
import { mxBegin, mxEnd, mxStep } from '../sse-fp-env';
import { EQ, f32Add, f32Compare, f32Div, f32MinMax, f32Mul, f32Sqrt, f32Sub, GT, LT, UN } from '../sse-fp32';
import { DR, f64Add, f64Compare, f64Div, f64MinMax, f64Mul, f64Sqrt, f64Sub } from '../sse-fp64';
import { CF, PF, SSE_OUT, ZF, type XmmFile } from './sse-operands';

export type Op32 = (a: number, b: number) => number;
export type Op64 = (alo: number, ahi: number, blo: number, bhi: number) => void;

const T = new Int32Array(4);

export const min32: Op32 = (a, b) => f32MinMax(a, b, false);
export const max32: Op32 = (a, b) => f32MinMax(a, b, true);
export const min64: Op64 = (alo, ahi, blo, bhi) => f64MinMax(alo, ahi, blo, bhi, false);
export const max64: Op64 = (alo, ahi, blo, bhi) => f64MinMax(alo, ahi, blo, bhi, true);
const sqrt32: Op32 = (_a, b) => f32Sqrt(b);
const sqrt64: Op64 = (_alo, _ahi, blo, bhi) => f64Sqrt(blo, bhi);

export const OPS32: Record<string, Op32> = { add: f32Add, sub: f32Sub, mul: f32Mul, div: f32Div, min: min32, max: max32, sqrt: sqrt32 };
export const OPS64: Record<string, Op64> = { add: f64Add, sub: f64Sub, mul: f64Mul, div: f64Div, min: min64, max: max64, sqrt: sqrt64 };

/** xxxPS: four single lanes. */
export function packedPs(s: X86CpuState, d: number, src: XmmFile, si: number, op: Op32): number {
  const w = s.xw;
  const v = src.xw;
  const dd = d << 2;
  const ss = si << 2;
  mxBegin(s);
  T[0] = op(w[dd], v[ss]);
  T[1] = op(w[dd + 1], v[ss + 1]);
  T[2] = op(w[dd + 2], v[ss + 2]);
  T[3] = op(w[dd + 3], v[ss + 3]);
  const x = mxEnd(s);
  if (x !== 0) return x;
  w[dd] = T[0];
  w[dd + 1] = T[1];
  w[dd + 2] = T[2];
  w[dd + 3] = T[3];
  return 0;
}

/** xxxSS: lane 0 only; the rest of the destination is kept. */
export function scalarSs(s: X86CpuState, d: number, src: XmmFile, si: number, op: Op32): number {
  mxBegin(s);
  const r = op(s.xw[d << 2], src.xw[si << 2]);
  const x = mxEnd(s);
  if (x === 0) s.xw[d << 2] = r;
  return x;
}

export function packedPd(s: X86CpuState, d: number, src: XmmFile, si: number, op: Op64): number {
  const w = s.xw;
  const v = src.xw;
  const dd = d << 2;
  const ss = si << 2;
  mxBegin(s);
  op(w[dd], w[dd + 1], v[ss], v[ss + 1]);
  T[0] = DR[0];
  T[1] = DR[1];
  op(w[dd + 2], w[dd + 3], v[ss + 2], v[ss + 3]);
  const x = mxEnd(s);
  if (x !== 0) return x;
  w[dd] = T[0];
  w[dd + 1] = T[1];
  w[dd + 2] = DR[0];
  w[dd + 3] = DR[1];
  return 0;
}

export function scalarSd(s: X86CpuState, d: number, src: XmmFile, si: number, op: Op64): number {
  const w = s.xw;
  const dd = d << 2;
  mxBegin(s);
  op(w[dd], w[dd + 1], src.xw[si << 2], src.xw[(si << 2) + 1]);
  const x = mxEnd(s);
  if (x === 0) {
    w[dd] = DR[0];
    w[dd + 1] = DR[1];
  }
  return x;
}

/** CMPccPS/SS/PD/SD predicates (imm8[2:0]): is the outcome (GT, LT, EQ, UN) true, and do quiet NaNs signal? */
const PRED_TRUE = [1 << EQ, 1 << LT, (1 << LT) | (1 << EQ), 1 << UN, ~(1 << EQ), ~(1 << LT), (1 << GT) | (1 << UN), ~(1 << UN)];
const PRED_SIGNALS = [false, true, true, false, false, true, true, false];

function cmp32(imm: number): Op32 {
  const t = PRED_TRUE[imm & 7];
  const sig = PRED_SIGNALS[imm & 7];
  return (a, b) => ((t >> f32Compare(a, b, sig)) & 1 ? -1 : 0);
}

function cmp64(imm: number): Op64 {
  const t = PRED_TRUE[imm & 7];
  const sig = PRED_SIGNALS[imm & 7];
  return (alo, ahi, blo, bhi) => {
    const r = (t >> f64Compare(alo, ahi, blo, bhi, sig)) & 1 ? -1 : 0;
    DR[0] = r;
    DR[1] = r;
  };
}

const CMP32 = [0, 1, 2, 3, 4, 5, 6, 7].map(cmp32);
const CMP64 = [0, 1, 2, 3, 4, 5, 6, 7].map(cmp64);

export function cmpps(s: X86CpuState, d: number, src: XmmFile, si: number, imm: number): number {
  return packedPs(s, d, src, si, CMP32[imm & 7]);
}
export function cmpss(s: X86CpuState, d: number, src: XmmFile, si: number, imm: number): number {
  return scalarSs(s, d, src, si, CMP32[imm & 7]);
}
export function cmppd(s: X86CpuState, d: number, src: XmmFile, si: number, imm: number): number {
  return packedPd(s, d, src, si, CMP64[imm & 7]);
}
export function cmpsd(s: X86CpuState, d: number, src: XmmFile, si: number, imm: number): number {
  return scalarSd(s, d, src, si, CMP64[imm & 7]);
}

const COMI_FLAGS = [0, CF, ZF, ZF | PF | CF];

/** (U)COMISS: SSE_OUT.flags gets ZF, PF, CF (OF, SF, AF cleared). */
export function comiss(s: X86CpuState, d: number, src: XmmFile, si: number, signalQuiet: boolean): number {
  mxBegin(s);
  const r = f32Compare(s.xw[d << 2], src.xw[si << 2], signalQuiet);
  SSE_OUT.flags = COMI_FLAGS[r];
  return mxEnd(s);
}

export function comisd(s: X86CpuState, d: number, src: XmmFile, si: number, signalQuiet: boolean): number {
  mxBegin(s);
  const ss = si << 2;
  const r = f64Compare(s.xw[d << 2], s.xw[(d << 2) + 1], src.xw[ss], src.xw[ss + 1], signalQuiet);
  SSE_OUT.flags = COMI_FLAGS[r];
  return mxEnd(s);
}

/** HADDPS / HSUBPS: pairs of the destination, then pairs of the source. */
export function hps(s: X86CpuState, d: number, src: XmmFile, si: number, op: Op32): number {
  const w = s.xw;
  const v = src.xw;
  const dd = d << 2;
  const ss = si << 2;
  mxBegin(s);
  T[0] = op(w[dd], w[dd + 1]);
  T[1] = op(w[dd + 2], w[dd + 3]);
  T[2] = op(v[ss], v[ss + 1]);
  T[3] = op(v[ss + 2], v[ss + 3]);
  const x = mxEnd(s);
  if (x === 0) w.set(T, dd);
  return x;
}

export function hpd(s: X86CpuState, d: number, src: XmmFile, si: number, op: Op64): number {
  const w = s.xw;
  const v = src.xw;
  const dd = d << 2;
  const ss = si << 2;
  mxBegin(s);
  op(w[dd], w[dd + 1], w[dd + 2], w[dd + 3]);
  T[0] = DR[0];
  T[1] = DR[1];
  op(v[ss], v[ss + 1], v[ss + 2], v[ss + 3]);
  T[2] = DR[0];
  T[3] = DR[1];
  const x = mxEnd(s);
  if (x === 0) w.set(T, dd);
  return x;
}

export function addsubps(s: X86CpuState, d: number, src: XmmFile, si: number): number {
  const w = s.xw;
  const v = src.xw;
  const dd = d << 2;
  const ss = si << 2;
  mxBegin(s);
  T[0] = f32Sub(w[dd], v[ss]);
  T[1] = f32Add(w[dd + 1], v[ss + 1]);
  T[2] = f32Sub(w[dd + 2], v[ss + 2]);
  T[3] = f32Add(w[dd + 3], v[ss + 3]);
  const x = mxEnd(s);
  if (x === 0) w.set(T, dd);
  return x;
}

export function addsubpd(s: X86CpuState, d: number, src: XmmFile, si: number): number {
  const w = s.xw;
  const v = src.xw;
  const dd = d << 2;
  const ss = si << 2;
  mxBegin(s);
  f64Sub(w[dd], w[dd + 1], v[ss], v[ss + 1]);
  T[0] = DR[0];
  T[1] = DR[1];
  f64Add(w[dd + 2], w[dd + 3], v[ss + 2], v[ss + 3]);
  T[2] = DR[0];
  T[3] = DR[1];
  const x = mxEnd(s);
  if (x === 0) w.set(T, dd);
  return x;
}

/** DPPS: products of the lanes imm8[7:4] selects (others +0), summed in a
 * lane-dependent order (visible in which NaN wins), broadcast to the lanes imm8[3:0] selects. */
export function dpps(s: X86CpuState, d: number, src: XmmFile, si: number, imm: number): number {
  const w = s.xw;
  const v = src.xw;
  const dd = d << 2;
  const ss = si << 2;
  mxBegin(s);
  for (let i = 0; i < 4; i++) T[i] = (imm >> (4 + i)) & 1 ? f32Mul(w[dd + i], v[ss + i]) : 0;
  if (!mxStep()) return mxEnd(s);
  // Lane i adds t_i = p_(i^1) + p_i and then t_i + t_(i^2).
  const t0 = f32Add(T[1], T[0]);
  const t1 = f32Add(T[0], T[1]);
  const t2 = f32Add(T[3], T[2]);
  const t3 = f32Add(T[2], T[3]);
  if (!mxStep()) return mxEnd(s);
  T[0] = f32Add(t0, t2);
  T[1] = f32Add(t1, t3);
  T[2] = f32Add(t2, t0);
  T[3] = f32Add(t3, t1);
  const x = mxEnd(s);
  if (x === 0) for (let i = 0; i < 4; i++) w[dd + i] = (imm >> i) & 1 ? T[i] : 0;
  return x;
}

/** DPPD: lane 0 gets p0+p1, lane 1 p1+p0. */
export function dppd(s: X86CpuState, d: number, src: XmmFile, si: number, imm: number): number {
  const w = s.xw;
  const v = src.xw;
  const dd = d << 2;
  const ss = si << 2;
  mxBegin(s);
  for (let i = 0; i < 2; i++) {
    if ((imm >> (4 + i)) & 1) {
      f64Mul(w[dd + 2 * i], w[dd + 2 * i + 1], v[ss + 2 * i], v[ss + 2 * i + 1]);
      T[2 * i] = DR[0];
      T[2 * i + 1] = DR[1];
    } else {
      T[2 * i] = 0;
      T[2 * i + 1] = 0;
    }
  }
  if (!mxStep()) return mxEnd(s);
  f64Add(T[2], T[3], T[0], T[1]);
  const hlo = DR[0];
  const hhi = DR[1];
  f64Add(T[0], T[1], T[2], T[3]);
  const x = mxEnd(s);
  if (x !== 0) return x;
  const on0 = imm & 1;
  const on1 = (imm >> 1) & 1;
  w[dd] = on0 ? DR[0] : 0;
  w[dd + 1] = on0 ? DR[1] : 0;
  w[dd + 2] = on1 ? hlo : 0;
  w[dd + 3] = on1 ? hhi : 0;
  return 0;
}

