// FRECPE, FRSQRTE, FRECPX, URECPE and URSQRTE (FPRecipEstimate,
// FPRSqrtEstimate, FPRecpX, UnsignedRecipEstimate, UnsignedRSqrtEstimate).
// Operands are split into an exponent field and a
// 52-bit fraction held exactly in a JS number, whatever the format.

import { DZC, FpEnv, fpcrRounding, FPCR_DN, FPCR_FZ, FPCR_FZ16, IDC, IOC, IXC, OFC, Rounding, UFC } from './fpcr';

/** Geometry of one format: exponent field width, fraction width, bias. */
export interface EstFormat {
  readonly e: number;
  readonly f: number;
  readonly bias: number;
}

export const EST16: EstFormat = { e: 5, f: 10, bias: 15 };
export const EST32: EstFormat = { e: 8, f: 23, bias: 127 };
export const EST64: EstFormat = { e: 11, f: 52, bias: 1023 };

// (Both tables are built at every start: in functions, not loops in the bundle's top-level code, which V8 runs
// slowly; docs/performance.md, session 13.)

/** RecipEstimate(a) for a in 256..511: an 8-bit-fraction reciprocal in 256..511. */
const RECIP = recipTable();
/** RecipSqrtEstimate(a) for a in 128..511. */
const RSQRT = rsqrtTable();

function recipTable(): Uint16Array {
  const t = new Uint16Array(512);
  for (let a = 256; a < 512; a++) {
    const b = Math.floor(2 ** 19 / (a * 2 + 1));
    t[a] = (b + 1) >> 1;
  }
  return t;
}

function rsqrtTable(): Uint16Array {
  const t = new Uint16Array(512);
  for (let i = 128; i < 512; i++) {
    const a = i < 256 ? i * 2 + 1 : ((i >> 1) << 1) * 2 + 2;
    // The Arm ARM counts b up from 512 while a * (b + 1)^2 < 2^28 (hundreds of steps); the same least b, counted
    // from just below the root.
    let b = Math.max(512, Math.floor(Math.sqrt(2 ** 28 / a)) - 2);
    while (a * (b + 1) * (b + 1) < 2 ** 28) b++;
    t[i] = (b + 1) >> 1;
  }
  return t;
}

/** The operand as sign, exponent field and fraction (a number below 2^52, the format's fraction shifted to 52 bits). */
export interface Parts {
  sign: number;
  exp: number;
  frac: number;
}

const P: Parts = { sign: 0, exp: 0, frac: 0 };

/** Bits (as a number below 2^64 split into hi/lo: lo is used only for doubles) into P. */
function split(fmt: EstFormat, hi: number, lo: number): Parts {
  if (fmt.f === 52) {
    P.sign = hi >>> 31;
    P.exp = (hi >>> 20) & 0x7ff;
    P.frac = (hi & 0xfffff) * 4294967296 + (lo >>> 0);
  } else {
    P.sign = (hi >>> (fmt.e + fmt.f)) & 1;
    P.exp = (hi >>> fmt.f) & ((1 << fmt.e) - 1);
    P.frac = (hi & ((1 << fmt.f) - 1)) * 2 ** (52 - fmt.f);
  }
  return P;
}

/** Result register for estimates: hi and lo words (lo only for doubles). */
export const EST = new Int32Array(2);

function put(fmt: EstFormat, sign: number, exp: number, frac52: number): void {
  if (fmt.f === 52) {
    EST[1] = (sign << 31) | (exp << 20) | Math.floor(frac52 / 4294967296);
    EST[0] = frac52 % 4294967296 | 0;
  } else {
    EST[0] = (sign << (fmt.e + fmt.f)) | (exp << fmt.f) | Math.floor(frac52 / 2 ** (52 - fmt.f));
    EST[1] = 0;
  }
}

function maxExp(fmt: EstFormat): number {
  return (1 << fmt.e) - 1;
}

function flushes(fmt: EstFormat, fpcr: number): boolean {
  return fmt.e === 5 ? (fpcr & FPCR_FZ16) !== 0 : (fpcr & FPCR_FZ) !== 0;
}

/** A NaN operand: quietened (IOC when signalling) or the default NaN. */
function nan(fmt: EstFormat, env: FpEnv, p: Parts): void {
  const quietBit = 2 ** 51;
  if (p.frac < quietBit) env.fpsr |= IOC;
  if (env.fpcr & FPCR_DN) put(fmt, 0, maxExp(fmt), quietBit);
  else put(fmt, p.sign, maxExp(fmt), p.frac < quietBit ? p.frac + quietBit : p.frac);
}

/** Zero after FPUnpack (flushing denormals, IDC for single and double). */
function isZero(fmt: EstFormat, env: FpEnv, p: Parts): boolean {
  if (p.exp !== 0) return false;
  if (p.frac === 0) return true;
  if (!flushes(fmt, env.fpcr)) return false;
  if (fmt.e !== 5) env.fpsr |= IDC;
  return true;
}

const TOP8 = 2 ** 44;

/** FPRecipEstimate of the pattern (hi, lo) into EST. */
export function recipEstimate(fmt: EstFormat, env: FpEnv, hi: number, lo: number): void {
  const p = split(fmt, hi, lo);
  const top = maxExp(fmt);
  if (p.exp === top) {
    if (p.frac !== 0) nan(fmt, env, p);
    else put(fmt, p.sign, 0, 0);
    return;
  }
  if (isZero(fmt, env, p)) {
    env.fpsr |= DZC;
    put(fmt, p.sign, top, 0);
    return;
  }
  // Below 2^-(bias+1) the reciprocal overflows.
  if (p.exp === 0 && p.frac < 2 ** 50) {
    const rmode = fpcrRounding(env.fpcr);
    const toInf = rmode === Rounding.TieEven || (rmode === Rounding.PosInf && p.sign === 0) || (rmode === Rounding.NegInf && p.sign === 1);
    if (toInf) put(fmt, p.sign, top, 0);
    else put(fmt, p.sign, top - 1, 2 ** 52 - 1);
    env.fpsr |= OFC | IXC;
    return;
  }
  // At or above 2^bias-1 the reciprocal is below the smallest normal: flushed to zero.
  if (flushes(fmt, env.fpcr) && p.exp >= 2 * fmt.bias - 1) {
    env.fpsr |= UFC;
    put(fmt, p.sign, 0, 0);
    return;
  }
  let exp = p.exp;
  let frac = p.frac;
  if (exp === 0) {
    if (frac < 2 ** 51) {
      exp = -1;
      frac = (frac * 4) % 2 ** 52;
    } else frac = (frac * 2) % 2 ** 52;
  }
  const est = RECIP[256 + Math.floor(frac / TOP8)];
  let rexp = 2 * fmt.bias - 1 - exp;
  let rfrac = (est & 0xff) * TOP8;
  if (rexp === 0) rfrac = 2 ** 51 + rfrac / 2;
  else if (rexp === -1) {
    rfrac = 2 ** 50 + rfrac / 4;
    rexp = 0;
  }
  put(fmt, p.sign, rexp, rfrac);
}

/** FPRSqrtEstimate of the pattern (hi, lo) into EST. */
export function rsqrtEstimate(fmt: EstFormat, env: FpEnv, hi: number, lo: number): void {
  const p = split(fmt, hi, lo);
  const top = maxExp(fmt);
  if (p.exp === top && p.frac !== 0) {
    nan(fmt, env, p);
    return;
  }
  if (isZero(fmt, env, p)) {
    env.fpsr |= DZC;
    put(fmt, p.sign, top, 0);
    return;
  }
  if (p.sign === 1) {
    env.fpsr |= IOC;
    put(fmt, 0, top, 2 ** 51);
    return;
  }
  if (p.exp === top) {
    put(fmt, 0, 0, 0);
    return;
  }
  let exp = p.exp;
  let frac = p.frac;
  if (exp === 0) {
    while (frac < 2 ** 51) {
      frac *= 2;
      exp--;
    }
    frac = (frac * 2) % 2 ** 52;
  }
  const scaled = (exp & 1) === 0 ? 256 + Math.floor(frac / TOP8) : 128 + Math.floor(frac / 2 ** 45);
  const rexp = Math.floor((3 * fmt.bias - 1 - exp) / 2);
  put(fmt, 0, rexp, (RSQRT[scaled] & 0xff) * TOP8);
}

/** FPRecpX of the pattern (hi, lo) into EST. */
export function recpX(fmt: EstFormat, env: FpEnv, hi: number, lo: number): void {
  const p = split(fmt, hi, lo);
  const top = maxExp(fmt);
  if (p.exp === top && p.frac !== 0) {
    nan(fmt, env, p);
    return;
  }
  if (p.exp === 0) {
    isZero(fmt, env, p); // FPUnpack's IDC for a flushed denormal
    put(fmt, p.sign, top - 1, 0);
    return;
  }
  put(fmt, p.sign, ~p.exp & top, 0);
}

/** URECPE on one 32-bit lane. */
export function unsignedRecipEstimate(a: number): number {
  if (a >= 0) return -1;
  return (RECIP[(a >>> 23) & 0x1ff] & 0x1ff) << 23;
}

/** URSQRTE on one 32-bit lane. */
export function unsignedRSqrtEstimate(a: number): number {
  if ((a >>> 30) === 0) return -1;
  return (RSQRT[(a >>> 23) & 0x1ff] & 0x1ff) << 23;
}
