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
function wordwise(p: LaneShape, f: (a: number, b: number) => number): Op {
  const vw = p.cpu.state.vw;
  const words = (p.count * p.esize) >> 5;
  const d = 4 * p.d;
  const n = 4 * p.n;
  const m = 4 * p.m;
  if (words === 4) {
    return () => {
      vw[d] = f(vw[n], vw[m]);
      vw[d + 1] = f(vw[n + 1], vw[m + 1]);
      vw[d + 2] = f(vw[n + 2], vw[m + 2]);
      vw[d + 3] = f(vw[n + 3], vw[m + 3]);
    };
  }
  return () => {
    vw[d] = f(vw[n], vw[m]);
    vw[d + 1] = f(vw[n + 1], vw[m + 1]);
    vw[d + 2] = 0;
    vw[d + 3] = 0;
  };
}

/** CMEQ (0), CMHS (1), CMHI (2) on bytes. */
function bytewise(p: LaneShape, kind: number): Op {
  const vb = p.cpu.state.vb;
  const vw = p.cpu.state.vw;
  const count = p.count;
  const d = 16 * p.d;
  const n = 16 * p.n;
  const m = 16 * p.m;
  const zero = count === 8;
  const dw = 4 * p.d;
  if (kind === 0) {
    return () => {
      for (let i = 0; i < count; i++) vb[d + i] = vb[n + i] === vb[m + i] ? 0xff : 0;
      if (zero) vw[dw + 2] = vw[dw + 3] = 0;
    };
  }
  if (kind === 1) {
    return () => {
      for (let i = 0; i < count; i++) vb[d + i] = vb[n + i] >= vb[m + i] ? 0xff : 0;
      if (zero) vw[dw + 2] = vw[dw + 3] = 0;
    };
  }
  return () => {
    for (let i = 0; i < count; i++) vb[d + i] = vb[n + i] > vb[m + i] ? 0xff : 0;
    if (zero) vw[dw + 2] = vw[dw + 3] = 0;
  };
}

const pairScratch = new Uint8Array(16);

/** UMAXP, UMINP, ADDP on bytes: results gathered in a scratch, then stored. */
function pairBytes(p: LaneShape, name: string): Op {
  const vb = p.cpu.state.vb;
  const vw = p.cpu.state.vw;
  const half = p.count >> 1;
  const d = 16 * p.d;
  const n = 16 * p.n;
  const m = 16 * p.m;
  const zero = p.count === 8;
  const dw = 4 * p.d;
  const t = pairScratch;
  const gather =
    name === 'UMAXP'
      ? (src: number, at: number) => {
          for (let i = 0; i < half; i++) {
            const a = vb[src + 2 * i];
            const b = vb[src + 2 * i + 1];
            t[at + i] = a > b ? a : b;
          }
        }
      : name === 'UMINP'
        ? (src: number, at: number) => {
            for (let i = 0; i < half; i++) {
              const a = vb[src + 2 * i];
              const b = vb[src + 2 * i + 1];
              t[at + i] = a < b ? a : b;
            }
          }
        : (src: number, at: number) => {
            for (let i = 0; i < half; i++) t[at + i] = vb[src + 2 * i] + vb[src + 2 * i + 1];
          };
  return () => {
    gather(n, 0);
    gather(m, half);
    for (let i = 0; i < 2 * half; i++) vb[d + i] = t[i];
    if (zero) vw[dw + 2] = vw[dw + 3] = 0;
  };
}
