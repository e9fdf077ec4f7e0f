// Hand-specialised closures for the three-same operations that string and
// memory routines run in loops (ADD, SUB, CMEQ, CMHS, CMHI, UMAXP, UMINP, ADDP
// on bytes): no lane-function call, straight on the register file views.
// Anything not covered here goes through the generic lane drivers.

import type { Op } from '../../decoder';
import type { LaneShape } from './lane-drivers';

const HI8 = 0x80808080 | 0;
const LO7 = 0x7f7f7f7f;
const HI16 = 0x80008000 | 0;
const LO15 = 0x7fff7fff;

/** A hand-written Op for (name, shape), or undefined to use the generic path. */
export function fastSame(name: string, p: LaneShape): Op | undefined {
  if (p.esize === 64) return undefined;
  if (p.esize === 32 && name in word32) return wordwise(p, word32[name]);
  if (p.esize === 16 && name in word16) return wordwise(p, word16[name]);
  switch (name) {
    case 'ADD':
      return wordwise(p, addWord(p.esize));
    case 'SUB':
      return wordwise(p, subWord(p.esize));
    case 'CMEQ':
      return p.esize === 8 ? bytewise(p, 0) : undefined;
    case 'CMHS':
      return p.esize === 8 ? bytewise(p, 1) : undefined;
    case 'CMHI':
      return p.esize === 8 ? bytewise(p, 2) : undefined;
    case 'UMAXP':
    case 'UMINP':
    case 'ADDP':
      return p.esize === 8 ? pairBytes(p, name) : undefined;
    default:
      return undefined;
  }
}

type WordFn = (a: number, b: number, d: number) => number;
const set = (t: boolean): number => (t ? -1 : 0);

/** Operations on a 32-bit lane, which is a whole word. */
const word32: Record<string, WordFn> = {
  MUL: (a, b) => Math.imul(a, b),
  MLA: (a, b, d) => (d + Math.imul(a, b)) | 0,
  MLS: (a, b, d) => (d - Math.imul(a, b)) | 0,
  SMAX: (a, b) => (a > b ? a : b),
  SMIN: (a, b) => (a < b ? a : b),
  UMAX: (a, b) => ((a >>> 0) > (b >>> 0) ? a : b),
  UMIN: (a, b) => ((a >>> 0) < (b >>> 0) ? a : b),
  CMEQ: (a, b) => set(a === b),
  CMTST: (a, b) => set((a & b) !== 0),
  CMGT: (a, b) => set(a > b),
  CMGE: (a, b) => set(a >= b),
  CMHI: (a, b) => set(a >>> 0 > b >>> 0),
  CMHS: (a, b) => set(a >>> 0 >= b >>> 0),
};

/** Multiplies on the two 16-bit lanes of a word. */
const word16: Record<string, WordFn> = {
  MUL: (a, b) => (Math.imul(a, b) & 0xffff) | (Math.imul(a >>> 16, b >>> 16) << 16),
  MLA: (a, b, d) => ((d + Math.imul(a, b)) & 0xffff) | (((d >>> 16) + Math.imul(a >>> 16, b >>> 16)) << 16),
  MLS: (a, b, d) => ((d - Math.imul(a, b)) & 0xffff) | (((d >>> 16) - Math.imul(a >>> 16, b >>> 16)) << 16),
};

function addWord(esize: number): (a: number, b: number) => number {
  if (esize === 8) return (a, b) => ((a & LO7) + (b & LO7)) ^ ((a ^ b) & HI8);
  if (esize === 16) return (a, b) => ((a & LO15) + (b & LO15)) ^ ((a ^ b) & HI16);
  return (a, b) => (a + b) | 0;
}

function subWord(esize: number): (a: number, b: number) => number {
  if (esize === 8) return (a, b) => ((a | HI8) - (b & LO7)) ^ ((a ^ ~b) & HI8);
  if (esize === 16) return (a, b) => ((a | HI16) - (b & LO15)) ^ ((a ^ ~b) & HI16);
  return (a, b) => (a - b) | 0;
}

/** Lanes that never straddle a 32-bit word, combined a word at a time. */
function wordwise(p: LaneShape, f: WordFn): Op {
  const vw = p.cpu.state.vw;
  const words = (p.count * p.esize) >> 5;
  const d = 4 * p.d;
  const n = 4 * p.n;
  const m = 4 * p.m;
  if (words === 4) {
    return () => {
      vw[d] = f(vw[n], vw[m], vw[d]);
      vw[d + 1] = f(vw[n + 1], vw[m + 1], vw[d + 1]);
      vw[d + 2] = f(vw[n + 2], vw[m + 2], vw[d + 2]);
      vw[d + 3] = f(vw[n + 3], vw[m + 3], vw[d + 3]);
    };
  }
  return () => {
    vw[d] = f(vw[n], vw[m], vw[d]);
    vw[d + 1] = f(vw[n + 1], vw[m + 1], vw[d + 1]);
    vw[d + 2] = 0;
    vw[d + 3] = 0;
  };
}

/** Bytes that are 0x80 where the condition holds become 0xff, the others 0. */
function spread(highBits: number): number {
  return ((highBits & HI8) >>> 7) * 0xff;
}

/** Per byte, the top bit says a >= b (unsigned). */
function geBytes(a: number, b: number): number {
  const low = (a | HI8) - (b & LO7); // top bit of each byte: low 7 bits of a >= those of b
  return (a & ~b) | (~(a ^ b) & low);
}

function eqWord(a: number, b: number): number {
  const x = a ^ b;
  return spread(~(((x & LO7) + LO7) | x));
}

/** CMEQ (0), CMHS (1), CMHI (2) on bytes, a word at a time. */
function bytewise(p: LaneShape, kind: number): Op {
  const f = kind === 0 ? eqWord : kind === 1 ? (a: number, b: number) => spread(geBytes(a, b)) : (a: number, b: number) => spread(~geBytes(b, a));
  return wordwise(p, f);
}

const LO8H = 0x00ff00ff;

/** Two pairs of bytes of a word reduced to two bytes (the low 16 bits of the result). */
function pairReducer(name: string): (w: number) => number {
  const pack = (h: number): number => (h & 0xff) | ((h >>> 8) & 0xff00);
  if (name === 'ADDP') return (w) => pack((w & LO8H) + ((w >>> 8) & LO8H));
  const max = name === 'UMAXP';
  return (w) => {
    const even = w & LO8H;
    const odd = (w >>> 8) & LO8H;
    const evenGe = (((((even | 0x01000100) - odd) >>> 8) & 0x00010001) * 0xff) | 0;
    return pack(max ? (even & evenGe) | (odd & ~evenGe) : (odd & evenGe) | (even & ~evenGe));
  };
}

/** UMAXP, UMINP, ADDP on bytes: each source word gives two result bytes. */
function pairBytes(p: LaneShape, name: string): Op {
  const vw = p.cpu.state.vw;
  const f = pairReducer(name);
  const d = 4 * p.d;
  const n = 4 * p.n;
  const m = 4 * p.m;
  if (p.count === 16) {
    return () => {
      const r0 = f(vw[n]) | (f(vw[n + 1]) << 16);
      const r1 = f(vw[n + 2]) | (f(vw[n + 3]) << 16);
      const r2 = f(vw[m]) | (f(vw[m + 1]) << 16);
      const r3 = f(vw[m + 2]) | (f(vw[m + 3]) << 16);
      vw[d] = r0;
      vw[d + 1] = r1;
      vw[d + 2] = r2;
      vw[d + 3] = r3;
    };
  }
  return () => {
    const r0 = f(vw[n]) | (f(vw[n + 1]) << 16);
    const r1 = f(vw[m]) | (f(vw[m + 1]) << 16);
    vw[d] = r0;
    vw[d + 1] = r1;
    vw[d + 2] = 0;
    vw[d + 3] = 0;
  };
}
