// Loads and stores of SIMD&FP registers (S, D and Q) compiled to
// WebAssembly: LDR/STR (unsigned offset, unscaled, pre/post-index, register
// offset, literal) and LDP/STP, the copies memcpy and memset are made of.
// The vector registers stay in the CPU slot (no locals); a scalar load zeroes
// the rest of the register, as the interpreter does. A block holding one of
// these never runs compiled while CPACR traps FP (the run loop checks the
// block it enters; the jump cache dies with the epoch that CPACR writes bump).

import { bit, bits, sbits } from '../decoder';
import { baseOffset, literalAddress, registerAddress, writeBack } from './jit-address';
import { Jit } from './jit-context';
import { HostAddress, hostPlus, load, load128, loadRun, store, store128, storeRun } from './jit-memory';
import { Op, T } from '../../jit/wasm-module';

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
function loadV(j: Jit, rt: number, scale: number, a: number, host: HostAddress, rn: number): void {
  const c = j.code;
  const v = vOffset(j, rt);
  const lo = j.tmp(T.I64);
  const hi = j.tmp(T.I64);
  if (scale === 4) load128(j, a, [host], [[lo, hi]], rn);
  else {
    load(j, a, scale === 2 ? 4 : 8, false, host, rn);
    c.set(lo).i64(0).set(hi);
  }
  c.i32(0).get(lo).mem(Op.I64Store, v).i32(0).get(hi).mem(Op.I64Store, v + 8);
  j.free(T.I64, lo);
  j.free(T.I64, hi);
}

function storeV(j: Jit, rt: number, scale: number, a: number, host: HostAddress, rn: number): void {
  const c = j.code;
  const v = vOffset(j, rt);
  if (scale === 4) {
    store128(j, a, [host], [v], rn);
    return;
  }
  const t = j.tmp(T.I64);
  c.i32(0).mem(scale === 2 ? Op.I64Load32U : Op.I64Load, v).set(t);
  store(j, a, t, scale === 2 ? 4 : 8, host, rn);
  j.free(T.I64, t);
}

function single(j: Jit, insn: number, form: 'unsigned' | 'unscaled' | 'post' | 'pre'): boolean {
  const scale = scaleOf(insn);
  if (scale < 0) return false;
  const isLoad = bit(insn, 22) === 1;
  const rn = bits(insn, 9, 5);
  const rt = bits(insn, 4, 0);
  const off = form === 'unsigned' ? bits(insn, 21, 10) * 2 ** scale : sbits(insn, 20, 12);
  const a = j.tmp(T.I64);
  const { host, base } = baseOffset(j, rn, form === 'post' ? 0 : off, a);
  if (isLoad) loadV(j, rt, scale, a, host, rn);
  else storeV(j, rt, scale, a, host, rn);
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
  const a = j.tmp(T.I64);
  const { host, temps } = registerAddress(j, bits(insn, 9, 5), bits(insn, 20, 16), option, shift, a);
  if (bit(insn, 22) === 1) loadV(j, bits(insn, 4, 0), scale, a, host, bits(insn, 9, 5));
  else storeV(j, bits(insn, 4, 0), scale, a, host, bits(insn, 9, 5));
  j.free(T.I64, a);
  temps.forEach((t) => j.free(T.I64, t));
  return true;
}

function literal(j: Jit, insn: number, pageOff: number): boolean {
  const opc = bits(insn, 31, 30);
  if (opc === 3) return false;
  const a = j.tmp(T.I64);
  const host = literalAddress(j, pageOff + sbits(insn, 23, 5) * 4, a);
  loadV(j, bits(insn, 4, 0), opc + 2, a, host, -1);
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
  const { host, base } = baseOffset(j, rn, index === 1 ? 0 : off, a);
  const hosts = [host, hostPlus(j, host, size)];
  if (!isLoad) {
    if (scale === 4) store128(j, a, hosts, [vOffset(j, rt), vOffset(j, rt2)], rn);
    else {
      const t = [j.tmp(T.I64), j.tmp(T.I64)];
      [rt, rt2].forEach((r, k) => c.i32(0).mem(scale === 2 ? Op.I64Load32U : Op.I64Load, vOffset(j, r)).set(t[k]));
      storeRun(j, a, size as 4 | 8, hosts, t, rn);
      t.forEach((l) => j.free(T.I64, l));
    }
  } else {
    // Both elements are read before either register is written; Rt2 first, so Rt wins when they are the same.
    const v = [j.tmp(T.I64), j.tmp(T.I64), j.tmp(T.I64), j.tmp(T.I64)];
    if (scale === 4) load128(j, a, hosts, [[v[0], v[1]], [v[2], v[3]]], rn);
    else {
      loadRun(j, a, size as 4 | 8, false, hosts, [v[0], v[2]], rn);
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
