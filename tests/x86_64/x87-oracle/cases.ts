// Random and edge-case operands for the x87 oracle, from a seeded generator
// (the same seed gives the same cases on every machine, so goldens recorded
// from the host FPU can be replayed where it is absent).

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  below(n: number): number {
    return this.next() % n;
  }
}

export interface V80 {
  se: number;
  hi: number;
  lo: number;
}

const hex = (v: number, n: number) => (v >>> 0).toString(16).padStart(n, '0');

export function v80Hex(v: V80): string {
  return hex(v.se & 0xffff, 4) + hex(v.hi, 8) + hex(v.lo, 8);
}

export function parseV80(s: string): V80 {
  return { se: parseInt(s.slice(0, 4), 16), hi: parseInt(s.slice(4, 12), 16) | 0, lo: parseInt(s.slice(12, 20), 16) | 0 };
}

/** A significand with structure: random, or with runs of ones or zeros at the bottom (rounding ties and carries). */
function significand(r: Rng): [number, number] {
  let hi = r.next();
  let lo = r.next();
  const k = r.below(8);
  if (k === 0) {
    const n = r.below(64);
    // clear the low n bits
    if (n >= 32) {
      lo = 0;
      hi = (hi >>> (n - 32)) << (n - 32);
    } else if (n > 0) lo = (lo >>> n) << n;
  } else if (k === 1) {
    const n = r.below(64);
    if (n >= 32) {
      lo = 0xffffffff;
      hi = (hi | (n === 32 ? 0 : 0xffffffff >>> (64 - n))) >>> 0;
    } else if (n > 0) lo = (lo | (0xffffffff >>> (32 - n))) >>> 0;
  } else if (k === 2) {
    // a 24- or 53-bit value with a few bits below: precision control's rounding point
    const keep = r.below(2) ? 24 : 53;
    const tail = r.next() & 7;
    if (keep === 24) {
      hi = (hi & 0xffffff00) | (r.below(4) === 0 ? 0x80 : 0);
      lo = tail;
    } else {
      lo = (lo & 0xfffff800) | (r.below(4) === 0 ? 0x400 : 0) | tail;
    }
  }
  return [hi >>> 0, lo >>> 0];
}

/** A random 80-bit operand of any class; `nearExp` steers the exponent close to another operand's. */
export function gen80(r: Rng, nearExp = -1): V80 {
  const sign = r.below(2) << 15;
  const k = r.below(100);
  let [hi, lo] = significand(r);
  const normal = (e: number): V80 => ({ se: sign | e, hi: (hi | 0x80000000) | 0, lo: lo | 0 });
  if (k < 4) return { se: sign, hi: 0, lo: 0 };
  if (k < 7) return { se: sign | 0x7fff, hi: 0x80000000 | 0, lo: 0 };
  if (k < 10) return { se: sign | 0x7fff, hi: (hi | 0xc0000000) | 0, lo: lo | 0 };
  if (k < 13) {
    hi = (hi & 0xbfffffff) | 0x80000000;
    if ((hi & 0x3fffffff) === 0 && lo === 0) lo = 1;
    return { se: sign | 0x7fff, hi: hi | 0, lo: lo | 0 };
  }
  if (k < 15) {
    const e = r.below(3) === 0 ? 0x7fff : 1 + r.below(0x7ffe);
    return { se: sign | e, hi: (hi & 0x7fffffff) | 0, lo: lo | 0 };
  }
  if (k < 21) {
    const pseudo = r.below(5) === 0;
    const shift = r.below(64);
    if (shift >= 32) {
      lo = hi >>> (shift - 32);
      hi = 0;
    } else if (shift > 0) {
      lo = ((lo >>> shift) | (hi << (32 - shift))) >>> 0;
      hi = hi >>> shift;
    }
    hi = pseudo ? hi | 0x80000000 : hi & 0x7fffffff;
    if (hi === 0 && lo === 0) lo = 1;
    return { se: sign, hi: hi | 0, lo: lo | 0 };
  }
  if (k < 27) return normal(1 + r.below(80));
  if (k < 32) return normal(0x7ffe - r.below(80));
  if (nearExp > 0 && k < 75) {
    const e = nearExp + r.below(141) - 70;
    if (e >= 1 && e <= 0x7ffe) return normal(e);
  }
  if (k < 85) return normal(0x3fff - 70 + r.below(141));
  return normal(1 + r.below(0x7ffe));
}

/** A control word: random rounding and precision, usually all exceptions masked. */
export function genFcw(r: Rng): number {
  const rc = r.below(4);
  const pc = [0, 2, 3, 3][r.below(4)];
  const masks = r.below(4) === 0 ? r.next() & 0x3f : 0x3f;
  return 0x40 | (rc << 10) | (pc << 8) | masks;
}

/** A float32 (n = 32) or float64 bit pattern of any class, as bytes in memory order. */
function genFloatBytes(r: Rng, n: 32 | 64): number[] {
  const k = r.below(10);
  const ebits = n === 32 ? 8 : 11;
  const emax = (1 << ebits) - 1;
  let field = k === 0 ? 0 : k === 1 ? emax : k < 4 ? r.below(8) : r.below(emax + 1);
  let lo = r.next();
  let hi = r.next();
  if (r.below(6) === 0) lo = 0;
  if (n === 32) {
    const v = ((r.below(2) << 31) | (field << 23) | (hi & 0x7fffff)) >>> 0;
    return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
  }
  if (field === emax && r.below(3) === 0) hi &= 0xfff00000;
  const h = ((r.below(2) << 31) | (field << 20) | (hi & 0xfffff)) >>> 0;
  return [lo & 0xff, (lo >>> 8) & 0xff, (lo >>> 16) & 0xff, lo >>> 24, h & 0xff, (h >>> 8) & 0xff, (h >>> 16) & 0xff, h >>> 24];
}

const SENTINEL = 'a5a5a5a5a5a5a5a5a5a5';

function memHex(bytes: number[]): string {
  const all = bytes.concat(Array(10 - bytes.length).fill(0xa5));
  return all.map((x) => x.toString(16).padStart(2, '0')).join('');
}

/** An operand in an exponent window (unbiased lo..hi), else any class now and then. */
function genWindow(r: Rng, lo: number, hi: number): V80 {
  if (r.below(5) === 0) return gen80(r);
  const v = gen80(r);
  const e = Math.max(1, Math.min(0x7ffe, 0x3fff + lo + r.below(hi - lo + 1)));
  return { se: (v.se & 0x8000) | e, hi: v.hi | 0x80000000, lo: v.lo };
}

/** A packed BCD operand: 18 digits (sometimes few), the sign byte's top bit; rarely an invalid digit. */
function genBcd(r: Rng): number[] {
  const digits = r.below(4) === 0 ? r.below(19) : 18;
  const b: number[] = [];
  for (let i = 0; i < 9; i++) {
    const d0 = 2 * i < digits ? r.below(10) : 0;
    const d1 = 2 * i + 1 < digits ? r.below(10) : 0;
    b.push(d0 | (d1 << 4));
  }
  b.push(r.below(2) ? 0x80 : 0);
  return b;
}

/** One oracle input line for `op`. */
export function genCase(op: string, r: Rng): string {
  const fcw = genFcw(r);
  let a = gen80(r);
  let b = gen80(r, a.se & 0x7fff);
  let mem = SENTINEL;
  switch (op) {
    case 'fld32':
      mem = memHex(genFloatBytes(r, 32));
      break;
    case 'fld64':
      mem = memHex(genFloatBytes(r, 64));
      break;
    case 'fbld':
      mem = memHex(genBcd(r));
      break;
    case 'fst32':
      a = genWindow(r, -160, 140);
      break;
    case 'fst64':
      a = genWindow(r, -1100, 1040);
      break;
    case 'fist16':
    case 'fisttp16':
      a = genWindow(r, -3, 17);
      break;
    case 'fist32':
    case 'fisttp32':
      a = genWindow(r, -3, 33);
      break;
    case 'fist64':
    case 'fisttp64':
    case 'fbstp':
      a = genWindow(r, -3, 65);
      break;
    case 'frndint':
      a = genWindow(r, -3, 66);
      break;
    case 'fscale':
      b = genWindow(r, -2, 16);
      break;
    case 'f2xm1':
      a = genWindow(r, -70, 0);
      break;
    case 'fyl2x':
      a = genWindow(r, -200, 200);
      a.se &= 0x7fff;
      b = genWindow(r, -10, 10);
      break;
    case 'fyl2xp1':
      a = genWindow(r, -70, -3);
      b = genWindow(r, -10, 10);
      break;
    case 'fsin':
    case 'fcos':
    case 'fptan':
    case 'fsincos':
      a = r.below(8) === 0 ? genWindow(r, 20, 62) : genWindow(r, -70, 6);
      break;
    case 'fpatan':
      a = genWindow(r, -20, 20);
      b = genWindow(r, -20, 20);
      break;
    case 'fprem':
    case 'fprem1':
      if (r.below(2)) b = genWindow(r, (a.se & 0x7fff) - 0x3fff - 90, (a.se & 0x7fff) - 0x3fff + 2);
      break;
  }
  return `${op} ${fcw.toString(16)} ${v80Hex(a)} ${v80Hex(b)} ${mem}`;
}
