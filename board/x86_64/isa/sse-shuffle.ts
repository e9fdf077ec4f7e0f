// Shuffles, unpacks, packs, blends, inserts/extracts and sign/zero
// extensions: PSHUFD/HW/LW, PSHUFB, PALIGNR, PUNPCK*/UNPCK*, PACKSS*/PACKUS*,
// SHUFPS/PD, PBLENDW, BLENDPS/PD, PBLENDVB/BLENDVPS/PD (mask in XMM0),
// PINSR*/PEXTR*, EXTRACTPS/INSERTPS, PMOVSX/ZX, MOVMSKPS/PD, PMOVMSKB,
// MOVSHDUP/MOVSLDUP/MOVDDUP.

import type { X86CpuState } from '../cpu-state';
import { A16, A32, A8, B16, B32, B8, load2, sat16s, sat16u, sat8s, sat8u, sx16 } from './sse-lanes';
import type { XmmFile } from './sse-operands';

export function pshufd(s: X86CpuState, d: number, src: XmmFile, si: number, imm: number): void {
  load2(s, d, src, si);
  const w = s.xw;
  for (let i = 0; i < 4; i++) w[(d << 2) + i] = B32[(imm >> (2 * i)) & 3];
}

/** PSHUFHW (high = true) / PSHUFLW: shuffle four words of one half, copy the other half. */
export function pshufw(s: X86CpuState, d: number, src: XmmFile, si: number, imm: number, high: boolean): void {
  load2(s, d, src, si);
  const h = s.xh;
  const base = high ? 4 : 0;
  for (let i = 0; i < 8; i++) h[(d << 3) + i] = B16[i];
  for (let i = 0; i < 4; i++) h[(d << 3) + base + i] = B16[base + ((imm >> (2 * i)) & 3)];
}

export function pshufb(s: X86CpuState, d: number, src: XmmFile, si: number): void {
  load2(s, d, src, si);
  const b = s.xb;
  for (let i = 0; i < 16; i++) b[(d << 4) + i] = B8[i] & 0x80 ? 0 : A8[B8[i] & 15];
}

/** PALIGNR: (dst:src) shifted right by imm8 bytes, low 16 bytes. */
export function palignr(s: X86CpuState, d: number, src: XmmFile, si: number, imm: number): void {
  load2(s, d, src, si);
  const b = s.xb;
  for (let i = 0; i < 16; i++) {
    const k = i + imm;
    b[(d << 4) + i] = k < 16 ? B8[k] : k < 32 ? A8[k - 16] : 0;
  }
}

/** PUNPCKL/H{BW,WD,DQ,QDQ}: interleave lanes of `esize` bytes from the low (high = false) or high halves. */
export function punpck(s: X86CpuState, d: number, src: XmmFile, si: number, esize: number, high: boolean): void {
  load2(s, d, src, si);
  const b = s.xb;
  const start = high ? 8 : 0;
  const n = 8 / esize;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < esize; k++) {
      b[(d << 4) + 2 * i * esize + k] = A8[start + i * esize + k];
      b[(d << 4) + (2 * i + 1) * esize + k] = B8[start + i * esize + k];
    }
  }
}

/** PACKSSWB, PACKUSWB (from words), PACKSSDW, PACKUSDW (from dwords): destination lanes then source lanes. */
export function pack(s: X86CpuState, d: number, src: XmmFile, si: number, fromDwords: boolean, unsigned: boolean): void {
  load2(s, d, src, si);
  if (!fromDwords) {
    const b = s.xb;
    const sat = unsigned ? sat8u : sat8s;
    for (let i = 0; i < 8; i++) {
      b[(d << 4) + i] = sat(sx16(A16[i]));
      b[(d << 4) + 8 + i] = sat(sx16(B16[i]));
    }
  } else {
    const h = s.xh;
    const sat = unsigned ? sat16u : sat16s;
    for (let i = 0; i < 4; i++) {
      h[(d << 3) + i] = sat(A32[i]);
      h[(d << 3) + 4 + i] = sat(B32[i]);
    }
  }
}

export function shufps(s: X86CpuState, d: number, src: XmmFile, si: number, imm: number): void {
  load2(s, d, src, si);
  const w = s.xw;
  w[d << 2] = A32[imm & 3];
  w[(d << 2) + 1] = A32[(imm >> 2) & 3];
  w[(d << 2) + 2] = B32[(imm >> 4) & 3];
  w[(d << 2) + 3] = B32[(imm >> 6) & 3];
}

export function shufpd(s: X86CpuState, d: number, src: XmmFile, si: number, imm: number): void {
  load2(s, d, src, si);
  const w = s.xw;
  const a = (imm & 1) * 2;
  const b = ((imm >> 1) & 1) * 2;
  w[d << 2] = A32[a];
  w[(d << 2) + 1] = A32[a + 1];
  w[(d << 2) + 2] = B32[b];
  w[(d << 2) + 3] = B32[b + 1];
}

/** PBLENDW / BLENDPS / BLENDPD: lane i from the source when imm8 bit i is set (`esize` bytes a lane). */
export function blendImm(s: X86CpuState, d: number, src: XmmFile, si: number, imm: number, esize: number): void {
  load2(s, d, src, si);
  const b = s.xb;
  for (let i = 0; i < 16; i++) if ((imm >> ((i / esize) | 0)) & 1) b[(d << 4) + i] = B8[i];
}

/** PBLENDVB / BLENDVPS / BLENDVPD: lane from the source when the top bit of XMM0's lane is set. */
export function blendVar(s: X86CpuState, d: number, src: XmmFile, si: number, esize: number): void {
  load2(s, d, src, si);
  const b = s.xb;
  for (let i = 0; i < 16; i++) {
    const top = (i - (i % esize)) + esize - 1;
    if (b[top] & 0x80) b[(d << 4) + i] = B8[i];
  }
}

/** PINSRB/W/D/Q: `value` (lo, hi) into lane imm8 of `esize` bytes. */
export function pinsr(s: X86CpuState, d: number, lo: number, hi: number, imm: number, esize: number): void {
  const lane = imm & (16 / esize - 1);
  const o = (d << 4) + lane * esize;
  const b = s.xb;
  for (let k = 0; k < esize; k++) b[o + k] = k < 4 ? lo >>> (8 * k) : hi >>> (8 * (k - 4));
}

/** PEXTRB/W/D/Q, EXTRACTPS: lane imm8 of `esize` bytes as (lo, hi) in EX. */
export const EX = new Int32Array(2);
export function pextr(s: X86CpuState, n: number, imm: number, esize: number): void {
  const lane = imm & (16 / esize - 1);
  const o = (n << 4) + lane * esize;
  const b = s.xb;
  let lo = 0;
  let hi = 0;
  for (let k = 0; k < esize; k++) {
    if (k < 4) lo |= b[o + k] << (8 * k);
    else hi |= b[o + k] << (8 * (k - 4));
  }
  EX[0] = lo;
  EX[1] = hi;
}

/** INSERTPS: a single from the source lane imm8[7:6] (or the 32-bit memory value) into lane imm8[5:4], then zero the lanes of imm8[3:0]. */
export function insertps(s: X86CpuState, d: number, src: XmmFile, si: number, imm: number, isMem: boolean): void {
  const v = src.xw[(si << 2) + (isMem ? 0 : (imm >> 6) & 3)];
  const w = s.xw;
  w[(d << 2) + ((imm >> 4) & 3)] = v;
  for (let i = 0; i < 4; i++) if ((imm >> i) & 1) w[(d << 2) + i] = 0;
}

/** PMOVSX/PMOVZX: the low lanes of `from` bytes widened to `to` bytes. */
export function pmovx(s: X86CpuState, d: number, src: XmmFile, si: number, from: number, to: number, signed: boolean): void {
  load2(s, d, src, si);
  const b = s.xb;
  const n = 16 / to;
  for (let i = 0; i < n; i++) {
    let neg = false;
    for (let k = 0; k < to; k++) {
      if (k < from) {
        const x = B8[i * from + k];
        b[(d << 4) + i * to + k] = x;
        if (k === from - 1) neg = signed && (x & 0x80) !== 0;
      } else b[(d << 4) + i * to + k] = neg ? 0xff : 0;
    }
  }
}

/** MOVMSKPS (esize 4), MOVMSKPD (8), PMOVMSKB (1): the top bit of each lane. */
export function movmsk(s: X86CpuState, n: number, esize: number): number {
  const b = s.xb;
  let m = 0;
  for (let i = 0, k = 0; i < 16; i += esize, k++) m |= (b[(n << 4) + i + esize - 1] >> 7) << k;
  return m;
}

/** MOVSLDUP (odd = false) / MOVSHDUP: duplicate the even or odd singles. */
export function movsdup(s: X86CpuState, d: number, src: XmmFile, si: number, odd: boolean): void {
  load2(s, d, src, si);
  const w = s.xw;
  const k = odd ? 1 : 0;
  w[d << 2] = B32[k];
  w[(d << 2) + 1] = B32[k];
  w[(d << 2) + 2] = B32[2 + k];
  w[(d << 2) + 3] = B32[2 + k];
}

export function movddup(s: X86CpuState, d: number, src: XmmFile, si: number): void {
  load2(s, d, src, si);
  const w = s.xw;
  w[d << 2] = B32[0];
  w[(d << 2) + 1] = B32[1];
  w[(d << 2) + 2] = B32[0];
  w[(d << 2) + 3] = B32[1];
}

