// SSE2..SSE4.2 integer arithmetic on XMM lanes: add/subtract (wrapping and
// saturating), multiplies (PMULLW/HW/HUW, PMULUDQ, PMULLD, PMULDQ, PMADDWD,
// PMADDUBSW, PMULHRSW), PAVG, PMIN/PMAX, PABS, PSIGN, PSADBW, MPSADBW, the
// horizontal PHADD/PHSUB and PHMINPOSUW, and the compares PCMPEQ/PCMPGT.

import type { X86CpuState } from '../cpu-state';
import { A16, A32, A8, B16, B32, B8, lanes16, lanes32, lanes8, type LaneFn, load2, sat16s, sat16u, sat8s, sat8u, sx16, sx8 } from './sse-lanes';
import { swar } from './sse-int-swar';
import type { XmmFile } from './sse-operands';

type Binary = (s: X86CpuState, d: number, src: XmmFile, si: number) => void;

const on8 = (f: LaneFn): Binary => (s, d, src, si) => lanes8(s, d, src, si, f);
const on16 = (f: LaneFn): Binary => (s, d, src, si) => lanes16(s, d, src, si, f);
const on32 = (f: LaneFn): Binary => (s, d, src, si) => lanes32(s, d, src, si, f);
const mask = (t: boolean): number => (t ? -1 : 0);

export const INT_OPS: Record<string, Binary> = {
  paddb: swar.paddb,
  psubb: swar.psubb,
  paddsb: on8((a, b) => sat8s(sx8(a) + sx8(b))),
  psubsb: on8((a, b) => sat8s(sx8(a) - sx8(b))),
  paddusb: on8((a, b) => sat8u(a + b)),
  psubusb: on8((a, b) => sat8u(a - b)),
  pavgb: on8((a, b) => (a + b + 1) >> 1),
  pminub: swar.pminub,
  pmaxub: swar.pmaxub,
  pminsb: on8((a, b) => (sx8(a) < sx8(b) ? a : b)),
  pmaxsb: on8((a, b) => (sx8(a) > sx8(b) ? a : b)),
  pcmpeqb: swar.pcmpeqb,
  pcmpgtb: on8((a, b) => mask(sx8(a) > sx8(b))),
  psignb: on8((a, b) => (b & 0x80 ? -a : b === 0 ? 0 : a)),
  pabsb: on8((_a, b) => Math.abs(sx8(b))),

  paddw: swar.paddw,
  psubw: swar.psubw,
  paddsw: on16((a, b) => sat16s(sx16(a) + sx16(b))),
  psubsw: on16((a, b) => sat16s(sx16(a) - sx16(b))),
  paddusw: on16((a, b) => sat16u(a + b)),
  psubusw: on16((a, b) => sat16u(a - b)),
  pavgw: on16((a, b) => (a + b + 1) >> 1),
  pminuw: on16((a, b) => (a < b ? a : b)),
  pmaxuw: on16((a, b) => (a > b ? a : b)),
  pminsw: on16((a, b) => (sx16(a) < sx16(b) ? a : b)),
  pmaxsw: on16((a, b) => (sx16(a) > sx16(b) ? a : b)),
  pcmpeqw: swar.pcmpeqw,
  pcmpgtw: on16((a, b) => mask(sx16(a) > sx16(b))),
  pmullw: on16((a, b) => Math.imul(a, b)),
  pmulhw: on16((a, b) => (sx16(a) * sx16(b)) >> 16),
  pmulhuw: on16((a, b) => (a * b) >>> 16),
  pmulhrsw: on16((a, b) => (((sx16(a) * sx16(b)) >> 14) + 1) >> 1),
  psignw: on16((a, b) => (b & 0x8000 ? -a : b === 0 ? 0 : a)),
  pabsw: on16((_a, b) => Math.abs(sx16(b))),

  paddd: on32((a, b) => (a + b) | 0),
  psubd: on32((a, b) => (a - b) | 0),
  pminsd: on32((a, b) => (a < b ? a : b)),
  pmaxsd: on32((a, b) => (a > b ? a : b)),
  pminud: on32((a, b) => (a >>> 0 < b >>> 0 ? a : b)),
  pmaxud: on32((a, b) => (a >>> 0 > b >>> 0 ? a : b)),
  pcmpeqd: on32((a, b) => mask(a === b)),
  pcmpgtd: on32((a, b) => mask(a > b)),
  pmulld: on32((a, b) => Math.imul(a, b)),
  psignd: on32((a, b) => (b < 0 ? -a | 0 : b === 0 ? 0 : a)),
  pabsd: on32((_a, b) => (b < 0 ? -b | 0 : b)),

  paddq: (s, d, src, si) => q2(s, d, src, si, addq),
  psubq: (s, d, src, si) => q2(s, d, src, si, subq),
  pcmpeqq: (s, d, src, si) => q2(s, d, src, si, (alo, ahi, blo, bhi) => setQ(alo === blo && ahi === bhi)),
  pcmpgtq: (s, d, src, si) => q2(s, d, src, si, (alo, ahi, blo, bhi) => setQ(ahi > bhi || (ahi === bhi && alo >>> 0 > blo >>> 0))),
  pmuludq: (s, d, src, si) => q2(s, d, src, si, (alo, _ah, blo) => mul32(alo, blo, false)),
  pmuldq: (s, d, src, si) => q2(s, d, src, si, (alo, _ah, blo) => mul32(alo, blo, true)),

  pmaddwd: (s, d, src, si) => {
    load2(s, d, src, si);
    for (let i = 0; i < 4; i++) s.xw[(d << 2) + i] = sx16(A16[2 * i]) * sx16(B16[2 * i]) + sx16(A16[2 * i + 1]) * sx16(B16[2 * i + 1]);
  },
  pmaddubsw: (s, d, src, si) => {
    load2(s, d, src, si);
    for (let i = 0; i < 8; i++) s.xh[(d << 3) + i] = sat16s(A8[2 * i] * sx8(B8[2 * i]) + A8[2 * i + 1] * sx8(B8[2 * i + 1]));
  },
  psadbw: (s, d, src, si) => {
    load2(s, d, src, si);
    const w = s.xw;
    for (let h = 0; h < 2; h++) {
      let sum = 0;
      for (let j = 0; j < 8; j++) sum += Math.abs(A8[8 * h + j] - B8[8 * h + j]);
      w[(d << 2) + 2 * h] = sum;
      w[(d << 2) + 2 * h + 1] = 0;
    }
  },
  phaddw: (s, d, src, si) => horizontal16(s, d, src, si, (a, b) => a + b),
  phsubw: (s, d, src, si) => horizontal16(s, d, src, si, (a, b) => a - b),
  phaddsw: (s, d, src, si) => horizontal16(s, d, src, si, (a, b) => sat16s(sx16(a) + sx16(b))),
  phsubsw: (s, d, src, si) => horizontal16(s, d, src, si, (a, b) => sat16s(sx16(a) - sx16(b))),
  phaddd: (s, d, src, si) => horizontal32(s, d, src, si, (a, b) => (a + b) | 0),
  phsubd: (s, d, src, si) => horizontal32(s, d, src, si, (a, b) => (a - b) | 0),
  phminposuw: (s, d, src, si) => {
    load2(s, d, src, si);
    let min = B16[0];
    let at = 0;
    for (let i = 1; i < 8; i++) {
      if (B16[i] < min) {
        min = B16[i];
        at = i;
      }
    }
    const w = s.xw;
    w[d << 2] = min | (at << 16);
    w[(d << 2) + 1] = 0;
    w[(d << 2) + 2] = 0;
    w[(d << 2) + 3] = 0;
  },
};

function horizontal16(s: X86CpuState, d: number, src: XmmFile, si: number, f: LaneFn): void {
  load2(s, d, src, si);
  const h = s.xh;
  const o = d << 3;
  for (let i = 0; i < 4; i++) {
    h[o + i] = f(A16[2 * i], A16[2 * i + 1]);
    h[o + 4 + i] = f(B16[2 * i], B16[2 * i + 1]);
  }
}

function horizontal32(s: X86CpuState, d: number, src: XmmFile, si: number, f: LaneFn): void {
  load2(s, d, src, si);
  const w = s.xw;
  const o = d << 2;
  w[o] = f(A32[0], A32[1]);
  w[o + 1] = f(A32[2], A32[3]);
  w[o + 2] = f(B32[0], B32[1]);
  w[o + 3] = f(B32[2], B32[3]);
}

/** A 64-bit lane result (lo, hi). */
const Q = new Int32Array(2);
type Q2 = (alo: number, ahi: number, blo: number, bhi: number) => void;

function q2(s: X86CpuState, d: number, src: XmmFile, si: number, f: Q2): void {
  load2(s, d, src, si);
  const w = s.xw;
  const o = d << 2;
  for (let k = 0; k < 4; k += 2) {
    f(A32[k], A32[k + 1], B32[k], B32[k + 1]);
    w[o + k] = Q[0];
    w[o + k + 1] = Q[1];
  }
}

function addq(alo: number, ahi: number, blo: number, bhi: number): void {
  const lo = (alo >>> 0) + (blo >>> 0);
  Q[0] = lo | 0;
  Q[1] = (ahi + bhi + (lo > 0xffffffff ? 1 : 0)) | 0;
}

function subq(alo: number, ahi: number, blo: number, bhi: number): void {
  Q[0] = (alo - blo) | 0;
  Q[1] = (ahi - bhi - (alo >>> 0 < blo >>> 0 ? 1 : 0)) | 0;
}

function setQ(t: boolean): void {
  Q[0] = t ? -1 : 0;
  Q[1] = Q[0];
}

/** The 64-bit product of two 32-bit values, signed or not, into Q. */
export function mul32(a: number, b: number, signed: boolean): void {
  let neg = false;
  let x = a >>> 0;
  let y = b >>> 0;
  if (signed) {
    if (a < 0) {
      x = -a >>> 0;
      neg = true;
    }
    if (b < 0) {
      y = -b >>> 0;
      neg = !neg;
    }
  }
  const xl = x & 0xffff;
  const xh = x >>> 16;
  const yl = y & 0xffff;
  const yh = y >>> 16;
  const ll = xl * yl;
  const mid = xh * yl + xl * yh; // < 2^33
  const hh = xh * yh;
  const lo = ll + (mid % 65536) * 65536;
  let hi = hh + Math.floor(mid / 65536) + Math.floor(lo / 4294967296);
  let l = lo % 4294967296;
  if (neg) {
    l = 4294967296 - l;
    hi = ~hi + (l === 4294967296 ? 1 : 0);
    l %= 4294967296;
  }
  Q[0] = l | 0;
  Q[1] = hi | 0;
}

/** MPSADBW: eight sums of absolute differences of 4-byte groups; imm8[1:0] picks the source group, imm8[2] the destination offset. */
export function mpsadbw(s: X86CpuState, d: number, src: XmmFile, si: number, imm: number): void {
  load2(s, d, src, si);
  const b2 = (imm & 3) * 4;
  const b1 = (imm & 4) * 1;
  const h = s.xh;
  for (let i = 0; i < 8; i++) {
    let sum = 0;
    for (let j = 0; j < 4; j++) sum += Math.abs(A8[b1 + i + j] - B8[b2 + j]);
    h[(d << 3) + i] = sum;
  }
}
