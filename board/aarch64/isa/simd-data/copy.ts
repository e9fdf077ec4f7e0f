// AdvSIMD copy (Arm ARM C4.1.95.x "Advanced SIMD copy" and "scalar copy"):
// DUP (element, general), INS (element, general), UMOV, SMOV, DUP scalar.

import { zrDst, zrSrc } from '../../cpu-state';
import { bit, bits, Encoding, Handler } from '../../decoder';
import { vecViews } from './lanes';

/** imm5 -> element size (0..3) from its lowest set bit, or -1 when reserved. */
function sizeOf(imm5: number): number {
  if (imm5 & 1) return 0;
  if (imm5 & 2) return 1;
  if (imm5 & 4) return 2;
  if (imm5 & 8) return 3;
  return -1;
}

/** Fills Vd with the 64-bit pattern (w0, w1), once (q=0, upper half zeroed) or twice. */
function fill(vw: Int32Array, d4: number, q: number, w0: number, w1: number): void {
  vw[d4] = w0;
  vw[d4 + 1] = w1;
  vw[d4 + 2] = q ? w0 : 0;
  vw[d4 + 3] = q ? w1 : 0;
}

const dupElement: Handler = (insn, ctx) => {
  const q = bit(insn, 30);
  const imm5 = bits(insn, 20, 16);
  const size = sizeOf(imm5);
  if (size < 0 || (size === 3 && q === 0)) return null;
  const { u, vw } = vecViews(ctx.cpu);
  const index = imm5 >>> (size + 1);
  const n = bits(insn, 9, 5);
  const d4 = 4 * bits(insn, 4, 0);
  switch (size) {
    case 0: {
      const vb = u[0];
      const src = 16 * n + index;
      return () => {
        const w = Math.imul(vb[src], 0x01010101);
        fill(vw, d4, q, w, w);
      };
    }
    case 1: {
      const vh = u[1];
      const src = 8 * n + index;
      return () => {
        const w = Math.imul(vh[src], 0x10001);
        fill(vw, d4, q, w, w);
      };
    }
    case 2: {
      const src = 4 * n + index;
      return () => {
        const w = vw[src];
        fill(vw, d4, q, w, w);
      };
    }
    default: {
      const src = 4 * n + 2 * index;
      return () => fill(vw, d4, 1, vw[src], vw[src + 1]);
    }
  }
};

const dupGeneral: Handler = (insn, ctx) => {
  const q = bit(insn, 30);
  const size = sizeOf(bits(insn, 20, 16));
  if (size < 0 || (size === 3 && q === 0)) return null;
  const x = ctx.cpu.x;
  const { vw } = vecViews(ctx.cpu);
  const n = 2 * zrSrc(bits(insn, 9, 5));
  const d4 = 4 * bits(insn, 4, 0);
  switch (size) {
    case 0:
      return () => {
        const w = Math.imul(x[n] & 0xff, 0x01010101);
        fill(vw, d4, q, w, w);
      };
    case 1:
      return () => {
        const w = Math.imul(x[n] & 0xffff, 0x10001);
        fill(vw, d4, q, w, w);
      };
    case 2:
      return () => {
        const w = x[n];
        fill(vw, d4, q, w, w);
      };
    default:
      return () => fill(vw, d4, 1, x[n], x[n + 1]);
  }
};

const insGeneral: Handler = (insn, ctx) => {
  const imm5 = bits(insn, 20, 16);
  const size = sizeOf(imm5);
  if (size < 0) return null;
  const x = ctx.cpu.x;
  const { u, vw } = vecViews(ctx.cpu);
  const index = imm5 >>> (size + 1);
  const n = 2 * zrSrc(bits(insn, 9, 5));
  const d = bits(insn, 4, 0);
  if (size === 3) {
    const dst = 4 * d + 2 * index;
    return () => {
      vw[dst] = x[n];
      vw[dst + 1] = x[n + 1];
    };
  }
  const view = size === 2 ? vw : u[size];
  const dst = (16 >> size) * d + index;
  return () => {
    view[dst] = x[n];
  };
};

const insElement: Handler = (insn, ctx) => {
  const imm5 = bits(insn, 20, 16);
  const size = sizeOf(imm5);
  if (size < 0) return null;
  const { u, vw } = vecViews(ctx.cpu);
  const dstIndex = imm5 >>> (size + 1);
  const srcIndex = bits(insn, 14, 11) >>> size;
  const n = bits(insn, 9, 5);
  const d = bits(insn, 4, 0);
  if (size === 3) {
    const src = 4 * n + 2 * srcIndex;
    const dst = 4 * d + 2 * dstIndex;
    return () => {
      const lo = vw[src];
      const hi = vw[src + 1];
      vw[dst] = lo;
      vw[dst + 1] = hi;
    };
  }
  const view = size === 2 ? vw : u[size];
  const per = 16 >> size;
  const src = per * n + srcIndex;
  const dst = per * d + dstIndex;
  return () => {
    view[dst] = view[src];
  };
};

const umov: Handler = (insn, ctx) => {
  const q = bit(insn, 30);
  const imm5 = bits(insn, 20, 16);
  const size = sizeOf(imm5);
  if (size < 0 || (q === 1) !== (size === 3)) return null;
  const x = ctx.cpu.x;
  const { u, vw } = vecViews(ctx.cpu);
  const index = imm5 >>> (size + 1);
  const n = bits(insn, 9, 5);
  const d = 2 * zrDst(bits(insn, 4, 0));
  if (size === 3) {
    const src = 4 * n + 2 * index;
    return () => {
      x[d] = vw[src];
      x[d + 1] = vw[src + 1];
    };
  }
  const view = size === 2 ? vw : u[size];
  const src = (16 >> size) * n + index;
  return () => {
    x[d] = view[src];
    x[d + 1] = 0;
  };
};

const smov: Handler = (insn, ctx) => {
  const q = bit(insn, 30);
  const imm5 = bits(insn, 20, 16);
  const size = sizeOf(imm5);
  if (size < 0 || size === 3 || (q === 0 && size === 2)) return null;
  const x = ctx.cpu.x;
  const { s } = vecViews(ctx.cpu);
  const view = s[size];
  const index = imm5 >>> (size + 1);
  const src = (16 >> size) * bits(insn, 9, 5) + index;
  const d = 2 * zrDst(bits(insn, 4, 0));
  return q
    ? () => {
        const v = view[src];
        x[d] = v;
        x[d + 1] = v >> 31;
      }
    : () => {
        x[d] = view[src];
        x[d + 1] = 0;
      };
};

/** DUP (element), scalar form (MOV Bd/Hd/Sd/Dd, Vn.T[i]). */
const dupScalar: Handler = (insn, ctx) => {
  const imm5 = bits(insn, 20, 16);
  const size = sizeOf(imm5);
  if (size < 0) return null;
  const { u, vw } = vecViews(ctx.cpu);
  const index = imm5 >>> (size + 1);
  const n = bits(insn, 9, 5);
  const d4 = 4 * bits(insn, 4, 0);
  if (size === 3) {
    const src = 4 * n + 2 * index;
    return () => fill(vw, d4, 0, vw[src], vw[src + 1]);
  }
  const view = size === 2 ? vw : u[size];
  const src = (16 >> size) * n + index;
  return () => fill(vw, d4, 0, view[src], 0);
};

export const simdCopy: Encoding[] = [
  { name: 'DUP (element)', pattern: '0q001110000iiiii000001nnnnnddddd', handler: dupElement },
  { name: 'DUP (general)', pattern: '0q001110000iiiii000011nnnnnddddd', handler: dupGeneral },
  { name: 'SMOV', pattern: '0q001110000iiiii001011nnnnnddddd', handler: smov },
  { name: 'UMOV', pattern: '0q001110000iiiii001111nnnnnddddd', handler: umov },
  { name: 'INS (general)', pattern: '01001110000iiiii000111nnnnnddddd', handler: insGeneral },
  { name: 'INS (element)', pattern: '01101110000iiiii0jjjj1nnnnnddddd', handler: insElement },
  { name: 'DUP (element, scalar)', pattern: '01011110000iiiii000001nnnnnddddd', handler: dupScalar },
];
