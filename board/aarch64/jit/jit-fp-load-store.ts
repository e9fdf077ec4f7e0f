// Loads and stores of SIMD&FP registers (S, D and Q) compiled to
// WebAssembly: LDR/STR (unsigned offset, unscaled, pre/post-index, register
// offset, literal) and LDP/STP, the copies memcpy and memset are made of.
// The vector registers stay in the CPU slot (no locals); a scalar load zeroes
// the rest of the register, as the interpreter does. A block holding one of
// these never runs compiled while CPACR traps FP (the run loop checks the
// block it enters; the jump cache dies with the epoch that CPACR writes bump).

import { bit, bits, sbits } from '../decoder';
import { i64n } from './jit-alu';
import { Jit } from './jit-context';
import { load, store, load128, store128 } from './jit-memory';
import { Op, T } from './wasm-module';

const V_OFFSET = 512;

/** log2 of the access size for V=1 single-register encodings, or -1 for B/H and unallocated ones. */
function scaleOf(insn: number): number {
  const size = bits(insn, 31, 30);
  const opc = bits(insn, 23, 22);
  const scale = (opc & 2) !== 0 ? (size === 0 ? 4 : -1) : size;
  return scale >= 2 ? scale : -1;
}

function vOffset(j: Jit, rt: number): number {
  return j.slot + V_OFFSET + 16 * rt;
}

/** Loads V[rt] (scale 2, 3 or 4) from the address in local `a`. */
function loadV(j: Jit, rt: number, scale: number, a: number, host: () => void): void {
  const c = j.code;
  const v = vOffset(j, rt);
  if (scale === 4) {
    const lo = j.tmp(T.I64);
    const hi = j.tmp(T.I64);
    load128(j, a, lo, hi, host);
    c.i32(0).get(lo).mem(Op.I64Store, v).i32(0).get(hi).mem(Op.I64Store, v + 8);
    j.free(T.I64, lo);
    j.free(T.I64, hi);
    return;
  }
  const t = j.tmp(T.I64);
  load(j, a, scale === 2 ? 4 : 8, false, host);
  c.set(t).i32(0).get(t).mem(Op.I64Store, v).i32(0).i64(0).mem(Op.I64Store, v + 8);
  j.free(T.I64, t);
}

function storeV(j: Jit, rt: number, scale: number, a: number, host: () => void): void {
  const c = j.code;
  const v = vOffset(j, rt);
  if (scale === 4) {
    store128(j, a, v, host);
    return;
  }
  const t = j.tmp(T.I64);
  c.i32(0).mem(scale === 2 ? Op.I64Load32U : Op.I64Load, v).set(t);
  store(j, a, t, scale === 2 ? 4 : 8, host);
  j.free(T.I64, t);
}

/** Local `a` = base + off; returns the host address (the JS number base + off) and the base local. */
function address(j: Jit, rn: number, off: number, a: number): { host: () => void; base: number } {
  const base = j.tmp(T.I64);
  j.x(rn, true).code.tee(base);
  if (off !== 0) {
    i64n(j, off);
    j.code.op(Op.I64Add);
  }
  j.code.set(a);
  return {
    base,
    host: () => {
      j.code.get(base).op(Op.F64ConvertI64S);
      if (off !== 0) j.code.f64(off).op(Op.F64Add);
    },
  };
}

function writeBack(j: Jit, rn: number, base: number, off: number): void {
  j.code.get(base);
  i64n(j, off);
  j.code.op(Op.I64Add);
  j.setX(rn, 1, true);
}

function single(j: Jit, insn: number, form: 'unsigned' | 'unscaled' | 'post' | 'pre'): boolean {
  const scale = scaleOf(insn);
  if (scale < 0) return false;
  const isLoad = bit(insn, 22) === 1;
  const rn = bits(insn, 9, 5);
  const rt = bits(insn, 4, 0);
  const off = form === 'unsigned' ? bits(insn, 21, 10) * 2 ** scale : sbits(insn, 20, 12);
  const a = j.tmp(T.I64);
  const { host, base } = address(j, rn, form === 'post' ? 0 : off, a);
  if (isLoad) loadV(j, rt, scale, a, host);
  else storeV(j, rt, scale, a, host);
  if (form === 'post' || form === 'pre') writeBack(j, rn, base, off);
  j.free(T.I64, a);
  j.free(T.I64, base);
  return true;
}

function registerOffset(j: Jit, insn: number): boolean {
  const scale = scaleOf(insn);
  const option = bits(insn, 15, 13);
  if (scale < 0 || (option & 2) === 0) return false;
  const shift = bit(insn, 12) === 1 ? scale : 0;
  const rm = bits(insn, 20, 16);
  const c = j.code;
  const a = j.tmp(T.I64);
  const base = j.tmp(T.I64);
  const index = j.tmp(T.I64);
  j.x(bits(insn, 9, 5), true).code.set(base);
  if (option === 2) j.wz(rm);
  else if (option === 6) j.ws(rm);
  else j.x(rm);
  c.set(index).get(base).get(index);
  if (shift !== 0) c.i64(shift).op(Op.I64Shl);
  c.op(Op.I64Add).set(a);
  const wide = option === 3 || option === 7;
  const host = () => {
    if (wide) c.get(a).op(Op.F64ConvertI64S);
    else c.get(base).op(Op.F64ConvertI64S).get(index).op(Op.F64ConvertI64S).f64(2 ** shift).op(Op.F64Mul, Op.F64Add);
  };
  if (bit(insn, 22) === 1) loadV(j, bits(insn, 4, 0), scale, a, host);
  else storeV(j, bits(insn, 4, 0), scale, a, host);
  j.free(T.I64, a);
  j.free(T.I64, base);
  j.free(T.I64, index);
  return true;
}

function literal(j: Jit, insn: number, pageOff: number): boolean {
  const opc = bits(insn, 31, 30);
  if (opc === 3) return false;
  const off = pageOff + sbits(insn, 23, 5) * 4;
  const a = j.tmp(T.I64);
  j.code.get(j.pageVa64);
  i64n(j, off);
  j.code.op(Op.I64Add).set(a);
  loadV(j, bits(insn, 4, 0), opc + 2, a, () => j.pcF64(off));
  j.free(T.I64, a);
  return true;
}

function pair(j: Jit, insn: number): boolean {
  const opc = bits(insn, 31, 30);
  if (opc === 3) return false;
  const scale = opc + 2;
  const size = 1 << scale;
  const index = bits(insn, 24, 23);
  const isLoad = bit(insn, 22) === 1;
  const off = sbits(insn, 21, 15) * size;
  const rn = bits(insn, 9, 5);
  const rt = bits(insn, 4, 0);
  const rt2 = bits(insn, 14, 10);
  const c = j.code;
  const a = j.tmp(T.I64);
  const a2 = j.tmp(T.I64);
  const { host, base } = address(j, rn, index === 1 ? 0 : off, a);
  c.get(a).i64(size).op(Op.I64Add).set(a2);
  const host2 = () => {
    host();
    c.f64(size).op(Op.F64Add);
  };
  if (!isLoad) {
    storeV(j, rt, scale, a, host);
    storeV(j, rt2, scale, a2, host2);
  } else {
    // Both elements are read before either register is written; Rt2 first, so Rt wins when they are the same.
    const v = [j.tmp(T.I64), j.tmp(T.I64), j.tmp(T.I64), j.tmp(T.I64)];
    if (scale === 4) {
      load128(j, a, v[0], v[1], host);
      load128(j, a2, v[2], v[3], host2);
    } else {
      load(j, a, size === 4 ? 4 : 8, false, host);
      c.set(v[0]);
      load(j, a2, size === 4 ? 4 : 8, false, host2);
      c.set(v[2]);
      c.i64(0).tee(v[1]).set(v[3]);
    }
    for (const [r, k] of [[rt2, 2], [rt, 0]]) {
      const at = vOffset(j, r);
      c.i32(0).get(v[k]).mem(Op.I64Store, at).i32(0).get(v[k + 1]).mem(Op.I64Store, at + 8);
    }
    v.forEach((t) => j.free(T.I64, t));
  }
  if (index === 1 || index === 3) writeBack(j, rn, base, off);
  j.free(T.I64, a);
  j.free(T.I64, a2);
  j.free(T.I64, base);
  return true;
}

/** Translates one SIMD&FP register load or store; false when it is not in the compiled subset. */
export function translateFpLoadStore(j: Jit, insn: number, pageOff: number): boolean {
  if (bit(insn, 26) !== 1) return false;
  // The class masks leave out bit 26 (V), so they are the general-register ones.
  const v = insn;
  if ((v & 0x3b000000) === 0x39000000) return single(j, insn, 'unsigned');
  if ((v & 0x3b200000) === 0x38000000) {
    const form = bits(insn, 11, 10);
    if (form === 2) return false;
    return single(j, insn, form === 0 ? 'unscaled' : form === 1 ? 'post' : 'pre');
  }
  if ((v & 0x3b200c00) === 0x38200800) return registerOffset(j, insn);
  if ((v & 0x3b000000) === 0x18000000) return literal(j, insn, pageOff);
  if ((v & 0x3a000000) === 0x28000000) return pair(j, insn);
  return false;
}
