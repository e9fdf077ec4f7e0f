// AdvSIMD integer arithmetic compiled to WebAssembly SIMD: three same
// (ADD/SUB, the logical group, compares, MIN/MAX, pairwise ADDP/MAXP/MINP,
// MUL/MLA/MLS), two-register miscellaneous (compares with zero, ABS/NEG,
// NOT, CNT, XTN, REV16/32/64), across lanes (ADDV, S/UMAXV, S/UMINV) and
// MUL/MLA/MLS by element. Only encodings whose v128 form is exact are
// taken; each returns false, having emitted nothing, for the others
// (saturating forms, which set FPSR.QC, stay with the interpreter).

import { bit, bits } from '../decoder';
import type { Jit } from './jit-context';
import { ABS, ADD, elementBytes, EQ, GE_S, GE_U, GT_S, GT_U, LE_S, LT_S, lowHalf, MAX_S, MAX_U, MIN_S, MIN_U, MUL, NEG, pushConst, pushRepeated, S, shuffle, simd, SUB, vget, vset } from './jit-simd-emit';
import { T } from '../../jit/wasm-module';
import { shiftByRegister, threeSameFields } from './jit-simd-shift';

const SIGN64 = 0x80000000;

/** Unsigned 64-bit compare (no i64x2.gt_u): flip the sign bits of both operands, then compare signed. */
function unsigned64(j: Jit, n: number, m: number, sub: number): void {
  const c = j.code;
  vget(j, n);
  pushRepeated(c, 0, SIGN64);
  simd(c, S.Xor);
  vget(j, m);
  pushRepeated(c, 0, SIGN64);
  simd(c, S.Xor);
  simd(c, sub);
}

/** Byte indices picking even (odd = 0) or odd (odd = 1) elements of the pairwise concatenation m:n. */
function pairIndices(q: number, size: number, odd: number): number[] {
  const e = 1 << size;
  const lanes = 16 / e;
  const out: number[] = [];
  for (let i = 0; i < lanes; i++) {
    const k = 2 * i + odd;
    if (q === 1) out.push(...elementBytes(0, k, e));
    else if (k < lanes / 2) out.push(...elementBytes(0, k, e));
    else if (k < lanes) out.push(...elementBytes(1, k - lanes / 2, e));
    else out.push(...new Array(e).fill(0));
  }
  return out;
}

function pairwise(j: Jit, q: number, size: number, n: number, m: number, sub: number, d: number): void {
  const c = j.code;
  vset(j, d, q, () => {
    vget(j, n);
    vget(j, m);
    shuffle(c, pairIndices(q, size, 0));
    vget(j, n);
    vget(j, m);
    shuffle(c, pairIndices(q, size, 1));
    simd(c, sub);
  });
}

function logical(j: Jit, insn: number, q: number, n: number, m: number, d: number): boolean {
  const c = j.code;
  const op = (bit(insn, 29) << 2) | bits(insn, 23, 22);
  vset(j, d, q, () => {
    switch (op) {
      case 0: // AND
      case 1: // BIC
      case 2: // ORR
      case 4: // EOR
        vget(j, n);
        vget(j, m);
        simd(c, [S.And, S.AndNot, S.Or, 0, S.Xor][op]);
        return;
      case 3: // ORN
        vget(j, n);
        vget(j, m);
        simd(c, S.Not);
        simd(c, S.Or);
        return;
      case 5: // BSL: d ? n : m
        vget(j, n);
        vget(j, m);
        vget(j, d);
        simd(c, S.Bitselect);
        return;
      case 6: // BIT: m ? n : d
        vget(j, n);
        vget(j, d);
        vget(j, m);
        simd(c, S.Bitselect);
        return;
      default: // BIF: m ? d : n
        vget(j, d);
        vget(j, n);
        vget(j, m);
        simd(c, S.Bitselect);
    }
  });
  return true;
}

/** AdvSIMD three same, integer (0 Q U 01110 size 1 Rm opcode 1 Rn Rd). */
export function threeSame(j: Jit, insn: number): boolean {
  const f = threeSameFields(insn);
  const { q, u, size, opcode, m, n, d } = f;
  const c = j.code;
  if (opcode === 0b00011) return logical(j, insn, q, n, m, d);
  if (size === 3 && q === 0) return false;
  const simple = (sub: number): boolean => {
    if (sub < 0) return false;
    vset(j, d, q, () => {
      vget(j, n);
      vget(j, m);
      simd(c, sub);
    });
    return true;
  };
  switch (opcode) {
    case 0b10000:
      return simple((u ? SUB : ADD)[size]);
    case 0b10001:
      if (u === 1) return simple(EQ[size]);
      // CMTST: (n & m) != 0
      vset(j, d, q, () => {
        vget(j, n);
        vget(j, m);
        simd(c, S.And);
        pushConst(c, new Array(16).fill(0));
        simd(c, EQ[size]);
        simd(c, S.Not);
      });
      return true;
    case 0b00110:
    case 0b00111: {
      const ge = opcode === 0b00111;
      if (u === 0) return simple((ge ? GE_S : GT_S)[size]);
      if (size < 3) return simple((ge ? GE_U : GT_U)[size]);
      vset(j, d, q, () => unsigned64(j, n, m, ge ? GE_S[3] : GT_S[3]));
      return true;
    }
    case 0b01100:
      return simple((u ? MAX_U : MAX_S)[size]);
    case 0b01101:
      return simple((u ? MIN_U : MIN_S)[size]);
    case 0b10111:
      if (u === 1) return false;
      pairwise(j, q, size, n, m, ADD[size], d);
      return true;
    case 0b10100:
    case 0b10101: {
      const sub = (opcode === 0b10100 ? (u ? MAX_U : MAX_S) : u ? MIN_U : MIN_S)[size];
      if (sub < 0) return false;
      pairwise(j, q, size, n, m, sub, d);
      return true;
    }
    case 0b10011:
      return u === 0 ? simple(MUL[size]) : false;
    case 0b10010: {
      if (MUL[size] < 0) return false;
      vset(j, d, q, () => {
        vget(j, d);
        vget(j, n);
        vget(j, m);
        simd(c, MUL[size]);
        simd(c, (u ? SUB : ADD)[size]);
      });
      return true;
    }
    case 0b01000:
      return shiftByRegister(j, f);
    default:
      return false;
  }
}

/** Reverses the order of elements of `e` bytes inside each container of `container` bytes. */
function reverseIndices(container: number, e: number): number[] {
  const out: number[] = [];
  for (let base = 0; base < 16; base += container) {
    for (let k = container / e - 1; k >= 0; k--) for (let b = 0; b < e; b++) out.push(base + k * e + b);
  }
  return out;
}

/** Narrows each element of 2^(size+1) bytes to its low half and writes them to the low (q = 0) or high (q = 1) half of Vd. */
export function narrowInto(j: Jit, q: number, size: number, d: number, wide: () => void): void {
  const c = j.code;
  const e = 1 << size;
  const picks: number[] = [];
  for (let k = 0; k < 8 / e; k++) picks.push(...elementBytes(q, 2 * k, e));
  vset(j, d, q, () => {
    if (q === 0) {
      wide();
      pushConst(c, new Array(16).fill(0));
      shuffle(c, picks);
      return;
    }
    vget(j, d);
    wide();
    shuffle(c, [0, 1, 2, 3, 4, 5, 6, 7, ...picks]);
  });
}

/** AdvSIMD two-register miscellaneous, integer (0 Q U 01110 size 10000 opcode 10 Rn Rd). */
export function twoRegMisc(j: Jit, insn: number): boolean {
  const q = bit(insn, 30);
  const u = bit(insn, 29);
  const size = bits(insn, 23, 22);
  const opcode = bits(insn, 16, 12);
  const n = bits(insn, 9, 5);
  const d = bits(insn, 4, 0);
  const c = j.code;
  const zeroCompare = (sub: number, swap: boolean): boolean => {
    if (size === 3 && q === 0) return false;
    vset(j, d, q, () => {
      if (swap) pushConst(c, new Array(16).fill(0));
      vget(j, n);
      if (!swap) pushConst(c, new Array(16).fill(0));
      simd(c, sub);
    });
    return true;
  };
  switch (opcode) {
    case 0b01000: // CMGT/CMGE #0
      return zeroCompare((u ? GE_S : GT_S)[size], false);
    case 0b01001: // CMEQ/CMLE #0
      return zeroCompare((u ? LE_S : EQ)[size], false);
    case 0b01010: // CMLT #0
      return u === 0 && zeroCompare(LT_S[size], false);
    case 0b01011:
      if (size === 3 && q === 0) return false;
      vset(j, d, q, () => {
        vget(j, n);
        simd(c, (u ? NEG : ABS)[size]);
      });
      return true;
    case 0b00101:
      if (size !== 0) return false; // RBIT (vector) stays interpreted
      vset(j, d, q, () => {
        vget(j, n);
        simd(c, u ? S.Not : S.I8Popcnt);
      });
      return true;
    case 0b10010:
      if (u === 1 || size === 3) return false;
      narrowInto(j, q, size, d, () => vget(j, n));
      return true;
    case 0b00000:
    case 0b00001: {
      const container = opcode === 1 ? 2 : u ? 4 : 8;
      if (u === 1 && opcode === 1) return false;
      if (1 << size >= container) return false;
      vset(j, d, q, () => {
        vget(j, n);
        vget(j, n);
        shuffle(c, reverseIndices(container, 1 << size));
      });
      return true;
    }
    default:
      return false;
  }
}

/** AdvSIMD across lanes: ADDV, SMAXV/UMAXV, SMINV/UMINV (0 Q U 01110 size 11000 opcode 10 Rn Rd). */
export function acrossLanes(j: Jit, insn: number): boolean {
  const q = bit(insn, 30);
  const u = bit(insn, 29);
  const size = bits(insn, 23, 22);
  const opcode = bits(insn, 16, 12);
  const n = bits(insn, 9, 5);
  const d = bits(insn, 4, 0);
  if (size === 3 || (size === 2 && q === 0)) return false;
  let sub: number;
  if (opcode === 0b11011 && u === 0) sub = ADD[size];
  else if (opcode === 0b01010) sub = (u ? MAX_U : MAX_S)[size];
  else if (opcode === 0b11010) sub = (u ? MIN_U : MIN_S)[size];
  else return false;
  const c = j.code;
  const e = 1 << size;
  const v = j.tmp(T.V128);
  vget(j, n);
  if (q === 0) {
    // Neutral upper half: zeros for a sum, the lower half again for max and min.
    if (sub === ADD[size]) lowHalf(c);
    else {
      c.tee(v).get(v);
      shuffle(c, [0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7]);
    }
  }
  c.set(v);
  for (let step = 8; step >= e; step >>= 1) {
    const t: number[] = [];
    for (let i = 0; i < 16; i++) t.push((i + step) & 15);
    c.get(v).get(v).get(v);
    shuffle(c, t);
    simd(c, sub);
    c.set(v);
  }
  vset(j, d, 1, () => {
    c.get(v);
    lowHalf(c, e);
  });
  j.free(T.V128, v);
  return true;
}

/** MUL, MLA, MLS (by element): 0 Q U 01111 size L M Rm opcode H 0 Rn Rd. */
export function byElement(j: Jit, insn: number): boolean {
  const q = bit(insn, 30);
  const u = bit(insn, 29);
  const size = bits(insn, 23, 22);
  const opcode = bits(insn, 15, 12);
  if (size !== 1 && size !== 2) return false;
  const mla = u === 1 && opcode === 0b0000;
  const mls = u === 1 && opcode === 0b0100;
  const mul = u === 0 && opcode === 0b1000;
  if (!mla && !mls && !mul) return false;
  const h = bit(insn, 11);
  const l = bit(insn, 21);
  const mBit = bit(insn, 20);
  const index = size === 1 ? (h << 2) | (l << 1) | mBit : (h << 1) | l;
  const m = size === 1 ? bits(insn, 19, 16) : bits(insn, 20, 16);
  const n = bits(insn, 9, 5);
  const d = bits(insn, 4, 0);
  const c = j.code;
  const e = 1 << size;
  const splat: number[] = [];
  for (let k = 0; k < 16 / e; k++) splat.push(...elementBytes(0, index, e));
  vset(j, d, q, () => {
    if (!mul) vget(j, d);
    vget(j, n);
    vget(j, m);
    vget(j, m);
    shuffle(c, splat);
    simd(c, MUL[size]);
    if (!mul) simd(c, (mls ? SUB : ADD)[size]);
  });
  return true;
}

/** ADDP (scalar): Dd = Vn.D[0] + Vn.D[1]. */
export function addpScalar(j: Jit, insn: number): boolean {
  const n = bits(insn, 9, 5);
  const d = bits(insn, 4, 0);
  const c = j.code;
  vset(j, d, 0, () => {
    vget(j, n);
    vget(j, n);
    vget(j, n);
    shuffle(c, [8, 9, 10, 11, 12, 13, 14, 15]);
    simd(c, ADD[3]);
  });
  return true;
}

