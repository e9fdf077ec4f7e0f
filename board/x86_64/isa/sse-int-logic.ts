// Bitwise logic (PAND/PANDN/POR/PXOR, ANDPS/ANDNPS/ORPS/XORPS and their PD
// twins), PTEST, and the shifts: by an immediate (PSLLW/D/Q, PSRLW/D/Q,
// PSRAW/D, PSLLDQ/PSRLDQ by bytes) and by the low quadword of an XMM/m128.

import type { X86CpuState } from '../cpu-state';
import { A8, load2 } from './sse-lanes';
import { CF, SSE_OUT, ZF, type XmmFile } from './sse-operands';

type Binary = (s: X86CpuState, d: number, src: XmmFile, si: number) => void;

function words(f: (a: number, b: number) => number): Binary {
  return (s, d, src, si) => {
    const w = s.xw;
    const v = src.xw;
    const dd = d << 2;
    const ss = si << 2;
    w[dd] = f(w[dd], v[ss]);
    w[dd + 1] = f(w[dd + 1], v[ss + 1]);
    w[dd + 2] = f(w[dd + 2], v[ss + 2]);
    w[dd + 3] = f(w[dd + 3], v[ss + 3]);
  };
}

export const pand = words((a, b) => a & b);
export const pandn = words((a, b) => ~a & b);
export const por = words((a, b) => a | b);
export const pxor = words((a, b) => a ^ b);

/** PTEST: ZF = (dst AND src) == 0, CF = (NOT dst AND src) == 0; AF, OF, PF, SF cleared. */
export function ptest(s: X86CpuState, d: number, src: XmmFile, si: number): void {
  const w = s.xw;
  const v = src.xw;
  let and = 0;
  let andn = 0;
  for (let k = 0; k < 4; k++) {
    and |= w[(d << 2) + k] & v[(si << 2) + k];
    andn |= ~w[(d << 2) + k] & v[(si << 2) + k];
  }
  SSE_OUT.flags = (and === 0 ? ZF : 0) | (andn === 0 ? CF : 0);
}

export const enum Shift {
  Left = 0,
  Right = 1,
  Arith = 2,
}

/** Shifts each `esize`-bit lane of XMM d by `count` (any non-negative number; >= esize clears or fills with the sign). */
export function shiftLanes(s: X86CpuState, d: number, esize: 16 | 32 | 64, kind: Shift, count: number): void {
  const w = s.xw;
  const o = d << 2;
  if (esize === 16) {
    const h = s.xh;
    const ho = d << 3;
    for (let i = 0; i < 8; i++) {
      const x = h[ho + i];
      if (kind === Shift.Arith) h[ho + i] = ((x << 16) >> 16) >> (count > 15 ? 15 : count);
      else if (count > 15) h[ho + i] = 0;
      else h[ho + i] = kind === Shift.Left ? x << count : x >>> count;
    }
  } else if (esize === 32) {
    for (let i = 0; i < 4; i++) {
      const x = w[o + i];
      if (kind === Shift.Arith) w[o + i] = x >> (count > 31 ? 31 : count);
      else if (count > 31) w[o + i] = 0;
      else w[o + i] = kind === Shift.Left ? x << count : x >>> count;
    }
  } else {
    for (let k = 0; k < 4; k += 2) {
      const lo = w[o + k];
      const hi = w[o + k + 1];
      if (count > 63) {
        w[o + k] = 0;
        w[o + k + 1] = 0;
      } else if (count >= 32) {
        w[o + k] = kind === Shift.Left ? 0 : hi >>> (count - 32);
        w[o + k + 1] = kind === Shift.Left ? lo << (count - 32) : 0;
      } else if (count > 0) {
        w[o + k] = kind === Shift.Left ? lo << count : (lo >>> count) | (hi << (32 - count));
        w[o + k + 1] = kind === Shift.Left ? (hi << count) | (lo >>> (32 - count)) : hi >>> count;
      }
    }
  }
}

/** The shift count of PSxx xmm, xmm/m128: the source's low quadword, saturated. */
export function countOf(src: XmmFile, si: number): number {
  const v = src.xw;
  return v[(si << 2) + 1] !== 0 || v[si << 2] < 0 ? 0xffff : v[si << 2];
}

/** PSLLDQ (left) / PSRLDQ: whole-register byte shifts; a count above 15 clears. */
export function shiftBytes(s: X86CpuState, d: number, left: boolean, count: number): void {
  load2(s, d, s, d);
  const b = s.xb;
  const o = d << 4;
  for (let i = 0; i < 16; i++) {
    const from = left ? i - count : i + count;
    b[o + i] = from >= 0 && from < 16 ? A8[from] : 0;
  }
}

