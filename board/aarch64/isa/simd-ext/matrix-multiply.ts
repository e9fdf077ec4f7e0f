// SMMLA, UMMLA, USMMLA (FEAT_I8MM) and BFMMLA (FEAT_BF16): Vd as a 2x2
// matrix of 32-bit elements accumulates Vn (2x8 bytes, or 2x4 BFloat16) times
// the transpose of Vm (the same shape). Element (i, j) is lane 2i + j.

import { bits, Encoding, Handler } from '../../decoder';
import type { Cpu } from '../../cpu';
import { bfDotAdd } from '../../fp/bfloat16-dot';

const RESULT = new Int32Array(4);

const u8 = (v: number): number => v;
const s8 = (v: number): number => (v << 24) >> 24;

function integerMmla(extN: (v: number) => number, extM: (v: number) => number): Handler {
  return (insn, ctx) => {
    const { vb, vw } = ctx.cpu.state;
    const d4 = 4 * bits(insn, 4, 0);
    const n16 = 16 * bits(insn, 9, 5);
    const m16 = 16 * bits(insn, 20, 16);
    return () => {
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 2; j++) {
          let sum = vw[d4 + 2 * i + j];
          for (let k = 0; k < 8; k++) sum = (sum + extN(vb[n16 + 8 * i + k]) * extM(vb[m16 + 8 * j + k])) | 0;
          RESULT[2 * i + j] = sum;
        }
      }
      for (let e = 0; e < 4; e++) vw[d4 + e] = RESULT[e];
    };
  };
}

/** Each element: two BFDotAdd steps over the two 32-bit words (BFloat16 pairs) of its row and column. */
function bfmmla(cpu: Cpu, d: number, n: number, m: number): () => void {
  const { vw } = cpu.state;
  const d4 = 4 * d;
  const n4 = 4 * n;
  const m4 = 4 * m;
  return () => {
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const first = bfDotAdd(vw[d4 + 2 * i + j], vw[n4 + 2 * i], vw[m4 + 2 * j]);
        RESULT[2 * i + j] = bfDotAdd(first, vw[n4 + 2 * i + 1], vw[m4 + 2 * j + 1]);
      }
    }
    for (let e = 0; e < 4; e++) vw[d4 + e] = RESULT[e];
  };
}

export const matrixMultiply: Encoding[] = [
  { name: 'SMMLA', pattern: '01001110 100 mmmmm 10100 1 nnnnn ddddd', handler: integerMmla(s8, s8) },
  { name: 'UMMLA', pattern: '01101110 100 mmmmm 10100 1 nnnnn ddddd', handler: integerMmla(u8, u8) },
  { name: 'USMMLA', pattern: '01001110 100 mmmmm 10101 1 nnnnn ddddd', handler: integerMmla(u8, s8) },
  {
    name: 'BFMMLA',
    pattern: '01101110 010 mmmmm 11101 1 nnnnn ddddd',
    handler: (insn, ctx) => bfmmla(ctx.cpu, bits(insn, 4, 0), bits(insn, 9, 5), bits(insn, 20, 16)),
  },
];
