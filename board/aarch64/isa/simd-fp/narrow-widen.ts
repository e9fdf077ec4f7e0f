// FCVTN/FCVTN2 (to half or single), FCVTL/FCVTL2 (from half or single) and
// FCVTXN/FCVTXN2 (double to single, round to odd), vector and scalar.

import { bit, bits, Encoding, Handler } from '../../decoder';
import type { Cpu } from '../../cpu';
import { f16ToF32 } from '../../fp/binary16';
import { f32ToF16, f32ToF64 } from '../../fp/binary32';
import { f64ToF32, f64ToF32Odd } from '../../fp/binary64';
import { FpEnv, IXC, Rounding } from '../../fp/fpcr';

const WIDE = new Int32Array(2);
const SRC = new Int32Array(4);

/** Narrowing: `count` results from the 2*esize lanes of Vn into the lower (q = 0, upper zeroed) or upper half of Vd. */
function narrow(cpu: Cpu, toHalf: boolean, odd: boolean, q: number, d: number, n: number): () => void {
  const { vw, vh } = cpu.state;
  const n4 = 4 * n;
  const d4 = 4 * d;
  if (toHalf) {
    const d8 = 8 * d + 4 * q;
    return () => {
      for (let i = 0; i < 4; i++) SRC[i] = vw[n4 + i];
      for (let i = 0; i < 4; i++) vh[d8 + i] = f32ToF16(cpu, SRC[i]);
      if (!q) vw[d4 + 2] = vw[d4 + 3] = 0;
    };
  }
  const convert = odd ? f64ToF32Odd : f64ToF32;
  const dq = d4 + 2 * q;
  return () => {
    for (let i = 0; i < 4; i++) SRC[i] = vw[n4 + i];
    vw[dq] = convert(cpu, SRC[0], SRC[1]);
    vw[dq + 1] = convert(cpu, SRC[2], SRC[3]);
    if (!q) vw[d4 + 2] = vw[d4 + 3] = 0;
  };
}

const fcvtn: Handler = (insn, ctx) => narrow(ctx.cpu, bit(insn, 22) === 0, false, bit(insn, 30), bits(insn, 4, 0), bits(insn, 9, 5));

const fcvtxn: Handler = (insn, ctx) => {
  if (bit(insn, 22) === 0) return null;
  return narrow(ctx.cpu, false, true, bit(insn, 30), bits(insn, 4, 0), bits(insn, 9, 5));
};

const fcvtxnScalar: Handler = (insn, ctx) => {
  if (bit(insn, 22) === 0) return null;
  const cpu = ctx.cpu;
  const vw = cpu.state.vw;
  const n4 = 4 * bits(insn, 9, 5);
  const d4 = 4 * bits(insn, 4, 0);
  return () => {
    const r = f64ToF32Odd(cpu, vw[n4], vw[n4 + 1]);
    vw[d4] = r;
    vw[d4 + 1] = vw[d4 + 2] = vw[d4 + 3] = 0;
  };
};

/** FCVTL/FCVTL2: the lower (q = 0) or upper half of Vn widened. */
const fcvtl: Handler = (insn, ctx) => {
  const cpu = ctx.cpu;
  const { vw, vh } = cpu.state;
  const q = bit(insn, 30);
  const d4 = 4 * bits(insn, 4, 0);
  const n = bits(insn, 9, 5);
  if (bit(insn, 22) === 0) {
    const n8 = 8 * n + 4 * q;
    return () => {
      for (let i = 0; i < 4; i++) SRC[i] = f16ToF32(cpu, vh[n8 + i]);
      for (let i = 0; i < 4; i++) vw[d4 + i] = SRC[i];
    };
  }
  const nq = 4 * n + 2 * q;
  return () => {
    const a = vw[nq];
    const b = vw[nq + 1];
    f32ToF64(cpu, a, WIDE);
    const lo = WIDE[0];
    const hi = WIDE[1];
    f32ToF64(cpu, b, WIDE);
    vw[d4] = lo;
    vw[d4 + 1] = hi;
    vw[d4 + 2] = WIDE[0];
    vw[d4 + 3] = WIDE[1];
  };
};

export const narrowWidenFp: Encoding[] = [
  { name: 'FCVTN', pattern: '0q001110 0z 10000 10110 10 nnnnn ddddd', handler: fcvtn },
  { name: 'FCVTL', pattern: '0q001110 0z 10000 10111 10 nnnnn ddddd', handler: fcvtl },
  { name: 'FCVTXN', pattern: '0q101110 0z 10000 10110 10 nnnnn ddddd', handler: fcvtxn },
  { name: 'FCVTXN (scalar)', pattern: '01111110 0z 10000 10110 10 nnnnn ddddd', handler: fcvtxnScalar },
];
