// Crypto extension, FEAT_SHA512 (SHA512H/H2/SU0/SU1) and FEAT_SHA3 (EOR3,
// BCAX, RAX1, XAR), on 64-bit lanes held as (lo, hi) word pairs.

import { bits, Encoding, Handler } from '../../decoder';
import { add64, lsr64, R, ror64 } from '../../int64';
import { vecViews } from './lanes';

/** R = ror(v, a) ^ ror(v, b) ^ (shiftC ? v >>> c : ror(v, c)). */
function sigma(lo: number, hi: number, a: number, b: number, c: number, shiftC: boolean): void {
  ror64(lo, hi, a);
  let rl = R[0];
  let rh = R[1];
  ror64(lo, hi, b);
  rl ^= R[0];
  rh ^= R[1];
  if (shiftC) lsr64(lo, hi, c);
  else ror64(lo, hi, c);
  R[0] ^= rl;
  R[1] ^= rh;
}

/** R = a + b + c (mod 2^64). */
function add3(al: number, ah: number, bl: number, bh: number, cl: number, ch: number): void {
  add64(al, ah, bl, bh, 0);
  add64(R[0], R[1], cl, ch, 0);
}

const sha512h: Handler = (insn, ctx) => {
  const { vw } = vecViews(ctx.cpu);
  const d4 = 4 * bits(insn, 4, 0);
  const n4 = 4 * bits(insn, 9, 5);
  const m4 = 4 * bits(insn, 20, 16);
  return () => {
    const x0l = vw[n4], x0h = vw[n4 + 1], x1l = vw[n4 + 2], x1h = vw[n4 + 3];
    const y0l = vw[m4], y0h = vw[m4 + 1], y1l = vw[m4 + 2], y1h = vw[m4 + 3];
    const w0l = vw[d4], w0h = vw[d4 + 1], w1l = vw[d4 + 2], w1h = vw[d4 + 3];
    sigma(y1l, y1h, 14, 18, 41, false);
    const s1l = R[0], s1h = R[1];
    add3((y1l & x0l) ^ (~y1l & x1l), (y1h & x0h) ^ (~y1h & x1h), s1l, s1h, w1l, w1h);
    const hil = R[0], hih = R[1];
    add64(hil, hih, y0l, y0h, 0);
    const tl = R[0], th = R[1];
    sigma(tl, th, 14, 18, 41, false);
    add3((tl & y1l) ^ (~tl & x0l), (th & y1h) ^ (~th & x0h), R[0], R[1], w0l, w0h);
    vw[d4] = R[0];
    vw[d4 + 1] = R[1];
    vw[d4 + 2] = hil;
    vw[d4 + 3] = hih;
  };
};

const sha512h2: Handler = (insn, ctx) => {
  const { vw } = vecViews(ctx.cpu);
  const d4 = 4 * bits(insn, 4, 0);
  const n4 = 4 * bits(insn, 9, 5);
  const m4 = 4 * bits(insn, 20, 16);
  return () => {
    const x0l = vw[n4], x0h = vw[n4 + 1];
    const y0l = vw[m4], y0h = vw[m4 + 1], y1l = vw[m4 + 2], y1h = vw[m4 + 3];
    const w0l = vw[d4], w0h = vw[d4 + 1], w1l = vw[d4 + 2], w1h = vw[d4 + 3];
    sigma(y0l, y0h, 28, 34, 39, false);
    add3((x0l & y1l) ^ (x0l & y0l) ^ (y1l & y0l), (x0h & y1h) ^ (x0h & y0h) ^ (y1h & y0h), R[0], R[1], w1l, w1h);
    const hil = R[0], hih = R[1];
    sigma(hil, hih, 28, 34, 39, false);
    add3((hil & y0l) ^ (hil & y1l) ^ (y1l & y0l), (hih & y0h) ^ (hih & y1h) ^ (y1h & y0h), R[0], R[1], w0l, w0h);
    vw[d4] = R[0];
    vw[d4 + 1] = R[1];
    vw[d4 + 2] = hil;
    vw[d4 + 3] = hih;
  };
};

const sha512su0: Handler = (insn, ctx) => {
  const { vw } = vecViews(ctx.cpu);
  const d4 = 4 * bits(insn, 4, 0);
  const n4 = 4 * bits(insn, 9, 5);
  return () => {
    const w0l = vw[d4], w0h = vw[d4 + 1], w1l = vw[d4 + 2], w1h = vw[d4 + 3];
    const xl = vw[n4], xh = vw[n4 + 1];
    sigma(w1l, w1h, 1, 8, 7, true);
    add64(w0l, w0h, R[0], R[1], 0);
    const lol = R[0], loh = R[1];
    sigma(xl, xh, 1, 8, 7, true);
    add64(w1l, w1h, R[0], R[1], 0);
    vw[d4] = lol;
    vw[d4 + 1] = loh;
    vw[d4 + 2] = R[0];
    vw[d4 + 3] = R[1];
  };
};

const sha512su1: Handler = (insn, ctx) => {
  const { vw } = vecViews(ctx.cpu);
  const d4 = 4 * bits(insn, 4, 0);
  const n4 = 4 * bits(insn, 9, 5);
  const m4 = 4 * bits(insn, 20, 16);
  return () => {
    const x0l = vw[n4], x0h = vw[n4 + 1], x1l = vw[n4 + 2], x1h = vw[n4 + 3];
    const y0l = vw[m4], y0h = vw[m4 + 1], y1l = vw[m4 + 2], y1h = vw[m4 + 3];
    const w0l = vw[d4], w0h = vw[d4 + 1], w1l = vw[d4 + 2], w1h = vw[d4 + 3];
    sigma(x1l, x1h, 19, 61, 6, true);
    add3(w1l, w1h, R[0], R[1], y1l, y1h);
    const hil = R[0], hih = R[1];
    sigma(x0l, x0h, 19, 61, 6, true);
    add3(w0l, w0h, R[0], R[1], y0l, y0h);
    vw[d4] = R[0];
    vw[d4 + 1] = R[1];
    vw[d4 + 2] = hil;
    vw[d4 + 3] = hih;
  };
};

const rax1: Handler = (insn, ctx) => {
  const { vw } = vecViews(ctx.cpu);
  const d4 = 4 * bits(insn, 4, 0);
  const n4 = 4 * bits(insn, 9, 5);
  const m4 = 4 * bits(insn, 20, 16);
  return () => {
    const n0 = vw[n4], n1 = vw[n4 + 1], n2 = vw[n4 + 2], n3 = vw[n4 + 3];
    const m0 = vw[m4], m1 = vw[m4 + 1], m2 = vw[m4 + 2], m3 = vw[m4 + 3];
    vw[d4] = n0 ^ ((m0 << 1) | (m1 >>> 31));
    vw[d4 + 1] = n1 ^ ((m1 << 1) | (m0 >>> 31));
    vw[d4 + 2] = n2 ^ ((m2 << 1) | (m3 >>> 31));
    vw[d4 + 3] = n3 ^ ((m3 << 1) | (m2 >>> 31));
  };
};

const xar: Handler = (insn, ctx) => {
  const { vw } = vecViews(ctx.cpu);
  const d4 = 4 * bits(insn, 4, 0);
  const n4 = 4 * bits(insn, 9, 5);
  const m4 = 4 * bits(insn, 20, 16);
  const sh = bits(insn, 15, 10);
  return () => {
    ror64(vw[n4] ^ vw[m4], vw[n4 + 1] ^ vw[m4 + 1], sh);
    const l0 = R[0];
    const h0 = R[1];
    ror64(vw[n4 + 2] ^ vw[m4 + 2], vw[n4 + 3] ^ vw[m4 + 3], sh);
    vw[d4] = l0;
    vw[d4 + 1] = h0;
    vw[d4 + 2] = R[0];
    vw[d4 + 3] = R[1];
  };
};

/** EOR3 (Vn ^ Vm ^ Va) and BCAX (Vn ^ (Vm & ~Va)). */
function fourReg(bcax: boolean): Handler {
  return (insn, ctx) => {
    const { vw } = vecViews(ctx.cpu);
    const d4 = 4 * bits(insn, 4, 0);
    const n4 = 4 * bits(insn, 9, 5);
    const a4 = 4 * bits(insn, 14, 10);
    const m4 = 4 * bits(insn, 20, 16);
    return bcax
      ? () => {
          for (let i = 0; i < 4; i++) vw[d4 + i] = vw[n4 + i] ^ (vw[m4 + i] & ~vw[a4 + i]);
        }
      : () => {
          for (let i = 0; i < 4; i++) vw[d4 + i] = vw[n4 + i] ^ vw[m4 + i] ^ vw[a4 + i];
        };
  };
}

export const cryptoSha512Sha3: Encoding[] = [
  { name: 'SHA512H', pattern: '11001110011mmmmm100000nnnnnddddd', handler: sha512h },
  { name: 'SHA512H2', pattern: '11001110011mmmmm100001nnnnnddddd', handler: sha512h2 },
  { name: 'SHA512SU1', pattern: '11001110011mmmmm100010nnnnnddddd', handler: sha512su1 },
  { name: 'RAX1', pattern: '11001110011mmmmm100011nnnnnddddd', handler: rax1 },
  { name: 'SHA512SU0', pattern: '1100111011000000100000nnnnnddddd', handler: sha512su0 },
  { name: 'EOR3', pattern: '11001110000mmmmm0aaaaannnnnddddd', handler: fourReg(false) },
  { name: 'BCAX', pattern: '11001110001mmmmm0aaaaannnnnddddd', handler: fourReg(true) },
  { name: 'XAR', pattern: '11001110100mmmmmiiiiiinnnnnddddd', handler: xar },
];
