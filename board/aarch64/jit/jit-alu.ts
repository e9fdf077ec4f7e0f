// Integer data processing compiled to WebAssembly: add/subtract (immediate,
// shifted and extended register), logical (immediate and shifted register),
// move wide, bitfield, EXTR, ADR/ADRP, conditional select and compare,
// two- and three-source operations (division, variable shifts, multiply-add,
// multiply high) and the byte reversals and CLZ. Each returns false, having
// emitted nothing, for an encoding it does not take (the interpreter runs it).

import { bit, bits, sbits } from '../decoder';
import { logicalImmediate } from '../isa/bit-masks';
import { Flags, Jit } from './jit-context';
import { Op, T } from '../../jit/wasm-module';

const TWO32 = 4294967296;

/** Pushes an exact integer (|v| < 2^53) as i64. */
export function i64n(j: Jit, v: number): void {
  const hi = Math.floor(v / TWO32);
  j.code.i64((v - hi * TWO32) | 0, hi | 0);
}

/** Pushes the i64 constant with the low `k` bits set (1..64). */
function mask(j: Jit, k: number): void {
  if (k >= 64) j.code.i64(-1, -1);
  else if (k >= 32) j.code.i64(-1, k === 32 ? 0 : (1 << (k - 32)) - 1);
  else j.code.i64((1 << k) - 1, 0);
}

/** Pushes Rm shifted (LSL, LSR, ASR, ROR) by a constant, as the datasize sees it (32-bit: low word meaningful). */
function shifted(j: Jit, rm: number, sf: number, type: number, amount: number): void {
  const c = j.code;
  if (amount === 0) {
    j.x(rm);
    return;
  }
  if (sf === 1) {
    j.x(rm).code.i64(amount);
    c.op([Op.I64Shl, Op.I64ShrU, Op.I64ShrS, Op.I64Rotr][type]);
    return;
  }
  if (type === 0) j.x(rm).code.i64(amount).op(Op.I64Shl);
  else if (type === 1) j.wz(rm).code.i64(amount).op(Op.I64ShrU);
  else if (type === 2) j.ws(rm).code.i64(amount).op(Op.I64ShrS);
  else j.x(rm).code.op(Op.I32WrapI64).i32(amount).op(Op.I32Rotr, Op.I64ExtendI32U);
}

/** Pops a and b (i64) and writes a +/- b to Rd, recording NZCV when `setFlags`. */
function addSub(j: Jit, sf: number, sub: boolean, setFlags: boolean, rd: number, dstSp: boolean): void {
  const c = j.code;
  if (!setFlags) {
    c.op(sub ? Op.I64Sub : Op.I64Add);
    j.setX(rd, sf, dstSp);
    return;
  }
  if (sf === 0) {
    const t = j.tmp(T.I64);
    c.set(t).op(Op.I64Extend32S).get(t).op(Op.I64Extend32S);
    j.free(T.I64, t);
  }
  j.setFlagsLazy(sub ? Flags.Sub : Flags.Add, sf === 1 ? 64 : 32);
  if (rd !== 31) {
    c.get(j.fa).get(j.fb).op(sub ? Op.I64Sub : Op.I64Add);
    j.setX(rd, sf);
  }
}

function addSubImmediate(j: Jit, insn: number): boolean {
  const sf = bit(insn, 31);
  const imm = bits(insn, 21, 10) * (bit(insn, 22) === 1 ? 4096 : 1);
  const s = bit(insn, 29) === 1;
  j.x(bits(insn, 9, 5), true);
  j.code.i64(imm);
  addSub(j, sf, bit(insn, 30) === 1, s, bits(insn, 4, 0), !s);
  return true;
}

function addSubShifted(j: Jit, insn: number): boolean {
  const sf = bit(insn, 31);
  const type = bits(insn, 23, 22);
  const amount = bits(insn, 15, 10);
  if (type === 3 || (sf === 0 && amount >= 32)) return false;
  j.x(bits(insn, 9, 5));
  shifted(j, bits(insn, 20, 16), sf, type, amount);
  addSub(j, sf, bit(insn, 30) === 1, bit(insn, 29) === 1, bits(insn, 4, 0), false);
  return true;
}

/** Pushes ExtendReg(Rm, option, shift) as i64. */
function extended(j: Jit, rm: number, option: number, shift: number): void {
  const c = j.code;
  j.x(rm);
  switch (option) {
    case 0:
      c.i64(0xff).op(Op.I64And);
      break;
    case 1:
      c.i64(0xffff).op(Op.I64And);
      break;
    case 2:
      c.op(Op.I32WrapI64, Op.I64ExtendI32U);
      break;
    case 4:
      c.op(Op.I64Extend8S);
      break;
    case 5:
      c.op(Op.I64Extend16S);
      break;
    case 6:
      c.op(Op.I64Extend32S);
      break;
    default:
      break;
  }
  if (shift !== 0) c.i64(shift).op(Op.I64Shl);
}

function addSubExtended(j: Jit, insn: number): boolean {
  const shift = bits(insn, 12, 10);
  if (shift > 4) return false;
  const s = bit(insn, 29) === 1;
  j.x(bits(insn, 9, 5), true);
  extended(j, bits(insn, 20, 16), bits(insn, 15, 13), shift);
  addSub(j, bit(insn, 31), bit(insn, 30) === 1, s, bits(insn, 4, 0), !s);
  return true;
}

/** Pops the result of a logical operation into Rd (with NZCV for ANDS/BICS). */
function logicalResult(j: Jit, sf: number, setFlags: boolean, rd: number, dstSp: boolean): void {
  if (!setFlags) {
    j.setX(rd, sf, dstSp);
    return;
  }
  const t = j.tmp(T.I64);
  j.code.tee(t);
  if (sf === 0) j.code.op(Op.I64Extend32S);
  j.setFlagsLogic(sf === 1 ? 64 : 32);
  j.code.get(t);
  j.free(T.I64, t);
  j.setX(rd, sf);
}

const LOGIC = [Op.I64And, Op.I64Or, Op.I64Xor, Op.I64And];

function logicalImm(j: Jit, insn: number): boolean {
  const sf = bit(insn, 31);
  const n = bit(insn, 22);
  if (sf === 0 && n === 1) return false;
  const imm = logicalImmediate(n, bits(insn, 15, 10), bits(insn, 21, 16), sf === 1 ? 64 : 32);
  if (imm === null) return false;
  const opc = bits(insn, 30, 29);
  j.x(bits(insn, 9, 5));
  j.code.i64(imm[0], imm[1]).op(LOGIC[opc]);
  logicalResult(j, sf, opc === 3, bits(insn, 4, 0), opc !== 3);
  return true;
}

function logicalShifted(j: Jit, insn: number): boolean {
  const sf = bit(insn, 31);
  const amount = bits(insn, 15, 10);
  if (sf === 0 && amount >= 32) return false;
  const opc = bits(insn, 30, 29);
  j.x(bits(insn, 9, 5));
  shifted(j, bits(insn, 20, 16), sf, bits(insn, 23, 22), amount);
  if (bit(insn, 21) === 1) j.code.i64(-1).op(Op.I64Xor);
  j.code.op(LOGIC[opc]);
  logicalResult(j, sf, opc === 3, bits(insn, 4, 0), false);
  return true;
}

function moveWide(j: Jit, insn: number): boolean {
  const sf = bit(insn, 31);
  const opc = bits(insn, 30, 29);
  const hw = bits(insn, 22, 21);
  if (opc === 1 || (sf === 0 && hw >= 2)) return false;
  const imm = bits(insn, 20, 5);
  const lo = hw === 0 ? imm : hw === 1 ? imm << 16 : 0;
  const hi = hw === 2 ? imm : hw === 3 ? imm << 16 : 0;
  const rd = bits(insn, 4, 0);
  const c = j.code;
  if (opc === 2) c.i64(lo, hi);
  else if (opc === 0) c.i64(~lo, ~hi);
  else {
    j.x(rd);
    c.i64(~(hw === 0 ? 0xffff : hw === 1 ? 0xffff0000 : 0), ~(hw === 2 ? 0xffff : hw === 3 ? 0xffff0000 : 0)).op(Op.I64And);
    c.i64(lo, hi).op(Op.I64Or);
  }
  j.setX(rd, sf);
  return true;
}

function bitfield(j: Jit, insn: number): boolean {
  const sf = bit(insn, 31);
  const opc = bits(insn, 30, 29);
  const immr = bits(insn, 21, 16);
  const imms = bits(insn, 15, 10);
  if (opc === 3 || bit(insn, 22) !== sf || (sf === 0 && (immr >= 32 || imms >= 32))) return false;
  const w = sf === 1 ? 64 : 32;
  const rn = bits(insn, 9, 5);
  const rd = bits(insn, 4, 0);
  const c = j.code;
  if (opc === 0) {
    // SBFM: sign-extend the field from bit imms, then place it.
    j.x(rn).code.i64(63 - imms).op(Op.I64Shl).i64(63 - imms);
    if (imms >= immr) c.i64(immr).op(Op.I64Add, Op.I64ShrS);
    else c.op(Op.I64ShrS).i64(w - immr).op(Op.I64Shl);
  } else if (opc === 2) {
    if (imms >= immr) {
      (sf === 1 ? j.x(rn) : j.wz(rn)).code.i64(immr).op(Op.I64ShrU);
      mask(j, imms - immr + 1);
      c.op(Op.I64And);
    } else {
      j.x(rn);
      mask(j, imms + 1);
      c.op(Op.I64And).i64(w - immr).op(Op.I64Shl);
    }
  } else {
    // BFM: insert the field into Rd.
    const len = imms >= immr ? imms - immr + 1 : imms + 1;
    const pos = imms >= immr ? 0 : w - immr;
    (sf === 1 ? j.x(rn) : j.wz(rn)).code.i64(imms >= immr ? immr : 0).op(Op.I64ShrU);
    mask(j, len);
    c.op(Op.I64And).i64(pos).op(Op.I64Shl);
    j.x(rd);
    mask(j, len);
    c.i64(pos).op(Op.I64Shl).i64(-1).op(Op.I64Xor, Op.I64And, Op.I64Or);
  }
  j.setX(rd, sf);
  return true;
}

function extract(j: Jit, insn: number): boolean {
  const sf = bit(insn, 31);
  const lsb = bits(insn, 15, 10);
  if (bit(insn, 22) !== sf || (sf === 0 && lsb >= 32)) return false;
  const rm = bits(insn, 20, 16);
  const rn = bits(insn, 9, 5);
  const c = j.code;
  if (lsb === 0) j.x(rm);
  else if (sf === 1) {
    j.x(rm).code.i64(lsb).op(Op.I64ShrU);
    j.x(rn).code.i64(64 - lsb).op(Op.I64Shl, Op.I64Or);
  } else {
    j.wz(rm).code.i64(lsb).op(Op.I64ShrU);
    j.x(rn).code.i64(32 - lsb).op(Op.I64Shl, Op.I64Or);
  }
  void c;
  j.setX(bits(insn, 4, 0), sf);
  return true;
}

function pcRelative(j: Jit, insn: number, pageOff: number): boolean {
  const imm = (sbits(insn, 23, 5) << 2) | bits(insn, 30, 29);
  j.code.get(j.pageVa64);
  // (A region's block in another page than its head has pageOff outside 0..4095.)
  if (bit(insn, 31) === 1) i64n(j, imm * 4096 + (pageOff - (pageOff & 4095)));
  else i64n(j, pageOff + imm);
  j.code.op(Op.I64Add);
  j.setX(bits(insn, 4, 0), 1);
  return true;
}

function conditionalSelect(j: Jit, insn: number): boolean {
  if (bit(insn, 29) === 1 || bit(insn, 11) === 1) return false;
  const sf = bit(insn, 31);
  const inv = bit(insn, 30);
  const inc = bit(insn, 10);
  const c = j.code;
  j.x(bits(insn, 9, 5));
  j.x(bits(insn, 20, 16));
  if (inv === 1 && inc === 0) c.i64(-1).op(Op.I64Xor);
  else if (inv === 1) {
    const t = j.tmp(T.I64);
    c.set(t).i64(0).get(t).op(Op.I64Sub);
    j.free(T.I64, t);
  } else if (inc === 1) c.i64(1).op(Op.I64Add);
  j.condition(bits(insn, 15, 12));
  c.op(Op.Select);
  j.setX(bits(insn, 4, 0), sf);
  return true;
}

function conditionalCompare(j: Jit, insn: number): boolean {
  const sf = bit(insn, 31);
  const c = j.code;
  const holds = j.tmp(T.I32);
  j.condition(bits(insn, 15, 12));
  c.set(holds);
  (sf === 1 ? j.x(bits(insn, 9, 5)) : j.ws(bits(insn, 9, 5))).code.op();
  const rm = bits(insn, 20, 16);
  if (bit(insn, 11) === 1) c.i64(rm);
  else if (sf === 1) j.x(rm);
  else j.ws(rm);
  j.setFlagsLazy(bit(insn, 30) === 1 ? Flags.Sub : Flags.Add, sf === 1 ? 64 : 32);
  const nzcv = bits(insn, 3, 0);
  const fresh = [0, 1, 2, 3].map(() => j.tmp(T.I32));
  for (let k = 0; k < 4; k++) {
    j.flag(k);
    c.set(fresh[k]);
  }
  [j.fN, j.fZ, j.fC, j.fV].forEach((l, k) => c.get(fresh[k]).i32((nzcv >>> (3 - k)) & 1).get(holds).op(Op.Select).set(l));
  fresh.forEach((t) => j.free(T.I32, t));
  j.free(T.I32, holds);
  j.flags = Flags.Locals;
  return true;
}

function twoSource(j: Jit, insn: number): boolean {
  const sf = bit(insn, 31);
  const opcode = bits(insn, 15, 10);
  const rn = bits(insn, 9, 5);
  const rm = bits(insn, 20, 16);
  const c = j.code;
  if (opcode === 2 || opcode === 3) {
    const signed = opcode === 3;
    const a = j.tmp(T.I64);
    const b = j.tmp(T.I64);
    (sf === 1 ? j.x(rn) : signed ? j.ws(rn) : j.wz(rn)).code.set(a);
    (sf === 1 ? j.x(rm) : signed ? j.ws(rm) : j.wz(rm)).code.set(b);
    c.get(b).op(Op.I64Eqz, Op.If, T.I64).i64(0).op(Op.Else);
    if (signed && sf === 1) c.get(b).i64(-1).op(Op.I64Eq, Op.If, T.I64).i64(0).get(a).op(Op.I64Sub, Op.Else);
    c.get(a).get(b).op(signed ? Op.I64DivS : Op.I64DivU);
    if (signed && sf === 1) c.op(Op.End);
    c.op(Op.End);
    j.free(T.I64, a);
    j.free(T.I64, b);
  } else if (opcode >= 8 && opcode <= 11) {
    const type = opcode - 8;
    if (sf === 1) {
      j.x(rn);
      j.x(rm);
      c.op([Op.I64Shl, Op.I64ShrU, Op.I64ShrS, Op.I64Rotr][type]);
    } else if (type === 3) {
      j.x(rn).code.op(Op.I32WrapI64);
      j.x(rm).code.op(Op.I32WrapI64, Op.I32Rotr, Op.I64ExtendI32U);
    } else {
      (type === 2 ? j.ws(rn) : j.wz(rn)).x(rm).code.i64(31).op(Op.I64And, [Op.I64Shl, Op.I64ShrU, Op.I64ShrS][type]);
    }
  } else return false;
  j.setX(bits(insn, 4, 0), sf);
  return true;
}

/** Pushes the high 64 bits of the unsigned 128-bit product of locals a and b (four 32x32 partial products). */
function mulHighUnsigned(j: Jit, a: number, b: number): void {
  const c = j.code;
  const lo = (l: number) => c.get(l).op(Op.I32WrapI64, Op.I64ExtendI32U);
  const hi = (l: number) => c.get(l).i64(32).op(Op.I64ShrU);
  const p1 = j.tmp(T.I64);
  const p2 = j.tmp(T.I64);
  lo(a);
  hi(b);
  c.op(Op.I64Mul).set(p1);
  hi(a);
  lo(b);
  c.op(Op.I64Mul).set(p2);
  // mid = (alo*blo >> 32) + lo32(p1) + lo32(p2)
  lo(a);
  lo(b);
  c.op(Op.I64Mul).i64(32).op(Op.I64ShrU).get(p1).op(Op.I32WrapI64, Op.I64ExtendI32U, Op.I64Add).get(p2).op(Op.I32WrapI64, Op.I64ExtendI32U, Op.I64Add);
  c.i64(32).op(Op.I64ShrU);
  hi(a);
  hi(b);
  c.op(Op.I64Mul, Op.I64Add).get(p1).i64(32).op(Op.I64ShrU, Op.I64Add).get(p2).i64(32).op(Op.I64ShrU, Op.I64Add);
  j.free(T.I64, p1);
  j.free(T.I64, p2);
}

function threeSource(j: Jit, insn: number): boolean {
  const sf = bit(insn, 31);
  const op31 = bits(insn, 23, 21);
  const o0 = bit(insn, 15);
  const rm = bits(insn, 20, 16);
  const ra = bits(insn, 14, 10);
  const rn = bits(insn, 9, 5);
  const c = j.code;
  if (bits(insn, 30, 29) !== 0) return false;
  if (op31 === 0) {
    j.x(ra);
    j.x(rn);
    j.x(rm);
    c.op(Op.I64Mul, o0 === 1 ? Op.I64Sub : Op.I64Add);
  } else if (sf === 1 && (op31 === 1 || op31 === 5)) {
    j.x(ra);
    (op31 === 1 ? j.ws(rn) : j.wz(rn)).code.op();
    (op31 === 1 ? j.ws(rm) : j.wz(rm)).code.op(Op.I64Mul, o0 === 1 ? Op.I64Sub : Op.I64Add);
  } else if (sf === 1 && o0 === 0 && (op31 === 2 || op31 === 6)) {
    const a = j.tmp(T.I64);
    const b = j.tmp(T.I64);
    j.x(rn).code.set(a);
    j.x(rm).code.set(b);
    mulHighUnsigned(j, a, b);
    if (op31 === 2) {
      // Signed: subtract b when a < 0 and a when b < 0.
      c.get(b).i64(0).get(a).i64(0).op(Op.I64LtS, Op.Select, Op.I64Sub);
      c.get(a).i64(0).get(b).i64(0).op(Op.I64LtS, Op.Select, Op.I64Sub);
    }
    j.free(T.I64, a);
    j.free(T.I64, b);
  } else return false;
  j.setX(bits(insn, 4, 0), sf);
  return true;
}

/** Swaps adjacent groups of `bits` bits (8: bytes in halfwords, 16: halfwords in words) in the i64 on the stack. */
function swapGroups(j: Jit, width: number): void {
  const m = width === 8 ? 0x00ff00ff : 0x0000ffff;
  const t = j.tmp(T.I64);
  j.code.tee(t).i64(width).op(Op.I64ShrU).i64(m, m).op(Op.I64And).get(t).i64(m, m).op(Op.I64And).i64(width).op(Op.I64Shl, Op.I64Or);
  j.free(T.I64, t);
}

function oneSource(j: Jit, insn: number): boolean {
  const sf = bit(insn, 31);
  const opcode = bits(insn, 15, 10);
  const rn = bits(insn, 9, 5);
  const c = j.code;
  if (opcode === 4) {
    if (sf === 1) j.x(rn).code.op(Op.I64Clz);
    else j.wz(rn).code.op(Op.I64Clz).i64(32).op(Op.I64Sub);
  } else if (opcode >= 1 && opcode <= 3) {
    if (opcode === 3 && sf === 0) return false;
    j.x(rn);
    swapGroups(j, 8);
    if (opcode >= 2) swapGroups(j, 16);
    if (opcode === 3) c.i64(32).op(Op.I64Rotr);
  } else return false;
  j.setX(bits(insn, 4, 0), sf);
  return true;
}

/** Translates one data-processing instruction at page offset `pageOff`; false when it is not in the compiled subset. */
export function translateAlu(j: Jit, insn: number, pageOff: number): boolean {
  if ((insn & 0x1f800000) === 0x11000000) return addSubImmediate(j, insn);
  if ((insn & 0x1f800000) === 0x12000000) return logicalImm(j, insn);
  if ((insn & 0x1f800000) === 0x12800000) return moveWide(j, insn);
  if ((insn & 0x1f800000) === 0x13000000) return bitfield(j, insn);
  if ((insn & 0x7fa00000) === 0x13800000) return extract(j, insn);
  if ((insn & 0x1f000000) === 0x10000000) return pcRelative(j, insn, pageOff);
  if ((insn & 0x1f200000) === 0x0b000000) return addSubShifted(j, insn);
  if ((insn & 0x1fe00000) === 0x0b200000) return addSubExtended(j, insn);
  if ((insn & 0x1f000000) === 0x0a000000) return logicalShifted(j, insn);
  if ((insn & 0x1fe00000) === 0x1a800000) return conditionalSelect(j, insn);
  if ((insn & 0x1fe00410) === 0x1a400000 && bit(insn, 29) === 1) return conditionalCompare(j, insn);
  if ((insn & 0x5fe00000) === 0x1ac00000 && bit(insn, 29) === 0) return twoSource(j, insn);
  if ((insn & 0x1f000000) === 0x1b000000) return threeSource(j, insn);
  if ((insn & 0x5fff0000) === 0x5ac00000 && bit(insn, 29) === 0) return oneSource(j, insn);
  return false;
}
