// FMLAL, FMLAL2, FMLSL, FMLSL2 (Armv8.2 FHM), vector and by element: half
// products accumulated into single lanes with one rounding. Each half operand
// widens exactly to single first (FZ16 flushes its denormals, NaNs keep their
// payload and signalling bit), so FPMulAddH is a single-precision FPMulAdd.

import { bit, bits, Encoding, Handler } from '../../decoder';
import type { Cpu } from '../../cpu';
import { f32MulAdd } from '../../fp/binary32';
import { halfToSingleExact } from '../../fp/binary16';

const HALVES = new Uint16Array(8);

/**
 * `count` single results; source halves start at half-lane `part` of Vn (and
 * of Vm for the vector form, or the fixed half-lane `index` of Vm).
 */
function fmlal(cpu: Cpu, sub: boolean, count: number, part: number, d: number, n: number, m: number, index: number): () => void {
  const { vh, vw } = cpu.state;
  const n8 = 8 * n + part;
  const m8 = index < 0 ? 8 * m + part : -1;
  const e = index < 0 ? -1 : 8 * m + index;
  const d4 = 4 * d;
  const neg = sub ? 0x80000000 : 0;
  return () => {
    for (let i = 0; i < count; i++) HALVES[i] = vh[n8 + i];
    for (let i = 0; i < count; i++) HALVES[4 + i] = m8 < 0 ? vh[e] : vh[m8 + i];
    for (let i = 0; i < count; i++) {
      const a = halfToSingleExact(cpu, HALVES[i]) ^ neg;
      const b = halfToSingleExact(cpu, HALVES[4 + i]);
      vw[d4 + i] = f32MulAdd(cpu, vw[d4 + i], a, b);
    }
    for (let i = count; i < 4; i++) vw[d4 + i] = 0;
  };
}

function vector(sub: boolean, upper: boolean): Handler {
  return (insn, ctx) => {
    const q = bit(insn, 30);
    const count = q ? 4 : 2;
    return fmlal(ctx.cpu, sub, count, upper ? count : 0, bits(insn, 4, 0), bits(insn, 9, 5), bits(insn, 20, 16), -1);
  };
}

function element(sub: boolean, upper: boolean): Handler {
  return (insn, ctx) => {
    const q = bit(insn, 30);
    const count = q ? 4 : 2;
    const index = (bit(insn, 11) << 2) | (bit(insn, 21) << 1) | bit(insn, 20);
    return fmlal(ctx.cpu, sub, count, upper ? count : 0, bits(insn, 4, 0), bits(insn, 9, 5), bits(insn, 19, 16), index);
  };
}

export const wideningFma: Encoding[] = [
  { name: 'FMLAL (vector)', pattern: '0q001110 001 mmmmm 11101 1 nnnnn ddddd', handler: vector(false, false) },
  { name: 'FMLSL (vector)', pattern: '0q001110 101 mmmmm 11101 1 nnnnn ddddd', handler: vector(true, false) },
  { name: 'FMLAL2 (vector)', pattern: '0q101110 001 mmmmm 11001 1 nnnnn ddddd', handler: vector(false, true) },
  { name: 'FMLSL2 (vector)', pattern: '0q101110 101 mmmmm 11001 1 nnnnn ddddd', handler: vector(true, true) },
  { name: 'FMLAL (by element)', pattern: '0q001111 10lm mmmm 0000 h0 nnnnn ddddd', handler: element(false, false) },
  { name: 'FMLSL (by element)', pattern: '0q001111 10lm mmmm 0100 h0 nnnnn ddddd', handler: element(true, false) },
  { name: 'FMLAL2 (by element)', pattern: '0q101111 10lm mmmm 1000 h0 nnnnn ddddd', handler: element(false, true) },
  { name: 'FMLSL2 (by element)', pattern: '0q101111 10lm mmmm 1100 h0 nnnnn ddddd', handler: element(true, true) },
];
