// Loads and stores of general registers compiled to WebAssembly: LDR/STR of
// every size (unsigned offset, unscaled, pre- and post-index, register
// offset, literal), the sign-extending loads, and LDP/STP/LDPSW. The address
// the host sees on a slow access is computed as the interpreter computes it
// (a JS number from the base register plus the offset), so faults report the
// same FAR. Write-back happens after the access, as in the interpreter.

import { bit, bits, sbits } from '../decoder';
import { i64n } from './jit-alu';
import { Jit } from './jit-context';
import { load, store } from './jit-memory';
import { Op, T } from './wasm-module';

type Size = 1 | 2 | 4 | 8;

interface Access {
  size: Size;
  /** 0 store, 1 load zero-extended, 2 load sign-extended to 64 bits, 3 load sign-extended to 32 bits. */
  kind: 0 | 1 | 2 | 3;
}

/** size:opc of the single-register classes, or null for prefetches and unallocated encodings. */
function accessOf(insn: number): Access | null {
  const size = bits(insn, 31, 30);
  const opc = bits(insn, 23, 22);
  if (bit(insn, 26) === 1) return null;
  if (opc >= 2 && (size === 3 || (size === 2 && opc === 3))) return null;
  return { size: (1 << size) as Size, kind: opc as Access['kind'] };
}

/** Performs the access at the address in local `a`, the host address emitted by `host`. */
function transfer(j: Jit, acc: Access, rt: number, a: number, host: () => void): void {
  if (acc.kind === 0) {
    const v = j.tmp(T.I64);
    j.x(rt).code.set(v);
    store(j, a, v, acc.size, host);
    j.free(T.I64, v);
    return;
  }
  load(j, a, acc.size, acc.kind >= 2, host);
  j.setX(rt, acc.kind === 3 || acc.size === 4 ? (acc.kind === 2 ? 1 : 0) : 1);
}

/**
 * Local `a` = Xn + off (i64); returns the host address emitter (the JS number
 * Xn + off) and the local holding Xn as read before the access (write-back
 * adds to it, so a load into Rt == Rn ends with the written-back address).
 */
function baseOffset(j: Jit, rn: number, off: number, a: number): { host: () => void; base: number } {
  const base = j.tmp(T.I64);
  j.x(rn, true).code.tee(base);
  if (off !== 0) {
    i64n(j, off);
    j.code.op(Op.I64Add);
  }
  j.code.set(a);
  const host = () => {
    j.code.get(base).op(Op.F64ConvertI64S);
    if (off !== 0) j.code.f64(off).op(Op.F64Add);
  };
  return { host, base };
}

function writeBack(j: Jit, rn: number, base: number, off: number): void {
  j.code.get(base);
  i64n(j, off);
  j.code.op(Op.I64Add);
  j.setX(rn, 1, true);
}

/** Unsigned offset, unscaled, pre- and post-index. */
function immediateForm(j: Jit, insn: number, form: 'unsigned' | 'unscaled' | 'post' | 'pre'): boolean {
  const acc = accessOf(insn);
  if (acc === null) return false;
  const rn = bits(insn, 9, 5);
  const rt = bits(insn, 4, 0);
  const off = form === 'unsigned' ? bits(insn, 21, 10) * acc.size : sbits(insn, 20, 12);
  const a = j.tmp(T.I64);
  const { host, base } = baseOffset(j, rn, form === 'post' ? 0 : off, a);
  transfer(j, acc, rt, a, host);
  if (form === 'post' || form === 'pre') writeBack(j, rn, base, off);
  j.free(T.I64, a);
  j.free(T.I64, base);
  return true;
}

function registerOffset(j: Jit, insn: number): boolean {
  const acc = accessOf(insn);
  const option = bits(insn, 15, 13);
  if (acc === null || (option & 2) === 0) return false;
  const shift = bit(insn, 12) === 1 ? Math.log2(acc.size) : 0;
  const rn = bits(insn, 9, 5);
  const rm = bits(insn, 20, 16);
  const c = j.code;
  const a = j.tmp(T.I64);
  const base = j.tmp(T.I64);
  const index = j.tmp(T.I64);
  j.x(rn, true).code.set(base);
  if (option === 2) j.wz(rm);
  else if (option === 6) j.ws(rm);
  else j.x(rm);
  c.set(index);
  c.get(base).get(index);
  if (shift !== 0) c.i64(shift).op(Op.I64Shl);
  c.op(Op.I64Add).set(a);
  const wide = option === 3 || option === 7;
  transfer(j, acc, bits(insn, 4, 0), a, () => {
    if (wide) c.get(a).op(Op.F64ConvertI64S);
    else c.get(base).op(Op.F64ConvertI64S).get(index).op(Op.F64ConvertI64S).f64(2 ** shift).op(Op.F64Mul, Op.F64Add);
  });
  j.free(T.I64, a);
  j.free(T.I64, base);
  j.free(T.I64, index);
  return true;
}

function literal(j: Jit, insn: number, pageOff: number): boolean {
  const opc = bits(insn, 31, 30);
  if (bit(insn, 26) === 1 || opc === 3) return false;
  const off = pageOff + sbits(insn, 23, 5) * 4;
  const a = j.tmp(T.I64);
  j.code.get(j.pageVa64);
  i64n(j, off);
  j.code.op(Op.I64Add).set(a);
  const acc: Access = opc === 2 ? { size: 4, kind: 2 } : { size: opc === 0 ? 4 : 8, kind: 1 };
  transfer(j, acc, bits(insn, 4, 0), a, () => j.pcF64(off));
  j.free(T.I64, a);
  return true;
}

/** LDP/STP (and LDNP/STNP, LDPSW) of general registers. */
function pair(j: Jit, insn: number): boolean {
  const opc = bits(insn, 31, 30);
  const index = bits(insn, 24, 23);
  const isLoad = bit(insn, 22) === 1;
  if (bit(insn, 26) === 1 || opc === 3 || (opc === 1 && (!isLoad || index === 0))) return false;
  const size: Size = opc === 2 ? 8 : 4;
  const off = sbits(insn, 21, 15) * size;
  const rn = bits(insn, 9, 5);
  const rt = bits(insn, 4, 0);
  const rt2 = bits(insn, 14, 10);
  const c = j.code;
  const pre = index === 1 ? 0 : off;
  const a = j.tmp(T.I64);
  const a2 = j.tmp(T.I64);
  const { host, base } = baseOffset(j, rn, pre, a);
  c.get(a).i64(size).op(Op.I64Add).set(a2);
  const host2 = () => {
    host();
    c.f64(size).op(Op.F64Add);
  };
  if (!isLoad) {
    const v = j.tmp(T.I64);
    j.x(rt).code.set(v);
    store(j, a, v, size, host);
    j.x(rt2).code.set(v);
    store(j, a2, v, size, host2);
    j.free(T.I64, v);
  } else {
    // Both elements are read before either register is written; Rt2 first, so Rt wins when they are the same.
    const v1 = j.tmp(T.I64);
    load(j, a, size, opc === 1, host);
    c.set(v1);
    load(j, a2, size, opc === 1, host2);
    j.setX(rt2, opc === 0 ? 0 : 1);
    c.get(v1);
    j.setX(rt, opc === 0 ? 0 : 1);
    j.free(T.I64, v1);
  }
  if (index === 1 || index === 3) writeBack(j, rn, base, off);
  j.free(T.I64, base);
  j.free(T.I64, a);
  j.free(T.I64, a2);
  return true;
}

/** Translates one general-register load or store; false when it is not in the compiled subset. */
export function translateLoadStore(j: Jit, insn: number, pageOff: number): boolean {
  if ((insn & 0x3b000000) === 0x39000000) return immediateForm(j, insn, 'unsigned');
  if ((insn & 0x3b200000) === 0x38000000) {
    const form = bits(insn, 11, 10);
    if (form === 2) return false; // unprivileged
    return immediateForm(j, insn, form === 0 ? 'unscaled' : form === 1 ? 'post' : 'pre');
  }
  if ((insn & 0x3b200c00) === 0x38200800) return registerOffset(j, insn);
  if ((insn & 0x3b000000) === 0x18000000) return literal(j, insn, pageOff);
  if ((insn & 0x3a000000) === 0x28000000) return pair(j, insn);
  return false;
}
