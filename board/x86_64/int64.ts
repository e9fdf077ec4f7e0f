// 64-bit helpers on int32 halves (no BigInt): shifts, multiply, divide.
// Results land in the `out` array at `oi` (lo) and `oi + 1` (hi).

/** Logical left shift by 0..63. */
export function shl64(lo: number, hi: number, c: number, out: Int32Array, oi: number): void {
  if (c === 0) { out[oi] = lo; out[oi + 1] = hi; }
  else if (c < 32) { out[oi + 1] = (hi << c) | (lo >>> (32 - c)); out[oi] = lo << c; }
  else { out[oi + 1] = lo << (c - 32); out[oi] = 0; }
}

/** Logical right shift by 0..63. */
export function shr64(lo: number, hi: number, c: number, out: Int32Array, oi: number): void {
  if (c === 0) { out[oi] = lo; out[oi + 1] = hi; }
  else if (c < 32) { out[oi] = (lo >>> c) | (hi << (32 - c)); out[oi + 1] = hi >>> c; }
  else { out[oi] = hi >>> (c - 32); out[oi + 1] = 0; }
}

/** Arithmetic right shift by 0..63. */
export function sar64(lo: number, hi: number, c: number, out: Int32Array, oi: number): void {
  if (c === 0) { out[oi] = lo; out[oi + 1] = hi; }
  else if (c < 32) { out[oi] = (lo >>> c) | (hi << (32 - c)); out[oi + 1] = hi >> c; }
  else { out[oi] = hi >> (c - 32); out[oi + 1] = hi >> 31; }
}

/** Bit n (0..63) of a 64-bit value. */
export function bit64(lo: number, hi: number, n: number): number {
  return n < 32 ? (lo >>> n) & 1 : (hi >>> (n - 32)) & 1;
}

/** Unsigned 32x32 -> 64 multiply into out[oi], out[oi+1]. */
export function mulu32(a: number, b: number, out: Int32Array, oi: number): void {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  out[oi] = Math.imul(a, b);
  out[oi + 1] = (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + Math.floor(mid / 65536)) | 0;
}

/** The high 32 bits of the unsigned 32x32 product (16-bit limbs; every partial sum stays below 2^32). */
export function mulhu32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const t = a1 * b0 + ((a0 * b0) >>> 16);
  const w1 = (t & 0xffff) + a0 * b1;
  return (a1 * b1 + (t >>> 16) + (w1 >>> 16)) | 0;
}

/** The low 64 bits of a 64x64 product (the same signed or unsigned) into out[oi], out[oi+1]. */
export function mulLow64(aLo: number, aHi: number, bLo: number, bHi: number, out: Int32Array, oi: number): void {
  out[oi] = Math.imul(aLo, bLo);
  out[oi + 1] = (mulhu32(aLo, bLo) + Math.imul(aLo, bHi) + Math.imul(aHi, bLo)) | 0;
}

/** Unsigned 64x64 -> 128 multiply: out[oi..oi+3], least significant word first. */
export function mulu64(aLo: number, aHi: number, bLo: number, bHi: number, out: Int32Array, oi: number): void {
  // Four 32x32 partial products, summed in 32-bit columns with explicit carries.
  const ll = Math.imul(aLo, bLo);
  const llH = mulhu32(aLo, bLo) >>> 0;
  const lhL = Math.imul(aLo, bHi) >>> 0;
  const lhH = mulhu32(aLo, bHi) >>> 0;
  const hlL = Math.imul(aHi, bLo) >>> 0;
  const hlH = mulhu32(aHi, bLo) >>> 0;
  const hhL = Math.imul(aHi, bHi) >>> 0;
  const hhH = mulhu32(aHi, bHi) >>> 0;
  const c1 = llH + lhL + hlL; // < 3 * 2^32
  const w1 = c1 >>> 0;
  const carry1 = Math.floor(c1 / 4294967296);
  const c2 = lhH + hlH + hhL + carry1;
  const w2 = c2 >>> 0;
  const carry2 = Math.floor(c2 / 4294967296);
  out[oi] = ll;
  out[oi + 1] = w1 | 0;
  out[oi + 2] = w2 | 0;
  out[oi + 3] = (hhH + carry2) | 0;
}

/** Signed 64x64 -> 128 multiply (two's complement) into out[oi..oi+3]. */
export function muls64(aLo: number, aHi: number, bLo: number, bHi: number, out: Int32Array, oi: number): void {
  mulu64(aLo, aHi, bLo, bHi, out, oi);
  // Correct the high half: subtract b when a < 0 and a when b < 0.
  if (aHi < 0) sub64At(out, oi + 2, bLo, bHi);
  if (bHi < 0) sub64At(out, oi + 2, aLo, aHi);
}

function sub64At(out: Int32Array, i: number, lo: number, hi: number): void {
  const l = (out[i] - lo) | 0;
  const borrow = out[i] >>> 0 < lo >>> 0 ? 1 : 0;
  out[i + 1] = (out[i + 1] - hi - borrow) | 0;
  out[i] = l;
}

/**
 * Unsigned 128/64 division: (n3:n2:n1:n0) / (dHi:dLo), 32-bit words.
 * Returns false when the quotient does not fit in 64 bits (or d = 0);
 * otherwise quotient in out[oi..oi+1] and remainder in out[oi+2..oi+3].
 * Shift-subtract over 128 bits: slow but exact, and only DIV/IDIV r64 use it.
 */
export function divu128(n0: number, n1: number, n2: number, n3: number, dLo: number, dHi: number, out: Int32Array, oi: number): boolean {
  const d = BigIntFree.toNum(dLo, dHi);
  if (dLo === 0 && dHi === 0) return false;
  // High half must be below the divisor for the quotient to fit.
  if (!BigIntFree.below(n2, n3, dLo, dHi)) return false;
  if (n2 === 0 && n3 === 0 && d !== undefined && n1 >= 0 && n1 < 0x200000) {
    // Dividend and divisor below 2^53: plain doubles are exact.
    const n = n1 * 4294967296 + (n0 >>> 0);
    const q = Math.floor(n / d);
    const r = n - q * d;
    out[oi] = q | 0;
    out[oi + 1] = Math.floor(q / 4294967296) | 0;
    out[oi + 2] = r | 0;
    out[oi + 3] = Math.floor(r / 4294967296) | 0;
    return true;
  }
  if (dHi === 0) {
    divu128By32(n0, n1, n2, dLo >>> 0, out, oi);
    return true;
  }
  // Restoring division: remainder r (64 bits + carry), quotient bits shifted in from the low half.
  let rLo = n2;
  let rHi = n3;
  let qLo = n0;
  let qHi = n1;
  for (let k = 0; k < 64; k++) {
    const top = rHi >>> 31;
    rHi = (rHi << 1) | (rLo >>> 31);
    rLo = (rLo << 1) | (qHi >>> 31);
    qHi = (qHi << 1) | (qLo >>> 31);
    qLo = qLo << 1;
    if (top === 1 || !BigIntFree.below(rLo, rHi, dLo, dHi)) {
      const l = (rLo - dLo) | 0;
      rHi = (rHi - dHi - (rLo >>> 0 < dLo >>> 0 ? 1 : 0)) | 0;
      rLo = l;
      qLo |= 1;
    }
  }
  out[oi] = qLo;
  out[oi + 1] = qHi;
  out[oi + 2] = rLo;
  out[oi + 3] = rHi;
  return true;
}

/**
 * Divisor below 2^32 and n2 below it (n3 is 0): long division by 16-bit
 * digits in doubles, each partial dividend below 2^48 so every step is exact
 * (DIV r64 by a small divisor: 4 steps instead of 64).
 */
function divu128By32(n0: number, n1: number, n2: number, d: number, out: Int32Array, oi: number): void {
  let r = n2 >>> 0;
  let x = r * 65536 + (n1 >>> 16);
  const q3 = Math.floor(x / d);
  r = x - q3 * d;
  x = r * 65536 + (n1 & 0xffff);
  const q2 = Math.floor(x / d);
  r = x - q2 * d;
  x = r * 65536 + (n0 >>> 16);
  const q1 = Math.floor(x / d);
  r = x - q1 * d;
  x = r * 65536 + (n0 & 0xffff);
  const q0 = Math.floor(x / d);
  r = x - q0 * d;
  out[oi] = (q1 << 16) | q0;
  out[oi + 1] = (q3 << 16) | q2;
  out[oi + 2] = r | 0;
  out[oi + 3] = 0;
}

const BigIntFree = {
  /** The unsigned value as a number when below 2^53, else undefined. */
  toNum(lo: number, hi: number): number | undefined {
    return hi >>> 0 < 0x200000 ? (hi >>> 0) * 4294967296 + (lo >>> 0) : undefined;
  },
  below(aLo: number, aHi: number, bLo: number, bHi: number): boolean {
    return aHi >>> 0 !== bHi >>> 0 ? aHi >>> 0 < bHi >>> 0 : aLo >>> 0 < bLo >>> 0;
  },
};

/** Two's complement negation of a 128-bit value in w[i..i+3]. */
export function neg128(w: Int32Array, i: number): void {
  let carry = 1;
  for (let k = 0; k < 4; k++) {
    const v = (~w[i + k] >>> 0) + carry;
    w[i + k] = v | 0;
    carry = v > 0xffffffff ? 1 : 0;
  }
}
