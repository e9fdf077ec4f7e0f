// Data processing -- immediate (Arm ARM C4.1.86): PC-relative addressing,
// add/subtract, logical, move wide, bitfield, extract.

import { zrDst, zrSrc } from '../cpu-state';
import { bit, bits, Encoding, Handler, Op, sbits } from '../decoder';
import { addFlags32, addFlags64, asr64, logicFlags32, logicFlags64, lsl64, lsr64, ones64, R } from '../int64';
import { logicalImmediate } from './bit-masks';
import { shiftLeft64, shiftRight64 } from './constant-shift';
import { compare32, compare64, compareFlags64 } from './dp-register/compare';

const TWO32 = 4294967296;

const adr: Handler = (insn, ctx) => {
  const cpu = ctx.cpu;
  const x = cpu.x;
  const d = 2 * zrDst(bits(insn, 4, 0));
  const imm = (sbits(insn, 23, 5) << 2) | bits(insn, 30, 29);
  const page = bit(insn, 31) === 1;
  const pageOff = ctx.pageOff;
  return page
    ? () => {
        const v = cpu.pageVa + imm * 4096;
        x[d] = v | 0;
        x[d + 1] = Math.floor(v / TWO32) | 0;
      }
    : () => {
        const v = cpu.pageVa + pageOff + imm;
        x[d] = v | 0;
        x[d + 1] = Math.floor(v / TWO32) | 0;
      };
};

const addSubImm: Handler = (insn, ctx) => {
  const x = ctx.cpu.x;
  const f = ctx.cpu.f;
  const sf = bit(insn, 31);
  const sub = bit(insn, 30) === 1;
  const setFlags = bit(insn, 29) === 1;
  const imm = bits(insn, 21, 10) << (bit(insn, 22) * 12);
  const n = 2 * bits(insn, 9, 5); // Rn may be SP
  const rd = bits(insn, 4, 0);
  const d = 2 * (setFlags ? zrDst(rd) : rd);
  if (sf === 0) {
    if (setFlags && sub) {
      return () => { // SUBS/CMP: the direct compare, no negated operand
        const a = x[n];
        compare32(f, a, imm);
        x[d] = a - imm;
        x[d + 1] = 0;
      };
    }
    if (setFlags) {
      const b = imm;
      const cin = 0;
      return () => {
        x[d] = addFlags32(f, x[n], b, cin);
        x[d + 1] = 0;
      };
    }
    return sub
      ? () => {
          x[d] = (x[n] - imm) | 0;
          x[d + 1] = 0;
        }
      : () => {
          x[d] = (x[n] + imm) | 0;
          x[d + 1] = 0;
        };
  }
  if (setFlags && sub && rd === 31) return () => compareFlags64(f, x[n], x[n + 1], imm, 0); // CMP
  if (setFlags && sub) {
    return () => {
      compare64(f, x[n], x[n + 1], imm, 0);
      x[d] = R[0];
      x[d + 1] = R[1];
    };
  }
  if (setFlags) {
    const blo = sub ? ~imm : imm;
    const bhi = sub ? -1 : 0;
    const cin = sub ? 1 : 0;
    return () => {
      addFlags64(f, x[n], x[n + 1], blo, bhi, cin);
      x[d] = R[0];
      x[d + 1] = R[1];
    };
  }
  return sub
    ? () => {
        const lo = (x[n] >>> 0) - imm;
        x[d + 1] = (x[n + 1] - (lo < 0 ? 1 : 0)) | 0;
        x[d] = lo | 0;
      }
    : () => {
        const lo = (x[n] >>> 0) + imm;
        x[d + 1] = (x[n + 1] + (lo >= TWO32 ? 1 : 0)) | 0;
        x[d] = lo | 0;
      };
};

const logicalImm: Handler = (insn, ctx) => {
  const x = ctx.cpu.x;
  const f = ctx.cpu.f;
  const sf = bit(insn, 31);
  const opc = bits(insn, 30, 29);
  const nBit = bit(insn, 22);
  if (sf === 0 && nBit === 1) return null;
  const mask = logicalImmediate(nBit, bits(insn, 15, 10), bits(insn, 21, 16), sf ? 64 : 32);
  if (mask === null) return null;
  const [mlo, mhi] = mask;
  const n = 2 * zrSrc(bits(insn, 9, 5));
  const rd = bits(insn, 4, 0);
  const d = 2 * (opc === 3 ? zrDst(rd) : rd); // AND/ORR/EOR may write SP
  if (sf === 0) {
    switch (opc) {
      case 0:
        return () => {
          x[d] = x[n] & mlo;
          x[d + 1] = 0;
        };
      case 1:
        return () => {
          x[d] = x[n] | mlo;
          x[d + 1] = 0;
        };
      case 2:
        return () => {
          x[d] = x[n] ^ mlo;
          x[d + 1] = 0;
        };
      default:
        return () => {
          const lo = x[n] & mlo;
          logicFlags32(f, lo);
          x[d] = lo;
          x[d + 1] = 0;
        };
    }
  }
  switch (opc) {
    case 0:
      return () => {
        x[d] = x[n] & mlo;
        x[d + 1] = x[n + 1] & mhi;
      };
    case 1:
      return () => {
        x[d] = x[n] | mlo;
        x[d + 1] = x[n + 1] | mhi;
      };
    case 2:
      return () => {
        x[d] = x[n] ^ mlo;
        x[d + 1] = x[n + 1] ^ mhi;
      };
    default:
      return () => {
        const lo = x[n] & mlo;
        const hi = x[n + 1] & mhi;
        logicFlags64(f, lo, hi);
        x[d] = lo;
        x[d + 1] = hi;
      };
  }
};

const moveWide: Handler = (insn, ctx) => {
  const x = ctx.cpu.x;
  const sf = bit(insn, 31);
  const opc = bits(insn, 30, 29);
  const hw = bits(insn, 22, 21);
  if (opc === 1 || (sf === 0 && hw >= 2)) return null;
  const imm = bits(insn, 20, 5);
  const d = 2 * zrDst(bits(insn, 4, 0));
  const shift = hw * 16;
  const lo = shift < 32 ? (imm << shift) | 0 : 0;
  const hi = shift >= 32 ? (imm << (shift - 32)) | 0 : 0;
  if (opc === 0) {
    // MOVN
    const vlo = ~lo;
    const vhi = sf ? ~hi : 0;
    return () => {
      x[d] = vlo;
      x[d + 1] = vhi;
    };
  }
  if (opc === 2) {
    return () => {
      x[d] = lo;
      x[d + 1] = hi;
    };
  }
  // MOVK keeps the other bits.
  const keep = ~(0xffff << (shift & 31));
  if (shift < 32) {
    return sf
      ? () => {
          x[d] = (x[d] & keep) | lo;
        }
      : () => {
          x[d] = (x[d] & keep) | lo;
          x[d + 1] = 0;
        };
  }
  return () => {
    x[d + 1] = (x[d + 1] & keep) | hi;
  };
};

const bitfield: Handler = (insn, ctx) => {
  const x = ctx.cpu.x;
  const sf = bit(insn, 31);
  const opc = bits(insn, 30, 29);
  const nBit = bit(insn, 22);
  const immr = bits(insn, 21, 16);
  const imms = bits(insn, 15, 10);
  if (opc === 3 || sf !== nBit) return null;
  if (sf === 0 && (immr >= 32 || imms >= 32)) return null;
  const n = 2 * zrSrc(bits(insn, 9, 5));
  const d = 2 * zrDst(bits(insn, 4, 0));
  const size = sf ? 64 : 32;
  // The field: `width` bits of the source from bit `from`, placed at bit `to`.
  // Either from or to is zero (extract form, or shift-left form).
  const extractForm = imms >= immr;
  const from = extractForm ? immr : 0;
  const width = extractForm ? imms - immr + 1 : imms + 1;
  const to = extractForm ? 0 : size - immr;
  const signed = opc === 0;
  const insert = opc === 1;
  return sf ? bitfield64(x, n, d, from, width, to, signed, insert) : bitfield32(x, n, d, from, width, to, signed, insert);
};

function bitfield32(x: Int32Array, n: number, d: number, from: number, width: number, to: number, signed: boolean, insert: boolean) {
  const up = 32 - from - width;
  const down = 32 - width - to;
  if (insert) {
    const field = (width === 32 ? -1 : ((1 << width) - 1)) << to;
    return () => {
      x[d] = (x[d] & ~field) | (((x[n] << up) >>> down) & field);
      x[d + 1] = 0;
    };
  }
  return signed
    ? () => {
        x[d] = (x[n] << up) >> down;
        x[d + 1] = 0;
      }
    : () => {
        x[d] = (x[n] << up) >>> down;
        x[d + 1] = 0;
      };
}

function bitfield64(x: Int32Array, n: number, d: number, from: number, width: number, to: number, signed: boolean, insert: boolean) {
  if (!insert && from + width === 64) {
    // LSR / ASR by `from`
    if (from > 0) return shiftRight64(x, d, n, from, signed);
    return signed
      ? () => {
          asr64(x[n], x[n + 1], from);
          x[d] = R[0];
          x[d + 1] = R[1];
        }
      : () => {
          lsr64(x[n], x[n + 1], from);
          x[d] = R[0];
          x[d + 1] = R[1];
        };
  }
  if (!insert && !signed && to + width === 64) {
    // LSL by `to`
    if (to > 0) return shiftLeft64(x, d, n, to);
    return () => {
      lsl64(x[n], x[n + 1], to);
      x[d] = R[0];
      x[d + 1] = R[1];
    };
  }
  ones64(width);
  lsl64(R[0], R[1], to);
  const fieldLo = R[0];
  const fieldHi = R[1];
  const up = 64 - from - width;
  const down = 64 - width - to;
  return () => {
    lsl64(x[n], x[n + 1], up);
    if (signed) asr64(R[0], R[1], down);
    else lsr64(R[0], R[1], down);
    if (insert) {
      x[d] = (x[d] & ~fieldLo) | (R[0] & fieldLo);
      x[d + 1] = (x[d + 1] & ~fieldHi) | (R[1] & fieldHi);
    } else {
      x[d] = R[0];
      x[d + 1] = R[1];
    }
  };
}

const extract: Handler = (insn, ctx) => {
  const x = ctx.cpu.x;
  const sf = bit(insn, 31);
  if (bits(insn, 30, 29) !== 0 || bit(insn, 21) !== 0 || sf !== bit(insn, 22)) return null;
  const lsb = bits(insn, 15, 10);
  if (sf === 0 && lsb >= 32) return null;
  const m = 2 * zrSrc(bits(insn, 20, 16));
  const n = 2 * zrSrc(bits(insn, 9, 5));
  const d = 2 * zrDst(bits(insn, 4, 0));
  if (sf === 0) {
    return lsb === 0
      ? () => {
          x[d] = x[m];
          x[d + 1] = 0;
        }
      : () => {
          x[d] = (x[m] >>> lsb) | (x[n] << (32 - lsb));
          x[d + 1] = 0;
        };
  }
  return extract64(x, d, n, m, lsb);
};

/** (Xn:Xm) >> lsb, low 64 bits, with the shifts fixed at decode time (ROR is EXTR with n = m). */
function extract64(x: Int32Array, d: number, n: number, m: number, lsb: number): Op {
  if (lsb === 0) {
    return () => {
      x[d] = x[m];
      x[d + 1] = x[m + 1];
    };
  }
  if (lsb === 32) {
    return () => {
      const lo = x[m + 1];
      x[d + 1] = x[n];
      x[d] = lo;
    };
  }
  if (lsb < 32) {
    const l = 32 - lsb;
    return () => {
      const mhi = x[m + 1];
      const lo = (x[m] >>> lsb) | (mhi << l);
      x[d + 1] = (mhi >>> lsb) | (x[n] << l);
      x[d] = lo;
    };
  }
  const s = lsb - 32;
  const l = 64 - lsb;
  return () => {
    const nlo = x[n];
    const lo = (x[m + 1] >>> s) | (nlo << l);
    x[d + 1] = (nlo >>> s) | (x[n + 1] << l);
    x[d] = lo;
  };
}

export const dpImmediate: Encoding[] = [
  { name: 'ADR/ADRP', pattern: 'x xx 10000 xxxxxxxxxxxxxxxxxxx xxxxx', handler: adr },
  { name: 'ADD/ADDS/SUB/SUBS (immediate)', pattern: 'x x x 100010 x xxxxxxxxxxxx xxxxx xxxxx', handler: addSubImm },
  { name: 'AND/ORR/EOR/ANDS (immediate)', pattern: 'x xx 100100 x xxxxxx xxxxxx xxxxx xxxxx', handler: logicalImm },
  { name: 'MOVN/MOVZ/MOVK', pattern: 'x xx 100101 xx xxxxxxxxxxxxxxxx xxxxx', handler: moveWide },
  { name: 'SBFM/BFM/UBFM', pattern: 'x xx 100110 x xxxxxx xxxxxx xxxxx xxxxx', handler: bitfield },
  { name: 'EXTR', pattern: 'x xx 100111 x x xxxxx xxxxxx xxxxx xxxxx', handler: extract },
];

