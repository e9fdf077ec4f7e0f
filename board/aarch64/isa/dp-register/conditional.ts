// Conditional compare (register, immediate) and conditional select (Arm ARM
// C4.1.95): CCMN, CCMP, CSEL, CSINC, CSINV, CSNEG.

import { zrDst, zrSrc } from '../../cpu-state';
import { bit, bits, Encoding, Handler } from '../../decoder';
import { addFlags32, addFlags64 } from '../../int64';
import { makeCondition } from '../conditions';
import { compare32, compare64 } from './compare';

const conditionalCompare: Handler = (insn, ctx) => {
  if (bit(insn, 29) === 0 || bit(insn, 10) === 1 || bit(insn, 4) === 1) return null;
  const x = ctx.cpu.x;
  const f = ctx.cpu.f;
  const sf = bit(insn, 31);
  const negative = bit(insn, 30) === 0; // CCMN
  const holds = makeCondition(f, bits(insn, 15, 12));
  const nzcv = bits(insn, 3, 0);
  const fn = nzcv >>> 3;
  const fz = (nzcv >>> 2) & 1;
  const fc = (nzcv >>> 1) & 1;
  const fv = nzcv & 1;
  const n = 2 * zrSrc(bits(insn, 9, 5));
  const immediate = bit(insn, 11) === 1;
  const imm = bits(insn, 20, 16);
  const m = 2 * zrSrc(bits(insn, 20, 16));
  const otherwise = () => {
    f[0] = fn;
    f[1] = fz;
    f[2] = fc;
    f[3] = fv;
  };
  if (immediate) {
    if (sf === 0) {
      return negative
        ? () => { if (holds()) addFlags32(f, x[n], imm, 0); else otherwise(); }
        : () => { if (holds()) compare32(f, x[n], imm); else otherwise(); };
    }
    return negative
      ? () => { if (holds()) addFlags64(f, x[n], x[n + 1], imm, 0, 0); else otherwise(); }
      : () => { if (holds()) compare64(f, x[n], x[n + 1], imm, 0); else otherwise(); };
  }
  if (sf === 0) {
    return negative
      ? () => { if (holds()) addFlags32(f, x[n], x[m], 0); else otherwise(); }
      : () => { if (holds()) compare32(f, x[n], x[m]); else otherwise(); };
  }
  return negative
    ? () => { if (holds()) addFlags64(f, x[n], x[n + 1], x[m], x[m + 1], 0); else otherwise(); }
    : () => { if (holds()) compare64(f, x[n], x[n + 1], x[m], x[m + 1]); else otherwise(); };
};

const conditionalSelect: Handler = (insn, ctx) => {
  const op2 = bits(insn, 11, 10);
  if (bit(insn, 29) === 1 || op2 >= 2) return null;
  const x = ctx.cpu.x;
  const sf = bit(insn, 31);
  const holds = makeCondition(ctx.cpu.f, bits(insn, 15, 12));
  const kind = (bit(insn, 30) << 1) | op2; // 0 CSEL, 1 CSINC, 2 CSINV, 3 CSNEG
  const m = 2 * zrSrc(bits(insn, 20, 16));
  const n = 2 * zrSrc(bits(insn, 9, 5));
  const d = 2 * zrDst(bits(insn, 4, 0));
  if (sf === 0) {
    switch (kind) {
      case 0: return () => { x[d] = holds() ? x[n] : x[m]; x[d + 1] = 0; };
      case 1: return () => { x[d] = holds() ? x[n] : x[m] + 1; x[d + 1] = 0; };
      case 2: return () => { x[d] = holds() ? x[n] : ~x[m]; x[d + 1] = 0; };
      default: return () => { x[d] = holds() ? x[n] : -x[m]; x[d + 1] = 0; };
    }
  }
  switch (kind) {
    case 0:
      return () => {
        const s = holds() ? n : m;
        x[d] = x[s];
        x[d + 1] = x[s + 1];
      };
    case 1:
      return () => {
        if (holds()) {
          x[d] = x[n];
          x[d + 1] = x[n + 1];
        } else {
          const lo = x[m];
          x[d + 1] = lo === -1 ? x[m + 1] + 1 : x[m + 1];
          x[d] = lo + 1;
        }
      };
    case 2:
      return () => {
        if (holds()) {
          x[d] = x[n];
          x[d + 1] = x[n + 1];
        } else {
          x[d] = ~x[m];
          x[d + 1] = ~x[m + 1];
        }
      };
    default:
      return () => {
        if (holds()) {
          x[d] = x[n];
          x[d + 1] = x[n + 1];
        } else {
          const lo = x[m];
          x[d + 1] = lo === 0 ? -x[m + 1] : ~x[m + 1];
          x[d] = -lo;
        }
      };
  }
};

export const conditional: Encoding[] = [
  { name: 'CCMN/CCMP (register, immediate)', pattern: 'x x x 11010010 xxxxx xxxx x x xxxxx x xxxx', handler: conditionalCompare },
  { name: 'CSEL/CSINC/CSINV/CSNEG', pattern: 'x x x 11010100 xxxxx xxxx xx xxxxx xxxxx', handler: conditionalSelect },
];
