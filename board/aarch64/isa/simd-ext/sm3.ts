// FEAT_SM3: SM3SS1, SM3TT1A/B, SM3TT2A/B, SM3PARTW1 and SM3PARTW2 on the four
// 32-bit lanes of 128-bit registers (lane 3 is bits 127:96).

import { bits, Encoding, Handler } from '../../decoder';

const rol = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

/** The Vd lanes read before any is written (Vd may equal a source). */
const D = new Int32Array(4);

const sm3ss1: Handler = (insn, ctx) => {
  const { vw } = ctx.cpu.state;
  const d4 = 4 * bits(insn, 4, 0);
  const n4 = 4 * bits(insn, 9, 5);
  const a4 = 4 * bits(insn, 14, 10);
  const m4 = 4 * bits(insn, 20, 16);
  return () => {
    const r = rol((rol(vw[n4 + 3], 12) + vw[m4 + 3] + vw[a4 + 3]) | 0, 7);
    vw[d4] = vw[d4 + 1] = vw[d4 + 2] = 0;
    vw[d4 + 3] = r;
  };
};

type Mix = (x: number, y: number, z: number) => number;
const parity: Mix = (x, y, z) => x ^ y ^ z;
const majority: Mix = (x, y, z) => (x & y) | (x & z) | (y & z);
const choose: Mix = (x, y, z) => (x & y) | (~x & z);

/** SM3TT1A/B (tt2 false) and SM3TT2A/B: one compression round on Vd with word Wj' (or Wj) = Vm[imm2]. */
function sm3tt(tt2: boolean, mix: Mix): Handler {
  return (insn, ctx) => {
    const { vw } = ctx.cpu.state;
    const d4 = 4 * bits(insn, 4, 0);
    const n4 = 4 * bits(insn, 9, 5);
    const e = 4 * bits(insn, 20, 16) + bits(insn, 13, 12);
    return () => {
      for (let i = 0; i < 4; i++) D[i] = vw[d4 + i];
      const w = vw[e];
      const extra = tt2 ? vw[n4 + 3] : vw[n4 + 3] ^ rol(D[3], 12);
      let t = (mix(D[3], D[2], D[1]) + D[0] + extra + w) | 0;
      if (tt2) t = t ^ rol(t, 9) ^ rol(t, 17);
      vw[d4] = D[1];
      vw[d4 + 1] = rol(D[2], tt2 ? 19 : 9);
      vw[d4 + 2] = D[3];
      vw[d4 + 3] = t;
    };
  };
}

const p1 = (x: number): number => x ^ rol(x, 15) ^ rol(x, 23);

const sm3partw1: Handler = (insn, ctx) => {
  const { vw } = ctx.cpu.state;
  const d4 = 4 * bits(insn, 4, 0);
  const n4 = 4 * bits(insn, 9, 5);
  const m4 = 4 * bits(insn, 20, 16);
  return () => {
    for (let i = 0; i < 3; i++) D[i] = vw[d4 + i] ^ vw[n4 + i] ^ rol(vw[m4 + i + 1], 15);
    const top = vw[d4 + 3] ^ vw[n4 + 3];
    for (let i = 0; i < 3; i++) D[i] = p1(D[i]);
    D[3] = p1(top ^ rol(D[0], 15));
    for (let i = 0; i < 4; i++) vw[d4 + i] = D[i];
  };
};

const sm3partw2: Handler = (insn, ctx) => {
  const { vw } = ctx.cpu.state;
  const d4 = 4 * bits(insn, 4, 0);
  const n4 = 4 * bits(insn, 9, 5);
  const m4 = 4 * bits(insn, 20, 16);
  return () => {
    for (let i = 0; i < 4; i++) D[i] = vw[n4 + i] ^ rol(vw[m4 + i], 7);
    const extra = p1(rol(D[0], 15));
    for (let i = 0; i < 4; i++) vw[d4 + i] ^= D[i];
    vw[d4 + 3] ^= extra;
  };
};

export const sm3: Encoding[] = [
  { name: 'SM3SS1', pattern: '11001110 010 mmmmm 0 aaaaa nnnnn ddddd', handler: sm3ss1 },
  { name: 'SM3TT1A', pattern: '11001110 010 mmmmm 10 ii 00 nnnnn ddddd', handler: sm3tt(false, parity) },
  { name: 'SM3TT1B', pattern: '11001110 010 mmmmm 10 ii 01 nnnnn ddddd', handler: sm3tt(false, majority) },
  { name: 'SM3TT2A', pattern: '11001110 010 mmmmm 10 ii 10 nnnnn ddddd', handler: sm3tt(true, parity) },
  { name: 'SM3TT2B', pattern: '11001110 010 mmmmm 10 ii 11 nnnnn ddddd', handler: sm3tt(true, choose) },
  { name: 'SM3PARTW1', pattern: '11001110 011 mmmmm 1100 00 nnnnn ddddd', handler: sm3partw1 },
  { name: 'SM3PARTW2', pattern: '11001110 011 mmmmm 1100 01 nnnnn ddddd', handler: sm3partw2 },
];
