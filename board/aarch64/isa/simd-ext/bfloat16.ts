// FEAT_BF16 vector forms: BFCVTN/BFCVTN2 (single to BFloat16 under FPCR),
// BFDOT (vector, by element: BFDotAdd, FPCR ignored) and BFMLALB/BFMLALT
// (vector, by element: the even or odd BFloat16 lanes widened and fused into
// single lanes under FPCR, flags accumulated).

import { bit, bits, Encoding, Handler } from '../../decoder';
import type { Cpu } from '../../cpu';
import { bfDotAdd } from '../../fp/bfloat16-dot';
import { f32MulAdd, f32ToBf16 } from '../../fp/binary32';

const SRC = new Int32Array(4);

/** BFCVTN writes the lower half of Vd and zeroes the upper; BFCVTN2 writes the upper half and keeps the lower. */
const bfcvtn: Handler = (insn, ctx) => {
  const cpu = ctx.cpu;
  const { vw, vh } = cpu.state;
  const q = bit(insn, 30);
  const d4 = 4 * bits(insn, 4, 0);
  const n4 = 4 * bits(insn, 9, 5);
  const d8 = 2 * d4 + 4 * q;
  return () => {
    for (let i = 0; i < 4; i++) SRC[i] = vw[n4 + i];
    for (let i = 0; i < 4; i++) vh[d8 + i] = f32ToBf16(cpu, SRC[i]);
    if (!q) vw[d4 + 2] = vw[d4 + 3] = 0;
  };
};

function bfdot(cpu: Cpu, q: number, d: number, n: number, m: number, index: number): () => void {
  const { vw } = cpu.state;
  const lanes = q ? 4 : 2;
  const d4 = 4 * d;
  const n4 = 4 * n;
  const m4 = 4 * m;
  const e = 4 * m + index;
  return () => {
    const element = vw[e];
    for (let i = 0; i < lanes; i++) vw[d4 + i] = bfDotAdd(vw[d4 + i], vw[n4 + i], index < 0 ? vw[m4 + i] : element);
    if (!q) vw[d4 + 2] = vw[d4 + 3] = 0;
  };
}

/** BFMLALB (top = 0) or BFMLALT (top = 1): lane i uses BFloat16 lane 2i + top of Vn and of Vm (or Vm's lane `index`). */
function bfmlal(cpu: Cpu, top: number, d: number, n: number, m: number, index: number): () => void {
  const { vw, vh } = cpu.state;
  const d4 = 4 * d;
  const n8 = 8 * n + top;
  const m8 = 8 * m + top;
  const e = 8 * m + index;
  return () => {
    const element = vh[e] << 16;
    for (let i = 0; i < 4; i++) SRC[i] = vh[n8 + 2 * i] << 16;
    for (let i = 0; i < 4; i++) {
      const b = index < 0 ? vh[m8 + 2 * i] << 16 : element;
      vw[d4 + i] = f32MulAdd(cpu, vw[d4 + i], SRC[i], b);
    }
  };
}

export const bfloat16: Encoding[] = [
  { name: 'BFCVTN', pattern: '0q001110 101 00001 01101 0 nnnnn ddddd', handler: bfcvtn },
  {
    name: 'BFDOT (vector)',
    pattern: '0q101110 010 mmmmm 11111 1 nnnnn ddddd',
    handler: (insn, ctx) => bfdot(ctx.cpu, bit(insn, 30), bits(insn, 4, 0), bits(insn, 9, 5), bits(insn, 20, 16), -1),
  },
  {
    name: 'BFDOT (by element)',
    pattern: '0q001111 01lm mmmm 1111 h0 nnnnn ddddd',
    handler: (insn, ctx) =>
      bfdot(ctx.cpu, bit(insn, 30), bits(insn, 4, 0), bits(insn, 9, 5), bits(insn, 20, 16), (bit(insn, 11) << 1) | bit(insn, 21)),
  },
  {
    name: 'BFMLALB/BFMLALT (vector)',
    pattern: '0q101110 110 mmmmm 11111 1 nnnnn ddddd',
    handler: (insn, ctx) => bfmlal(ctx.cpu, bit(insn, 30), bits(insn, 4, 0), bits(insn, 9, 5), bits(insn, 20, 16), -1),
  },
  {
    name: 'BFMLALB/BFMLALT (by element)',
    pattern: '0q001111 11lm mmmm 1111 h0 nnnnn ddddd',
    handler: (insn, ctx) =>
      bfmlal(ctx.cpu, bit(insn, 30), bits(insn, 4, 0), bits(insn, 9, 5), bits(insn, 19, 16), (bit(insn, 11) << 2) | (bit(insn, 21) << 1) | bit(insn, 20)),
  },
];
