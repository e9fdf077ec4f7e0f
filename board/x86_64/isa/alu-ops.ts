// The arithmetic and logic operations with their lazy flags (see ../flags.ts):
// one function per operation at widths 1/2/4 (lg 0..2: operands zero-extended
// to the width, 32-bit as int32; the result is returned) and one at width 8
// (halves in, result left in out[oi], out[oi + 1]).

import { Lazy } from '../cpu-state';
import { Cc } from '../flags';
import * as mflags from '../flags';
import * as moperand_forms from './operand-forms';

// Module-local bindings of imported functions and constants: test runners that
// turn imports into property reads (vitest) still call them directly.
const { getCF } = mflags;
const { MASKS } = moperand_forms;

export const enum Alu {
  Add = 0,
  Or = 1,
  Adc = 2,
  Sbb = 3,
  And = 4,
  Sub = 5,
  Xor = 6,
  Cmp = 7,
}

export type Alu32 = (lz: Int32Array, a: number, b: number, lg: number) => number;
export type Alu64 = (lz: Int32Array, aLo: number, aHi: number, bLo: number, bHi: number, out: Int32Array, oi: number) => void;

function set(lz: Int32Array, kind: number, lg: number, d: number, a: number, b: number): void {
  lz[Lazy.Op] = (kind << 2) | lg;
  lz[Lazy.DstLo] = d;
  lz[Lazy.Src1Lo] = a;
  lz[Lazy.Src2Lo] = b;
}

function set64(lz: Int32Array, kind: number, dLo: number, dHi: number, aLo: number, aHi: number, bLo: number, bHi: number): void {
  lz[Lazy.Op] = (kind << 2) | 3;
  lz[Lazy.DstLo] = dLo;
  lz[Lazy.DstHi] = dHi;
  lz[Lazy.Src1Lo] = aLo;
  lz[Lazy.Src1Hi] = aHi;
  lz[Lazy.Src2Lo] = bLo;
  lz[Lazy.Src2Hi] = bHi;
}

export function add32(lz: Int32Array, a: number, b: number, lg: number): number {
  const d = (a + b) & MASKS[lg];
  set(lz, Cc.Add, lg, d, a, b);
  return d;
}

export function adc32(lz: Int32Array, a: number, b: number, lg: number): number {
  const c = getCF(lz);
  const d = (a + b + c) & MASKS[lg];
  set(lz, Cc.Adc, lg, d, a, b);
  lz[Lazy.Size] = c;
  return d;
}

export function sub32(lz: Int32Array, a: number, b: number, lg: number): number {
  const d = (a - b) & MASKS[lg];
  set(lz, Cc.Sub, lg, d, a, b);
  return d;
}

export function sbb32(lz: Int32Array, a: number, b: number, lg: number): number {
  const c = getCF(lz);
  const d = (a - b - c) & MASKS[lg];
  set(lz, Cc.Sbb, lg, d, a, b);
  lz[Lazy.Size] = c;
  return d;
}

export function and32(lz: Int32Array, a: number, b: number, lg: number): number {
  const d = a & b;
  lz[Lazy.Op] = (Cc.Logic << 2) | lg;
  lz[Lazy.DstLo] = d;
  return d;
}

export function or32(lz: Int32Array, a: number, b: number, lg: number): number {
  const d = a | b;
  lz[Lazy.Op] = (Cc.Logic << 2) | lg;
  lz[Lazy.DstLo] = d;
  return d;
}

export function xor32(lz: Int32Array, a: number, b: number, lg: number): number {
  const d = a ^ b;
  lz[Lazy.Op] = (Cc.Logic << 2) | lg;
  lz[Lazy.DstLo] = d;
  return d;
}

export function add64(lz: Int32Array, aLo: number, aHi: number, bLo: number, bHi: number, out: Int32Array, oi: number): void {
  const lo = (aLo + bLo) | 0;
  const hi = (aHi + bHi + (lo >>> 0 < aLo >>> 0 ? 1 : 0)) | 0;
  set64(lz, Cc.Add, lo, hi, aLo, aHi, bLo, bHi);
  out[oi] = lo;
  out[oi + 1] = hi;
}

export function adc64(lz: Int32Array, aLo: number, aHi: number, bLo: number, bHi: number, out: Int32Array, oi: number): void {
  const c = getCF(lz);
  const lo = (aLo + bLo + c) | 0;
  const carry = c === 0 ? lo >>> 0 < aLo >>> 0 : lo >>> 0 <= aLo >>> 0;
  const hi = (aHi + bHi + (carry ? 1 : 0)) | 0;
  set64(lz, Cc.Adc, lo, hi, aLo, aHi, bLo, bHi);
  lz[Lazy.Size] = c;
  out[oi] = lo;
  out[oi + 1] = hi;
}

export function sub64(lz: Int32Array, aLo: number, aHi: number, bLo: number, bHi: number, out: Int32Array, oi: number): void {
  const lo = (aLo - bLo) | 0;
  const hi = (aHi - bHi - (aLo >>> 0 < bLo >>> 0 ? 1 : 0)) | 0;
  set64(lz, Cc.Sub, lo, hi, aLo, aHi, bLo, bHi);
  out[oi] = lo;
  out[oi + 1] = hi;
}

export function sbb64(lz: Int32Array, aLo: number, aHi: number, bLo: number, bHi: number, out: Int32Array, oi: number): void {
  const c = getCF(lz);
  const lo = (aLo - bLo - c) | 0;
  const borrow = c === 0 ? aLo >>> 0 < bLo >>> 0 : aLo >>> 0 <= bLo >>> 0;
  const hi = (aHi - bHi - (borrow ? 1 : 0)) | 0;
  set64(lz, Cc.Sbb, lo, hi, aLo, aHi, bLo, bHi);
  lz[Lazy.Size] = c;
  out[oi] = lo;
  out[oi + 1] = hi;
}

function logic64(lz: Int32Array, lo: number, hi: number, out: Int32Array, oi: number): void {
  lz[Lazy.Op] = (Cc.Logic << 2) | 3;
  lz[Lazy.DstLo] = lo;
  lz[Lazy.DstHi] = hi;
  out[oi] = lo;
  out[oi + 1] = hi;
}

export function and64(lz: Int32Array, aLo: number, aHi: number, bLo: number, bHi: number, out: Int32Array, oi: number): void {
  logic64(lz, aLo & bLo, aHi & bHi, out, oi);
}

export function or64(lz: Int32Array, aLo: number, aHi: number, bLo: number, bHi: number, out: Int32Array, oi: number): void {
  logic64(lz, aLo | bLo, aHi | bHi, out, oi);
}

export function xor64(lz: Int32Array, aLo: number, aHi: number, bLo: number, bHi: number, out: Int32Array, oi: number): void {
  logic64(lz, aLo ^ bLo, aHi ^ bHi, out, oi);
}

/** Indexed by Alu (CMP is SUB without the write). */
export const ALU32: readonly Alu32[] = [add32, or32, adc32, sbb32, and32, sub32, xor32, sub32];
export const ALU64: readonly Alu64[] = [add64, or64, adc64, sbb64, and64, sub64, xor64, sub64];

// ---- unary: INC, DEC, NEG (NOT sets no flags) ----

export function inc32(lz: Int32Array, a: number, lg: number): number {
  const c = getCF(lz);
  const d = (a + 1) & MASKS[lg];
  set(lz, Cc.Inc, lg, d, a, 1);
  lz[Lazy.Size] = c;
  return d;
}

export function dec32(lz: Int32Array, a: number, lg: number): number {
  const c = getCF(lz);
  const d = (a - 1) & MASKS[lg];
  set(lz, Cc.Dec, lg, d, a, 1);
  lz[Lazy.Size] = c;
  return d;
}

export function inc64(lz: Int32Array, aLo: number, aHi: number, out: Int32Array, oi: number): void {
  const c = getCF(lz);
  const lo = (aLo + 1) | 0;
  const hi = (aHi + (lo === 0 ? 1 : 0)) | 0;
  set64(lz, Cc.Inc, lo, hi, aLo, aHi, 1, 0);
  lz[Lazy.Size] = c;
  out[oi] = lo;
  out[oi + 1] = hi;
}

export function dec64(lz: Int32Array, aLo: number, aHi: number, out: Int32Array, oi: number): void {
  const c = getCF(lz);
  const lo = (aLo - 1) | 0;
  const hi = (aHi - (aLo === 0 ? 1 : 0)) | 0;
  set64(lz, Cc.Dec, lo, hi, aLo, aHi, 1, 0);
  lz[Lazy.Size] = c;
  out[oi] = lo;
  out[oi + 1] = hi;
}
