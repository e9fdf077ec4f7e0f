// Scalar FP arithmetic compiled to WebAssembly f64 operations, mirroring the
// interpreter's fast paths (fp/binary64.ts, fp/binary32.ts): with FPCR's
// rounding mode, FZ and DN at their defaults, and operands and result away
// from overflow, underflow and the special values, the native operation is
// the architectural result and error-free transformations (TwoSum, Dekker's
// product) say exactly whether it was inexact, which sets FPSR.IXC in the
// register file. Every other case runs the interpreter's op for the
// instruction (jit-interp-call.ts), so the result and the flags are always
// the interpreter's.
//
// FADD, FSUB, FMUL, FDIV, FNMUL and FSQRT of singles and doubles.

import { FPCR_OFFSET, FPSR_OFFSET } from '../cpu-state';
import { SLOW_FPCR } from '../fp/fpcr';
import type { Jit } from './jit-context';
import { callInterpreter, canCallInterpreter } from './jit-interp-call';
import { Op, T } from '../../jit/wasm-module';
import { vOff } from './jit-simd-emit';

/** WebAssembly opcodes of f32/f64 operations beyond wasm-module.ts's Op. */
export const enum F {
  F32Load = 0x2a,
  F32Store = 0x38,
  F64Ne = 0x62,
  F64Lt = 0x63,
  F64Gt = 0x64,
  F64Le = 0x65,
  F64Ge = 0x66,
  F64Abs = 0x99,
  F64Neg = 0x9a,
  F64Trunc = 0x9d,
  F64Sqrt = 0x9f,
  F64Div = 0xa3,
  F32DemoteF64 = 0xb6,
  F64PromoteF32 = 0xbb,
}

const MIN_NORMAL64 = 2 ** -1022;
const MIN_NORMAL32 = 2 ** -126;
const LOW = 2 ** -960;
const HIGH = 2 ** 996;
const SPLITTER = 134217729;

/**
 * Emits: if FPCR's `slowBits` are all clear, `fast` (which leaves the slow
 * way with `br_if 0` and must not open blocks around that branch), else the
 * interpreter's op; `writes`/`flags` are what the op writes besides vector
 * registers and FPSR.
 */
export function fastOrInterpreted(j: Jit, slowBits: number, fast: () => void, writes: readonly number[] = [], flags = false): void {
  const c = j.code;
  c.op(Op.Block, 0x40, Op.Block, 0x40);
  c.i32(0).mem(Op.I32Load, j.slot + FPCR_OFFSET).i32(slowBits).op(Op.I32And, Op.BrIf, 0);
  fast();
  c.op(Op.Br, 1, Op.End);
  callInterpreter(j, writes, flags);
  c.op(Op.End);
}

/** FPSR |= IXC when the i32 that `inexact` pushes is 1. */
export function orInexact(j: Jit, inexact: () => void): void {
  const c = j.code;
  c.i32(0).i32(0).mem(Op.I32Load, j.slot + FPSR_OFFSET);
  inexact();
  c.i32(4).op(Op.I32Shl, Op.I32Or).mem(Op.I32Store, j.slot + FPSR_OFFSET);
}

/** Pushes register n's scalar (double, or single widened exactly) as f64; `at`: the lane's byte offset. */
export function loadScalar(j: Jit, n: number, double: boolean, at = 0): void {
  if (double) j.code.i32(0).mem(Op.F64Load, vOff(j, n) + at);
  else j.code.i32(0).mem(F.F32Load as number as Op, vOff(j, n) + at).op(F.F64PromoteF32);
}

/** Stores the f64 in local `v` to register d as a double, or rounded to single (exact by then), zeroing the rest. */
export function storeScalar(j: Jit, d: number, double: boolean, v: number): void {
  const c = j.code;
  const at = vOff(j, d);
  if (double) c.i32(0).get(v).mem(Op.F64Store, at);
  else {
    c.i32(0).get(v).op(F.F32DemoteF64).mem(F.F32Store as number as Op, at);
    c.i32(0).i32(0).mem(Op.I32Store, at + 4);
  }
  c.i32(0).i64(0).mem(Op.I64Store, at + 8);
}

/** Pushes |local v| OP k as i32. */
function absCompare(j: Jit, v: number, op: number, k: number): void {
  j.code.get(v).op(F.F64Abs).f64(k).op(op);
}

/** Pushes LOW <= |v| <= HIGH as i32 (the range where Dekker's product is exact). */
function inRange(j: Jit, v: number): void {
  absCompare(j, v, F.F64Ge, LOW);
  absCompare(j, v, F.F64Le, HIGH);
  j.code.op(Op.I32And);
}

/** Pushes x * y - p exactly (Dekker's product; x, y, p in range) as f64. */
function productError(j: Jit, x: number, y: number, p: number): void {
  const c = j.code;
  const [xh, xl, yh, yl, t] = [0, 0, 0, 0, 0].map(() => j.tmp(T.F64));
  for (const [v, h, l] of [[x, xh, xl], [y, yh, yl]]) {
    c.f64(SPLITTER).get(v).op(Op.F64Mul).tee(t);
    c.get(t).get(v).op(Op.F64Sub, Op.F64Sub).set(h);
    c.get(v).get(h).op(Op.F64Sub).set(l);
  }
  c.get(xh).get(yh).op(Op.F64Mul).get(p).op(Op.F64Sub);
  c.get(xh).get(yl).op(Op.F64Mul, Op.F64Add);
  c.get(xl).get(yh).op(Op.F64Mul, Op.F64Add);
  c.get(xl).get(yl).op(Op.F64Mul, Op.F64Add);
  [xh, xl, yh, yl, t].forEach((l) => j.free(T.F64, l));
}

/** Pushes: the single in f64 local r is normal and finite (the interpreter's `finish` condition). */
function normalSingle(j: Jit, r: number): void {
  absCompare(j, r, F.F64Gt, MIN_NORMAL32);
  absCompare(j, r, F.F64Ne, Infinity);
  j.code.op(Op.I32And);
}

/** Rounds the f64 in local v to single in place (f32 demote then promote). */
function roundSingle(j: Jit, v: number): void {
  j.code.get(v).op(F.F32DemoteF64, F.F64PromoteF32).set(v);
}

type Emit = (j: Jit, x: number, y: number, r: number, inexact: number) => void;

/** Double: r = x + y; TwoSum's error says inexact. */
const add64: Emit = (j, x, y, r, inexact) => {
  const c = j.code;
  const bb = j.tmp(T.F64);
  c.get(x).get(y).op(Op.F64Add).set(r);
  c.get(r).f64(0).op(Op.F64Eq);
  absCompare(j, r, F.F64Gt, MIN_NORMAL64);
  absCompare(j, r, F.F64Lt, 2 ** 1023);
  c.op(Op.I32And, Op.I32Or, Op.I32Eqz, Op.BrIf, 0);
  c.get(r).get(x).op(Op.F64Sub).set(bb);
  c.get(x).get(r).get(bb).op(Op.F64Sub, Op.F64Sub).get(y).get(bb).op(Op.F64Sub, Op.F64Add).f64(0).op(F.F64Ne).set(inexact);
  j.free(T.F64, bb);
};

const add32: Emit = (j, x, y, r, inexact) => {
  const c = j.code;
  const d = j.tmp(T.F64);
  const bb = j.tmp(T.F64);
  c.get(x).get(y).op(Op.F64Add).tee(d).set(r);
  roundSingle(j, r);
  c.get(d).f64(0).op(Op.F64Eq);
  normalSingle(j, r);
  c.op(Op.I32Or, Op.I32Eqz, Op.BrIf, 0);
  c.get(d).get(x).op(Op.F64Sub).set(bb);
  c.get(x).get(d).get(bb).op(Op.F64Sub, Op.F64Sub).get(y).get(bb).op(Op.F64Sub, Op.F64Add).f64(0).op(F.F64Ne);
  c.get(r).get(d).op(F.F64Ne, Op.I32Or).set(inexact);
  j.free(T.F64, d);
  j.free(T.F64, bb);
};

/** Pushes (x == 0 | y == 0) & (p == 0): a product that is an exact zero. */
function zeroProduct(j: Jit, x: number, y: number, p: number): void {
  const c = j.code;
  c.get(p).f64(0).op(Op.F64Eq);
  c.get(x).f64(0).op(Op.F64Eq).get(y).f64(0).op(Op.F64Eq, Op.I32Or, Op.I32And);
}

const mul64: Emit = (j, x, y, r, inexact) => {
  const c = j.code;
  const zero = j.tmp(T.I32);
  c.get(x).get(y).op(Op.F64Mul).set(r);
  zeroProduct(j, x, y, r);
  c.tee(zero);
  inRange(j, x);
  inRange(j, y);
  inRange(j, r);
  c.op(Op.I32And, Op.I32And, Op.I32Or, Op.I32Eqz, Op.BrIf, 0);
  productError(j, x, y, r);
  c.f64(0).op(F.F64Ne).get(zero).op(Op.I32Eqz, Op.I32And).set(inexact);
  j.free(T.I32, zero);
};

const mul32: Emit = (j, x, y, r, inexact) => {
  const c = j.code;
  const zero = j.tmp(T.I32);
  const d = j.tmp(T.F64);
  c.get(x).get(y).op(Op.F64Mul).tee(d).set(r);
  roundSingle(j, r);
  zeroProduct(j, x, y, d);
  c.tee(zero);
  normalSingle(j, r);
  c.op(Op.I32Or, Op.I32Eqz, Op.BrIf, 0);
  c.get(r).get(d).op(F.F64Ne).get(zero).op(Op.I32Eqz, Op.I32And).set(inexact);
  j.free(T.I32, zero);
  j.free(T.F64, d);
};

const div64: Emit = (j, x, y, r, inexact) => {
  const c = j.code;
  const zero = j.tmp(T.I32);
  const h = j.tmp(T.F64);
  c.get(x).get(y).op(F.F64Div).set(r);
  c.get(x).f64(0).op(Op.F64Eq).get(r).f64(0).op(Op.F64Eq, Op.I32And).tee(zero);
  inRange(j, x);
  inRange(j, y);
  inRange(j, r);
  c.op(Op.I32And, Op.I32And, Op.I32Or, Op.I32Eqz, Op.BrIf, 0);
  c.get(r).get(y).op(Op.F64Mul).set(h);
  c.get(x).get(h).op(Op.F64Sub);
  productError(j, r, y, h);
  c.op(F.F64Ne).get(zero).op(Op.I32Eqz, Op.I32And).set(inexact);
  j.free(T.I32, zero);
  j.free(T.F64, h);
};

const div32: Emit = (j, x, y, r, inexact) => {
  const c = j.code;
  const zero = j.tmp(T.I32);
  c.get(x).get(y).op(F.F64Div).set(r);
  roundSingle(j, r);
  c.get(r).f64(0).op(Op.F64Eq).get(x).f64(0).op(Op.F64Eq, Op.I32And);
  c.get(y).f64(0).op(F.F64Ne, Op.I32And).get(y).get(y).op(Op.F64Eq, Op.I32And).tee(zero);
  normalSingle(j, r);
  c.op(Op.I32Or, Op.I32Eqz, Op.BrIf, 0);
  c.get(r).get(y).op(Op.F64Mul).get(x).op(F.F64Ne).get(zero).op(Op.I32Eqz, Op.I32And).set(inexact);
  j.free(T.I32, zero);
};

/** Fused: r = z + x * y rounded once (the interpreter's fastMulAdd, fp/binary64.ts and binary32.ts). */
type FusedEmit = (j: Jit, x: number, y: number, z: number, r: number, inexact: number) => void;

/**
 * Double: Boldo and Melquiond's emulation. x*y = p + e exactly (Dekker), z + p = s + t (TwoSum), t + e = u + w
 * (TwoSum), u rounded to odd when w is not 0, then r = RN(s + u). A product that is an exact zero gives z + p.
 * Leaves for the interpreter where it does: operands or product out of Dekker's range, a non-finite addend, an
 * inexact u that is not normal, a result that is not normal and finite.
 */
const fma64: FusedEmit = (j, x, y, z, r, inexact) => {
  const c = j.code;
  const [p, e, sum, t, u, w, bb] = [0, 0, 0, 0, 0, 0, 0].map(() => j.tmp(T.F64));
  const zero = j.tmp(T.I32);
  const bits = j.tmp(T.I64);
  c.get(x).get(y).op(Op.F64Mul).set(p);
  // A zero product: x or y was zero (else it underflowed) and z is finite.
  c.get(p).f64(0).op(Op.F64Eq).set(zero);
  c.get(x).f64(0).op(Op.F64Eq).get(y).f64(0).op(Op.F64Eq, Op.I32Or);
  absCompare(j, z, F.F64Lt, Infinity);
  c.op(Op.I32And, Op.I32Eqz);
  inRange(j, x);
  inRange(j, y);
  inRange(j, p);
  absCompare(j, z, F.F64Le, HIGH);
  c.op(Op.I32And, Op.I32And, Op.I32And, Op.I32Eqz);
  c.get(zero).op(Op.Select, Op.BrIf, 0);
  productError(j, x, y, p);
  c.set(e);
  twoSum(j, p, z, sum, t, bb);
  twoSum(j, t, e, u, w, bb);
  // Inexact u must be normal (else the interpreter); then rounded to odd: its neighbour towards w when its last bit is 0.
  c.get(w).f64(0).op(F.F64Ne);
  absCompare(j, u, F.F64Gt, MIN_NORMAL64);
  c.op(Op.I32Eqz, Op.I32And).get(zero).op(Op.I32Eqz, Op.I32And, Op.BrIf, 0);
  stepTowards(j, u, w, bits, () => c.get(w).f64(0).op(F.F64Ne).get(bits).i64(1).op(Op.I64And, Op.I64Eqz, Op.I32And));
  c.set(u);
  c.get(sum).get(u).op(Op.F64Add).set(r);
  absCompare(j, r, F.F64Gt, MIN_NORMAL64);
  absCompare(j, r, F.F64Lt, 2 ** 1023);
  c.op(Op.I32And, Op.I32Eqz).get(zero).op(Op.I32Eqz, Op.I32And, Op.BrIf, 0);
  // inexact: w, or s + u's own rounding error.
  c.get(r).get(sum).op(Op.F64Sub).set(bb);
  c.get(sum).get(r).get(bb).op(Op.F64Sub, Op.F64Sub).get(u).get(bb).op(Op.F64Sub, Op.F64Add).f64(0).op(F.F64Ne);
  c.get(w).f64(0).op(F.F64Ne, Op.I32Or).get(zero).op(Op.I32Eqz, Op.I32And).set(inexact);
  c.get(z).get(p).op(Op.F64Add).get(r).get(zero).op(Op.Select).set(r);
  [p, e, sum, t, u, w, bb].forEach((l) => j.free(T.F64, l));
  j.free(T.I32, zero);
  j.free(T.I64, bits);
};

/**
 * Pushes the double in local v, moved to its neighbour towards the error in local `err` (one step of its bits,
 * away from zero when they have the same sign) where `when` (an i32, which may read v's bits from `bits`) holds.
 */
function stepTowards(j: Jit, v: number, err: number, bits: number, when: () => void): void {
  const c = j.code;
  c.get(v).op(Op.I64ReinterpretF64).tee(bits);
  c.i64(1).i64(-1).get(err).f64(0).op(F.F64Gt).get(v).f64(0).op(F.F64Gt, Op.I32Eq, Op.Select);
  c.i64(0);
  when();
  c.op(Op.Select, Op.I64Add, Op.F64ReinterpretI64);
}

/** s + t = a + b exactly (TwoSum; bb a scratch local). */
function twoSum(j: Jit, a: number, b: number, s: number, t: number, bb: number): void {
  const c = j.code;
  c.get(a).get(b).op(Op.F64Add).tee(s).get(a).op(Op.F64Sub).set(bb);
  c.get(a).get(s).get(bb).op(Op.F64Sub, Op.F64Sub).get(b).get(bb).op(Op.F64Sub, Op.F64Add).set(t);
}

/**
 * Single: the product of two singles is exact in a double; d = p + z with TwoSum's error, and where d is a
 * tie between two singles (its 29 extra bits 1000...0) the error moves it off the tie; then one rounding to
 * single. A zero or NaN sum, and a result that is not a normal finite single, leave for the interpreter.
 */
const fma32: FusedEmit = (j, x, y, z, r, inexact) => {
  const c = j.code;
  const [p, d, err, bb] = [0, 0, 0, 0].map(() => j.tmp(T.F64));
  const bits = j.tmp(T.I64);
  c.get(x).get(y).op(Op.F64Mul).set(p);
  twoSum(j, p, z, d, err, bb);
  c.get(d).f64(0).op(Op.F64Eq).get(d).get(d).op(F.F64Ne, Op.I32Or, Op.BrIf, 0);
  stepTowards(j, d, err, bits, () => c.get(err).f64(0).op(F.F64Ne).get(bits).i64(0x1fffffff).op(Op.I64And).i64(0x10000000).op(Op.I64Eq, Op.I32And));
  c.tee(d).set(r);
  roundSingle(j, r);
  normalSingle(j, r);
  c.op(Op.I32Eqz, Op.BrIf, 0);
  c.get(r).get(d).op(F.F64Ne).get(err).f64(0).op(F.F64Ne, Op.I32Or).set(inexact);
  [p, d, err, bb].forEach((l) => j.free(T.F64, l));
  j.free(T.I64, bits);
};

/** FP data-processing (2 source): 0 0 0 11110 ftype 1 Rm opcode 10 Rn Rd; opcodes FMUL 0, FDIV 1, FADD 2, FSUB 3, FNMUL 8. */
export function fpTwoSource(j: Jit, insn: number): boolean {
  const ftype = (insn >>> 22) & 3;
  const opcode = (insn >>> 12) & 15;
  if (ftype > 1 || (opcode > 3 && opcode !== 8) || !canCallInterpreter()) return false;
  const double = ftype === 1;
  const emit = [[mul32, div32, add32, add32], [mul64, div64, add64, add64]][ftype][opcode & 3];
  binary(j, insn, double, emit, opcode === 3, opcode === 8);
  return true;
}

function binary(j: Jit, insn: number, double: boolean, emit: Emit, negateY: boolean, negateResult: boolean): void {
  const c = j.code;
  const x = j.tmp(T.F64);
  const y = j.tmp(T.F64);
  const r = j.tmp(T.F64);
  const inexact = j.tmp(T.I32);
  fastOrInterpreted(j, SLOW_FPCR, () => {
    loadScalar(j, (insn >>> 5) & 31, double);
    c.set(x);
    loadScalar(j, (insn >>> 16) & 31, double);
    if (negateY) c.op(F.F64Neg);
    c.set(y);
    emit(j, x, y, r, inexact);
    if (negateResult) c.get(r).op(F.F64Neg).set(r);
    storeScalar(j, insn & 31, double, r);
    orInexact(j, () => c.get(inexact));
  });
  [x, y, r].forEach((l) => j.free(T.F64, l));
  j.free(T.I32, inexact);
}

/**
 * FADD, FSUB, FMUL, FDIV, FMLA, FMLS (vector) of 2S, 4S and 2D: each lane as
 * the scalar operation (the interpreter runs its scalar functions per lane),
 * all lanes computed and checked before any is written, else the
 * interpreter's op. 0 Q U 01110 a sz 1 Rm 11 op3 1 Rn Rd.
 */
export function fpVectorBinary(j: Jit, insn: number): boolean {
  const q = (insn >>> 30) & 1;
  const u = (insn >>> 29) & 1;
  const a = (insn >>> 23) & 1;
  const double = ((insn >>> 22) & 1) === 1;
  const op3 = (insn >>> 11) & 7;
  if ((double && q === 0) || !canCallInterpreter()) return false;
  let k: number;
  if (u === 0 && op3 === 0b010) k = a === 0 ? 2 : 3; // FADD, FSUB
  else if (u === 1 && a === 0 && op3 === 0b011) k = 0; // FMUL
  else if (u === 1 && a === 0 && op3 === 0b111) k = 1; // FDIV
  else if (u === 0 && op3 === 0b001) k = a === 0 ? 4 : 5; // FMLA, FMLS
  else return false;
  const emit = k < 4 ? [[mul32, div32, add32, add32], [mul64, div64, add64, add64]][double ? 1 : 0][k] : undefined;
  const fused = double ? fma64 : fma32;
  const lanes = (q ? 16 : 8) / (double ? 8 : 4);
  const size = double ? 8 : 4;
  const c = j.code;
  const x = j.tmp(T.F64);
  const y = j.tmp(T.F64);
  const z = j.tmp(T.F64);
  const rs = Array.from({ length: lanes }, () => j.tmp(T.F64));
  const inexact = Array.from({ length: lanes }, () => j.tmp(T.I32));
  const d = insn & 31;
  fastOrInterpreted(j, SLOW_FPCR, () => {
    for (let i = 0; i < lanes; i++) {
      loadScalar(j, (insn >>> 5) & 31, double, i * size);
      // (FMLS negates the first multiplicand.)
      if (k === 5) c.op(F.F64Neg);
      c.set(x);
      loadScalar(j, (insn >>> 16) & 31, double, i * size);
      if (k === 3) c.op(F.F64Neg);
      c.set(y);
      if (emit !== undefined) emit(j, x, y, rs[i], inexact[i]);
      else {
        loadScalar(j, d, double, i * size);
        c.set(z);
        fused(j, x, y, z, rs[i], inexact[i]);
      }
    }
    rs.forEach((r, i) => {
      if (double) c.i32(0).get(r).mem(Op.F64Store, vOff(j, d) + i * size);
      else c.i32(0).get(r).op(F.F32DemoteF64).mem(F.F32Store as number as Op, vOff(j, d) + i * size);
    });
    if (q === 0) c.i32(0).i64(0).mem(Op.I64Store, vOff(j, d) + 8);
    orInexact(j, () => {
      c.get(inexact[0]);
      for (let i = 1; i < lanes; i++) c.get(inexact[i]).op(Op.I32Or);
    });
  });
  [x, y, z, ...rs].forEach((l) => j.free(T.F64, l));
  inexact.forEach((l) => j.free(T.I32, l));
  return true;
}

/** FSQRT (single, double): exact when s * s reproduces x (Dekker). */
export function fpSqrt(j: Jit, insn: number, double: boolean): boolean {
  if (!canCallInterpreter()) return false;
  const c = j.code;
  const x = j.tmp(T.F64);
  const s = j.tmp(T.F64);
  const h = j.tmp(T.F64);
  fastOrInterpreted(j, SLOW_FPCR, () => {
    loadScalar(j, (insn >>> 5) & 31, double);
    c.tee(x).op(F.F64Sqrt).set(s);
    if (double) {
      c.get(x).f64(0).op(Op.F64Eq);
      c.get(x).f64(0).op(F.F64Gt);
      inRange(j, x);
      c.op(Op.I32And, Op.I32Or, Op.I32Eqz, Op.BrIf, 0);
      storeScalar(j, insn & 31, true, s);
      orInexact(j, () => {
        c.get(s).get(s).op(Op.F64Mul).set(h);
        c.get(x).get(h).op(Op.F64Sub);
        productError(j, s, s, h);
        c.op(F.F64Ne).get(x).f64(0).op(F.F64Ne, Op.I32And);
      });
    } else {
      roundSingle(j, s);
      c.get(x).f64(0).op(Op.F64Eq);
      normalSingle(j, s);
      c.op(Op.I32Or, Op.I32Eqz, Op.BrIf, 0);
      storeScalar(j, insn & 31, false, s);
      orInexact(j, () => c.get(s).get(s).op(Op.F64Mul).get(x).op(F.F64Ne).get(x).f64(0).op(F.F64Ne, Op.I32And));
    }
  });
  [x, s, h].forEach((l) => j.free(T.F64, l));
  return true;
}
