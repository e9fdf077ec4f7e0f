// FCADD and FCMLA (vector and by element, Armv8.3 FCMA): lanes taken as
// (real, imaginary) pairs, half, single and double precision.

import { bit, bits, Encoding, Handler, Op } from '../../decoder';
import type { Cpu } from '../../cpu';
import * as h from '../../fp/binary16';
import * as s from '../../fp/binary32';
import * as d from '../../fp/binary64';

const FR = d.FR;
const OUT = new Int32Array(4);
const OUT_H = new Uint16Array(OUT.buffer);

/** One FCMLA/FCADD step on a pair: Vn pair at n, Vm pair at m, Vd pair at dd (lane indices of the view). */
type PairStep = (lanes: Int32Array | Uint16Array, out: Int32Array | Uint16Array, o: number, n: number, m: number, dd: number) => void;

interface Shape {
  esize: number;
  count: number;
  d: number;
  n: number;
  m: number;
  /** By element: the Vm pair used for every result pair; -1 for the vector form. */
  index: number;
}

function driver(cpu: Cpu, sh: Shape, step16: PairStep, step32: PairStep): Op {
  const { vh, vw } = cpu.state;
  const per = sh.esize === 16 ? 8 : 4;
  const lanes = sh.esize === 16 ? vh : vw;
  const out = sh.esize === 16 ? OUT_H : OUT;
  const step = sh.esize === 16 ? step16 : step32;
  // Doubles are handled as 32-bit word pairs by their own steps: two words per lane.
  const words = sh.esize === 64 ? 2 : 1;
  const total = sh.count * words;
  const base = { n: sh.n * per, m: sh.m * per, d: sh.d * per };
  const fixed = sh.index < 0 ? -1 : base.m + 2 * words * sh.index;
  return () => {
    for (let e = 0; e < total; e += 2 * words) step(lanes, out, e, base.n + e, fixed < 0 ? base.m + e : fixed, base.d + e);
    for (let i = 0; i < per; i++) lanes[base.d + i] = i < total ? out[i] : 0;
  };
}

function fcaddSteps(cpu: Cpu, rot: number, esize: number): [PairStep, PairStep] {
  const half: PairStep = (l, o, e, n, m) => {
    const e1 = rot ? l[m + 1] : l[m + 1] ^ 0x8000;
    const e3 = rot ? l[m] ^ 0x8000 : l[m];
    o[e] = h.f16Add(cpu, l[n], e1);
    o[e + 1] = h.f16Add(cpu, l[n + 1], e3);
  };
  if (esize !== 64) {
    const single: PairStep = (l, o, e, n, m) => {
      const e1 = rot ? l[m + 1] : l[m + 1] ^ 0x80000000;
      const e3 = rot ? l[m] ^ 0x80000000 : l[m];
      o[e] = s.f32Add(cpu, l[n], e1);
      o[e + 1] = s.f32Add(cpu, l[n + 1], e3);
    };
    return [half, single];
  }
  const double: PairStep = (l, o, e, n, m) => {
    const m0lo = l[m];
    const m0hi = rot ? l[m + 1] ^ 0x80000000 : l[m + 1];
    d.f64Add(cpu, l[n], l[n + 1], l[m + 2], rot ? l[m + 3] : l[m + 3] ^ 0x80000000);
    o[e] = FR[0];
    o[e + 1] = FR[1];
    d.f64Add(cpu, l[n + 2], l[n + 3], m0lo, m0hi);
    o[e + 2] = FR[0];
    o[e + 3] = FR[1];
  };
  return [half, double];
}

/**
 * FCMLA: result0 = acc0 + n[k] * (+/-)m[i0], result1 = acc1 + n[k] * (+/-)m[i1]
 * with k = rot<0>, (i0, i1) = (1, 0) when rot<0> else (0, 1), and negations
 * for rot 01/10 (first) and 10/11 (second).
 */
function fcmlaSteps(cpu: Cpu, rot: number, esize: number): [PairStep, PairStep] {
  const k = rot & 1;
  const i0 = k;
  const i1 = 1 - k;
  const neg0 = rot === 1 || rot === 2;
  const neg1 = rot >= 2;
  const half: PairStep = (l, o, e, n, m, dd) => {
    const x = l[n + k];
    const y0 = neg0 ? l[m + i0] ^ 0x8000 : l[m + i0];
    const y1 = neg1 ? l[m + i1] ^ 0x8000 : l[m + i1];
    o[e] = h.f16MulAdd(cpu, l[dd], x, y0);
    o[e + 1] = h.f16MulAdd(cpu, l[dd + 1], x, y1);
  };
  if (esize !== 64) {
    const single: PairStep = (l, o, e, n, m, dd) => {
      const x = l[n + k];
      const y0 = neg0 ? l[m + i0] ^ 0x80000000 : l[m + i0];
      const y1 = neg1 ? l[m + i1] ^ 0x80000000 : l[m + i1];
      o[e] = s.f32MulAdd(cpu, l[dd], x, y0);
      o[e + 1] = s.f32MulAdd(cpu, l[dd + 1], x, y1);
    };
    return [half, single];
  }
  const double: PairStep = (l, o, e, n, m, dd) => {
    const xlo = l[n + 2 * k];
    const xhi = l[n + 2 * k + 1];
    const y1lo = l[m + 2 * i1];
    const y1hi = neg1 ? l[m + 2 * i1 + 1] ^ 0x80000000 : l[m + 2 * i1 + 1];
    d.f64MulAdd(cpu, l[dd], l[dd + 1], xlo, xhi, l[m + 2 * i0], neg0 ? l[m + 2 * i0 + 1] ^ 0x80000000 : l[m + 2 * i0 + 1]);
    o[e] = FR[0];
    o[e + 1] = FR[1];
    d.f64MulAdd(cpu, l[dd + 2], l[dd + 3], xlo, xhi, y1lo, y1hi);
    o[e + 2] = FR[0];
    o[e + 3] = FR[1];
  };
  return [half, double];
}

/** Vector forms: size 01 half, 10 single, 11 double (Q = 1 only); size 00 is reserved. */
function vector(steps: (cpu: Cpu, rot: number, esize: number) => [PairStep, PairStep], rotHi: number, rotLo: number): Handler {
  return (insn, ctx) => {
    const size = bits(insn, 23, 22);
    const q = bit(insn, 30);
    if (size === 0 || (size === 3 && q === 0)) return null;
    const esize = 8 << size;
    const rot = bits(insn, rotHi, rotLo);
    const [a, b] = steps(ctx.cpu, rot, esize);
    const shape = { esize, count: (q ? 128 : 64) / esize, d: bits(insn, 4, 0), n: bits(insn, 9, 5), m: bits(insn, 20, 16), index: -1 };
    return driver(ctx.cpu, shape, a, b);
  };
}

/** FCMLA (by element): half takes pair H:L, single pair H (L = 1 reserved); the pair must lie in the used width. */
const fcmlaElement: Handler = (insn, ctx) => {
  const size = bits(insn, 23, 22);
  const q = bit(insn, 30);
  const hBit = bit(insn, 11);
  const l = bit(insn, 21);
  if (size !== 1 && size !== 2) return null;
  if (size === 2 && (l === 1 || q === 0)) return null;
  if (size === 1 && hBit === 1 && q === 0) return null;
  const esize = 8 << size;
  const index = size === 1 ? (hBit << 1) | l : hBit;
  const [a, b] = fcmlaSteps(ctx.cpu, bits(insn, 14, 13), esize);
  const shape = { esize, count: (q ? 128 : 64) / esize, d: bits(insn, 4, 0), n: bits(insn, 9, 5), m: bits(insn, 20, 16), index };
  return driver(ctx.cpu, shape, a, b);
};

export const complexFp: Encoding[] = [
  { name: 'FCADD', pattern: '0q101110 ss0 mmmmm 111r01 nnnnn ddddd', handler: vector(fcaddSteps, 12, 12) },
  { name: 'FCMLA', pattern: '0q101110 ss0 mmmmm 110rr1 nnnnn ddddd', handler: vector(fcmlaSteps, 12, 11) },
  { name: 'FCMLA (by element)', pattern: '0q101111 sslm mmmm 0rr1h0 nnnnn ddddd', handler: fcmlaElement },
];
