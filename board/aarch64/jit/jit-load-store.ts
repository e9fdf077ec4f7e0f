// Loads and stores of general registers compiled to WebAssembly: LDR/STR of
// every size (unsigned offset, unscaled, pre- and post-index, register
// offset, literal), the sign-extending loads, and LDP/STP/LDPSW (one TLB
// test for both elements). Addresses as jit-address.ts computes them.
// Write-back happens after the access, as in the interpreter.

import { bit, bits, sbits } from '../decoder';
import { baseOffset, literalAddress, registerAddress, writeBack } from './jit-address';
import { Jit } from './jit-context';
import { hostPlus, load, loadRun, store, storeRun } from './jit-memory';
import { Op, T } from '../../jit/wasm-module';

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

/** Performs the access at the address in local `a`, the host address emitted by `host`; `rn` the base register (-1: none). */
function transfer(j: Jit, acc: Access, rt: number, a: number, host: () => void, rn: number): void {
  if (acc.kind === 0) {
    const v = j.tmp(T.I64);
    j.x(rt).code.set(v);
    store(j, a, v, acc.size, host, rn);
    j.free(T.I64, v);
    return;
  }
  load(j, a, acc.size, acc.kind >= 2, host, rn);
  j.setX(rt, acc.kind === 3 || acc.size === 4 ? (acc.kind === 2 ? 1 : 0) : 1);
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
  transfer(j, acc, rt, a, host, rn);
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
  const a = j.tmp(T.I64);
  const { host, temps } = registerAddress(j, bits(insn, 9, 5), bits(insn, 20, 16), option, shift, a);
  transfer(j, acc, bits(insn, 4, 0), a, host, bits(insn, 9, 5));
  j.free(T.I64, a);
  temps.forEach((t) => j.free(T.I64, t));
  return true;
}

function literal(j: Jit, insn: number, pageOff: number): boolean {
  const opc = bits(insn, 31, 30);
  if (bit(insn, 26) === 1 || opc === 3) return false;
  const a = j.tmp(T.I64);
  const host = literalAddress(j, pageOff + sbits(insn, 23, 5) * 4, a);
  const acc: Access = opc === 2 ? { size: 4, kind: 2 } : { size: opc === 0 ? 4 : 8, kind: 1 };
  transfer(j, acc, bits(insn, 4, 0), a, host, -1);
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
  const { host, base } = baseOffset(j, rn, pre, a);
  const hosts = [host, hostPlus(j, host, size)];
  const v1 = j.tmp(T.I64);
  const v2 = j.tmp(T.I64);
  if (!isLoad) {
    j.x(rt).code.set(v1);
    j.x(rt2).code.set(v2);
    storeRun(j, a, size, hosts, [v1, v2], rn);
  } else {
    // Both elements are read before either register is written; Rt2 first, so Rt wins when they are the same.
    loadRun(j, a, size, opc === 1, hosts, [v1, v2], rn);
    c.get(v2);
    j.setX(rt2, opc === 0 ? 0 : 1);
    c.get(v1);
    j.setX(rt, opc === 0 ? 0 : 1);
  }
  j.free(T.I64, v1);
  j.free(T.I64, v2);
  if (index === 1 || index === 3) writeBack(j, rn, base, off);
  j.free(T.I64, base);
  j.free(T.I64, a);
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
