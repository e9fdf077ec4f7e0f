// Addresses of loads and stores (general and SIMD&FP registers alike): the
// i64 address in a local for the TLB test and RAM, and the address the host
// sees on a slow access computed as the interpreter computes it (a JS number:
// the base register plus the offset), so faults report the same FAR.

import { i64n } from './jit-alu';
import { Jit } from './jit-context';
import type { HostAddress } from './jit-memory';
import { Op, T } from '../../jit/wasm-module';

/**
 * Local `a` = Xn + off (i64); returns the host address emitter (the JS number
 * Xn + off) and the local holding Xn as read before the access (write-back
 * adds to it, so a load into Rt == Rn ends with the written-back address).
 */
export function baseOffset(j: Jit, rn: number, off: number, a: number): { host: HostAddress; base: number } {
  const base = j.tmp(T.I64);
  j.x(rn, true).code.tee(base);
  if (off !== 0) {
    i64n(j, off);
    j.code.op(Op.I64Add);
  }
  j.code.set(a);
  const host = (): void => {
    j.code.get(base).op(Op.F64ConvertI64S);
    if (off !== 0) {
      // The offset as a - base, not a constant: TurboFan hoisted each slow path's f64 constant to the function's entry.
      j.code.get(a).get(base).op(Op.I64Sub, Op.F64ConvertI64S, Op.F64Add);
    }
  };
  return { host, base };
}

/** Xn = base + off (pre- and post-index). */
export function writeBack(j: Jit, rn: number, base: number, off: number): void {
  j.code.get(base);
  i64n(j, off);
  j.code.op(Op.I64Add);
  j.setX(rn, 1, true);
}

/**
 * Local `a` = Xn + (extended Rm << shift) of the register-offset forms (option: 2 UXTW, 3 LSL, 6 SXTW,
 * 7 SXTX); returns the host address emitter and the locals to free.
 */
export function registerAddress(j: Jit, rn: number, rm: number, option: number, shift: number, a: number): { host: HostAddress; temps: number[] } {
  const c = j.code;
  const base = j.tmp(T.I64);
  const index = j.tmp(T.I64);
  j.x(rn, true).code.set(base);
  if (option === 2) j.wz(rm);
  else if (option === 6) j.ws(rm);
  else j.x(rm);
  c.set(index).get(base).get(index);
  if (shift !== 0) c.i64(shift).op(Op.I64Shl);
  c.op(Op.I64Add).set(a);
  const wide = option === 3 || option === 7;
  const host = (): void => {
    if (wide) c.get(a).op(Op.F64ConvertI64S);
    else {
      c.get(base).op(Op.F64ConvertI64S).get(index).op(Op.F64ConvertI64S);
      if (shift !== 0) c.f64(2 ** shift).op(Op.F64Mul);
      c.op(Op.F64Add);
    }
  };
  return { host, temps: [base, index] };
}

/** Local `a` = the PC-relative address of a literal load; returns its host address emitter. */
export function literalAddress(j: Jit, off: number, a: number): HostAddress {
  j.code.get(j.pageVa64);
  i64n(j, off);
  j.code.op(Op.I64Add).set(a);
  return () => j.pcF64(off);
}
