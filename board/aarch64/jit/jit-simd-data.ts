// AdvSIMD data movement compiled to WebAssembly SIMD: modified immediate
// (MOVI/MVNI/ORR/BIC/FMOV vector immediate), copy (DUP, INS, UMOV, SMOV),
// permutes (ZIP/UZP/TRN, EXT, TBL/TBX), shifts by immediate (SSHR/USHR,
// SSRA/USRA, SHL, SHRN, SSHLL/USHLL) and the FMOV transfers between general
// and SIMD&FP registers (which never touch FPSR).

import { bit, bits } from '../decoder';
import { expandImm } from '../isa/simd-data/modified-immediate';
import type { Jit } from './jit-context';
import { narrowInto } from './jit-simd-arith';
import { ADD, elementBytes, EXTEND_HIGH_S, EXTEND_HIGH_U, EXTEND_LOW_S, EXTEND_LOW_U, EXTRACT_S, EXTRACT_U, GE_U, lane, pushConst, pushRepeated, REPLACE, S, SHL, SHR_S, SHR_U, shuffle, simd, SPLAT, vget, vOff, vset } from './jit-simd-emit';
import { Op } from '../../jit/wasm-module';

export function modifiedImmediate(j: Jit, insn: number): boolean {
  const q = bit(insn, 30);
  const op = bit(insn, 29);
  const cmode = bits(insn, 15, 12);
  if (bit(insn, 11) === 1) return false; // FMOV (vector, immediate) half precision
  if (op === 1 && cmode === 15 && q === 0) return false;
  const imm8 = (bits(insn, 18, 16) << 5) | bits(insn, 9, 5);
  const imm = expandImm(op, cmode, imm8);
  if (imm === null) return false;
  let [lo, hi] = imm;
  const d = bits(insn, 4, 0);
  const c = j.code;
  const logical = (cmode & 1) === 1 && cmode < 12;
  if (!logical) {
    if (op === 1 && cmode < 14) {
      lo = ~lo;
      hi = ~hi;
    }
    vset(j, d, q, () => pushRepeated(c, lo, hi));
    return true;
  }
  vset(j, d, q, () => {
    vget(j, d);
    pushRepeated(c, lo, hi);
    simd(c, op === 0 ? S.Or : S.AndNot);
  });
  return true;
}

/** Pushes general register n as the lane value of `size` (i32 for 0..2, i64 for 3). */
function general(j: Jit, n: number, size: number): void {
  j.x(n);
  if (size < 3) j.code.op(Op.I32WrapI64);
}

/** Copy: DUP (element, general), SMOV, UMOV, INS (general, element): 0 Q op 01110000 imm5 0 imm4 1 Rn Rd. */
export function copy(j: Jit, insn: number): boolean {
  const q = bit(insn, 30);
  const op = bit(insn, 29);
  const imm5 = bits(insn, 20, 16);
  const imm4 = bits(insn, 14, 11);
  const n = bits(insn, 9, 5);
  const d = bits(insn, 4, 0);
  const size = [0, 1, 2, 3].find((s) => ((imm5 >>> s) & 1) === 1);
  if (size === undefined) return false;
  const index = imm5 >>> (size + 1);
  const e = 1 << size;
  const c = j.code;
  if (op === 1) {
    if (q === 0) return false;
    vset(j, d, 1, () => {
      vget(j, d);
      vget(j, n);
      lane(c, EXTRACT_U[size], imm4 >>> size);
      lane(c, REPLACE[size], index);
    });
    return true;
  }
  switch (imm4) {
    case 0b0000: {
      if (size === 3 && q === 0) return false;
      const idx: number[] = [];
      for (let k = 0; k < 16 / e; k++) idx.push(...elementBytes(0, index, e));
      vset(j, d, q, () => {
        vget(j, n);
        vget(j, n);
        shuffle(c, idx);
      });
      return true;
    }
    case 0b0001:
      if (size === 3 && q === 0) return false;
      vset(j, d, q, () => {
        general(j, n, size);
        simd(c, SPLAT[size]);
      });
      return true;
    case 0b0011:
      if (q === 0) return false;
      vset(j, d, 1, () => {
        vget(j, d);
        general(j, n, size);
        lane(c, REPLACE[size], index);
      });
      return true;
    case 0b0101:
      if (size === 3 || (size === 2 && q === 0)) return false;
      vget(j, n);
      lane(c, EXTRACT_S[size], index);
      c.op(q === 1 ? Op.I64ExtendI32S : Op.I64ExtendI32U);
      j.setX(d, 1);
      return true;
    case 0b0111:
      if (q === 1 ? size !== 3 : size === 3) return false;
      vget(j, n);
      lane(c, EXTRACT_U[size], index);
      if (size < 3) c.op(Op.I64ExtendI32U);
      j.setX(d, 1);
      return true;
    default:
      return false;
  }
}

/** ZIP1/2, UZP1/2, TRN1/2: 0 Q 001110 size 0 Rm 0 opc 10 Rn Rd. */
export function permute(j: Jit, insn: number): boolean {
  const q = bit(insn, 30);
  const size = bits(insn, 23, 22);
  const opc = bits(insn, 14, 12);
  if ((opc & 3) === 0 || (size === 3 && q === 0)) return false;
  const e = 1 << size;
  const elements = (q ? 16 : 8) / e;
  const half = elements / 2;
  const second = opc >>> 2;
  const out: number[] = [];
  for (let i = 0; i < elements; i++) {
    let src: number;
    let k: number;
    if ((opc & 3) === 1) {
      // UZP: element 2i (+1) of n:m
      const w = 2 * i + second;
      src = w < elements ? 0 : 1;
      k = w % elements;
    } else if ((opc & 3) === 2) {
      // TRN: pairs (n[2p + second], m[2p + second])
      src = i & 1;
      k = (i & ~1) + second;
    } else {
      // ZIP: n[i/2 (+ half)], m[...]
      src = i & 1;
      k = (i >>> 1) + second * half;
    }
    out.push(...elementBytes(src, k, e));
  }
  const c = j.code;
  vset(j, bits(insn, 4, 0), q, () => {
    vget(j, bits(insn, 9, 5));
    vget(j, bits(insn, 20, 16));
    shuffle(c, out);
  });
  return true;
}

/** EXT: 0 Q 101110 000 Rm 0 imm4 0 Rn Rd. */
export function ext(j: Jit, insn: number): boolean {
  const q = bit(insn, 30);
  const imm = bits(insn, 14, 11);
  if (q === 0 && imm >= 8) return false;
  const idx: number[] = [];
  for (let i = 0; i < (q ? 16 : 8); i++) {
    const k = imm + i;
    idx.push(q === 1 || k < 8 ? k : 16 + k - 8);
  }
  const c = j.code;
  vset(j, bits(insn, 4, 0), q, () => {
    vget(j, bits(insn, 9, 5));
    vget(j, bits(insn, 20, 16));
    shuffle(c, idx);
  });
  return true;
}

/** TBL, TBX: 0 Q 001110 000 Rm 0 len op 00 Rn Rd. Out-of-range indices give 0 (TBL) or keep Vd (TBX). */
export function table(j: Jit, insn: number): boolean {
  const q = bit(insn, 30);
  const len = bits(insn, 14, 13) + 1;
  const tbx = bit(insn, 12) === 1;
  const m = bits(insn, 20, 16);
  const n = bits(insn, 9, 5);
  const d = bits(insn, 4, 0);
  const c = j.code;
  vset(j, d, q, () => {
    for (let r = 0; r < len; r++) {
      vget(j, (n + r) % 32);
      vget(j, m);
      if (r > 0) {
        pushConst(c, new Array(16).fill(16 * r));
        simd(c, 0x71); // i8x16.sub
      }
      simd(c, S.Swizzle);
      if (r > 0) simd(c, S.Or);
    }
    if (tbx) {
      vget(j, d);
      vget(j, m);
      pushConst(c, new Array(16).fill(16 * len));
      simd(c, GE_U[0]);
      simd(c, S.And);
      simd(c, S.Or);
    }
  });
  return true;
}

/** Shift by immediate: 0 Q U 011110 immh immb opcode 1 Rn Rd (immh != 0). */
export function shiftImmediate(j: Jit, insn: number): boolean {
  const q = bit(insn, 30);
  const u = bit(insn, 29);
  const immh = bits(insn, 22, 19);
  const immhb = bits(insn, 22, 16);
  const opcode = bits(insn, 15, 11);
  const n = bits(insn, 9, 5);
  const d = bits(insn, 4, 0);
  const size = 31 - Math.clz32(immh);
  const esize = 8 << size;
  const c = j.code;
  switch (opcode) {
    case 0b00000:
    case 0b00010: {
      if (size === 3 && q === 0) return false;
      const shift = 2 * esize - immhb;
      const accumulate = opcode === 0b00010;
      vset(j, d, q, () => {
        if (accumulate) vget(j, d);
        if (u === 1 && shift === esize) pushConst(c, new Array(16).fill(0));
        else {
          vget(j, n);
          c.i32(shift === esize ? esize - 1 : shift);
          simd(c, (u ? SHR_U : SHR_S)[size]);
        }
        if (accumulate) simd(c, ADD[size]);
      });
      return true;
    }
    case 0b01010: {
      if (u === 1 || (size === 3 && q === 0)) return false;
      vset(j, d, q, () => {
        vget(j, n);
        c.i32(immhb - esize);
        simd(c, SHL[size]);
      });
      return true;
    }
    case 0b10100: {
      if (size === 3) return false;
      const shift = immhb - esize;
      vset(j, d, 1, () => {
        vget(j, n);
        simd(c, (q ? (u ? EXTEND_HIGH_U : EXTEND_HIGH_S) : u ? EXTEND_LOW_U : EXTEND_LOW_S)[size]);
        if (shift !== 0) {
          c.i32(shift);
          simd(c, SHL[size + 1]);
        }
      });
      return true;
    }
    case 0b10000: {
      if (u === 1 || size === 3) return false;
      const shift = 2 * esize - immhb;
      narrowInto(j, q, size, d, () => {
        vget(j, n);
        c.i32(shift);
        simd(c, SHR_U[size + 1]);
      });
      return true;
    }
    default:
      return false;
  }
}

/** FMOV between a general register and a SIMD&FP register (W/S, X/D, X/D[1]), and FMOV (register) of S and D. */
export function fmovGeneral(j: Jit, insn: number): boolean {
  const n = bits(insn, 9, 5);
  const d = bits(insn, 4, 0);
  const c = j.code;
  switch ((insn & 0xfffffc00) >>> 0) {
    case 0x9e660000: // FMOV Xd, Dn
      c.i32(0).mem(Op.I64Load, vOff(j, n));
      j.setX(d, 1);
      return true;
    case 0x1e260000: // FMOV Wd, Sn
      c.i32(0).mem(Op.I64Load32U, vOff(j, n));
      j.setX(d, 1);
      return true;
    case 0x9eae0000: // FMOV Xd, Vn.D[1]
      c.i32(0).mem(Op.I64Load, vOff(j, n) + 8);
      j.setX(d, 1);
      return true;
    case 0x9e670000: // FMOV Dd, Xn
    case 0x1e270000: // FMOV Sd, Wn
      vset(j, d, 1, () => {
        j.x(n);
        if (insn >>> 31 === 0) c.op(Op.I32WrapI64, Op.I64ExtendI32U);
        // v128 from two i64 lanes: splat, then lane 1 = 0.
        simd(c, SPLAT[3]);
        c.i64(0);
        lane(c, REPLACE[3], 1);
      });
      return true;
    case 0x9eaf0000: // FMOV Vd.D[1], Xn
      vset(j, d, 1, () => {
        vget(j, d);
        j.x(n);
        lane(c, REPLACE[3], 1);
      });
      return true;
    case 0x1e604000 & 0xfffffc00: // FMOV Dd, Dn
      vset(j, d, 0, () => vget(j, n));
      return true;
    case 0x1e204000 & 0xfffffc00: // FMOV Sd, Sn
      vset(j, d, 1, () => {
        vget(j, n);
        pushConst(c, [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        simd(c, S.And);
      });
      return true;
    default:
      return false;
  }
}
