// SSE/SSE2/SSE4.1 conversions and rounding: CVTSS2SD/CVTSD2SS, CVTPS2PD/
// CVTPD2PS, CVTDQ2PS/CVT(T)PS2DQ, CVTDQ2PD/CVT(T)PD2DQ, CVTSI2SS/SD from a
// 32- or 64-bit integer, CVT(T)SS2SI/CVT(T)SD2SI into a general register,
// ROUNDPS/PD/SS/SD. Packed results narrower than 16 bytes zero the rest.

import type { X86CpuState } from '../cpu-state';
import { cvtF32ToF64, cvtF32ToInt, cvtF64ToF32, cvtF64ToInt, cvtIntToF32, cvtIntToF64, IR, roundF32, roundF64 } from '../sse-fp-convert';
import { mxBegin, mxEnd } from '../sse-fp-env';
import { DR } from '../sse-fp64';
import type { XmmFile } from './sse-operands';

const T = new Int32Array(4);

function commit(s: X86CpuState, d: number, words: number): number {
  const x = mxEnd(s);
  if (x === 0) {
    const w = s.xw;
    const dd = d << 2;
    for (let i = 0; i < words; i++) w[dd + i] = T[i];
  }
  return x;
}

export function cvtss2sd(s: X86CpuState, d: number, src: XmmFile, si: number): number {
  mxBegin(s);
  cvtF32ToF64(src.xw[si << 2]);
  T[0] = DR[0];
  T[1] = DR[1];
  return commit(s, d, 2);
}

export function cvtsd2ss(s: X86CpuState, d: number, src: XmmFile, si: number): number {
  mxBegin(s);
  T[0] = cvtF64ToF32(src.xw[si << 2], src.xw[(si << 2) + 1]);
  return commit(s, d, 1);
}

export function cvtps2pd(s: X86CpuState, d: number, src: XmmFile, si: number): number {
  mxBegin(s);
  const v = src.xw;
  const ss = si << 2;
  const a1 = v[ss + 1];
  cvtF32ToF64(v[ss]);
  T[0] = DR[0];
  T[1] = DR[1];
  cvtF32ToF64(a1);
  T[2] = DR[0];
  T[3] = DR[1];
  return commit(s, d, 4);
}

export function cvtpd2ps(s: X86CpuState, d: number, src: XmmFile, si: number): number {
  mxBegin(s);
  const v = src.xw;
  const ss = si << 2;
  T[0] = cvtF64ToF32(v[ss], v[ss + 1]);
  T[1] = cvtF64ToF32(v[ss + 2], v[ss + 3]);
  T[2] = 0;
  T[3] = 0;
  return commit(s, d, 4);
}

export function cvtdq2ps(s: X86CpuState, d: number, src: XmmFile, si: number): number {
  mxBegin(s);
  const v = src.xw;
  const ss = si << 2;
  for (let i = 0; i < 4; i++) T[i] = cvtIntToF32(v[ss + i], 0, 32);
  return commit(s, d, 4);
}

export function cvtps2dq(s: X86CpuState, d: number, src: XmmFile, si: number, truncate: boolean): number {
  mxBegin(s);
  const v = src.xw;
  const ss = si << 2;
  for (let i = 0; i < 4; i++) {
    cvtF32ToInt(v[ss + i], 32, truncate);
    T[i] = IR[0];
  }
  return commit(s, d, 4);
}

export function cvtdq2pd(s: X86CpuState, d: number, src: XmmFile, si: number): number {
  mxBegin(s);
  const v = src.xw;
  const ss = si << 2;
  const a1 = v[ss + 1];
  cvtIntToF64(v[ss], 0, 32);
  T[0] = DR[0];
  T[1] = DR[1];
  cvtIntToF64(a1, 0, 32);
  T[2] = DR[0];
  T[3] = DR[1];
  return commit(s, d, 4);
}

export function cvtpd2dq(s: X86CpuState, d: number, src: XmmFile, si: number, truncate: boolean): number {
  mxBegin(s);
  const v = src.xw;
  const ss = si << 2;
  cvtF64ToInt(v[ss], v[ss + 1], 32, truncate);
  T[0] = IR[0];
  cvtF64ToInt(v[ss + 2], v[ss + 3], 32, truncate);
  T[1] = IR[0];
  T[2] = 0;
  T[3] = 0;
  return commit(s, d, 4);
}

/** CVTSI2SS xmm, r/m32 or r/m64: the integer given as (lo, hi). */
export function cvtsi2ss(s: X86CpuState, d: number, lo: number, hi: number, width: 32 | 64): number {
  mxBegin(s);
  T[0] = cvtIntToF32(lo, hi, width);
  return commit(s, d, 1);
}

export function cvtsi2sd(s: X86CpuState, d: number, lo: number, hi: number, width: 32 | 64): number {
  mxBegin(s);
  cvtIntToF64(lo, hi, width);
  T[0] = DR[0];
  T[1] = DR[1];
  return commit(s, d, 2);
}

/** CVT(T)SS2SI r32/r64: writes GPR g (a 32-bit result zero-extends). */
export function cvtss2si(s: X86CpuState, g: number, src: XmmFile, si: number, width: 32 | 64, truncate: boolean): number {
  mxBegin(s);
  cvtF32ToInt(src.xw[si << 2], width, truncate);
  const x = mxEnd(s);
  if (x === 0) {
    s.r[2 * g] = IR[0];
    s.r[2 * g + 1] = IR[1];
  }
  return x;
}

export function cvtsd2si(s: X86CpuState, g: number, src: XmmFile, si: number, width: 32 | 64, truncate: boolean): number {
  mxBegin(s);
  cvtF64ToInt(src.xw[si << 2], src.xw[(si << 2) + 1], width, truncate);
  const x = mxEnd(s);
  if (x === 0) {
    s.r[2 * g] = IR[0];
    s.r[2 * g + 1] = IR[1];
  }
  return x;
}

export function roundps(s: X86CpuState, d: number, src: XmmFile, si: number, imm: number): number {
  mxBegin(s);
  const v = src.xw;
  const ss = si << 2;
  for (let i = 0; i < 4; i++) T[i] = roundF32(v[ss + i], imm);
  return commit(s, d, 4);
}

export function roundss(s: X86CpuState, d: number, src: XmmFile, si: number, imm: number): number {
  mxBegin(s);
  T[0] = roundF32(src.xw[si << 2], imm);
  return commit(s, d, 1);
}

export function roundpd(s: X86CpuState, d: number, src: XmmFile, si: number, imm: number): number {
  mxBegin(s);
  const v = src.xw;
  const ss = si << 2;
  const lo1 = v[ss + 2];
  const hi1 = v[ss + 3];
  roundF64(v[ss], v[ss + 1], imm);
  T[0] = DR[0];
  T[1] = DR[1];
  roundF64(lo1, hi1, imm);
  T[2] = DR[0];
  T[3] = DR[1];
  return commit(s, d, 4);
}

export function roundsd(s: X86CpuState, d: number, src: XmmFile, si: number, imm: number): number {
  mxBegin(s);
  roundF64(src.xw[si << 2], src.xw[(si << 2) + 1], imm);
  T[0] = DR[0];
  T[1] = DR[1];
  return commit(s, d, 2);
}
