// 64-bit integer arithmetic on (lo, hi) int32 halves: no BigInt, no allocation.
// Results that are pairs land in the scratch array R (R[0] = lo, R[1] = hi).

export const R = new Int32Array(2);

const TWO32 = 4294967296;

/** R = value << n (0 <= n < 64), logical. */
export function lsl64(lo: number, hi: number, n: number): void {
  if (n === 0) {
    R[0] = lo;
    R[1] = hi;
  } else if (n < 32) {
    R[1] = (hi << n) | (lo >>> (32 - n));
    R[0] = lo << n;
  } else {
    R[1] = lo << (n - 32);
    R[0] = 0;
  }
}

/** R = value >>> n (0 <= n < 64), logical. */
export function lsr64(lo: number, hi: number, n: number): void {
  if (n === 0) {
    R[0] = lo;
    R[1] = hi;
  } else if (n < 32) {
    R[0] = (lo >>> n) | (hi << (32 - n));
    R[1] = hi >>> n;
  } else {
    R[0] = hi >>> (n - 32);
    R[1] = 0;
  }
}

/** R = value >> n (0 <= n < 64), arithmetic. */
export function asr64(lo: number, hi: number, n: number): void {
  if (n === 0) {
    R[0] = lo;
    R[1] = hi;
  } else if (n < 32) {
    R[0] = (lo >>> n) | (hi << (32 - n));
    R[1] = hi >> n;
  } else {
    R[0] = hi >> (n - 32);
    R[1] = hi >> 31;
  }
}

/** R = value rotated right by n (0 <= n < 64). */
export function ror64(lo: number, hi: number, n: number): void {
  if (n === 0) {
    R[0] = lo;
    R[1] = hi;
  } else if (n < 32) {
    R[0] = (lo >>> n) | (hi << (32 - n));
    R[1] = (hi >>> n) | (lo << (32 - n));
  } else if (n === 32) {
    R[0] = hi;
    R[1] = lo;
  } else {
    const m = n - 32;
    R[0] = (hi >>> m) | (lo << (32 - m));
    R[1] = (lo >>> m) | (hi << (32 - m));
  }
}

export function ror32(v: number, n: number): number {
  return n === 0 ? v | 0 : (v >>> n) | (v << (32 - n));
}

/** R = a + b + carryIn. Returns the carry out (0 or 1). */
export function add64(alo: number, ahi: number, blo: number, bhi: number, carryIn: number): number {
  const lo = (alo >>> 0) + (blo >>> 0) + carryIn;
  const c = lo >= TWO32 ? 1 : 0;
  const hi = (ahi >>> 0) + (bhi >>> 0) + c;
  R[0] = lo | 0;
  R[1] = hi | 0;
  return hi >= TWO32 ? 1 : 0;
}

/** x[d..d+1] = a + b + carryIn with NZCV into f (AddWithCarry, 64-bit). */
export function addFlags64(f: Int32Array, alo: number, ahi: number, blo: number, bhi: number, carryIn: number): void {
  const c = add64(alo, ahi, blo, bhi, carryIn);
  const rhi = R[1];
  f[0] = rhi >>> 31;
  f[1] = (R[0] | rhi) === 0 ? 1 : 0;
  f[2] = c;
  f[3] = ((ahi ^ rhi) & (bhi ^ rhi)) >>> 31;
}

/** Returns a + b + carryIn (32-bit) and sets NZCV into f. */
export function addFlags32(f: Int32Array, a: number, b: number, carryIn: number): number {
  const sum = (a >>> 0) + (b >>> 0) + carryIn;
  const r = sum | 0;
  f[0] = r >>> 31;
  f[1] = r === 0 ? 1 : 0;
  f[2] = sum >= TWO32 ? 1 : 0;
  f[3] = ((a ^ r) & (b ^ r)) >>> 31;
  return r;
}

/** Sets N and Z from a 64-bit result and clears C and V (logical ops with S). */
export function logicFlags64(f: Int32Array, lo: number, hi: number): void {
  f[0] = hi >>> 31;
  f[1] = (lo | hi) === 0 ? 1 : 0;
  f[2] = 0;
  f[3] = 0;
}

export function logicFlags32(f: Int32Array, r: number): void {
  f[0] = r >>> 31;
  f[1] = r === 0 ? 1 : 0;
  f[2] = 0;
  f[3] = 0;
}

/** High 32 bits of the unsigned 32x32 product a*b, as an int32 (16-bit limbs: no float division). */
export function umulhi32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p01 = a0 * b1; // each partial product < 2^32
  const p10 = a1 * b0;
  const carry = (((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff)) >>> 16;
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + carry) | 0;
}

/** R = low 64 bits of the unsigned 32x32 product a*b. */
export function umul32(a: number, b: number): void {
  R[1] = umulhi32(a, b);
  R[0] = Math.imul(a, b);
}

/** R = low 64 bits of the 64x64 product (sign does not matter for the low half). */
export function mul64(alo: number, ahi: number, blo: number, bhi: number): void {
  R[1] = (umulhi32(alo, blo) + Math.imul(alo, bhi) + Math.imul(ahi, blo)) | 0;
  R[0] = Math.imul(alo, blo);
}

/** The mask of `width` low ones as (lo, hi) into R, 0 <= width <= 64. */
export function ones64(width: number): void {
  if (width >= 64) {
    R[0] = -1;
    R[1] = -1;
  } else if (width >= 32) {
    R[0] = -1;
    R[1] = width === 32 ? 0 : -1 >>> (64 - width);
  } else {
    R[0] = width === 0 ? 0 : -1 >>> (32 - width);
    R[1] = 0;
  }
}

/** Number of leading zero bits of a 64-bit value. */
export function clz64(lo: number, hi: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

/** An address held in a register, as the signed-canonical number memory accesses use. */
export function toAddress(lo: number, hi: number): number {
  return hi * TWO32 + (lo >>> 0);
}
