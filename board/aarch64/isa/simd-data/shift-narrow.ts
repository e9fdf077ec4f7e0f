// AdvSIMD shift by immediate with narrowing or lengthening results:
// SHRN RSHRN SQSHRN SQRSHRN UQSHRN UQRSHRN SQSHRUN SQRSHRUN (vector and
// scalar) and SSHLL/USHLL (SXTL/UXTL).

import type { Cpu } from '../../cpu';
import { bits, Encoding, Handler, Op } from '../../decoder';
import { R } from '../../int64';
import { clearTmp, foldSat, satRange, signedMax, signedMin, storeNarrow, tmpU, tmpW, unsignedMax, vecViews } from './lanes';
import { pairValue, shr64, toPair } from './lane64';
import { modifiedImmediate } from './modified-immediate';

/** How a narrowed value is reduced: truncation or saturation (source sign -> result sign). */
type Narrow = 'trunc' | 'ss' | 'su' | 'uu';

interface NarrowKind {
  name: string;
  u: number;
  opcode: string;
  mode: Narrow;
  round: boolean;
  hasScalar: boolean;
}

const NARROW: readonly NarrowKind[] = [
  { name: 'SHRN', u: 0, opcode: '10000', mode: 'trunc', round: false, hasScalar: false },
  { name: 'RSHRN', u: 0, opcode: '10001', mode: 'trunc', round: true, hasScalar: false },
  { name: 'SQSHRN', u: 0, opcode: '10010', mode: 'ss', round: false, hasScalar: true },
  { name: 'SQRSHRN', u: 0, opcode: '10011', mode: 'ss', round: true, hasScalar: true },
  { name: 'SQSHRUN', u: 1, opcode: '10000', mode: 'su', round: false, hasScalar: true },
  { name: 'SQRSHRUN', u: 1, opcode: '10001', mode: 'su', round: true, hasScalar: true },
  { name: 'UQSHRN', u: 1, opcode: '10010', mode: 'uu', round: false, hasScalar: true },
  { name: 'UQRSHRN', u: 1, opcode: '10011', mode: 'uu', round: true, hasScalar: true },
];

/** Clamp function for a narrowed value of result size `size`. */
export function narrowClamp(mode: Narrow, size: number): (v: number) => number {
  if (mode === 'trunc') return (v) => v;
  if (mode === 'ss') {
    const lo = signedMin(size);
    const hi = signedMax(size);
    return (v) => satRange(v, lo, hi);
  }
  const hi = unsignedMax(size);
  return (v) => satRange(v, 0, hi);
}

/** `count` lanes of 2*esize from Vn shifted right by sh and narrowed into Vd (upper: the "2" form). */
function narrowOp(cpu: Cpu, k: NarrowKind, size: number, sh: number, count: number, upper: number, n: number, d: number, scalar: boolean): Op {
  const { u, s, vw } = vecViews(cpu);
  const clamp = narrowClamp(k.mode, size);
  const signed = k.mode === 'ss' || k.mode === 'su';
  const d4 = 4 * d;
  const tmp = tmpU[size];
  if (size === 2) {
    const n4 = 4 * n;
    const round = k.round;
    const trunc = k.mode === 'trunc';
    return () => {
      if (scalar) clearTmp();
      for (let i = 0; i < count; i++) {
        shr64(vw[n4 + 2 * i], vw[n4 + 2 * i + 1], sh, signed, round);
        tmpW[i] = trunc ? R[0] : clamp(pairValue(R[0], R[1], signed));
      }
      storeNarrow(vw, d4, upper);
      foldSat(cpu);
    };
  }
  const src = signed ? s[size + 1] : u[size + 1];
  const nb = (8 >> size) * n;
  if (k.mode === 'trunc' && !k.round && !scalar) return shrnWords(vw, size, sh, 4 * n, d4, upper);
  const inv = 2 ** -sh;
  const r = k.round ? 2 ** (sh - 1) : 0;
  return () => {
    if (scalar) clearTmp();
    for (let i = 0; i < count; i++) tmp[i] = clamp(Math.floor((src[nb + i] + r) * inv));
    storeNarrow(vw, d4, upper);
    foldSat(cpu);
  };
}

/**
 * SHRN on whole words (the string routines' `shrn v.8b, v.8h, #4` mask
 * extraction): each source word yields 16 result bits.
 */
function shrnWords(vw: Int32Array, size: number, sh: number, n4: number, d4: number, upper: number): Op {
  const f =
    size === 0
      ? (w: number) => ((w >>> sh) & 0xff) | ((w >>> (16 + sh)) & 0xff) << 8
      : (w: number) => (w >>> sh) & 0xffff;
  const out = upper ? d4 + 2 : d4;
  return () => {
    const r0 = f(vw[n4]) | (f(vw[n4 + 1]) << 16);
    const r1 = f(vw[n4 + 2]) | (f(vw[n4 + 3]) << 16);
    vw[out] = r0;
    vw[out + 1] = r1;
    if (!upper) vw[d4 + 2] = vw[d4 + 3] = 0;
  };
}

function narrowVector(k: NarrowKind): Handler {
  return (insn, ctx) => {
    const immhb = bits(insn, 22, 16);
    const immh = immhb >>> 3;
    if (immh === 0) return modifiedImmediate(insn, ctx);
    if (immh >= 8) return null;
    const size = 31 - Math.clz32(immh);
    const sh = (16 << size) - immhb;
    const q = (insn >>> 30) & 1;
    return narrowOp(ctx.cpu, k, size, sh, 8 >> size, q, bits(insn, 9, 5), bits(insn, 4, 0), false);
  };
}

function narrowScalar(k: NarrowKind): Handler {
  return (insn, ctx) => {
    const immhb = bits(insn, 22, 16);
    const immh = immhb >>> 3;
    if (immh === 0 || immh >= 8) return null;
    const size = 31 - Math.clz32(immh);
    const sh = (16 << size) - immhb;
    return narrowOp(ctx.cpu, k, size, sh, 1, 0, bits(insn, 9, 5), bits(insn, 4, 0), true);
  };
}

/** SSHLL/USHLL: lanes of the lower (Q=0) or upper half of Vn widened and shifted left by 0..esize-1. */
function shiftLong(signed: boolean): Handler {
  return (insn, ctx) => {
    const immhb = bits(insn, 22, 16);
    const immh = immhb >>> 3;
    if (immh === 0) return modifiedImmediate(insn, ctx);
    if (immh >= 8) return null;
    const size = 31 - Math.clz32(immh);
    const sh = immhb - (8 << size);
    const q = (insn >>> 30) & 1;
    const { u, s, vw } = vecViews(ctx.cpu);
    const src = signed ? s[size] : u[size];
    const count = 8 >> size;
    const nb = (16 >> size) * bits(insn, 9, 5) + q * count;
    const d4 = 4 * bits(insn, 4, 0);
    if (size === 2) {
      const p = 2 ** sh;
      return () => {
        for (let i = 0; i < count; i++) {
          toPair(src[nb + i] * p);
          tmpW[2 * i] = R[0];
          tmpW[2 * i + 1] = R[1];
        }
        for (let i = 0; i < 4; i++) vw[d4 + i] = tmpW[i];
      };
    }
    const tmp = tmpU[size + 1];
    return () => {
      for (let i = 0; i < count; i++) tmp[i] = src[nb + i] << sh;
      for (let i = 0; i < 4; i++) vw[d4 + i] = tmpW[i];
    };
  };
}

export const simdShiftNarrow: Encoding[] = [
  ...NARROW.flatMap((k) => {
    const lines: Encoding[] = [{ name: k.name, pattern: `0q${k.u}011110hhhhbbb${k.opcode}1nnnnnddddd`, handler: narrowVector(k) }];
    if (k.hasScalar) lines.push({ name: `${k.name} (scalar)`, pattern: `01${k.u}111110hhhhbbb${k.opcode}1nnnnnddddd`, handler: narrowScalar(k) });
    return lines;
  }),
  { name: 'SSHLL', pattern: '0q0011110hhhhbbb101001nnnnnddddd', handler: shiftLong(true) },
  { name: 'USHLL', pattern: '0q1011110hhhhbbb101001nnnnnddddd', handler: shiftLong(false) },
];
