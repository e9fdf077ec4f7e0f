// Exclusive loads and stores of one register (LDXR/LDAXR, STXR/STLXR of 1 to
// 8 bytes) and the ordered ones (LDAR/LDLAR, STLR/STLLR) compiled inline.
// The exclusive monitor is the interpreter's (isa/load-store/exclusive.ts):
// the CPU keeps it in its slot (SLOT_EXCLUSIVE: the reserved address as the
// interpreter's JS number, NaN when open, and the size, two f64), so compiled
// code and the interpreter share one monitor, and an exception or a context
// switch clears it for both. Only the CPU with a slot compiles, so no other
// CPU observes it. A misaligned address runs the interpreter's op (its
// alignment fault, or a failing STXR that makes no access, as qemu does).

import { bit, bits } from '../decoder';
import { SLOT_EXCLUSIVE } from './cpu-slot';
import type { Jit } from './jit-context';
import { callInterpreter, canCallInterpreter } from './jit-interp-call';
import { load, store } from './jit-memory';
import { Op, T } from '../../jit/wasm-module';

/** Translates LDXR/STXR/LDAR/STLR and their variants; false for pairs and CAS (the interpreter-call fallback takes them). */
export function translateExclusive(j: Jit, insn: number): boolean {
  const o2 = bit(insn, 23);
  const o1 = bit(insn, 21);
  if (o1 === 1 || !canCallInterpreter()) return false;
  const bytes = 1 << bits(insn, 31, 30);
  const isLoad = bit(insn, 22) === 1;
  const rs = bits(insn, 20, 16);
  const rn = bits(insn, 9, 5);
  const rt = bits(insn, 4, 0);
  const c = j.code;
  const a = j.tmp(T.I64);
  const h = j.tmp(T.F64);
  // The address as the interpreter's number (toAddress), whose low bits it tests for alignment.
  j.x(rn, true).code.tee(a).op(Op.F64ConvertI64S).set(h);
  c.get(h).op(0xfc).u(6).op(Op.I32WrapI64).i32(bytes - 1).op(Op.I32And, Op.I32Eqz);
  c.ifLikely(0x40);
  const host = (): void => void c.get(h);
  if (isLoad) {
    load(j, a, bytes as 1 | 2 | 4 | 8, false, host);
    j.setX(rt, 1);
    if (o2 === 0) {
      c.i32(0).get(h).mem(Op.F64Store, j.slot + SLOT_EXCLUSIVE);
      c.i32(0).i32(bytes).op(Op.F64ConvertI32S).mem(Op.F64Store, j.slot + SLOT_EXCLUSIVE + 8);
    }
  } else if (o2 === 1) storeValue(j, a, rt, bytes, host);
  else storeIfExclusive(j, a, h, rs, rt, bytes, host);
  c.op(Op.Else);
  callInterpreter(j, isLoad ? [rt] : o2 === 0 ? [rs] : []);
  c.op(Op.End);
  j.free(T.I64, a);
  j.free(T.F64, h);
  return true;
}

function storeValue(j: Jit, a: number, rt: number, bytes: number, host: () => void): void {
  const v = j.tmp(T.I64);
  j.x(rt).code.set(v);
  store(j, a, v, bytes as 1 | 2 | 4 | 8, host);
  j.free(T.I64, v);
}

/** STXR's rule: store only while the monitor holds this address and size; Ws = 0 (stored) or 1; the monitor opens. */
function storeIfExclusive(j: Jit, a: number, h: number, rs: number, rt: number, bytes: number, host: () => void): void {
  const c = j.code;
  const status = j.tmp(T.I64);
  c.i64(1).set(status);
  c.i32(0).mem(Op.F64Load, j.slot + SLOT_EXCLUSIVE).get(h).op(Op.F64Eq);
  c.i32(0).mem(Op.F64Load, j.slot + SLOT_EXCLUSIVE + 8).i32(bytes).op(Op.F64ConvertI32S, Op.F64Eq, Op.I32And);
  c.op(Op.If, 0x40);
  storeValue(j, a, rt, bytes, host);
  c.i64(0).set(status);
  c.op(Op.End);
  c.i32(0).f64(NaN).mem(Op.F64Store, j.slot + SLOT_EXCLUSIVE);
  c.get(status);
  j.setX(rs, 1);
  j.free(T.I64, status);
}
