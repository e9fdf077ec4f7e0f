// Seeded operand generators for the SSE oracle tests: floating-point lanes
// biased towards the cases where x86 differs from plain IEEE arithmetic
// (NaNs, denormals, overflow and underflow edges, cancellation), MXCSR
// settings over every rounding mode, FTZ, DAZ and exception mask, and
// integer lanes with edge values.

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  /** xorshift32 */
  u32(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  below(n: number): number {
    return this.u32() % n;
  }
  pick<T>(a: readonly T[]): T {
    return a[this.below(a.length)];
  }
  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }
}

const SPECIAL32 = [
  0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fc12345, 0x7f800001, 0xff812345, 0x7fbfffff, 0x00000001, 0x80000001,
  0x007fffff, 0x807fffff, 0x00400000, 0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff, 0x3f800000, 0xbf800000, 0x4f000000, 0xcf000000,
  0x5f000000, 0xdf000000, 0x3f000000, 0x3fc00000, 0x4effffff, 0x7f000000, 0x00ffffff, 0x4b000000, 0x4b7fffff,
];

/** One single-precision lane given an optional partner (to make cancellation, overflow and underflow likely). */
export function f32Lane(r: Rng, partner?: number): number {
  const k = r.below(16);
  if (k < 3) return r.pick(SPECIAL32) >>> 0;
  if (k < 5) return (r.u32() & 0x807fffff) >>> 0; // denormal
  if (k < 7 && partner !== undefined) {
    // near the partner: same or neighbouring exponent, few ulps apart, either sign
    const d = (r.below(5) - 2) << (r.chance(0.5) ? 0 : r.below(23));
    return ((partner + d) ^ (r.chance(0.5) ? 0x80000000 : 0)) >>> 0;
  }
  if (k < 9) {
    // exponents near the ends of the range
    const e = r.chance(0.5) ? r.below(30) : 254 - r.below(30);
    return ((r.u32() & 0x807fffff) | (e << 23)) >>> 0;
  }
  if (k < 12) {
    // small integers and simple fractions
    const v = (r.below(2000) - 1000) / (1 << r.below(4));
    const f = new Float32Array([v]);
    return new Uint32Array(f.buffer)[0];
  }
  if (k < 14) {
    const e = 100 + r.below(56);
    return ((r.u32() & 0x807fffff) | (e << 23)) >>> 0;
  }
  return r.u32();
}

const SPECIAL64: Array<[number, number]> = [
  [0, 0], [0, 0x80000000], [0, 0x7ff00000], [0, 0xfff00000], [0, 0x7ff80000], [0, 0xfff80000], [0x1234, 0x7ff80000], [1, 0x7ff00000],
  [0x5678, 0xfff12345], [0xffffffff, 0x7ff7ffff], [1, 0], [1, 0x80000000], [0xffffffff, 0xfffff], [0, 0x80000], [0, 0x100000],
  [0, 0x80100000], [0xffffffff, 0x7fefffff], [0xffffffff, 0xffefffff], [0, 0x3ff00000], [0, 0xbff00000], [0, 0x41e00000], [0, 0xc1e00000],
  [0, 0x43e00000], [0, 0xc3e00000], [0, 0x3fe00000], [0, 0x3ff80000], [0xffe00000, 0x41dfffff], [0, 0x47efffff], [0xe0000000, 0x47efffff],
  [0, 0x36a00000], [0, 0x38100000], [0xf0000000, 0x380fffff], [0, 0x43300000],
];

/** One double lane as [lo, hi]. */
export function f64Lane(r: Rng, partner?: [number, number]): [number, number] {
  const k = r.below(16);
  if (k < 3) {
    const [lo, hi] = r.pick(SPECIAL64);
    return [lo >>> 0, hi >>> 0];
  }
  if (k < 5) return [r.u32(), (r.u32() & 0x800fffff) >>> 0];
  if (k < 7 && partner !== undefined) {
    const d = r.below(5) - 2;
    const lo = (partner[0] + (r.chance(0.5) ? d : d * 0x10000000)) >>> 0;
    return [lo, (partner[1] ^ (r.chance(0.5) ? 0x80000000 : 0)) >>> 0];
  }
  if (k < 9) {
    // exponents near the ends of the double range, or of the single range (for CVTSD2SS)
    const which = r.below(4);
    const e = which === 0 ? r.below(60) : which === 1 ? 2046 - r.below(60) : which === 2 ? 1023 - 126 - 30 + r.below(40) : 1023 + 127 - 10 + r.below(20);
    return [r.u32(), ((r.u32() & 0x800fffff) | (e << 20)) >>> 0];
  }
  if (k < 12) {
    const v = (r.below(2000) - 1000) / (1 << r.below(4)) + (r.chance(0.3) ? r.below(1 << 20) * 2 ** 31 : 0);
    const f = new Float64Array([v]);
    const w = new Uint32Array(f.buffer);
    return [w[0], w[1]];
  }
  if (k < 14) {
    const e = 1023 - 70 + r.below(140);
    return [r.u32(), ((r.u32() & 0x800fffff) | (e << 20)) >>> 0];
  }
  return [r.u32(), r.u32()];
}

/** MXCSR: every rounding mode, FTZ and DAZ; mostly all exceptions masked, sometimes some unmasked; sticky flags sometimes set. */
export function mxcsrFor(r: Rng): number {
  let m = (r.below(4) << 13) | (r.chance(0.3) ? 0x8000 : 0) | (r.chance(0.3) ? 0x40 : 0);
  if (r.chance(0.85)) m |= 0x1f80;
  else m |= (r.u32() & 0x3f) << 7;
  if (r.chance(0.1)) m |= r.u32() & 0x3f;
  // a third of the cases use the default control bits exactly (the fast paths)
  if (r.chance(0.33)) m = 0x1f80;
  return m >>> 0;
}

const SPECIAL_INT = [0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0x7f7f7f7f, 0x80808080, 0x00ff00ff, 0xff00ff00, 0x7fff8000, 0x80007fff, 0x0000ffff, 0xffff0000];

/** A 32-bit integer word with edge values often. */
export function intWord(r: Rng): number {
  const k = r.below(8);
  if (k === 0) return r.pick(SPECIAL_INT) >>> 0;
  if (k === 1) return (r.u32() & 0x01010101) * (r.chance(0.5) ? 0xff : 0x7f);
  if (k === 2) return r.u32() & 0x00ff00ff;
  if (k === 3) return (r.u32() >>> r.below(32)) >>> 0;
  return r.u32();
}
