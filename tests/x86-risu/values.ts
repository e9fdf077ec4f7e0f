// Operand values that find bugs: integer boundaries, floating-point zeros,
// infinities, NaNs (quiet and signalling), denormals, values that round
// interestingly, and x87 extended encodings including the invalid ones.

import { Rng } from '../risu/random';

/** 64-bit values as [lo, hi] unsigned 32-bit halves. */
export type U64 = [number, number];

const INT_SPECIALS: U64[] = [
  [0, 0], [1, 0], [2, 0], [0x7f, 0], [0x80, 0], [0xff, 0], [0x7fff, 0], [0x8000, 0], [0xffff, 0],
  [0x7fffffff, 0], [0x80000000, 0], [0xffffffff, 0], [0, 1], [0xffffffff, 0x7fffffff], [0, 0x80000000],
  [0xffffffff, 0xffffffff], [0xfffffffe, 0xffffffff], [0xffffff80, 0xffffffff], [0xffff8000, 0xffffffff],
  [0x80000000, 0xffffffff], [0x12345678, 0x9abcdef0],
];

export function randomU64(rng: Rng): U64 {
  const r = rng.below(10);
  if (r < 3) return rng.pick(INT_SPECIALS);
  if (r === 3) return [rng.below(70), 0];
  if (r === 4) return [(-1 - rng.below(70)) >>> 0, 0xffffffff];
  if (r === 5) return [rng.u32(), 0];
  if (r === 6) return [rng.u32(), 0xffffffff];
  return [rng.u32(), rng.u32()];
}

export const F32_SPECIALS = [
  0, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0xff812345,
  0x7fffffff, 0x00000001, 0x807fffff, 0x00800000, 0x80800000, 0x7f7fffff, 0x3f000000, 0x40200000, 0xc0200000,
  0x3fc00000, 0x4b000000, 0x4b7fffff, 0x4effffff, 0x4f000000, 0xcf000000, 0xcf000001, 0x5f000000, 0xdf000000,
  0x3f800001, 0x33800000, 0x0c000000, 0x72000000,
];

/** High words of f64 specials (the low word is drawn separately). */
export const F64_HI_SPECIALS = [
  0, 0x80000000, 0x3ff00000, 0xbff00000, 0x7ff00000, 0xfff00000, 0x7ff80000, 0xfff80000, 0x7ff00001, 0x000fffff,
  0x00100000, 0x80100000, 0x7fefffff, 0x43300000, 0x41dfffff, 0x41e00000, 0xc1e00000, 0x43e00000, 0xc3e00000,
  0x3fe00000, 0x40040000, 0xc0040000, 0x3ff80000, 0x36a00000, 0x1ff00000, 0x5ff00000,
];

export function randomF32(rng: Rng): number {
  const r = rng.below(4);
  if (r < 2) return rng.pick(F32_SPECIALS) >>> 0;
  if (r === 2) return ((rng.u32() & 0x807fffff) | ((0x70 + rng.below(32)) << 23)) >>> 0; // near 1.0
  return rng.u32();
}

export function randomF64(rng: Rng): U64 {
  const r = rng.below(4);
  if (r < 2) return [rng.chance(0.6) ? 0 : rng.chance(0.5) ? 1 : rng.u32(), rng.pick(F64_HI_SPECIALS) >>> 0];
  if (r === 2) return [rng.u32(), ((rng.u32() & 0x800fffff) | ((0x3f0 + rng.below(32)) << 20)) >>> 0];
  return [rng.u32(), rng.u32()];
}

/** An 80-bit x87 value: [significand lo, significand hi, sign+exponent]. */
export type F80 = [number, number, number];

export function randomF80(rng: Rng): F80 {
  const sign = rng.chance(0.5) ? 0x8000 : 0;
  const mant = (): [number, number] => [rng.chance(0.3) ? 0 : rng.u32(), (rng.u32() | 0x80000000) >>> 0];
  switch (rng.below(14)) {
    case 0: return [0, 0, sign]; // zero
    case 1: return [0, 0x80000000, sign | 0x7fff]; // infinity
    case 2: return [0, 0xc0000000, sign | 0x7fff]; // QNaN (the indefinite when negative)
    case 3: return [rng.u32(), (0xc0000000 | rng.u32()) >>> 0, sign | 0x7fff]; // QNaN payload
    case 4: return [rng.u32() | 1, (0x80000000 | (rng.u32() & 0x3fffffff)) >>> 0, sign | 0x7fff]; // SNaN
    case 5: return [rng.u32(), rng.u32() & 0x7fffffff, sign]; // denormal
    case 6: return [rng.u32(), (rng.u32() | 0x80000000) >>> 0, sign]; // pseudo-denormal
    case 7: return [rng.u32(), rng.u32() & 0x7fffffff, sign | (1 + rng.below(0x7ffe))]; // unnormal
    case 8: return [...mant(), sign | (1 + rng.below(0x7ffe))] as F80; // any normal
    case 9: return [...mant(), sign | (0x3fff + rng.below(64) - 8)] as F80; // near 1..2^56
    case 10: return [0, (0x80000000 + (rng.below(64) << 24)) >>> 0, sign | (0x3fff + rng.below(8))] as F80; // small integers and halves
    case 11: return [...mant(), sign | (0x403e + rng.below(3) - 1)] as F80; // around 2^63
    case 12: return [...mant(), sign | (rng.chance(0.5) ? rng.below(64) + 1 : 0x7ffe - rng.below(64))] as F80; // extremes
    default: return [rng.u32(), rng.u32(), rng.below(0x10000)];
  }
}

/** Bytes of a valid packed BCD (18 digits and a sign byte), for FBLD. */
export function randomBcd(rng: Rng): number[] {
  const out: number[] = [];
  const digits = rng.below(19);
  for (let i = 0; i < 9; i++) {
    const d = (k: number) => (2 * i + k < digits ? rng.below(10) : 0);
    out.push(d(0) | (d(1) << 4));
  }
  out.push(rng.chance(0.5) ? 0x80 : 0);
  return out;
}
