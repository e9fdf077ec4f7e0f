// AdvSIMD shift by immediate, vector and scalar, same-size results:
// SSHR USHR SSRA USRA SRSHR URSHR SRSRA URSRA SHL SLI SRI SQSHL UQSHL SQSHLU.

import type { Cpu } from '../../cpu';
import { bits, Encoding, Handler, Op } from '../../decoder';
import { add64, lsl64, lsr64, ones64, R } from '../../int64';
import { clearTmp, foldSat, laneCount, satRange, signedMax, signedMin, storeTmp, tmpU, tmpW, unsignedMax, vecViews } from './lanes';
import { qshl64, shr64 } from './lane64';
import { modifiedImmediate } from './modified-immediate';

export type ShiftKind = 'sshr' | 'ushr' | 'ssra' | 'usra' | 'srshr' | 'urshr' | 'srsra' | 'ursra' | 'shl' | 'sli' | 'sri' | 'sqshl' | 'uqshl' | 'sqshlu';

type LaneFn = (x: number, d: number) => number;
type PairFn = (lo: number, hi: number, dlo: number, dhi: number) => void;

const isLeft = (k: ShiftKind) => k === 'shl' || k === 'sli' || k === 'sqshl' || k === 'uqshl' || k === 'sqshlu';
const isSignedSource = (k: ShiftKind) => k[0] === 's' && k !== 'shl' && k !== 'sli' && k !== 'sri';

/** The element function for 8-, 16- and 32-bit lanes; values are exact doubles, stores wrap. */
function laneFn(kind: ShiftKind, size: number, sh: number): LaneFn {
  const inv = 2 ** -sh;
  const p = 2 ** sh;
  const r = kind === 'srshr' || kind === 'urshr' || kind === 'srsra' || kind === 'ursra' ? 2 ** (sh - 1) : 0;
  const mask = unsignedMax(size);
  switch (kind) {
    case 'sshr':
    case 'ushr':
    case 'srshr':
    case 'urshr':
      return (x) => Math.floor((x + r) * inv);
    case 'ssra':
    case 'usra':
    case 'srsra':
    case 'ursra':
      return (x, d) => d + Math.floor((x + r) * inv);
    case 'shl':
      return (x) => x << sh;
    case 'sli': {
      const keep = ~(mask * p);
      return (x, d) => (d & keep) | (x << sh);
    }
    case 'sri': {
      const keep = ~Math.floor(mask * inv);
      return (x, d) => (d & keep) | Math.floor(x * inv);
    }
    case 'sqshl': {
      const lo = signedMin(size);
      const hi = signedMax(size);
      return (x) => satRange(x * p, lo, hi);
    }
    default: {
      const hi = unsignedMax(size);
      return (x) => satRange(x * p, 0, hi);
    }
  }
}

/** The element function for 64-bit lanes: result in R. */
function pairFn(kind: ShiftKind, sh: number): PairFn {
  const signed = kind[0] === 's';
  const round = kind === 'srshr' || kind === 'urshr' || kind === 'srsra' || kind === 'ursra';
  switch (kind) {
    case 'sshr':
    case 'ushr':
    case 'srshr':
    case 'urshr':
      return (lo, hi) => shr64(lo, hi, sh, signed, round);
    case 'ssra':
    case 'usra':
    case 'srsra':
    case 'ursra':
      return (lo, hi, dlo, dhi) => {
        shr64(lo, hi, sh, signed, round);
        add64(R[0], R[1], dlo, dhi, 0);
      };
    case 'shl':
      return (lo, hi) => lsl64(lo, hi, sh);
    case 'sli': {
      ones64(64);
      lsl64(R[0], R[1], sh);
      const kl = ~R[0];
      const kh = ~R[1];
      return (lo, hi, dlo, dhi) => {
        lsl64(lo, hi, sh);
        R[0] |= dlo & kl;
        R[1] |= dhi & kh;
      };
    }
    case 'sri': {
      if (sh === 64) {
        return (_lo, _hi, dlo, dhi) => {
          R[0] = dlo;
          R[1] = dhi;
        };
      }
      lsr64(-1, -1, sh);
      const kl = ~R[0];
      const kh = ~R[1];
      return (lo, hi, dlo, dhi) => {
        lsr64(lo, hi, sh);
        R[0] |= dlo & kl;
        R[1] |= dhi & kh;
      };
    }
    case 'sqshl':
      return (lo, hi) => qshl64(lo, hi, sh, 0);
    case 'uqshl':
      return (lo, hi) => qshl64(lo, hi, sh, 1);
    default:
      return (lo, hi) => qshl64(lo, hi, sh, 2);
  }
}

/** The closure for `count` lanes of Vn into Vd; `scalar` zeroes everything but lane 0. */
export function shiftOp(cpu: Cpu, kind: ShiftKind, size: number, sh: number, count: number, q: number, n: number, d: number, scalar: boolean): Op {
  const { u, s, vw } = vecViews(cpu);
  const d4 = 4 * d;
  const outQ = scalar ? 0 : q;
  if (size === 3) {
    const fn = pairFn(kind, sh);
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
  const fn = laneFn(kind, size, sh);
  const src = isSignedSource(kind) ? s[size] : u[size];
  const dst = u[size];
  const tmp = tmpU[size];
  const per = 16 >> size;
  const nb = per * n;
  const db = per * d;
  return () => {
    if (scalar) clearTmp();
    for (let i = 0; i < count; i++) tmp[i] = fn(src[nb + i], dst[db + i]);
    storeTmp(vw, d4, outQ);
    foldSat(cpu);
  };
}

/** Element size from immh (its highest set bit) and the shift amount for the kind. */
function decodeShift(kind: ShiftKind, immhb: number): { size: number; sh: number } {
  const size = 31 - Math.clz32(immhb >>> 3);
  const sh = isLeft(kind) ? immhb - (8 << size) : (16 << size) - immhb;
  return { size, sh };
}

function vectorHandler(kind: ShiftKind): Handler {
  return (insn, ctx) => {
    const immhb = bits(insn, 22, 16);
    if (immhb >>> 3 === 0) return modifiedImmediate(insn, ctx);
    const q = (insn >>> 30) & 1;
    const { size, sh } = decodeShift(kind, immhb);
    if (size === 3 && q === 0) return null;
    const n = bits(insn, 9, 5);
    const d = bits(insn, 4, 0);
    return fastShift(ctx.cpu, kind, size, sh, q, n, d) ?? shiftOp(ctx.cpu, kind, size, sh, laneCount(q, size), q, n, d, false);
  };
}

function scalarHandler(kind: ShiftKind): Handler {
  const anySize = kind === 'sqshl' || kind === 'uqshl' || kind === 'sqshlu';
  return (insn, ctx) => {
    const immhb = bits(insn, 22, 16);
    if (immhb >>> 3 === 0) return null;
    const { size, sh } = decodeShift(kind, immhb);
    if (size !== 3 && !anySize) return null;
    return shiftOp(ctx.cpu, kind, size, sh, 1, 0, bits(insn, 9, 5), bits(insn, 4, 0), true);
  };
}

/** Unrolled forms of the shifts string routines use on whole registers (USHR, SSHR, SHL on 16/32-bit lanes). */
function fastShift(cpu: Cpu, kind: ShiftKind, size: number, sh: number, q: number, n: number, d: number): Op | null {
  if (size !== 2 || (kind !== 'ushr' && kind !== 'sshr' && kind !== 'shl') || sh >= 32) return null;
  const { vw } = vecViews(cpu);
  const n4 = 4 * n;
  const d4 = 4 * d;
  if (kind === 'shl') {
    return q
      ? () => {
          vw[d4] = vw[n4] << sh;
          vw[d4 + 1] = vw[n4 + 1] << sh;
          vw[d4 + 2] = vw[n4 + 2] << sh;
          vw[d4 + 3] = vw[n4 + 3] << sh;
        }
      : () => {
          vw[d4] = vw[n4] << sh;
          vw[d4 + 1] = vw[n4 + 1] << sh;
          vw[d4 + 2] = 0;
          vw[d4 + 3] = 0;
        };
  }
  if (kind === 'ushr') {
    return q
      ? () => {
          vw[d4] = vw[n4] >>> sh;
          vw[d4 + 1] = vw[n4 + 1] >>> sh;
          vw[d4 + 2] = vw[n4 + 2] >>> sh;
          vw[d4 + 3] = vw[n4 + 3] >>> sh;
        }
      : () => {
          vw[d4] = vw[n4] >>> sh;
          vw[d4 + 1] = vw[n4 + 1] >>> sh;
          vw[d4 + 2] = 0;
          vw[d4 + 3] = 0;
        };
  }
  return q
    ? () => {
        vw[d4] = vw[n4] >> sh;
        vw[d4 + 1] = vw[n4 + 1] >> sh;
        vw[d4 + 2] = vw[n4 + 2] >> sh;
        vw[d4 + 3] = vw[n4 + 3] >> sh;
      }
    : () => {
        vw[d4] = vw[n4] >> sh;
        vw[d4 + 1] = vw[n4 + 1] >> sh;
        vw[d4 + 2] = 0;
        vw[d4 + 3] = 0;
      };
}

const KINDS: readonly [ShiftKind, number, string, string][] = [
  ['sshr', 0, '00000', 'SSHR'],
  ['ushr', 1, '00000', 'USHR'],
  ['ssra', 0, '00010', 'SSRA'],
  ['usra', 1, '00010', 'USRA'],
  ['srshr', 0, '00100', 'SRSHR'],
  ['urshr', 1, '00100', 'URSHR'],
  ['srsra', 0, '00110', 'SRSRA'],
  ['ursra', 1, '00110', 'URSRA'],
  ['sri', 1, '01000', 'SRI'],
  ['shl', 0, '01010', 'SHL'],
  ['sli', 1, '01010', 'SLI'],
  ['sqshlu', 1, '01100', 'SQSHLU'],
  ['sqshl', 0, '01110', 'SQSHL (immediate)'],
  ['uqshl', 1, '01110', 'UQSHL (immediate)'],
];

export const simdShiftImmediate: Encoding[] = KINDS.flatMap(([kind, u, opcode, name]) => [
  { name, pattern: `0q${u}011110hhhhbbb${opcode}1nnnnnddddd`, handler: vectorHandler(kind) },
  { name: `${name} (scalar)`, pattern: `01${u}111110hhhhbbb${opcode}1nnnnnddddd`, handler: scalarHandler(kind) },
]);
