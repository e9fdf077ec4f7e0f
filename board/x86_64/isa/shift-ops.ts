// Shift and rotate arithmetic with the SDM's flag rules. A masked count of 0
// changes no flag. SHL/SHR/SAR leave lazy Shift flags (CF, OF explicit; SF,
// ZF, PF from the result; AF reads 0); rotates change only CF and OF.

import { Lazy } from '../cpu-state';
import { Cc } from '../flags';
import * as mflags from '../flags';
import * as mint64 from '../int64';
import * as moperand_forms from './operand-forms';

// Module-local bindings of imported functions and constants: test runners that
// turn imports into property reads (vitest) still call them directly.
const { getCF, setCfOfOnly } = mflags;
const { bit64, sar64, shl64, shr64 } = mint64;
const { MASKS } = moperand_forms;

export const enum Sh {
  Rol = 0,
  Ror = 1,
  Rcl = 2,
  Rcr = 3,
  Shl = 4,
  Shr = 5,
  Sal = 6,
  Sar = 7,
}

function setShift(lz: Int32Array, lg: number, lo: number, hi: number, cf: number, of: number): void {
  lz[Lazy.Op] = (Cc.Shift << 2) | lg;
  lz[Lazy.DstLo] = lo;
  lz[Lazy.DstHi] = hi;
  lz[Lazy.Src1Lo] = cf;
  lz[Lazy.Src2Lo] = of;
  lz[Lazy.Src1Hi] = 0;
}

const setCfOf = setCfOfOnly;

/**
 * Shift/rotate of a 1/2/4-byte value (zero-extended, 32-bit as int32) by the
 * raw count; returns the result.
 */
export function shift32(kind: Sh, lz: Int32Array, a: number, count: number, size: number): number {
  const c = count & 0x1f;
  if (c === 0) return a;
  const w = 8 * size;
  const lg = size === 1 ? 0 : size === 2 ? 1 : 2;
  const m = MASKS[lg];
  const top = w - 1;
  switch (kind) {
    case Sh.Shl:
    case Sh.Sal: {
      const d = c < 32 ? (a << c) & m : 0;
      const cf = c <= w ? (a >>> (w - c)) & 1 : 0;
      setShift(lz, lg, d, 0, cf, ((d >>> top) & 1) ^ cf);
      return d;
    }
    case Sh.Shr: {
      const d = a >>> c;
      const cf = c <= w ? (a >>> (c - 1)) & 1 : 0;
      setShift(lz, lg, lg === 2 ? d | 0 : d, 0, cf, (a >>> top) & 1);
      return lg === 2 ? d | 0 : d;
    }
    case Sh.Sar: {
      const s = (a << (32 - w)) >> (32 - w);
      const d = (s >> Math.min(c, 31)) & m;
      const cf = (s >> Math.min(c - 1, 31)) & 1;
      setShift(lz, lg, d, 0, cf, 0);
      return d;
    }
    case Sh.Rol: {
      const r = c % w;
      const d = r === 0 ? a : ((a << r) | ((a & m) >>> (w - r))) & m;
      const cf = d & 1;
      setCfOf(lz, cf, ((d >>> top) & 1) ^ cf);
      return d;
    }
    case Sh.Ror: {
      const r = c % w;
      const d = r === 0 ? a : (((a & m) >>> r) | (a << (w - r))) & m;
      setCfOf(lz, (d >>> top) & 1, ((d >>> top) ^ (d >>> (top - 1))) & 1);
      return d;
    }
    default:
      return rotateThroughCarry(kind === Sh.Rcl, lz, a, c, size);
  }
}

/** RCL/RCR of 8/16/32-bit values: a (w+1)-bit rotation, exact in doubles. */
function rotateThroughCarry(left: boolean, lz: Int32Array, a: number, c: number, size: number): number {
  const w = 8 * size;
  const n = size === 4 ? c : c % (w + 1);
  const cfIn = getCF(lz);
  if (n === 0) {
    // The count was a multiple of w + 1: the value is unchanged, CF too; OF follows its rule.
    const of = left ? ((a >>> (w - 1)) & 1) ^ cfIn : ((a >>> (w - 1)) ^ (a >>> (w - 2))) & 1;
    setCfOf(lz, cfIn, of);
    return a;
  }
  const span = 2 ** (w + 1);
  const v = cfIn * 2 ** w + (a >>> 0);
  const k = left ? n : w + 1 - n;
  const rot = ((v * 2 ** k) % span) + Math.floor(v / 2 ** (w + 1 - k));
  const cf = rot >= 2 ** w ? 1 : 0;
  const d = rot - cf * 2 ** w;
  const msb = Math.floor(d / 2 ** (w - 1)) & 1;
  const msb2 = Math.floor(d / 2 ** (w - 2)) & 1;
  setCfOf(lz, cf, left ? msb ^ cf : msb ^ msb2);
  return size === 4 ? d | 0 : d;
}

/** Shift/rotate of a 64-bit value; result in out[oi], out[oi+1]. */
export function shift64(kind: Sh, lz: Int32Array, lo: number, hi: number, count: number, out: Int32Array, oi: number): void {
  const c = count & 0x3f;
  out[oi] = lo;
  out[oi + 1] = hi;
  if (c === 0) return;
  switch (kind) {
    case Sh.Shl:
    case Sh.Sal: {
      shl64(lo, hi, c, out, oi);
      const cf = bit64(lo, hi, 64 - c);
      setShift(lz, 3, out[oi], out[oi + 1], cf, ((out[oi + 1] >>> 31) & 1) ^ cf);
      return;
    }
    case Sh.Shr:
      shr64(lo, hi, c, out, oi);
      setShift(lz, 3, out[oi], out[oi + 1], bit64(lo, hi, c - 1), hi >>> 31);
      return;
    case Sh.Sar:
      sar64(lo, hi, c, out, oi);
      setShift(lz, 3, out[oi], out[oi + 1], bit64(lo, hi, c - 1), 0);
      return;
    case Sh.Rol:
    case Sh.Ror: {
      const l = kind === Sh.Rol ? c : 64 - c;
      if (l === 32) {
        out[oi] = hi;
        out[oi + 1] = lo;
      } else if (l < 32) {
        out[oi] = (lo << l) | (hi >>> (32 - l));
        out[oi + 1] = (hi << l) | (lo >>> (32 - l));
      } else {
        const k = l - 32;
        out[oi] = (hi << k) | (lo >>> (32 - k));
        out[oi + 1] = (lo << k) | (hi >>> (32 - k));
      }
      const msb = (out[oi + 1] >>> 31) & 1;
      if (kind === Sh.Rol) setCfOf(lz, out[oi] & 1, msb ^ (out[oi] & 1));
      else setCfOf(lz, msb, msb ^ ((out[oi + 1] >>> 30) & 1));
      return;
    }
    default: {
      // RCL/RCR: one bit at a time (counts are at most 63; rare in compiled code).
      let cf = getCF(lz);
      let l = lo;
      let h = hi;
      for (let k = 0; k < c; k++) {
        if (kind === Sh.Rcl) {
          const out1 = h >>> 31;
          h = (h << 1) | (l >>> 31);
          l = (l << 1) | cf;
          cf = out1;
        } else {
          const out1 = l & 1;
          l = (l >>> 1) | (h << 31);
          h = (h >>> 1) | (cf << 31);
          cf = out1;
        }
      }
      out[oi] = l;
      out[oi + 1] = h;
      const msb = (h >>> 31) & 1;
      setCfOf(lz, cf, kind === Sh.Rcl ? msb ^ cf : msb ^ ((h >>> 30) & 1));
    }
  }
}

/** SHLD (left) / SHRD of 1/2/4-byte values: dst shifted with bits from src. Returns the result. */
export function doubleShift32(left: boolean, lz: Int32Array, dst: number, src: number, count: number, size: number): number {
  const c = count & 0x1f;
  if (c === 0) return dst;
  const w = 8 * size;
  const lg = size === 2 ? 1 : 2;
  const m = MASKS[lg];
  let d: number;
  let cf: number;
  if (w === 16) {
    // A count above 16 is undefined; the shift runs through a 48-bit concatenation (dst:src:dst left, src:dst:src right).
    if (left) {
      const v = (dst & 0xffff) * 2 ** 32 + (src & 0xffff) * 65536 + (dst & 0xffff);
      d = Math.floor((v * 2 ** c) / 2 ** 32) % 65536;
      cf = Math.floor(v / 2 ** (48 - c)) & 1;
    } else {
      const v = (src & 0xffff) * 2 ** 32 + (dst & 0xffff) * 65536 + (src & 0xffff);
      d = Math.floor(v / 2 ** (c + 16)) % 65536;
      cf = Math.floor(v / 2 ** (c + 15)) & 1;
    }
  } else if (left) {
    d = ((dst << c) | (src >>> (32 - c))) | 0;
    cf = (dst >>> (32 - c)) & 1;
  } else {
    d = ((dst >>> c) | (src << (32 - c))) | 0;
    cf = (dst >>> (c - 1)) & 1;
  }
  d &= m;
  const of = ((d ^ dst) >>> (w - 1)) & 1;
  setShift(lz, lg, d, 0, cf, of);
  return d;
}

const scratch = new Int32Array(2);

/** SHLD/SHRD of 64-bit values; result in out[oi], out[oi+1]. */
export function doubleShift64(left: boolean, lz: Int32Array, dLo: number, dHi: number, sLo: number, sHi: number, count: number, out: Int32Array, oi: number): void {
  const c = count & 0x3f;
  out[oi] = dLo;
  out[oi + 1] = dHi;
  if (c === 0) return;
  const t = scratch;
  let cf: number;
  if (left) {
    shl64(dLo, dHi, c, out, oi);
    shr64(sLo, sHi, 64 - c, t, 0);
    cf = bit64(dLo, dHi, 64 - c);
  } else {
    shr64(dLo, dHi, c, out, oi);
    shl64(sLo, sHi, 64 - c, t, 0);
    cf = bit64(dLo, dHi, c - 1);
  }
  out[oi] |= t[0];
  out[oi + 1] |= t[1];
  const of = ((out[oi + 1] ^ dHi) >>> 31) & 1;
  setShift(lz, 3, out[oi], out[oi + 1], cf, of);
}
