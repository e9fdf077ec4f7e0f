// SSE4.2 PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM and CRC32.
//
// imm8: [1:0] element format (unsigned bytes, unsigned words, signed bytes,
// signed words); [3:2] aggregation (equal any, ranges, equal each, equal
// ordered); [5:4] polarity (+, -, masked +, masked -); [6] STRI: most
// significant index instead of least / STRM: a byte/word mask instead of a
// bit mask. The first operand (ModRM.reg) holds the set, ranges or pattern,
// the second (ModRM.rm) the string.

import type { X86CpuState } from '../cpu-state';
import { CF, OF, SF, SSE_OUT, ZF, type XmmFile } from './sse-operands';

const A = new Int32Array(16);
const B = new Int32Array(16);

function elements(out: Int32Array, bytes: Uint8Array, at: number, imm: number): void {
  const words = imm & 1;
  const signed = imm & 2;
  const n = words ? 8 : 16;
  for (let i = 0; i < n; i++) {
    let v = words ? bytes[at + 2 * i] | (bytes[at + 2 * i + 1] << 8) : bytes[at + i];
    if (signed) v = words ? (v << 16) >> 16 : (v << 24) >> 24;
    out[i] = v;
  }
}

function implicitLength(v: Int32Array, n: number): number {
  for (let i = 0; i < n; i++) if (v[i] === 0) return i;
  return n;
}

/** |len| saturated to n (the explicit lengths come from EAX/EDX, or RAX/RDX with REX.W). */
function explicitLength(lo: number, hi: number, wide: boolean, n: number): number {
  if (wide) {
    if (hi < 0) {
      // negative: |value| >= n unless hi == -1 and lo >= -n
      if (hi !== -1 || lo < -n || lo >= 0) return n;
      return Math.min(-lo, n);
    }
    if (hi !== 0) return n;
    return lo < 0 || lo > n ? n : lo;
  }
  const v = Math.abs(lo);
  return v > n ? n : v;
}

/** Computes IntRes2 and the flags; returns IntRes2 as a bit mask. */
function aggregate(imm: number, la: number, lb: number, n: number): number {
  const mode = (imm >> 2) & 3;
  let res = 0;
  for (let j = 0; j < n; j++) {
    let bit = false;
    if (mode === 0) {
      if (j < lb) for (let i = 0; i < la && !bit; i++) bit = A[i] === B[j];
    } else if (mode === 1) {
      if (j < lb) for (let i = 0; i + 1 < la + (la & 1) && !bit; i += 2) bit = i + 1 < la && A[i] <= B[j] && B[j] <= A[i + 1];
    } else if (mode === 2) {
      bit = j < la && j < lb ? A[j] === B[j] : j >= la && j >= lb;
    } else {
      bit = true;
      for (let i = 0; i < n - j && bit; i++) {
        if (i >= la) break;
        bit = j + i < lb && A[i] === B[j + i];
      }
    }
    if (bit) res |= 1 << j;
  }
  const all = n === 16 ? 0xffff : 0xff;
  const pol = (imm >> 4) & 3;
  if (pol === 1) res ^= all;
  else if (pol === 3) res ^= (1 << lb) - 1;
  return res;
}

/**
 * PCMPxSTRx: `explicit` takes the lengths from rAX/rDX (REX.W: 64-bit),
 * `index` writes ECX, otherwise XMM0 gets the mask. Flags go to SSE_OUT.flags.
 */
export function pcmpstr(s: X86CpuState, d: number, src: XmmFile, si: number, imm: number, explicit: boolean, index: boolean, wide: boolean): void {
  const n = imm & 1 ? 8 : 16;
  elements(A, s.xb, d << 4, imm);
  elements(B, src.xb, si << 4, imm);
  const r = s.r;
  const la = explicit ? explicitLength(r[0], r[1], wide, n) : implicitLength(A, n);
  const lb = explicit ? explicitLength(r[4], r[5], wide, n) : implicitLength(B, n);
  const res = aggregate(imm, la, lb, n);
  SSE_OUT.flags = (res !== 0 ? CF : 0) | (lb < n ? ZF : 0) | (la < n ? SF : 0) | (res & 1 ? OF : 0);
  if (index) {
    let at = n;
    if (res !== 0) at = imm & 0x40 ? 31 - Math.clz32(res) : 31 - Math.clz32(res & -res);
    r[2] = at;
    r[3] = 0;
    return;
  }
  const w = s.xw;
  if (imm & 0x40) {
    const b = s.xb;
    const esize = 16 / n;
    for (let j = 0; j < n; j++) for (let k = 0; k < esize; k++) b[j * esize + k] = (res >> j) & 1 ? 0xff : 0;
  } else {
    w[0] = res;
    w[1] = 0;
    w[2] = 0;
    w[3] = 0;
  }
}

const CRC_TABLE = new Int32Array(256);
for (let i = 0; i < 256; i++) {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  CRC_TABLE[i] = c;
}

/** CRC32 (Castagnoli, reflected) of `bytes` bytes of (lo, hi) folded into crc. */
export function crc32c(crc: number, lo: number, hi: number, bytes: number): number {
  for (let k = 0; k < bytes; k++) {
    const v = k < 4 ? lo >>> (8 * k) : hi >>> (8 * (k - 4));
    crc = (crc >>> 8) ^ CRC_TABLE[(crc ^ v) & 0xff];
  }
  return crc | 0;
}
