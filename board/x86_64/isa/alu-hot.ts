// The hottest ALU forms (register-register and register-immediate at 32 and
// 64 bits) as one closure literal per operation, so every call inside a
// closure goes to a single known function and the JIT can inline it (a
// shared closure calling ALU64[kind] would see all eight targets).

import type { X86Op } from '../decoder';
import { Alu } from './alu-ops';
import * as malu_ops from './alu-ops';

// Module-local bindings of imported functions and constants: test runners that
// turn imports into property reads (vitest) still call them directly.
const { add32, add64, adc32, adc64, and32, and64, or32, or64, sbb32, sbb64, sub32, sub64, xor32, xor64 } = malu_ops;

/** Register op= register or immediate (b), 32-bit: r[d] = op(r[d], b()). */
export function alu32Hot(kind: Alu, lz: Int32Array, r: Int32Array, d: number, s: number, imm: number | undefined): X86Op {
  if (imm !== undefined) {
    const b = imm | 0;
    switch (kind) {
      case Alu.Add: return () => { r[d] = add32(lz, r[d], b, 2); r[d + 1] = 0; };
      case Alu.Or: return () => { r[d] = or32(lz, r[d], b, 2); r[d + 1] = 0; };
      case Alu.Adc: return () => { r[d] = adc32(lz, r[d], b, 2); r[d + 1] = 0; };
      case Alu.Sbb: return () => { r[d] = sbb32(lz, r[d], b, 2); r[d + 1] = 0; };
      case Alu.And: return () => { r[d] = and32(lz, r[d], b, 2); r[d + 1] = 0; };
      case Alu.Sub: return () => { r[d] = sub32(lz, r[d], b, 2); r[d + 1] = 0; };
      case Alu.Xor: return () => { r[d] = xor32(lz, r[d], b, 2); r[d + 1] = 0; };
      default: return () => void sub32(lz, r[d], b, 2);
    }
  }
  switch (kind) {
    case Alu.Add: return () => { r[d] = add32(lz, r[d], r[s], 2); r[d + 1] = 0; };
    case Alu.Or: return () => { r[d] = or32(lz, r[d], r[s], 2); r[d + 1] = 0; };
    case Alu.Adc: return () => { r[d] = adc32(lz, r[d], r[s], 2); r[d + 1] = 0; };
    case Alu.Sbb: return () => { r[d] = sbb32(lz, r[d], r[s], 2); r[d + 1] = 0; };
    case Alu.And: return () => { r[d] = and32(lz, r[d], r[s], 2); r[d + 1] = 0; };
    case Alu.Sub: return () => { r[d] = sub32(lz, r[d], r[s], 2); r[d + 1] = 0; };
    case Alu.Xor: return () => { r[d] = xor32(lz, r[d], r[s], 2); r[d + 1] = 0; };
    default: return () => void sub32(lz, r[d], r[s], 2);
  }
}

/** Register op= register or sign-extended immediate, 64-bit (CMP writes its result to the scratch t). */
export function alu64Hot(kind: Alu, lz: Int32Array, r: Int32Array, t: Int32Array, d: number, s: number, imm: number | undefined): X86Op {
  if (imm !== undefined) {
    const lo = imm | 0;
    const hi = imm < 0 ? -1 : 0;
    switch (kind) {
      case Alu.Add: return () => add64(lz, r[d], r[d + 1], lo, hi, r, d);
      case Alu.Or: return () => or64(lz, r[d], r[d + 1], lo, hi, r, d);
      case Alu.Adc: return () => adc64(lz, r[d], r[d + 1], lo, hi, r, d);
      case Alu.Sbb: return () => sbb64(lz, r[d], r[d + 1], lo, hi, r, d);
      case Alu.And: return () => and64(lz, r[d], r[d + 1], lo, hi, r, d);
      case Alu.Sub: return () => sub64(lz, r[d], r[d + 1], lo, hi, r, d);
      case Alu.Xor: return () => xor64(lz, r[d], r[d + 1], lo, hi, r, d);
      default: return () => sub64(lz, r[d], r[d + 1], lo, hi, t, 0);
    }
  }
  switch (kind) {
    case Alu.Add: return () => add64(lz, r[d], r[d + 1], r[s], r[s + 1], r, d);
    case Alu.Or: return () => or64(lz, r[d], r[d + 1], r[s], r[s + 1], r, d);
    case Alu.Adc: return () => adc64(lz, r[d], r[d + 1], r[s], r[s + 1], r, d);
    case Alu.Sbb: return () => sbb64(lz, r[d], r[d + 1], r[s], r[s + 1], r, d);
    case Alu.And: return () => and64(lz, r[d], r[d + 1], r[s], r[s + 1], r, d);
    case Alu.Sub: return () => sub64(lz, r[d], r[d + 1], r[s], r[s + 1], r, d);
    case Alu.Xor: return () => xor64(lz, r[d], r[d + 1], r[s], r[s + 1], r, d);
    default: return () => sub64(lz, r[d], r[d + 1], r[s], r[s + 1], t, 0);
  }
}

/** The same operations when the block's dead-flag pass found their flags unobservable (not ADC/SBB, which read CF). */
export function alu32NoFlags(kind: Alu, r: Int32Array, d: number, s: number, imm: number | undefined): X86Op {
  if (kind === Alu.Cmp) return () => {};
  if (imm !== undefined) {
    const b = imm | 0;
    switch (kind) {
      case Alu.Add: return () => { r[d] = (r[d] + b) | 0; r[d + 1] = 0; };
      case Alu.Sub: return () => { r[d] = (r[d] - b) | 0; r[d + 1] = 0; };
      case Alu.And: return () => { r[d] &= b; r[d + 1] = 0; };
      case Alu.Or: return () => { r[d] |= b; r[d + 1] = 0; };
      case Alu.Xor: return () => { r[d] ^= b; r[d + 1] = 0; };
    }
  } else {
    switch (kind) {
      case Alu.Add: return () => { r[d] = (r[d] + r[s]) | 0; r[d + 1] = 0; };
      case Alu.Sub: return () => { r[d] = (r[d] - r[s]) | 0; r[d + 1] = 0; };
      case Alu.And: return () => { r[d] &= r[s]; r[d + 1] = 0; };
      case Alu.Or: return () => { r[d] |= r[s]; r[d + 1] = 0; };
      case Alu.Xor: return () => { r[d] ^= r[s]; r[d + 1] = 0; };
    }
  }
  throw new Error(`no flag-free form for ALU operation ${kind}`);
}

export function alu64NoFlags(kind: Alu, r: Int32Array, d: number, s: number, imm: number | undefined): X86Op {
  if (kind === Alu.Cmp) return () => {};
  const fixedLo = imm === undefined ? 0 : imm | 0;
  const fixedHi = imm === undefined ? 0 : imm < 0 ? -1 : 0;
  const useImm = imm !== undefined;
  switch (kind) {
    case Alu.Add: return () => {
      const bLo = useImm ? fixedLo : r[s];
      const bHi = useImm ? fixedHi : r[s + 1];
      const lo = (r[d] + bLo) | 0;
      r[d + 1] = (r[d + 1] + bHi + (lo >>> 0 < r[d] >>> 0 ? 1 : 0)) | 0;
      r[d] = lo;
    };
    case Alu.Sub: return () => {
      const bLo = useImm ? fixedLo : r[s];
      const bHi = useImm ? fixedHi : r[s + 1];
      const lo = (r[d] - bLo) | 0;
      r[d + 1] = (r[d + 1] - bHi - (r[d] >>> 0 < bLo >>> 0 ? 1 : 0)) | 0;
      r[d] = lo;
    };
    case Alu.And: return useImm ? () => { r[d] &= fixedLo; r[d + 1] &= fixedHi; } : () => { r[d] &= r[s]; r[d + 1] &= r[s + 1]; };
    case Alu.Or: return useImm ? () => { r[d] |= fixedLo; r[d + 1] |= fixedHi; } : () => { r[d] |= r[s]; r[d + 1] |= r[s + 1]; };
    case Alu.Xor: return useImm ? () => { r[d] ^= fixedLo; r[d + 1] ^= fixedHi; } : () => { r[d] ^= r[s]; r[d + 1] ^= r[s + 1]; };
    default: throw new Error(`no flag-free form for ALU operation ${kind}`);
  }
}
