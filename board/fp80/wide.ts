// A 128-bit significand accumulator (four uint32 words, W[3] on top) for
// exact intermediate results. Right shifts jam the bits they lose into the
// lowest bit, which is far below any rounding position (at most 64 bits are
// kept), so rounding from W is exact.

export const W = new Uint32Array(4);

export function setW(w3: number, w2: number, w1: number, w0: number): void {
  W[3] = w3;
  W[2] = w2;
  W[1] = w1;
  W[0] = w0;
}

export function isZeroW(): boolean {
  return (W[0] | W[1] | W[2] | W[3]) === 0;
}

/** Shifts W left so that bit 127 is set; returns the shift (W must not be zero). */
export function normalizeW(): number {
  let s = 0;
  while (W[3] === 0) {
    W[3] = W[2];
    W[2] = W[1];
    W[1] = W[0];
    W[0] = 0;
    s += 32;
  }
  const b = Math.clz32(W[3]);
  if (b) {
    W[3] = (W[3] << b) | (W[2] >>> (32 - b));
    W[2] = (W[2] << b) | (W[1] >>> (32 - b));
    W[1] = (W[1] << b) | (W[0] >>> (32 - b));
    W[0] = W[0] << b;
  }
  return s + b;
}

/** Shifts W right by n, jamming lost bits into bit 0. */
export function shiftRightJamW(n: number): void {
  if (n <= 0) return;
  if (n >= 128) {
    const any = (W[0] | W[1] | W[2] | W[3]) !== 0;
    setW(0, 0, 0, any ? 1 : 0);
    return;
  }
  let sticky = 0;
  while (n >= 32) {
    sticky |= W[0];
    W[0] = W[1];
    W[1] = W[2];
    W[2] = W[3];
    W[3] = 0;
    n -= 32;
  }
  if (n) {
    sticky |= W[0] << (32 - n);
    W[0] = (W[0] >>> n) | (W[1] << (32 - n));
    W[1] = (W[1] >>> n) | (W[2] << (32 - n));
    W[2] = (W[2] >>> n) | (W[3] << (32 - n));
    W[3] = W[3] >>> n;
  }
  if (sticky) W[0] |= 1;
}

/** Bit i of W (0..127). */
export function bitW(i: number): number {
  if (i < 0 || i > 127) return 0;
  return (W[i >>> 5] >>> (i & 31)) & 1;
}

/** Whether any bit of W below bit i is set. */
export function anyBelowW(i: number): boolean {
  if (i <= 0) return false;
  if (i >= 128) return !isZeroW();
  const w = i >>> 5;
  for (let j = 0; j < w; j++) if (W[j] !== 0) return true;
  const b = i & 31;
  return b !== 0 && (W[w] & ((1 << b) - 1)) !== 0;
}

/** W >> s for 64 <= s, as a 64-bit value in KEPT (KEPT[0] low, KEPT[1] high). */
export const KEPT = new Uint32Array(2);

export function keptW(s: number): void {
  if (s >= 128) {
    KEPT[0] = 0;
    KEPT[1] = 0;
  } else if (s >= 96) {
    KEPT[0] = W[3] >>> (s - 96);
    KEPT[1] = 0;
  } else if (s === 64) {
    KEPT[0] = W[2];
    KEPT[1] = W[3];
  } else {
    const b = s - 64;
    KEPT[0] = (W[2] >>> b) | (W[3] << (32 - b));
    KEPT[1] = W[3] >>> b;
  }
}

/** Adds the 128-bit value (b3..b0) to W; returns the carry out. */
export function addW(b3: number, b2: number, b1: number, b0: number): number {
  let s = W[0] + (b0 >>> 0);
  W[0] = s;
  s = W[1] + (b1 >>> 0) + (s > 0xffffffff ? 1 : 0);
  W[1] = s;
  s = W[2] + (b2 >>> 0) + (s > 0xffffffff ? 1 : 0);
  W[2] = s;
  s = W[3] + (b3 >>> 0) + (s > 0xffffffff ? 1 : 0);
  W[3] = s;
  return s > 0xffffffff ? 1 : 0;
}

/** W = (a3..a0) - W, where the minuend is not smaller. */
export function rsubW(a3: number, a2: number, a1: number, a0: number): void {
  let d = (a0 >>> 0) - W[0];
  W[0] = d;
  d = (a1 >>> 0) - W[1] - (d < 0 ? 1 : 0);
  W[1] = d;
  d = (a2 >>> 0) - W[2] - (d < 0 ? 1 : 0);
  W[2] = d;
  d = (a3 >>> 0) - W[3] - (d < 0 ? 1 : 0);
  W[3] = d;
}
