// The x87 transcendentals: F2XM1, FYL2X, FYL2XP1, FPTAN, FPATAN, FSIN, FCOS,
// FSINCOS. Evaluated in BigInt fixed point with far more bits than the
// result keeps, then rounded once (so results are correctly rounded except
// where the hardware's own reduction differs: FSIN/FCOS/FPTAN reduce by the
// 66-bit pi the x87 uses, as the hardware does). A slow path: libm's long
// double functions run one of these per call.

import { C2, Cls, classify, PE, setR80, unpackInto, X87Env } from './float80';
import { Check, checkOne, checkTwo, denormalOperand, invalidResult } from './nan80';
import { Dest, roundPack } from './round80';
import { normalizeW, setW } from './wide';

/** Fraction bits of the fixed-point arithmetic. */
const F = 200;
const ONE = 1n << BigInt(F);
const U = new Int32Array(4);

/** Fixed-point product, truncated toward zero (series terms then reach 0 from either side). */
function mul(a: bigint, b: bigint): bigint {
  const p = a * b;
  return p < 0n ? -(-p >> BigInt(F)) : p >> BigInt(F);
}

function div(a: bigint, b: bigint): bigint {
  return (a << BigInt(F)) / b;
}

function isqrt(n: bigint): bigint {
  if (n <= 0n) return 0n;
  let x = 1n << BigInt((n.toString(2).length >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** atan(z) for 0 <= z <= 1 (fixed point), by two argument halvings and the series. */
function atanFixed(z: bigint): bigint {
  let halvings = 0n;
  for (let k = 0; k < 3; k++) {
    z = div(z, ONE + isqrt((ONE + mul(z, z)) << BigInt(F)));
    halvings++;
  }
  const z2 = mul(z, z);
  let term = z;
  let sum = 0n;
  for (let n = 1n; term !== 0n; n += 2n) {
    const t = term / n;
    sum = (n & 2n) === 0n ? sum + t : sum - t;
    term = mul(term, z2);
  }
  return sum << halvings;
}

const PI = 4n * (4n * atanFixed(ONE / 5n) - atanFixed(ONE / 239n));
const LN2 = lnFixed(ONE * 2n);
/** The 66-bit pi the x87 reduces sine, cosine and tangent arguments with. */
const PI66 = (0x3243f6a8885a308d3n << BigInt(F)) >> 64n;

/** ln(m) for m in [0.5, 2] (fixed point), as 2 atanh((m-1)/(m+1)). */
function lnFixed(m: bigint): bigint {
  const z = div(m - ONE, m + ONE);
  const z2 = mul(z, z);
  let term = z;
  let sum = 0n;
  for (let n = 1n; term !== 0n && term !== -1n; n += 2n) {
    sum += term / n;
    term = mul(term, z2);
  }
  return 2n * sum;
}

/** A finite nonzero operand as [sign, m, e]: value = m * 2^e, m a 64-bit integer. */
function exact(se: number, hi: number, lo: number): [number, bigint, number] {
  unpackInto(U, se, hi, lo);
  return [U[0], (BigInt(U[2] >>> 0) << 32n) | BigInt(U[3] >>> 0), U[1] - 63];
}

/** A fixed-point value of the operand (it must fit: |x| < 2^(300 - F)). */
function toFixed(m: bigint, e: number): bigint {
  const s = e + F;
  return s >= 0 ? m << BigInt(s) : m >> BigInt(-s);
}

/** Rounds sign * mag * 2^scale (mag > 0) to the extended format under RC (precision control does not apply). */
function roundBig(env: X87Env, sign: number, mag: bigint, scale: number): boolean {
  const bits = mag.toString(2).length;
  let top: bigint;
  let e: number;
  if (bits > 128) {
    const drop = BigInt(bits - 128);
    top = mag >> drop;
    if (top << drop !== mag) top |= 1n;
    e = scale + bits - 1;
  } else {
    top = mag << BigInt(128 - bits);
    e = scale + bits - 1;
  }
  setW(Number(top >> 96n) | 0, Number((top >> 64n) & 0xffffffffn) | 0, Number((top >> 32n) & 0xffffffffn) | 0, Number(top & 0xffffffffn) | 0);
  // Results from series are never exact; keep the sticky bit (it forces PE).
  return roundPack(env, sign, e - normalizeW(), 64, Dest.Ext);
}

function roundFixed(env: X87Env, v: bigint): boolean {
  if (v === 0n) {
    setR80(0, 0, 0);
    return true;
  }
  return v < 0n ? roundBig(env, 1, -v | 1n, -F) : roundBig(env, 0, v | 1n, -F);
}

/** F2XM1: 2^x - 1 for |x| <= 1 (larger arguments: the hardware's result is undefined; we compute it anyway). */
export function f2xm1(env: X87Env, se: number, hi: number, lo: number): boolean {
  const c = classify(se, hi, lo);
  const chk = checkOne(env, c, se, hi, lo);
  if (chk !== Check.Go) return chk === Check.Write;
  const sign = (se >>> 15) & 1;
  if (c === Cls.Zero) return keep(se, hi, lo);
  if (c === Cls.Inf) {
    if (sign) setR80(0xbfff, 0x80000000 | 0, 0);
    else setR80(se, hi, lo);
    return true;
  }
  if ((se & 0x7fff) >= 0x3fff && !((se & 0x7fff) === 0x3fff && hi === (0x80000000 | 0) && lo === 0)) {
    // |x| > 1: out of F2XM1's domain; the host leaves the operand and reports PE.
    env.fsw |= PE;
    return keep(se, hi, lo);
  }
  const [s, m, e] = exact(se, hi, lo);
  if (e + 63 < -100) {
    // 2^x - 1 = x ln2 (1 + x ln2 / 2 + ...): x ln2 carries every bit that survives.
    return roundBig(env, s, m * LN2, e - F);
  }
  const t = mul(toFixed(s ? -m : m, e), LN2);
  let term = t;
  let sum = 0n;
  for (let n = 2n; term !== 0n; n++) {
    sum += term;
    term = mul(term, t) / n;
  }
  return roundFixed(env, sum);
}

function keep(se: number, hi: number, lo: number): boolean {
  setR80(se, hi, lo);
  return true;
}

/** log2 of a positive finite m * 2^e (m of any size), fixed point. */
function log2Fixed(m: bigint, e: number): bigint {
  // m * 2^e = f * 2^k with f in [sqrt(1/2), sqrt(2)).
  const top = m.toString(2).length - 1;
  let k = e + top;
  let f = top <= F ? m << BigInt(F - top) : m >> BigInt(top - F);
  if (f > (ONE * 181n) / 128n) {
    f >>= 1n;
    k++;
  }
  return BigInt(k) * ONE + div(lnFixed(f), LN2);
}

/** FYL2X: ST1 * log2(ST0) into R80 (the caller pops). */
export function fyl2x(env: X87Env, xSe: number, xHi: number, xLo: number, ySe: number, yHi: number, yLo: number): boolean {
  const cx = classify(xSe, xHi, xLo);
  const cy = classify(ySe, yHi, yLo);
  const chk = checkTwo(env, cx, xSe, xHi, xLo, cy, ySe, yHi, yLo, true);
  if (chk !== Check.Go) return chk === Check.Write;
  const sx = (xSe >>> 15) & 1;
  const sy = (ySe >>> 15) & 1;
  if (sx && cx !== Cls.Zero) return invalidResult(env) === Check.Write;
  if (cx !== Cls.Zero && (cx === Cls.Denormal || cy === Cls.Denormal) && denormalOperand(env) === Check.Skip) return false;
  if (cx === Cls.Zero) {
    if (cy === Cls.Zero) return invalidResult(env) === Check.Write;
    if (cy !== Cls.Inf) env.fsw |= 4; // ZE: log2(0) = -inf
    if (!(env.fcw & 4) && cy !== Cls.Inf) return false;
    return setInfR(sy ^ 1);
  }
  if (cx === Cls.Inf) {
    if (cy === Cls.Zero) return invalidResult(env) === Check.Write;
    return setInfR(sy);
  }
  const [, mx, ex] = exact(xSe, xHi, xLo);
  const l = log2Fixed(mx, ex);
  if (l === 0n) {
    if (cy === Cls.Inf) return invalidResult(env) === Check.Write;
    setR80(sy << 15, 0, 0);
    return true;
  }
  const neg = l < 0n;
  if (cy === Cls.Inf) return setInfR(sy ^ (neg ? 1 : 0));
  if (cy === Cls.Zero) {
    setR80((sy ^ (neg ? 1 : 0)) << 15, 0, 0);
    return true;
  }
  const [, my, ey] = exact(ySe, yHi, yLo);
  return roundBig(env, sy ^ (neg ? 1 : 0), (neg ? -l : l) * my | 1n, ey - F);
}

function setInfR(sign: number): boolean {
  setR80((sign << 15) | 0x7fff, 0x80000000 | 0, 0);
  return true;
}

/** FYL2XP1: ST1 * log2(ST0 + 1) into R80 (the caller pops). */
export function fyl2xp1(env: X87Env, xSe: number, xHi: number, xLo: number, ySe: number, yHi: number, yLo: number): boolean {
  const cx = classify(xSe, xHi, xLo);
  const cy = classify(ySe, yHi, yLo);
  const chk = checkTwo(env, cx, xSe, xHi, xLo, cy, ySe, yHi, yLo, true);
  if (chk !== Check.Go) return chk === Check.Write;
  const sx = (xSe >>> 15) & 1;
  const sy = (ySe >>> 15) & 1;
  // An invalid operation reports IE alone: no DE for a denormal other operand (as the host does).
  if ((cx === Cls.Zero && cy === Cls.Inf) || (cx === Cls.Inf && (sx === 1 || cy === Cls.Zero))) return invalidResult(env) === Check.Write;
  if ((cx === Cls.Denormal || cy === Cls.Denormal) && denormalOperand(env) === Check.Skip) return false;
  if (cx === Cls.Zero) {
    setR80((sx ^ sy) << 15, 0, 0);
    return true;
  }
  if (cx === Cls.Inf) return setInfR(sy);
  if (cy === Cls.Inf) return setInfR(sx ^ sy);
  if (cy === Cls.Zero) {
    setR80((sx ^ sy) << 15, 0, 0);
    return true;
  }
  const [, mx, ex] = exact(xSe, xHi, xLo);
  const [, my, ey] = exact(ySe, yHi, yLo);
  if (ex + 63 < -100) {
    // log2(1 + x) = x / ln2 (1 - x/2 + ...).
    return roundBig(env, sx ^ sy, div(mx * my, LN2) | 1n, ex + ey);
  }
  if (ex + 63 >= -2) {
    // |x| >= 1/4: log2 of the exact sum 1 + x.
    const low = Math.min(ex, 0);
    const sum = ((sx ? -mx : mx) << BigInt(ex - low)) + (1n << BigInt(-low));
    if (sum <= 0n) {
      // Out of FYL2XP1's domain: the host returns x itself and reports PE.
      env.fsw |= PE;
      return keep(xSe, xHi, xLo);
    }
    const l = log2Fixed(sum, low);
    const neg = l < 0n;
    return roundBig(env, sy ^ (neg ? 1 : 0), (neg ? -l : l) * my | 1n, ey - F);
  }
  const x = toFixed(sx ? -mx : mx, ex);
  if (x <= -ONE) {
    // Out of FYL2XP1's domain: the host returns x itself and reports PE.
    env.fsw |= PE;
    return keep(xSe, xHi, xLo);
  }
  // ln(1 + x) = 2 atanh(x / (2 + x)): no cancellation for small x.
  const z = div(x, 2n * ONE + x);
  const z2 = mul(z, z);
  let term = z;
  let sum = 0n;
  for (let n = 1n; term !== 0n && term !== -1n; n += 2n) {
    sum += term / n;
    term = mul(term, z2);
  }
  const l = div(2n * sum, LN2);
  const neg = l < 0n;
  return roundBig(env, sy ^ (neg ? 1 : 0), (neg ? -l : l) * my | 1n, ey - F);
}

/** FPATAN: atan2(ST1, ST0) into R80 (the caller pops). */
export function fpatan(env: X87Env, xSe: number, xHi: number, xLo: number, ySe: number, yHi: number, yLo: number): boolean {
  const cx = classify(xSe, xHi, xLo);
  const cy = classify(ySe, yHi, yLo);
  const chk = checkTwo(env, cx, xSe, xHi, xLo, cy, ySe, yHi, yLo);
  if (chk !== Check.Go) return chk === Check.Write;
  const sx = (xSe >>> 15) & 1;
  const sy = (ySe >>> 15) & 1;
  let angle: bigint;
  if (cy === Cls.Zero || cx === Cls.Inf && cy !== Cls.Inf) {
    if (!sx) {
      setR80(sy << 15, 0, 0);
      return true;
    }
    angle = PI;
  } else if (cx === Cls.Zero || (cy === Cls.Inf && cx !== Cls.Inf)) {
    angle = PI / 2n;
  } else if (cx === Cls.Inf) {
    angle = sx ? (3n * PI) / 4n : PI / 4n;
  } else {
    const [, mx, ex] = exact(xSe, xHi, xLo);
    const [, my, ey] = exact(ySe, yHi, yLo);
    const d = ey - ex;
    if (!sx && d < -80) return roundBig(env, sy, div(my, mx) | 1n, d - F); // atan(t) = t for tiny t
    const swap = d > 0 || (d === 0 && my > mx);
    const num = swap ? mx : my;
    const den = swap ? my : mx;
    const shift = swap ? -d : d;
    const t = shift < -300 ? 0n : shift >= 0 ? div(num << BigInt(shift), den) : div(num, den) >> BigInt(-shift);
    let a = atanFixed(t);
    if (swap) a = PI / 2n - a;
    angle = sx ? PI - a : a;
  }
  return roundBig(env, sy, angle | 1n, -F);
}

/** Whether |x| is too large for FSIN/FCOS/FPTAN/FSINCOS (C2 = 1, operand unchanged). */
function outOfRange(se: number): boolean {
  return (se & 0x7fff) >= 0x3fff + 63;
}

/** x reduced by the x87's 66-bit pi: [r, quadrant] with r in [-pi/4, pi/4] (fixed point). */
function reduce(m: bigint, e: number, sign: number): [bigint, number] {
  const x = toFixed(m, e);
  const half = PI66 / 2n;
  let q = (x + half / 2n) / half;
  let r = x - q * half;
  if (sign) {
    r = -r;
    q = -q;
  }
  return [r, Number(((q % 4n) + 4n) % 4n)];
}

function sinCosSeries(r: bigint): [bigint, bigint] {
  const r2 = mul(r, r);
  let s = 0n;
  let term = r;
  for (let n = 1n; term !== 0n; n += 2n) {
    s += term;
    term = -mul(term, r2) / ((n + 1n) * (n + 2n));
  }
  let c = 0n;
  term = ONE;
  for (let n = 0n; term !== 0n; n += 2n) {
    c += term;
    term = -mul(term, r2) / ((n + 1n) * (n + 2n));
  }
  return [s, c];
}

export const enum Trig {
  Sin = 0,
  Cos = 1,
  Tan = 2,
}

/**
 * FSIN, FCOS, FPTAN's tangent (and FSINCOS as Sin then Cos). Sets C2 and
 * returns false without a result when the operand is out of range; the
 * caller clears C2 otherwise.
 */
export function trig(env: X87Env, which: Trig, se: number, hi: number, lo: number): boolean {
  const c = classify(se, hi, lo);
  if (c === Cls.Inf) return invalidResult(env) === Check.Write;
  const chk = checkOne(env, c, se, hi, lo);
  if (chk !== Check.Go) return chk === Check.Write;
  if (c === Cls.Zero) {
    if (which === Trig.Cos) setR80(0x3fff, 0x80000000 | 0, 0);
    else setR80(se, hi, lo);
    return true;
  }
  if (outOfRange(se)) {
    env.fsw |= C2;
    return false;
  }
  const [sign, m, e] = exact(se, hi, lo);
  if (which !== Trig.Cos && e + 63 < -40) {
    // sin(x) = x - x^3/6, tan(x) = x + x^3/3: the cubic term decides the rounding direction.
    const shift = -(2 * e + 200);
    let corr = shift > 400 ? 0n : (m * m * m) >> BigInt(shift);
    corr = which === Trig.Sin ? corr / 6n : corr / 3n;
    if (corr === 0n) corr = 1n;
    const base = m << 200n;
    return roundBig(env, sign, which === Trig.Sin ? base - corr : base + corr, e - 200);
  }
  const [r, q] = reduce(m, e, sign);
  const [s, co] = sinCosSeries(r);
  let v: bigint;
  if (which === Trig.Sin) v = q === 0 ? s : q === 1 ? co : q === 2 ? -s : -co;
  else if (which === Trig.Cos) v = q === 0 ? co : q === 1 ? -s : q === 2 ? -co : s;
  else v = q % 2 === 0 ? div(s, co) : -div(co, s);
  return roundFixed(env, v);
}

