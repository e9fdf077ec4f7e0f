// AdvSIMD two-register miscellaneous, integer ops (vector and scalar):
// REV16/32/64, SADDLP/UADDLP/SADALP/UADALP, SUQADD/USQADD, CLS/CLZ/CNT,
// NOT/RBIT, SQABS/SQNEG/ABS/NEG, CMGT/CMGE/CMEQ/CMLE/CMLT #0,
// XTN/SQXTN/UQXTN/SQXTUN and SHLL.

import type { Cpu } from '../../cpu';
import { bit, bits, Encoding, Handler, Op } from '../../decoder';
import { add64, R } from '../../int64';
import { clearTmp, foldSat, laneCount, storeNarrow, storeTmp, tmpU, tmpW, vecViews } from './lanes';
import { pairValue, toPair } from './lane64';
import { MiscKind, miscLane, miscPair, POP8, RBIT8, signedSource } from './misc-lanes';
import { reverseOp } from './permute';
import { narrowClamp } from './shift-narrow';

/** Lane-wise op over `count` lanes of Vn (and Vd for the accumulating kinds). */
function miscOp(cpu: Cpu, kind: MiscKind, size: number, count: number, q: number, n: number, d: number, scalar: boolean): Op {
  const { u, s, vw } = vecViews(cpu);
  const d4 = 4 * d;
  const outQ = scalar ? 0 : q;
  if (size === 3) {
    const fn = miscPair(kind);
    const n4 = 4 * n;
    return () => {
      if (scalar) clearTmp();
      for (let i = 0; i < count; i++) {
        fn(vw[n4 + 2 * i], vw[n4 + 2 * i + 1], vw[d4 + 2 * i], vw[d4 + 2 * i + 1]);
        tmpW[2 * i] = R[0];
        tmpW[2 * i + 1] = R[1];
      }
      storeTmp(vw, d4, outQ);
      foldSat(cpu);
    };
  }
  const fn = miscLane(kind, size);
  const src = signedSource(kind) ? s[size] : u[size];
  const dst = u[size];
  const tmp = tmpU[size];
  const per = 16 >> size;
  const nb = per * n;
  const db = per * d;
  if (kind === 'cmeq' && size === 0 && !scalar) return cmeqZeroBytes(cpu, q, n, d);
  if ((kind === 'cnt' || kind === 'rbit') && !scalar) return byteTableOp(cpu, kind === 'cnt' ? POP8 : RBIT8, q, n, d);
  return () => {
    if (scalar) clearTmp();
    for (let i = 0; i < count; i++) tmp[i] = fn(src[nb + i], dst[db + i]);
    storeTmp(vw, d4, outQ);
    foldSat(cpu);
  };
}

/** CMEQ Vd.16B/8B, Vn, #0: the NUL-byte search of string routines, a word at a time. */
function cmeqZeroBytes(cpu: Cpu, q: number, n: number, d: number): Op {
  const { vw } = vecViews(cpu);
  const n4 = 4 * n;
  const d4 = 4 * d;
  // 0x80 in each byte that is zero (exact: no carries cross bytes), widened to 0xff.
  const zeroBytes = (w: number) => {
    const high = ~((((w & 0x7f7f7f7f) + 0x7f7f7f7f) | w) | 0x7f7f7f7f);
    return ((high >>> 7) * 0xff) | 0;
  };
  return q
    ? () => {
        vw[d4] = zeroBytes(vw[n4]);
        vw[d4 + 1] = zeroBytes(vw[n4 + 1]);
        vw[d4 + 2] = zeroBytes(vw[n4 + 2]);
        vw[d4 + 3] = zeroBytes(vw[n4 + 3]);
      }
    : () => {
        vw[d4] = zeroBytes(vw[n4]);
        vw[d4 + 1] = zeroBytes(vw[n4 + 1]);
        vw[d4 + 2] = 0;
        vw[d4 + 3] = 0;
      };
}

/** CNT and RBIT: a byte-wise table lookup. */
function byteTableOp(cpu: Cpu, table: Uint8Array, q: number, n: number, d: number): Op {
  const { u, vw } = vecViews(cpu);
  const vb = u[0];
  const tb = tmpU[0];
  const nb = 16 * n;
  const count = q ? 16 : 8;
  const d4 = 4 * d;
  return () => {
    for (let i = 0; i < count; i++) tb[i] = table[vb[nb + i]];
    storeTmp(vw, d4, q);
  };
}

interface MiscSpec {
  kind: MiscKind;
  u: number;
  opcode: string;
  name: string;
  /** Which sizes the vector form allows: 'all' (size 3 needs Q=1), 'no64', 'bytes'. */
  sizes: 'all' | 'no64' | 'bytes';
  /** The scalar form: none, any size, or 64-bit only. */
  scalar: 'none' | 'any' | 'd';
}

const SPECS: readonly MiscSpec[] = [
  { kind: 'suqadd', u: 0, opcode: '00011', name: 'SUQADD', sizes: 'all', scalar: 'any' },
  { kind: 'usqadd', u: 1, opcode: '00011', name: 'USQADD', sizes: 'all', scalar: 'any' },
  { kind: 'cls', u: 0, opcode: '00100', name: 'CLS (vector)', sizes: 'no64', scalar: 'none' },
  { kind: 'clz', u: 1, opcode: '00100', name: 'CLZ (vector)', sizes: 'no64', scalar: 'none' },
  { kind: 'cnt', u: 0, opcode: '00101', name: 'CNT', sizes: 'bytes', scalar: 'none' },
  { kind: 'sqabs', u: 0, opcode: '00111', name: 'SQABS', sizes: 'all', scalar: 'any' },
  { kind: 'sqneg', u: 1, opcode: '00111', name: 'SQNEG', sizes: 'all', scalar: 'any' },
  { kind: 'cmgt', u: 0, opcode: '01000', name: 'CMGT (zero)', sizes: 'all', scalar: 'd' },
  { kind: 'cmge', u: 1, opcode: '01000', name: 'CMGE (zero)', sizes: 'all', scalar: 'd' },
  { kind: 'cmeq', u: 0, opcode: '01001', name: 'CMEQ (zero)', sizes: 'all', scalar: 'd' },
  { kind: 'cmle', u: 1, opcode: '01001', name: 'CMLE (zero)', sizes: 'all', scalar: 'd' },
  { kind: 'cmlt', u: 0, opcode: '01010', name: 'CMLT (zero)', sizes: 'all', scalar: 'd' },
  { kind: 'abs', u: 0, opcode: '01011', name: 'ABS', sizes: 'all', scalar: 'd' },
  { kind: 'neg', u: 1, opcode: '01011', name: 'NEG (vector)', sizes: 'all', scalar: 'd' },
];

function vectorMisc(spec: MiscSpec): Handler {
  return (insn, ctx) => {
    const q = bit(insn, 30);
    const size = bits(insn, 23, 22);
    if (spec.sizes === 'bytes' && size !== 0) return null;
    if (spec.sizes === 'no64' && size === 3) return null;
    if (size === 3 && q === 0) return null;
    return miscOp(ctx.cpu, spec.kind, size, laneCount(q, size), q, bits(insn, 9, 5), bits(insn, 4, 0), false);
  };
}

function scalarMisc(spec: MiscSpec): Handler {
  return (insn, ctx) => {
    const size = bits(insn, 23, 22);
    if (spec.scalar === 'd' && size !== 3) return null;
    return miscOp(ctx.cpu, spec.kind, size, 1, 0, bits(insn, 9, 5), bits(insn, 4, 0), true);
  };
}

/** NOT (size 00) and RBIT (size 01) share an opcode. */
const notRbit: Handler = (insn, ctx) => {
  const q = bit(insn, 30);
  const size = bits(insn, 23, 22);
  const n = bits(insn, 9, 5);
  const d = bits(insn, 4, 0);
  if (size === 1) return miscOp(ctx.cpu, 'rbit', 0, q ? 16 : 8, q, n, d, false);
  if (size !== 0) return null;
  const { vw } = vecViews(ctx.cpu);
  const n4 = 4 * n;
  const d4 = 4 * d;
  return () => {
    vw[d4] = ~vw[n4];
    vw[d4 + 1] = ~vw[n4 + 1];
    vw[d4 + 2] = q ? ~vw[n4 + 2] : 0;
    vw[d4 + 3] = q ? ~vw[n4 + 3] : 0;
  };
};

/** REV64 (sizes 0-2), REV32 (0-1), REV16 (0). */
function rev(containerBytes: number): Handler {
  return (insn, ctx) => {
    const size = bits(insn, 23, 22);
    if (1 << size >= containerBytes) return null;
    return reverseOp(ctx.cpu, size, containerBytes, bit(insn, 30), bits(insn, 9, 5), bits(insn, 4, 0));
  };
}

/** SADDLP/UADDLP/SADALP/UADALP: adjacent lane pairs added into lanes of twice the width. */
function addPairwiseLong(signed: boolean, accumulate: boolean): Handler {
  return (insn, ctx) => {
    const q = bit(insn, 30);
    const size = bits(insn, 23, 22);
    if (size === 3) return null;
    const { u, s, vw } = vecViews(ctx.cpu);
    const src = signed ? s[size] : u[size];
    const count = (q ? 8 : 4) >> size;
    const nb = (16 >> size) * bits(insn, 9, 5);
    const d = bits(insn, 4, 0);
    const d4 = 4 * d;
    if (size === 2) {
      return () => {
        for (let i = 0; i < count; i++) {
          toPair(src[nb + 2 * i] + src[nb + 2 * i + 1]);
          if (accumulate) add64(R[0], R[1], vw[d4 + 2 * i], vw[d4 + 2 * i + 1], 0);
          tmpW[2 * i] = R[0];
          tmpW[2 * i + 1] = R[1];
        }
        storeTmp(vw, d4, q);
      };
    }
    const tmp = tmpU[size + 1];
    const dst = u[size + 1];
    const db = (8 >> size) * d;
    return () => {
      for (let i = 0; i < count; i++) tmp[i] = src[nb + 2 * i] + src[nb + 2 * i + 1] + (accumulate ? dst[db + i] : 0);
      storeTmp(vw, d4, q);
    };
  };
}

type NarrowMode = 'trunc' | 'ss' | 'su' | 'uu';

/** XTN/SQXTN/UQXTN/SQXTUN: lanes of 2*esize narrowed into the lower half (or upper, "2" forms) of Vd. */
function narrowOp(cpu: Cpu, mode: NarrowMode, size: number, count: number, upper: number, n: number, d: number, scalar: boolean): Op {
  const { u, s, vw } = vecViews(cpu);
  const clamp = narrowClamp(mode, size);
  const signed = mode === 'ss' || mode === 'su';
  const d4 = 4 * d;
  if (size === 2) {
    const n4 = 4 * n;
    return () => {
      if (scalar) clearTmp();
      for (let i = 0; i < count; i++) {
        const lo = vw[n4 + 2 * i];
        tmpW[i] = mode === 'trunc' ? lo : clamp(pairValue(lo, vw[n4 + 2 * i + 1], signed));
      }
      storeNarrow(vw, d4, upper);
      foldSat(cpu);
    };
  }
  const src = signed ? s[size + 1] : u[size + 1];
  const nb = (8 >> size) * n;
  const tmp = tmpU[size];
  return () => {
    if (scalar) clearTmp();
    for (let i = 0; i < count; i++) tmp[i] = clamp(src[nb + i]);
    storeNarrow(vw, d4, upper);
    foldSat(cpu);
  };
}

function narrow(mode: NarrowMode, isScalar: boolean): Handler {
  return (insn, ctx) => {
    const size = bits(insn, 23, 22);
    if (size === 3) return null;
    const n = bits(insn, 9, 5);
    const d = bits(insn, 4, 0);
    if (isScalar) return narrowOp(ctx.cpu, mode, size, 1, 0, n, d, true);
    return narrowOp(ctx.cpu, mode, size, 8 >> size, bit(insn, 30), n, d, false);
  };
}

/** SHLL/SHLL2: lanes widened and shifted left by their own width. */
const shll: Handler = (insn, ctx) => {
  const size = bits(insn, 23, 22);
  if (size === 3) return null;
  const q = bit(insn, 30);
  const { u, vw } = vecViews(ctx.cpu);
  const src = u[size];
  const count = 8 >> size;
  const nb = (16 >> size) * bits(insn, 9, 5) + q * count;
  const d4 = 4 * bits(insn, 4, 0);
  if (size === 2) {
    return () => {
      for (let i = 0; i < count; i++) {
        tmpW[2 * i] = 0;
        tmpW[2 * i + 1] = src[nb + i];
      }
      for (let i = 0; i < 4; i++) vw[d4 + i] = tmpW[i];
    };
  }
  const tmp = tmpU[size + 1];
  const sh = 8 << size;
  return () => {
    for (let i = 0; i < count; i++) tmp[i] = src[nb + i] << sh;
    for (let i = 0; i < 4; i++) vw[d4 + i] = tmpW[i];
  };
};

const vector = (u: number, opcode: string) => `0q${u}01110ss10000${opcode}10nnnnnddddd`;
const scalar = (u: number, opcode: string) => `01${u}11110ss10000${opcode}10nnnnnddddd`;

export const simdTwoRegMisc: Encoding[] = [
  ...SPECS.flatMap((spec) => {
    const lines: Encoding[] = [{ name: spec.name, pattern: vector(spec.u, spec.opcode), handler: vectorMisc(spec) }];
    if (spec.scalar !== 'none') lines.push({ name: `${spec.name} (scalar)`, pattern: scalar(spec.u, spec.opcode), handler: scalarMisc(spec) });
    return lines;
  }),
  { name: 'NOT / RBIT (vector)', pattern: vector(1, '00101'), handler: notRbit },
  { name: 'REV64', pattern: vector(0, '00000'), handler: rev(8) },
  { name: 'REV32 (vector)', pattern: vector(1, '00000'), handler: rev(4) },
  { name: 'REV16 (vector)', pattern: vector(0, '00001'), handler: rev(2) },
  { name: 'SADDLP', pattern: vector(0, '00010'), handler: addPairwiseLong(true, false) },
  { name: 'UADDLP', pattern: vector(1, '00010'), handler: addPairwiseLong(false, false) },
  { name: 'SADALP', pattern: vector(0, '00110'), handler: addPairwiseLong(true, true) },
  { name: 'UADALP', pattern: vector(1, '00110'), handler: addPairwiseLong(false, true) },
  { name: 'XTN', pattern: vector(0, '10010'), handler: narrow('trunc', false) },
  { name: 'SQXTUN', pattern: vector(1, '10010'), handler: narrow('su', false) },
  { name: 'SQXTN', pattern: vector(0, '10100'), handler: narrow('ss', false) },
  { name: 'UQXTN', pattern: vector(1, '10100'), handler: narrow('uu', false) },
  { name: 'SQXTUN (scalar)', pattern: scalar(1, '10010'), handler: narrow('su', true) },
  { name: 'SQXTN (scalar)', pattern: scalar(0, '10100'), handler: narrow('ss', true) },
  { name: 'UQXTN (scalar)', pattern: scalar(1, '10100'), handler: narrow('uu', true) },
  { name: 'SHLL', pattern: vector(1, '10011'), handler: shll },
];
