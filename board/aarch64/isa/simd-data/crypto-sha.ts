// Crypto extension, SHA-1 and SHA-256: SHA1C/P/M, SHA1H, SHA1SU0/SU1,
// SHA256H/H2, SHA256SU0/SU1, as the Arm ARM pseudocode defines them on
// 32-bit words (word 0 is the least significant).

import { bits, Encoding, Handler } from '../../decoder';
import { vecViews } from './lanes';

const rol = (x: number, n: number) => (x << n) | (x >>> (32 - n));
const ror = (x: number, n: number) => (x >>> n) | (x << (32 - n));
const choose = (x: number, y: number, z: number) => ((y ^ z) & x) ^ z;
const parity = (x: number, y: number, z: number) => x ^ y ^ z;
const majority = (x: number, y: number, z: number) => (x & y) | ((x | y) & z);

/** SHA1C / SHA1P / SHA1M: four rounds on hash state Qd and E in Sn with schedule words Vm. */
function sha1Rounds(f: (x: number, y: number, z: number) => number): Handler {
  return (insn, ctx) => {
    const { vw } = vecViews(ctx.cpu);
    const d4 = 4 * bits(insn, 4, 0);
    const n4 = 4 * bits(insn, 9, 5);
    const m4 = 4 * bits(insn, 20, 16);
    return () => {
      let x0 = vw[d4];
      let x1 = vw[d4 + 1];
      let x2 = vw[d4 + 2];
      let x3 = vw[d4 + 3];
      let y = vw[n4];
      for (let e = 0; e < 4; e++) {
        const t = f(x1, x2, x3);
        y = (y + rol(x0, 5) + t + vw[m4 + e]) | 0;
        x1 = rol(x1, 30);
        // <Y, X> = ROL(Y:X, 32)
        const top = x3;
        x3 = x2;
        x2 = x1;
        x1 = x0;
        x0 = y;
        y = top;
      }
      vw[d4] = x0;
      vw[d4 + 1] = x1;
      vw[d4 + 2] = x2;
      vw[d4 + 3] = x3;
    };
  };
}

const sha1h: Handler = (insn, ctx) => {
  const { vw } = vecViews(ctx.cpu);
  const d4 = 4 * bits(insn, 4, 0);
  const n4 = 4 * bits(insn, 9, 5);
  return () => {
    vw[d4] = rol(vw[n4], 30);
    vw[d4 + 1] = vw[d4 + 2] = vw[d4 + 3] = 0;
  };
};

const sha1su0: Handler = (insn, ctx) => {
  const { vw } = vecViews(ctx.cpu);
  const d4 = 4 * bits(insn, 4, 0);
  const n4 = 4 * bits(insn, 9, 5);
  const m4 = 4 * bits(insn, 20, 16);
  return () => {
    const r0 = vw[d4 + 2] ^ vw[d4] ^ vw[m4];
    const r1 = vw[d4 + 3] ^ vw[d4 + 1] ^ vw[m4 + 1];
    const r2 = vw[n4] ^ vw[d4 + 2] ^ vw[m4 + 2];
    const r3 = vw[n4 + 1] ^ vw[d4 + 3] ^ vw[m4 + 3];
    vw[d4] = r0;
    vw[d4 + 1] = r1;
    vw[d4 + 2] = r2;
    vw[d4 + 3] = r3;
  };
};

const sha1su1: Handler = (insn, ctx) => {
  const { vw } = vecViews(ctx.cpu);
  const d4 = 4 * bits(insn, 4, 0);
  const n4 = 4 * bits(insn, 9, 5);
  return () => {
    const t0 = vw[d4] ^ vw[n4 + 1];
    const t1 = vw[d4 + 1] ^ vw[n4 + 2];
    const t2 = vw[d4 + 2] ^ vw[n4 + 3];
    const t3 = vw[d4 + 3];
    vw[d4] = rol(t0, 1);
    vw[d4 + 1] = rol(t1, 1);
    vw[d4 + 2] = rol(t2, 1);
    vw[d4 + 3] = rol(t3, 1) ^ rol(t0, 2);
  };
};

const s = new Int32Array(8);

/** SHA256hash: X in s[0..3], Y in s[4..7], four rounds with the schedule words at vw[m4..]. */
function sha256Hash(vw: Int32Array, m4: number): void {
  for (let e = 0; e < 4; e++) {
    const chs = choose(s[4], s[5], s[6]);
    const maj = majority(s[0], s[1], s[2]);
    const y0 = s[4];
    const t = (s[7] + (ror(y0, 6) ^ ror(y0, 11) ^ ror(y0, 25)) + chs + vw[m4 + e]) | 0;
    const x0 = s[0];
    s[3] = t + s[3];
    s[7] = t + (ror(x0, 2) ^ ror(x0, 13) ^ ror(x0, 22)) + maj;
    // <Y, X> = ROL(Y:X, 32)
    const xTop = s[3];
    const yTop = s[7];
    s[3] = s[2];
    s[2] = s[1];
    s[1] = s[0];
    s[0] = yTop;
    s[7] = s[6];
    s[6] = s[5];
    s[5] = s[4];
    s[4] = xTop;
  }
}

function sha256h(part1: boolean): Handler {
  return (insn, ctx) => {
    const { vw } = vecViews(ctx.cpu);
    const d4 = 4 * bits(insn, 4, 0);
    const n4 = 4 * bits(insn, 9, 5);
    const m4 = 4 * bits(insn, 20, 16);
    const x4 = part1 ? d4 : n4;
    const y4 = part1 ? n4 : d4;
    const out = part1 ? 0 : 4;
    return () => {
      for (let i = 0; i < 4; i++) {
        s[i] = vw[x4 + i];
        s[4 + i] = vw[y4 + i];
      }
      sha256Hash(vw, m4);
      for (let i = 0; i < 4; i++) vw[d4 + i] = s[out + i];
    };
  };
}

const sha256su0: Handler = (insn, ctx) => {
  const { vw } = vecViews(ctx.cpu);
  const d4 = 4 * bits(insn, 4, 0);
  const n4 = 4 * bits(insn, 9, 5);
  const sigma = (x: number) => ror(x, 7) ^ ror(x, 18) ^ (x >>> 3);
  return () => {
    const r0 = vw[d4] + sigma(vw[d4 + 1]);
    const r1 = vw[d4 + 1] + sigma(vw[d4 + 2]);
    const r2 = vw[d4 + 2] + sigma(vw[d4 + 3]);
    const r3 = vw[d4 + 3] + sigma(vw[n4]);
    vw[d4] = r0;
    vw[d4 + 1] = r1;
    vw[d4 + 2] = r2;
    vw[d4 + 3] = r3;
  };
};

const sha256su1: Handler = (insn, ctx) => {
  const { vw } = vecViews(ctx.cpu);
  const d4 = 4 * bits(insn, 4, 0);
  const n4 = 4 * bits(insn, 9, 5);
  const m4 = 4 * bits(insn, 20, 16);
  const sigma = (x: number) => ror(x, 17) ^ ror(x, 19) ^ (x >>> 10);
  return () => {
    // T0 = Vm<31:0> : Vn<127:32>
    const t0 = vw[n4 + 1];
    const t1 = vw[n4 + 2];
    const t2 = vw[n4 + 3];
    const t3 = vw[m4];
    const r0 = (sigma(vw[m4 + 2]) + vw[d4] + t0) | 0;
    const r1 = (sigma(vw[m4 + 3]) + vw[d4 + 1] + t1) | 0;
    const r2 = (sigma(r0) + vw[d4 + 2] + t2) | 0;
    const r3 = (sigma(r1) + vw[d4 + 3] + t3) | 0;
    vw[d4] = r0;
    vw[d4 + 1] = r1;
    vw[d4 + 2] = r2;
    vw[d4 + 3] = r3;
  };
};

const three = (opcode: string) => `01011110000mmmmm0${opcode}00nnnnnddddd`;
const two = (opcode: string) => `010111100010100${opcode}10nnnnnddddd`;

export const cryptoSha: Encoding[] = [
  { name: 'SHA1C', pattern: three('000'), handler: sha1Rounds(choose) },
  { name: 'SHA1P', pattern: three('001'), handler: sha1Rounds(parity) },
  { name: 'SHA1M', pattern: three('010'), handler: sha1Rounds(majority) },
  { name: 'SHA1SU0', pattern: three('011'), handler: sha1su0 },
  { name: 'SHA256H', pattern: three('100'), handler: sha256h(true) },
  { name: 'SHA256H2', pattern: three('101'), handler: sha256h(false) },
  { name: 'SHA256SU1', pattern: three('110'), handler: sha256su1 },
  { name: 'SHA1H', pattern: two('00000'), handler: sha1h },
  { name: 'SHA1SU1', pattern: two('00001'), handler: sha1su1 },
  { name: 'SHA256SU0', pattern: two('00010'), handler: sha256su0 },
];
