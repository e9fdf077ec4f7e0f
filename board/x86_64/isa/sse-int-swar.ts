// Word-at-a-time forms of the integer operations string routines run in
// loops (PCMPEQB/W, PMINUB, PMAXUB, PADDB/W, PSUBB/W, PMOVMSKB): four 32-bit
// words instead of sixteen lane-function calls.

import type { X86CpuState } from '../cpu-state';
import type { XmmFile } from './sse-operands';

const HI8 = 0x80808080 | 0;
const LO7 = 0x7f7f7f7f;
const HI16 = 0x80008000 | 0;
const LO15 = 0x7fff7fff;

type WordFn = (a: number, b: number) => number;

function words(f: WordFn): (s: X86CpuState, d: number, src: XmmFile, si: number) => void {
  return (s, d, src, si) => {
    const w = s.xw;
    const v = src.xw;
    const dd = d << 2;
    const ss = si << 2;
    const r0 = f(w[dd], v[ss]);
    const r1 = f(w[dd + 1], v[ss + 1]);
    const r2 = f(w[dd + 2], v[ss + 2]);
    w[dd + 3] = f(w[dd + 3], v[ss + 3]);
    w[dd] = r0;
    w[dd + 1] = r1;
    w[dd + 2] = r2;
  };
}

/** Bytes whose top bit is set become 0xff, the others 0. */
const spread8 = (t: number): number => Math.imul((t & HI8) >>> 7, 0xff);
/** Per byte, the top bit says a >= b (unsigned). */
const geBytes = (a: number, b: number): number => (a & ~b) | (~(a ^ b) & ((a | HI8) - (b & LO7)));

export const swar = {
  pcmpeqb: words((a, b) => {
    const x = a ^ b;
    return spread8(~(((x & LO7) + LO7) | x));
  }),
  pcmpeqw: words((a, b) => {
    const x = a ^ b;
    return Math.imul((~(((x & LO15) + LO15) | x) & HI16) >>> 15, 0xffff);
  }),
  pminub: words((a, b) => {
    const m = spread8(geBytes(a, b));
    return (b & m) | (a & ~m);
  }),
  pmaxub: words((a, b) => {
    const m = spread8(geBytes(a, b));
    return (a & m) | (b & ~m);
  }),
  paddb: words((a, b) => ((a & LO7) + (b & LO7)) ^ ((a ^ b) & HI8)),
  psubb: words((a, b) => ((a | HI8) - (b & LO7)) ^ ((a ^ ~b) & HI8)),
  paddw: words((a, b) => ((a & LO15) + (b & LO15)) ^ ((a ^ b) & HI16)),
  psubw: words((a, b) => ((a | HI16) - (b & LO15)) ^ ((a ^ ~b) & HI16)),
};

/** PMOVMSKB: the top bit of each byte of XMM n. */
export function pmovmskb(s: X86CpuState, n: number): number {
  const w = s.xw;
  const o = n << 2;
  const g = (x: number): number => Math.imul((x >>> 7) & 0x01010101, 0x10204080) >>> 28;
  return g(w[o]) | (g(w[o + 1]) << 4) | (g(w[o + 2]) << 8) | (g(w[o + 3]) << 12);
}
