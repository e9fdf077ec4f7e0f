// SDOT, UDOT (FEAT_DotProd), USDOT and SUDOT (FEAT_I8MM), vector and by
// element: each 32-bit lane of Vd accumulates the four products of the bytes
// in the same lane of Vn and of Vm (or of the indexed 32-bit element of Vm).

import { bit, bits, Encoding, Handler } from '../../decoder';
import type { Cpu } from '../../cpu';

/** Room for Vm's four bytes of the indexed element, read before any lane is written. */
const ELEMENT = new Int32Array(4);

const u8 = (v: number): number => v;
const s8 = (v: number): number => (v << 24) >> 24;

type Ext = (v: number) => number;

function dot(cpu: Cpu, extN: Ext, extM: Ext, q: number, d: number, n: number, m: number, index: number): () => void {
  const { vb, vw } = cpu.state;
  const lanes = q ? 4 : 2;
  const d4 = 4 * d;
  const n16 = 16 * n;
  const m16 = 16 * m;
  const e16 = 16 * m + 4 * index;
  if (index < 0) {
    return () => {
      for (let e = 0; e < lanes; e++) {
        let sum = vw[d4 + e];
        for (let i = 4 * e; i < 4 * e + 4; i++) sum = (sum + extN(vb[n16 + i]) * extM(vb[m16 + i])) | 0;
        vw[d4 + e] = sum;
      }
      if (!q) vw[d4 + 2] = vw[d4 + 3] = 0;
    };
  }
  return () => {
    for (let i = 0; i < 4; i++) ELEMENT[i] = extM(vb[e16 + i]);
    for (let e = 0; e < lanes; e++) {
      let sum = vw[d4 + e];
      for (let i = 0; i < 4; i++) sum = (sum + extN(vb[n16 + 4 * e + i]) * ELEMENT[i]) | 0;
      vw[d4 + e] = sum;
    }
    if (!q) vw[d4 + 2] = vw[d4 + 3] = 0;
  };
}

function vector(extN: Ext, extM: Ext): Handler {
  return (insn, ctx) => dot(ctx.cpu, extN, extM, bit(insn, 30), bits(insn, 4, 0), bits(insn, 9, 5), bits(insn, 20, 16), -1);
}

/** By element: Vm is M:Rm (any of V0-V31), the index H:L. */
function element(extN: Ext, extM: Ext): Handler {
  return (insn, ctx) => {
    const index = (bit(insn, 11) << 1) | bit(insn, 21);
    return dot(ctx.cpu, extN, extM, bit(insn, 30), bits(insn, 4, 0), bits(insn, 9, 5), bits(insn, 20, 16), index);
  };
}

export const dotProduct: Encoding[] = [
  { name: 'SDOT (vector)', pattern: '0q001110 100 mmmmm 10010 1 nnnnn ddddd', handler: vector(s8, s8) },
  { name: 'UDOT (vector)', pattern: '0q101110 100 mmmmm 10010 1 nnnnn ddddd', handler: vector(u8, u8) },
  { name: 'USDOT (vector)', pattern: '0q001110 100 mmmmm 10011 1 nnnnn ddddd', handler: vector(u8, s8) },
  { name: 'SDOT (by element)', pattern: '0q001111 10lm mmmm 1110 h0 nnnnn ddddd', handler: element(s8, s8) },
  { name: 'UDOT (by element)', pattern: '0q101111 10lm mmmm 1110 h0 nnnnn ddddd', handler: element(u8, u8) },
  { name: 'SUDOT (by element)', pattern: '0q001111 00lm mmmm 1111 h0 nnnnn ddddd', handler: element(s8, u8) },
  { name: 'USDOT (by element)', pattern: '0q001111 10lm mmmm 1111 h0 nnnnn ddddd', handler: element(u8, s8) },
];
