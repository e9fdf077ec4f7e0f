// AdvSIMD permutes as byte gathers: ZIP1/2, UZP1/2, TRN1/2, EXT, and the
// REV16/32/64 element reversals; plus TBL/TBX table lookups.

import type { Cpu } from '../../cpu';
import { bit, bits, Encoding, Handler, Op } from '../../decoder';
import { storeTmp, tmpU, vecViews } from './lanes';

/** An Op that sets Vd's bytes i < perm.length to vb[perm[i]] (absolute byte indexes), zeroing the top for 64-bit results. */
export function gatherOp(cpu: Cpu, perm: readonly number[], d: number): Op {
  const { u, vw } = vecViews(cpu);
  const vb = u[0];
  const tb = tmpU[0];
  const idx = Int32Array.from(perm);
  const count = idx.length;
  const q = count === 16 ? 1 : 0;
  const d4 = 4 * d;
  return () => {
    for (let i = 0; i < count; i++) tb[i] = vb[idx[i]];
    storeTmp(vw, d4, q);
  };
}

/** Byte indexes of element `e` (size `size`) of register r. */
function elementBytes(r: number, size: number, e: number): number[] {
  const w = 1 << size;
  return Array.from({ length: w }, (_, k) => 16 * r + e * w + k);
}

function permute(op: 'uzp1' | 'uzp2' | 'trn1' | 'trn2' | 'zip1' | 'zip2'): Handler {
  return (insn, ctx) => {
    const q = bit(insn, 30);
    const size = bits(insn, 23, 22);
    if (size === 3 && q === 0) return null;
    const m = bits(insn, 20, 16);
    const n = bits(insn, 9, 5);
    const count = (q ? 16 : 8) >> size;
    const half = count / 2;
    const lanes: [number, number][] = [];
    for (let i = 0; i < count; i++) {
      const p = i >> 1;
      const odd = i & 1;
      switch (op) {
        case 'uzp1':
        case 'uzp2': {
          const j = 2 * i + (op === 'uzp2' ? 1 : 0);
          lanes.push(j < count ? [n, j] : [m, j - count]);
          break;
        }
        case 'trn1':
        case 'trn2':
          lanes.push([odd ? m : n, 2 * p + (op === 'trn2' ? 1 : 0)]);
          break;
        default:
          lanes.push([odd ? m : n, p + (op === 'zip2' ? half : 0)]);
      }
    }
    return gatherOp(ctx.cpu, lanes.flatMap(([r, e]) => elementBytes(r, size, e)), bits(insn, 4, 0));
  };
}

/** EXT: bytes imm4.. of Vm:Vn, assembled a word at a time from the concatenated words. */
const ext: Handler = (insn, ctx) => {
  const q = bit(insn, 30);
  const imm4 = bits(insn, 14, 11);
  if (q === 0 && imm4 >= 8) return null;
  const { vw } = vecViews(ctx.cpu);
  const n4 = 4 * bits(insn, 9, 5);
  const m4 = 4 * bits(insn, 20, 16);
  const d4 = 4 * bits(insn, 4, 0);
  const half = q ? 4 : 2;
  // Word j of the concatenation Vm:Vn (Vn low) as an index into vw.
  const word = (j: number) => (j < half ? n4 + j : m4 + j - half);
  const j0 = imm4 >> 2;
  const lo = 8 * (imm4 & 3);
  const hi = lo === 0 ? 0 : 32 - lo;
  // Result word k = (c[j0+k] >>> lo) | (c[j0+k+1] << hi); with lo = 0 both halves name the same word.
  const a = [0, 1, 2, 3].map((k) => word(Math.min(j0 + k, 2 * half - 1)));
  const b = [0, 1, 2, 3].map((k) => (lo === 0 ? a[k] : word(Math.min(j0 + k + 1, 2 * half - 1))));
  const [a0, a1, a2, a3] = a;
  const [b0, b1, b2, b3] = b;
  if (q === 0) {
    return () => {
      const r0 = (vw[a0] >>> lo) | (vw[b0] << hi);
      const r1 = (vw[a1] >>> lo) | (vw[b1] << hi);
      vw[d4] = r0;
      vw[d4 + 1] = r1;
      vw[d4 + 2] = 0;
      vw[d4 + 3] = 0;
    };
  }
  return () => {
    const r0 = (vw[a0] >>> lo) | (vw[b0] << hi);
    const r1 = (vw[a1] >>> lo) | (vw[b1] << hi);
    const r2 = (vw[a2] >>> lo) | (vw[b2] << hi);
    const r3 = (vw[a3] >>> lo) | (vw[b3] << hi);
    vw[d4] = r0;
    vw[d4 + 1] = r1;
    vw[d4 + 2] = r2;
    vw[d4 + 3] = r3;
  };
};

/** REV16/REV32/REV64: reverse the `size` elements inside each container of 2^containerLog bytes. */
export function reverseOp(cpu: Cpu, size: number, containerBytes: number, q: number, n: number, d: number): Op {
  const w = 1 << size;
  const perm: number[] = [];
  for (let i = 0; i < (q ? 16 : 8); i++) {
    const c = i - (i % containerBytes);
    const e = Math.floor((i - c) / w);
    const k = i % w;
    const per = containerBytes / w;
    perm.push(16 * n + c + (per - 1 - e) * w + k);
  }
  return gatherOp(cpu, perm, d);
}

function table(isTbx: boolean): Handler {
  return (insn, ctx) => {
    const q = bit(insn, 30);
    const len = bits(insn, 14, 13) + 1;
    const n = bits(insn, 9, 5);
    const { u, vw } = vecViews(ctx.cpu);
    const vb = u[0];
    const tb = tmpU[0];
    const bases = Int32Array.from({ length: len }, (_, i) => 16 * ((n + i) % 32));
    const limit = 16 * len;
    const m16 = 16 * bits(insn, 20, 16);
    const d = bits(insn, 4, 0);
    const d16 = 16 * d;
    const d4 = 4 * d;
    const count = q ? 16 : 8;
    return () => {
      for (let i = 0; i < count; i++) {
        const idx = vb[m16 + i];
        tb[i] = idx < limit ? vb[bases[idx >> 4] + (idx & 15)] : isTbx ? vb[d16 + i] : 0;
      }
      storeTmp(vw, d4, q);
    };
  };
}

export const simdPermute: Encoding[] = [
  { name: 'UZP1', pattern: '0q001110ss0mmmmm000110nnnnnddddd', handler: permute('uzp1') },
  { name: 'TRN1', pattern: '0q001110ss0mmmmm001010nnnnnddddd', handler: permute('trn1') },
  { name: 'ZIP1', pattern: '0q001110ss0mmmmm001110nnnnnddddd', handler: permute('zip1') },
  { name: 'UZP2', pattern: '0q001110ss0mmmmm010110nnnnnddddd', handler: permute('uzp2') },
  { name: 'TRN2', pattern: '0q001110ss0mmmmm011010nnnnnddddd', handler: permute('trn2') },
  { name: 'ZIP2', pattern: '0q001110ss0mmmmm011110nnnnnddddd', handler: permute('zip2') },
  { name: 'EXT', pattern: '0q101110000mmmmm0iiii0nnnnnddddd', handler: ext },
  { name: 'TBL', pattern: '0q001110000mmmmm0ll000nnnnnddddd', handler: table(false) },
  { name: 'TBX', pattern: '0q001110000mmmmm0ll100nnnnnddddd', handler: table(true) },
];
