// Guest memory accesses in compiled code: the software TLB's fast path
// inline (one tag compare in the CPU slot's TLB, then RAM at the entry's
// addend), a call to the host's VirtualMemory for everything else (a miss,
// MMIO, a page crossing, a fault). The host function may throw the guest
// fault; the state in memory is then exactly the interpreter's.

import { Jit } from './jit-context';
import { TLB_R_ADD, TLB_R_TAG, TLB_W_ADD, TLB_W_TAG, SLOT_SCRATCH, SLOT_SCRATCH16 } from './cpu-slot';
import { Op, T } from './wasm-module';

/** Indices of the host functions every module imports, in this order (see block-compiler.ts). */
export const enum Host {
  Read8,
  Read16,
  Read32,
  Read64,
  Write8,
  Write16,
  Write32,
  Write64,
  /** Leaves TPIDR_EL0 in the slot's scratch (it cannot fault). */
  ReadTpidr,
  /** 16 bytes between the address and the slot's SLOT_SCRATCH16. */
  Read128,
  Write128,
  /** (pageVa f64, op i32) -> i32: runs an interpreter op (interpreter-ops.ts); 1 asks to return to the run loop. */
  InterpretOp,
}

/** Emits the address the host sees (f64, as the interpreter computes it). */
export type HostAddress = () => void;

const FAST_LOAD = { 1: [Op.I64Load8U, Op.I64Load8S], 2: [Op.I64Load16U, Op.I64Load16S], 4: [Op.I64Load32U, Op.I64Load32S], 8: [Op.I64Load, Op.I64Load] } as const;
const FAST_STORE = { 1: Op.I64Store8, 2: Op.I64Store16, 4: Op.I64Store32, 8: Op.I64Store } as const;

/** Pushes the tag test for the i64 address in local `a` and leaves the entry's byte offset in `e` and the low word in `ai`. */
export function tlbHit(j: Jit, a: number, size: number, tagOffset: number, e: number, ai: number): void {
  const c = j.code;
  c.get(a).op(Op.I32WrapI64).tee(ai).i32(9).op(Op.I32ShrU).i32(4095 << 3).op(Op.I32And).get(j.tlb).op(Op.I32Add).tee(e);
  c.mem(Op.F64Load, tagOffset);
  c.get(a).i64(-4096).op(Op.I64And, Op.F64ConvertI64S).f64(16).op(Op.F64Mul).get(j.dataAsid).op(Op.F64Add, Op.F64Eq);
  if (size > 1) c.get(ai).i32(4095).op(Op.I32And).i32(4096 - size).op(Op.I32LeU, Op.I32And);
}

/** RAM address of the hit entry: the addend plus the page offset (i32). */
export function ramAddress(j: Jit, addOffset: number, e: number, ai: number): void {
  j.code.get(e).mem(Op.F64Load, addOffset).op(Op.I32TruncF64U).get(ai).i32(4095).op(Op.I32And, Op.I32Add);
}

/** Pushes the value loaded from the address in local `a` (i64, zero- or sign-extended from `size` bytes). */
export function load(j: Jit, a: number, size: 1 | 2 | 4 | 8, signed: boolean, host: HostAddress): void {
  const c = j.code;
  const e = j.tmp(T.I32);
  const ai = j.tmp(T.I32);
  tlbHit(j, a, size, TLB_R_TAG, e, ai);
  c.op(Op.If, T.I64);
  ramAddress(j, TLB_R_ADD, e, ai);
  c.mem(FAST_LOAD[size][signed ? 1 : 0], 0);
  c.op(Op.Else);
  j.beforeCall();
  host();
  if (size === 8) {
    c.call(Host.Read64);
    c.i32(0).mem(Op.I64Load, j.slot + SLOT_SCRATCH);
  } else if (size === 4) {
    c.call(Host.Read32).op(signed ? Op.I64ExtendI32S : Op.I64ExtendI32U);
  } else {
    c.call(size === 1 ? Host.Read8 : Host.Read16).op(Op.I64ExtendI32U);
    if (signed) c.op(size === 1 ? Op.I64Extend8S : Op.I64Extend16S);
  }
  c.op(Op.End);
  j.free(T.I32, e);
  j.free(T.I32, ai);
}

/** Stores the low `size` bytes of the i64 in local `v` at the address in local `a`. */
export function store(j: Jit, a: number, v: number, size: 1 | 2 | 4 | 8, host: HostAddress): void {
  const c = j.code;
  const e = j.tmp(T.I32);
  const ai = j.tmp(T.I32);
  tlbHit(j, a, size, TLB_W_TAG, e, ai);
  c.op(Op.If, 0x40);
  ramAddress(j, TLB_W_ADD, e, ai);
  c.get(v).mem(FAST_STORE[size], 0);
  c.op(Op.Else);
  j.beforeCall();
  host();
  c.get(v).op(Op.I32WrapI64);
  if (size === 8) c.get(v).i64(32).op(Op.I64ShrU, Op.I32WrapI64).call(Host.Write64);
  else c.call(size === 1 ? Host.Write8 : size === 2 ? Host.Write16 : Host.Write32);
  c.op(Op.End);
  j.free(T.I32, e);
  j.free(T.I32, ai);
}

/** Loads 16 bytes at the address in local `a` into locals lo and hi. */
export function load128(j: Jit, a: number, lo: number, hi: number, host: HostAddress): void {
  const c = j.code;
  const e = j.tmp(T.I32);
  const ai = j.tmp(T.I32);
  const p = j.tmp(T.I32);
  tlbHit(j, a, 16, TLB_R_TAG, e, ai);
  c.op(Op.If, 0x40);
  ramAddress(j, TLB_R_ADD, e, ai);
  c.tee(p).mem(Op.I64Load, 0).set(lo).get(p).mem(Op.I64Load, 8).set(hi);
  c.op(Op.Else);
  j.beforeCall();
  host();
  c.call(Host.Read128);
  c.i32(0).mem(Op.I64Load, j.slot + SLOT_SCRATCH16).set(lo).i32(0).mem(Op.I64Load, j.slot + SLOT_SCRATCH16 + 8).set(hi);
  c.op(Op.End);
  [e, ai, p].forEach((t) => j.free(T.I32, t));
}

/** Stores the 16 bytes at memory offset `from` (a vector register in the slot) at the address in local `a`. */
export function store128(j: Jit, a: number, from: number, host: HostAddress): void {
  const c = j.code;
  const e = j.tmp(T.I32);
  const ai = j.tmp(T.I32);
  const p = j.tmp(T.I32);
  tlbHit(j, a, 16, TLB_W_TAG, e, ai);
  c.op(Op.If, 0x40);
  ramAddress(j, TLB_W_ADD, e, ai);
  c.tee(p).i32(0).mem(Op.I64Load, from).mem(Op.I64Store, 0).get(p).i32(0).mem(Op.I64Load, from + 8).mem(Op.I64Store, 8);
  c.op(Op.Else);
  j.beforeCall();
  c.i32(0).i32(0).mem(Op.I64Load, from).mem(Op.I64Store, j.slot + SLOT_SCRATCH16);
  c.i32(0).i32(0).mem(Op.I64Load, from + 8).mem(Op.I64Store, j.slot + SLOT_SCRATCH16 + 8);
  host();
  c.call(Host.Write128);
  c.op(Op.End);
  [e, ai, p].forEach((t) => j.free(T.I32, t));
}
