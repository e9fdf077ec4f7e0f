// RCPPS/RCPSS and RSQRTPS/RSQRTSS: the approximations the host CPU computes
// (Intel's tables, measured; see sse-estimate-tables.ts). No MXCSR flag is
// ever raised; denormal operands read as zeros and results below the normal
// range become zeros, whatever DAZ and FTZ say.

import type { X86CpuState } from '../cpu-state';
import { RCP_TABLE, RSQRT_TABLE } from '../sse-estimate-tables';
import type { XmmFile } from './sse-operands';

function parse(hex: string): Uint16Array {
  const t = new Uint16Array(hex.length / 3);
  for (let i = 0; i < t.length; i++) t[i] = parseInt(hex.slice(3 * i, 3 * i + 3), 16);
  return t;
}

// Parsed at the first estimate, not at every start of the command line (1-2 ms, an A64 run's too).
let rcpTable: Uint16Array | undefined;
let rsqrtTable: Uint16Array | undefined;

export function rcp32(a: number): number {
  const sign = a & 0x80000000;
  const e = (a >>> 23) & 0xff;
  if (e === 0xff) return a & 0x7fffff ? a | 0x400000 : sign;
  if (e === 0) return sign | 0x7f800000;
  const re = 253 - e;
  if (re <= 0) return sign;
  rcpTable ??= parse(RCP_TABLE);
  return sign | (re << 23) | (rcpTable[(a >>> 12) & 0x7ff] << 11);
}

export function rsqrt32(a: number): number {
  const sign = a & 0x80000000;
  const e = (a >>> 23) & 0xff;
  if (e === 0xff) return a & 0x7fffff ? a | 0x400000 : sign ? 0xffc00000 | 0 : 0;
  if (e === 0) return sign | 0x7f800000;
  if (sign) return 0xffc00000 | 0;
  const u = e - 127;
  const odd = u & 1;
  const idx = (odd << 10) | ((a >>> 13) & 0x3ff);
  rsqrtTable ??= parse(RSQRT_TABLE);
  return ((126 - ((u - odd) >> 1)) << 23) | (rsqrtTable[idx] << 11);
}

function packed(s: X86CpuState, d: number, src: XmmFile, si: number, f: (a: number) => number): void {
  const v = src.xw;
  const w = s.xw;
  const a0 = v[si << 2];
  const a1 = v[(si << 2) + 1];
  const a2 = v[(si << 2) + 2];
  const a3 = v[(si << 2) + 3];
  w[d << 2] = f(a0);
  w[(d << 2) + 1] = f(a1);
  w[(d << 2) + 2] = f(a2);
  w[(d << 2) + 3] = f(a3);
}

export function rcpps(s: X86CpuState, d: number, src: XmmFile, si: number): void {
  packed(s, d, src, si, rcp32);
}
export function rsqrtps(s: X86CpuState, d: number, src: XmmFile, si: number): void {
  packed(s, d, src, si, rsqrt32);
}
export function rcpss(s: X86CpuState, d: number, src: XmmFile, si: number): void {
  s.xw[d << 2] = rcp32(src.xw[si << 2]);
}
export function rsqrtss(s: X86CpuState, d: number, src: XmmFile, si: number): void {
  s.xw[d << 2] = rsqrt32(src.xw[si << 2]);
}
