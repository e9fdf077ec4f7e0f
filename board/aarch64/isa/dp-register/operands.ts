// Second operands of the data-processing (register) group: a register shifted
// by a constant (LSL/LSR/ASR/ROR) or extended (UXTB..SXTX) then shifted left.
// Chosen once at decode time; 64-bit results land in R like int64.ts.

import { asr64, lsl64, lsr64, R, ror32, ror64 } from '../../int64';

export type Shift32 = (v: number, amount: number) => number;
export type Shift64 = (lo: number, hi: number, amount: number) => void;

/** Indexed by the instruction's shift field: LSL, LSR, ASR, ROR (amount 0..31). */
export const SHIFT32: readonly Shift32[] = [
  (v, a) => v << a,
  (v, a) => (v >>> a) | 0,
  (v, a) => v >> a,
  ror32,
];

/** Indexed by the shift field; amount 0..63. */
export const SHIFT64: readonly Shift64[] = [lsl64, lsr64, asr64, ror64];

export type Extend32 = (v: number) => number;
export type Extend64 = (lo: number, hi: number) => void;

/** Indexed by the option field: UXTB, UXTH, UXTW, UXTX, SXTB, SXTH, SXTW, SXTX, on a W value. */
export const EXTEND32: readonly Extend32[] = [
  (v) => v & 0xff,
  (v) => v & 0xffff,
  (v) => v,
  (v) => v,
  (v) => (v << 24) >> 24,
  (v) => (v << 16) >> 16,
  (v) => v,
  (v) => v,
];

/** Indexed by the option field; the X forms (UXTX, SXTX) use both halves. */
export const EXTEND64: readonly Extend64[] = [
  (lo) => set(lo & 0xff, 0),
  (lo) => set(lo & 0xffff, 0),
  (lo) => set(lo, 0),
  (lo, hi) => set(lo, hi),
  (lo) => set((lo << 24) >> 24, lo << 24 >> 31),
  (lo) => set((lo << 16) >> 16, lo << 16 >> 31),
  (lo) => set(lo, lo >> 31),
  (lo, hi) => set(lo, hi),
];

function set(lo: number, hi: number): void {
  R[0] = lo;
  R[1] = hi;
}
