// BFDotAdd as an implementation without FEAT_EBF16 (and qemu-aarch64 7.2)
// runs it for BFDOT and BFMMLA: two BFloat16 products and two sums, each
// rounded to single by round-to-odd (overflow to infinity), denormal inputs
// and results flushed to zero, default NaN, FPCR ignored, FPSR untouched.

import { f32Value } from './binary32';
import { sumToOdd } from './sum-to-odd';

const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);
const MIN_NORMAL = 2 ** -126;
const OVERFLOW = 2 ** 128;
const DEFAULT_NAN = 0x7fc00000;

/** A single-precision pattern's value with a denormal read as a zero of its sign. */
function flushedValue(a: number): number {
  if ((a & 0x7f800000) === 0) return a & 0x80000000 ? -0 : 0;
  return f32Value(a);
}

/** An exact value (or one already rounded to odd at double precision) to single, round to odd, flushing tiny results. */
export function roundSingleToOdd(v: number): number {
  if (v !== v) return DEFAULT_NAN;
  const m = Math.abs(v);
  const sign = v < 0 || (v === 0 && 1 / v < 0) ? 0x80000000 | 0 : 0;
  if (m < MIN_NORMAL) return sign;
  if (m >= OVERFLOW) return sign | 0x7f800000;
  F32[0] = v;
  let r = I32[0];
  if (Math.abs(F32[0]) > m) r--; // towards zero: one step down in magnitude
  I32[0] = r;
  return F32[0] === v ? r : r | 1;
}

/** addend + a.lo * b.lo + a.hi * b.hi for the BFloat16 pairs in 32-bit words a and b. */
export function bfDotAdd(addend: number, a: number, b: number): number {
  const p1 = f32Value(roundSingleToOdd(flushedValue(a << 16) * flushedValue(b << 16)));
  const p2 = f32Value(roundSingleToOdd(flushedValue(a & 0xffff0000) * flushedValue(b & 0xffff0000)));
  const sum = f32Value(roundSingleToOdd(sumToOdd(p1, p2)));
  return roundSingleToOdd(sumToOdd(flushedValue(addend), sum));
}
