// The 80-bit extended-precision format as the x87 holds it: a sign, a 15-bit
// biased exponent and a 64-bit significand with an explicit integer bit.
// Values travel as three int32s: the significand's low and high halves and
// the 16-bit sign/exponent word (`se`). Results land in R80.

/** Status-word bits the library raises or writes (their FSW positions). */
export const IE = 0x1;
export const DE = 0x2;
export const ZE = 0x4;
export const OE = 0x8;
export const UE = 0x10;
export const PE = 0x20;
export const SF = 0x40;
export const ES = 0x80;
export const C0 = 0x100;
export const C1 = 0x200;
export const C2 = 0x400;
export const C3 = 0x4000;
export const EXCEPTIONS = 0x3f;

/** The control and status words an operation reads and updates (the CPU satisfies this). */
export interface X87Env {
  fcw: number;
  fsw: number;
}

/** Rounding control (FCW bits 10..11). */
export const enum Rc {
  Nearest = 0,
  Down = 1,
  Up = 2,
  Chop = 3,
}

export function fcwRounding(fcw: number): Rc {
  return (fcw >>> 10) & 3;
}

/**
 * Significand bits under precision control (FCW bits 8..9). The reserved 01
 * rounds to 64 bits as 11 does on the host CPU (found by a live x86-risu
 * seed, 542587089).
 */
export function fcwPrecision(fcw: number): number {
  const pc = (fcw >>> 8) & 3;
  return pc === 0 ? 24 : pc === 2 ? 53 : 64;
}

/** The result of the last operation: R80[0] significand low, R80[1] high, R80[2] sign/exponent. */
export const R80 = new Int32Array(3);

export const EXP_MAX = 0x7fff;
export const BIAS = 16383;
/** The unbiased exponent of the smallest normal. */
export const EMIN = -16382;
export const EMAX = 16383;
/** Bias adjustment applied to results of unmasked overflow and underflow. */
export const BIAS_ADJUST = 24576;

export const enum Cls {
  Zero = 0,
  Normal = 1,
  /** Denormals and pseudo-denormals (both raise DE as operands). */
  Denormal = 2,
  Inf = 3,
  QNaN = 4,
  SNaN = 5,
  /** Unnormals, pseudo-NaNs, pseudo-infinities: invalid operands. */
  Unsupported = 6,
}

export function classify(se: number, hi: number, lo: number): Cls {
  const e = se & EXP_MAX;
  const j = hi & 0x80000000;
  if (e === 0) return hi === 0 && lo === 0 ? Cls.Zero : Cls.Denormal;
  if (e === EXP_MAX) {
    if (!j) return Cls.Unsupported;
    if ((hi & 0x7fffffff) === 0 && lo === 0) return Cls.Inf;
    return hi & 0x40000000 ? Cls.QNaN : Cls.SNaN;
  }
  return j ? Cls.Normal : Cls.Unsupported;
}

export function isNaNCls(c: Cls): boolean {
  return c === Cls.QNaN || c === Cls.SNaN;
}

export function setR80(se: number, hi: number, lo: number): void {
  R80[0] = lo;
  R80[1] = hi;
  R80[2] = se & 0xffff;
}

/** R80 = the operand itself as an operation returns it: a pseudo-denormal gets exponent field 1. */
export function setSelf(se: number, hi: number, lo: number): void {
  setR80((se & EXP_MAX) === 0 && hi < 0 ? se | 1 : se, hi, lo);
}

/** The real indefinite: the QNaN every masked invalid operation returns. */
export function setIndefinite(): void {
  setR80(0xffff, 0xc0000000 | 0, 0);
}

export function setZero(sign: number): void {
  setR80(sign << 15, 0, 0);
}

export function setInf(sign: number): void {
  setR80((sign << 15) | EXP_MAX, 0x80000000 | 0, 0);
}

/**
 * An operand normalized: U[0] sign, U[1] unbiased exponent of significand bit
 * 63, U[2]/U[3] significand high/low with bit 63 set. Only for finite nonzero
 * values (normals, denormals, pseudo-denormals).
 */
export function unpackInto(u: Int32Array, se: number, hi: number, lo: number): void {
  let e = se & EXP_MAX;
  if (e === 0) e = 1;
  let exp = e - BIAS;
  if (!(hi & 0x80000000)) {
    if (hi !== 0) {
      const s = Math.clz32(hi);
      hi = (hi << s) | (lo >>> (32 - s));
      lo <<= s;
      exp -= s;
    } else {
      const s = Math.clz32(lo);
      hi = lo << s;
      lo = 0;
      exp -= 32 + s;
    }
  }
  u[0] = (se >>> 15) & 1;
  u[1] = exp;
  u[2] = hi;
  u[3] = lo;
}
