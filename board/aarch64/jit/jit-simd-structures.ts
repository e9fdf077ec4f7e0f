// LD1/ST1 (multiple structures) of one to four consecutive registers, with
// and without post-index, compiled to WebAssembly: one TLB test covers the
// whole transfer when it stays inside a page, and the registers move as
// v128 loads and stores. Anything else (a TLB miss, a page crossing, MMIO, a
// fault, SCTLR.A's element alignment checks) runs the interpreter's op for
// the instruction, which leaves exactly its state (loads change no register
// when they fault; stores write in order).

import { bit, bits } from '../decoder';
import { TLB_R_ADD, TLB_R_TAG, TLB_W_ADD, TLB_W_TAG } from './cpu-slot';
import type { Jit } from './jit-context';
import { callInterpreter, canCallInterpreter } from './jit-interp-call';
import { ramAddress, tlbHit } from './jit-memory';
import { S, simd, vOff } from './jit-simd-emit';
import { Op, T } from '../../jit/wasm-module';

/** Registers of the LD1/ST1 forms by opcode (the other opcodes interleave: LD2-LD4). */
const REGS: Record<number, number> = { 0b0111: 1, 0b1010: 2, 0b0110: 3, 0b0010: 4 };

export function multipleStructures(j: Jit, insn: number): boolean {
  const post = bit(insn, 23) === 1;
  const regs = REGS[bits(insn, 15, 12)];
  if (regs === undefined || !canCallInterpreter()) return false;
  const q = bit(insn, 30);
  const load = bit(insn, 22) === 1;
  const rn = bits(insn, 9, 5);
  const rm = bits(insn, 20, 16);
  const t = bits(insn, 4, 0);
  const bytes = q ? 16 : 8;
  const total = regs * bytes;
  const c = j.code;
  const a = j.tmp(T.I64);
  const e = j.tmp(T.I32);
  const ai = j.tmp(T.I32);
  const p = j.tmp(T.I32);
  j.x(rn, true).code.set(a);
  tlbHit(j, a, total, load ? TLB_R_TAG : TLB_W_TAG, e, ai);
  c.ifLikely(0x40);
  ramAddress(j, load ? TLB_R_ADD : TLB_W_ADD, e, ai);
  c.set(p);
  if (load) {
    // Every byte is read before any register is written.
    const vs: number[] = [];
    for (let r = 0; r < regs; r++) {
      const v = j.tmp(T.V128);
      c.get(p);
      simd(c, q ? S.Load : S.Load64Zero).u(0).u(r * bytes);
      c.set(v);
      vs.push(v);
    }
    vs.forEach((v, r) => {
      c.i32(0).get(v);
      simd(c, S.Store).u(0).u(vOff(j, (t + r) % 32));
      j.free(T.V128, v);
    });
  } else {
    for (let r = 0; r < regs; r++) {
      c.get(p);
      if (q) {
        c.i32(0);
        simd(c, S.Load).u(0).u(vOff(j, (t + r) % 32));
        simd(c, S.Store).u(0).u(r * bytes);
      } else c.i32(0).mem(Op.I64Load, vOff(j, (t + r) % 32)).mem(Op.I64Store, r * bytes);
    }
  }
  if (post) {
    c.get(a);
    if (rm === 31) c.i64(total);
    else j.x(rm);
    c.op(Op.I64Add);
    j.setX(rn, 1, true);
  }
  c.op(Op.Else);
  callInterpreter(j, post ? [rn] : []);
  c.op(Op.End);
  j.free(T.I64, a);
  [e, ai, p].forEach((l) => j.free(T.I32, l));
  return true;
}
