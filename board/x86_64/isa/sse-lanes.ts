// Lane drivers for the SSE integer operations: the destination and source are
// first copied to scratch views (so the destination may alias the source),
// each lane's result is written straight into the destination register.
// Lane values are read unsigned (bytes 0..255, words 0..65535; dwords as
// int32); the lane functions sign-extend where the operation is signed.

import type { X86CpuState } from '../cpu-state';
import type { XmmFile } from './sse-operands';

export type LaneFn = (a: number, b: number) => number;

/** Scratch copies of the two operands. */
const A = new ArrayBuffer(16);
const B = new ArrayBuffer(16);
export const A8 = new Uint8Array(A);
export const B8 = new Uint8Array(B);
export const A16 = new Uint16Array(A);
export const B16 = new Uint16Array(B);
export const A32 = new Int32Array(A);
export const B32 = new Int32Array(B);

/** Copies the destination register d and the source (src, si) to A and B. */
export function load2(s: X86CpuState, d: number, src: XmmFile, si: number): void {
  const w = s.xw;
  const v = src.xw;
  const dd = d << 2;
  const ss = si << 2;
  A32[0] = w[dd];
  A32[1] = w[dd + 1];
  A32[2] = w[dd + 2];
  A32[3] = w[dd + 3];
  B32[0] = v[ss];
  B32[1] = v[ss + 1];
  B32[2] = v[ss + 2];
  B32[3] = v[ss + 3];
}

export function lanes8(s: X86CpuState, d: number, src: XmmFile, si: number, f: LaneFn): void {
  load2(s, d, src, si);
  const o = d << 4;
  const b = s.xb;
  for (let i = 0; i < 16; i++) b[o + i] = f(A8[i], B8[i]);
}

export function lanes16(s: X86CpuState, d: number, src: XmmFile, si: number, f: LaneFn): void {
  load2(s, d, src, si);
  const o = d << 3;
  const h = s.xh;
  for (let i = 0; i < 8; i++) h[o + i] = f(A16[i], B16[i]);
}

export function lanes32(s: X86CpuState, d: number, src: XmmFile, si: number, f: LaneFn): void {
  load2(s, d, src, si);
  const o = d << 2;
  const w = s.xw;
  for (let i = 0; i < 4; i++) w[o + i] = f(A32[i], B32[i]);
}

export const sx8 = (x: number): number => (x << 24) >> 24;
export const sx16 = (x: number): number => (x << 16) >> 16;
export const sat8s = (x: number): number => (x < -128 ? -128 : x > 127 ? 127 : x);
export const sat8u = (x: number): number => (x < 0 ? 0 : x > 255 ? 255 : x);
export const sat16s = (x: number): number => (x < -32768 ? -32768 : x > 32767 ? 32767 : x);
export const sat16u = (x: number): number => (x < 0 ? 0 : x > 65535 ? 65535 : x);
