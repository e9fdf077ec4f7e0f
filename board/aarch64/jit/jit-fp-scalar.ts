// Scalar FP compares, selects, moves and conversions compiled to
// WebAssembly, each exact by the same reasoning as the interpreter's fast
// paths (fp/binary64.ts, fp/binary32.ts, fp/convert.ts) and otherwise a call
// to the interpreter's op: FCMP/FCMPE, FCSEL, FMOV (immediate), FABS, FNEG,
// FCVT between single and double, SCVTF/UCVTF and FCVTZS/FCVTZU (integer,
// not fixed-point), plus the arithmetic of jit-fp-arith.ts.

import { bits } from '../decoder';
import { FPCR_FZ, SLOW_FPCR } from '../fp/fpcr';
import { expandImm } from '../isa/simd-data/modified-immediate';
import { F, fastOrInterpreted, fpSqrt, fpTwoSource, loadScalar, orInexact, storeScalar } from './jit-fp-arith';
import { Flags, Jit } from './jit-context';
import { canCallInterpreter } from './jit-interp-call';
import { vOff } from './jit-simd-emit';
import { Op, T } from '../../jit/wasm-module';

/** Saturating truncations (0xfc prefix): i32 from f64 signed/unsigned, i64 from f64 signed/unsigned. */
const TRUNC_SAT = { i32s: 2, i32u: 3, i64s: 6, i64u: 7 } as const;
const CONVERT = { f64FromI32s: 0xb7, f64FromI32u: 0xb8, f64FromI64s: 0xb9, f64FromI64u: 0xba, f32FromI32s: 0xb2, f32FromI32u: 0xb3, f32FromI64s: 0xb4, f32FromI64u: 0xb5 } as const;

/** Translates a scalar FP instruction of the inline subset; false (nothing emitted) for any other. */
export function translateFp(j: Jit, insn: number): boolean {
  if (((insn >>> 22) & 3) > 1) return false; // half precision and unallocated ftype
  if ((insn & 0xff200c00) === 0x1e200800) return fpTwoSource(j, insn);
  if ((insn & 0xff20fc07) === 0x1e202000) return compare(j, insn);
  if ((insn & 0xff200c00) === 0x1e200c00) return select(j, insn);
  if ((insn & 0xff201fe0) === 0x1e201000) return moveImmediate(j, insn);
  if ((insn & 0xff207c00) === 0x1e204000) return oneSource(j, insn);
  if ((insn & 0x7f20fc00) === 0x1e200000) return intConvert(j, insn);
  return false;
}

/** FCMP/FCMPE (with Dm or #0.0): NZCV from an ordered compare; a NaN operand (flags, IOC) goes to the interpreter. */
function compare(j: Jit, insn: number): boolean {
  const withZero = (insn & 8) !== 0;
  if ((withZero && bits(insn, 20, 16) !== 0) || !canCallInterpreter()) return false;
  const double = (insn & (1 << 22)) !== 0;
  const c = j.code;
  const x = j.tmp(T.F64);
  const y = j.tmp(T.F64);
  fastOrInterpreted(
    j,
    FPCR_FZ,
    () => {
      loadScalar(j, bits(insn, 9, 5), double);
      c.set(x);
      if (withZero) c.f64(0);
      else loadScalar(j, bits(insn, 20, 16), double);
      c.set(y);
      c.get(x).get(x).op(F.F64Ne).get(y).get(y).op(F.F64Ne, Op.I32Or, Op.BrIf, 0);
      c.get(x).get(y).op(F.F64Lt).set(j.fN);
      c.get(x).get(y).op(Op.F64Eq).set(j.fZ);
      c.get(x).get(y).op(F.F64Ge).set(j.fC);
      c.i32(0).set(j.fV);
    },
    [],
    true,
  );
  j.flags = Flags.Locals;
  j.flagsDirty = true;
  j.free(T.F64, x);
  j.free(T.F64, y);
  return true;
}

/** FCSEL: Vd = cond ? Vn : Vm (no FP exception, FPCR has no effect). */
function select(j: Jit, insn: number): boolean {
  const double = (insn & (1 << 22)) !== 0;
  const load = double ? Op.I64Load : Op.I64Load32U;
  const c = j.code;
  const at = vOff(j, bits(insn, 4, 0));
  c.i32(0).i32(0).mem(load, vOff(j, bits(insn, 9, 5))).i32(0).mem(load, vOff(j, bits(insn, 20, 16)));
  j.condition(bits(insn, 15, 12));
  c.op(Op.Select).mem(Op.I64Store, at);
  c.i32(0).i64(0).mem(Op.I64Store, at + 8);
  return true;
}

/** FMOV (scalar, immediate). */
function moveImmediate(j: Jit, insn: number): boolean {
  const double = (insn & (1 << 22)) !== 0;
  const imm8 = bits(insn, 20, 13);
  const [lo, hi] = expandImm(double ? 1 : 0, 15, imm8)!;
  const at = vOff(j, bits(insn, 4, 0));
  j.code.i32(0).i64(lo, double ? hi : 0).mem(Op.I64Store, at);
  j.code.i32(0).i64(0).mem(Op.I64Store, at + 8);
  return true;
}

/** FABS, FNEG (bit operations), FSQRT, FCVT single <-> double. */
function oneSource(j: Jit, insn: number): boolean {
  const double = (insn & (1 << 22)) !== 0;
  const opcode = bits(insn, 20, 15);
  const n = bits(insn, 9, 5);
  const d = bits(insn, 4, 0);
  const c = j.code;
  if (opcode === 1 || opcode === 2) {
    const at = vOff(j, d);
    c.i32(0).i32(0).mem(double ? Op.I64Load : Op.I64Load32U, vOff(j, n));
    if (opcode === 1) c.i64(double ? -1 : 0x7fffffff, double ? 0x7fffffff : 0).op(Op.I64And);
    else c.i64(double ? 0 : 0x80000000, double ? 0x80000000 : 0).op(Op.I64Xor);
    c.mem(Op.I64Store, at);
    c.i32(0).i64(0).mem(Op.I64Store, at + 8);
    return true;
  }
  if (opcode === 3) return fpSqrt(j, insn, double);
  if ((opcode !== 4 && opcode !== 5) || opcode - 4 === (double ? 1 : 0) || !canCallInterpreter()) return false;
  const v = j.tmp(T.F64);
  const r = j.tmp(T.F64);
  fastOrInterpreted(j, SLOW_FPCR, () => {
    loadScalar(j, n, double);
    c.set(v);
    c.get(v).get(v).op(F.F64Ne, Op.BrIf, 0);
    if (double) {
      // To single: normal (or an exact zero), IXC when rounding changed it.
      c.get(v).op(F.F32DemoteF64, F.F64PromoteF32).set(r);
      c.get(r).op(F.F64Abs).f64(2 ** -126).op(F.F64Gt).get(r).op(F.F64Abs).f64(Infinity).op(F.F64Ne, Op.I32And);
      c.get(v).f64(0).op(Op.F64Eq, Op.I32Or, Op.I32Eqz, Op.BrIf, 0);
      storeScalar(j, d, false, r);
      orInexact(j, () => c.get(r).get(v).op(F.F64Ne));
    } else storeScalar(j, d, true, v);
  });
  j.free(T.F64, v);
  j.free(T.F64, r);
  return true;
}

/** SCVTF/UCVTF from a general register, FCVTZS/FCVTZU to one (fbits 0). */
function intConvert(j: Jit, insn: number): boolean {
  const sf = insn >>> 31;
  const rmode = bits(insn, 20, 19);
  const opcode = bits(insn, 18, 16);
  const double = (insn & (1 << 22)) !== 0;
  if (!canCallInterpreter()) return false;
  if (rmode === 0 && (opcode === 2 || opcode === 3)) return fromInt(j, insn, sf, opcode === 3, double);
  if (rmode === 3 && opcode < 2) return toInt(j, insn, sf, opcode === 1, double);
  return false;
}

function fromInt(j: Jit, insn: number, sf: number, unsigned: boolean, double: boolean): boolean {
  const c = j.code;
  const v = j.tmp(T.I64);
  const r = j.tmp(T.F64);
  const n = bits(insn, 9, 5);
  fastOrInterpreted(j, SLOW_FPCR, () => {
    j.x(n);
    c.set(v);
    const src = () => {
      c.get(v);
      if (sf === 0) c.op(Op.I32WrapI64);
    };
    src();
    if (double) c.op(sf ? (unsigned ? CONVERT.f64FromI64u : CONVERT.f64FromI64s) : unsigned ? CONVERT.f64FromI32u : CONVERT.f64FromI32s);
    else c.op(sf ? (unsigned ? CONVERT.f32FromI64u : CONVERT.f32FromI64s) : unsigned ? CONVERT.f32FromI32u : CONVERT.f32FromI32s).op(F.F64PromoteF32);
    c.set(r);
    storeScalar(j, bits(insn, 4, 0), double, r);
    if (sf === 0 && double) return; // every 32-bit integer is a double
    orInexact(j, () => {
      if (sf === 0) {
        // A single from a 32-bit integer: compare with the exact double.
        c.get(r);
        src();
        c.op(unsigned ? CONVERT.f64FromI32u : CONVERT.f64FromI32s, F.F64Ne);
        return;
      }
      // From 64 bits: inexact when the integer back is another, or the result rounded up to 2^63 (2^64).
      c.get(r).f64(unsigned ? 2 ** 64 : 2 ** 63).op(Op.F64Eq);
      c.get(r).op(0xfc).u(unsigned ? TRUNC_SAT.i64u : TRUNC_SAT.i64s).get(v).op(Op.I64Ne, Op.I32Or);
    });
  });
  j.free(T.I64, v);
  j.free(T.F64, r);
  return true;
}

function toInt(j: Jit, insn: number, sf: number, unsigned: boolean, double: boolean): boolean {
  const c = j.code;
  const v = j.tmp(T.F64);
  const d = bits(insn, 4, 0);
  const width = sf ? 64 : 32;
  // The truncation is in range strictly between these (as doubles); the edges go to the interpreter.
  const below = unsigned ? -1 : -(2 ** (width - 1)) - 1;
  const limit = unsigned ? 2 ** width : 2 ** (width - 1);
  fastOrInterpreted(
    j,
    FPCR_FZ,
    () => {
      loadScalar(j, bits(insn, 9, 5), double);
      c.tee(v).f64(below).op(F.F64Gt).get(v).f64(limit).op(F.F64Lt, Op.I32And, Op.I32Eqz, Op.BrIf, 0);
      c.get(v).op(0xfc);
      if (sf) c.u(unsigned ? TRUNC_SAT.i64u : TRUNC_SAT.i64s);
      else c.u(unsigned ? TRUNC_SAT.i32u : TRUNC_SAT.i32s).op(Op.I64ExtendI32U);
      j.setX(d, 1);
      orInexact(j, () => c.get(v).op(F.F64Trunc).get(v).op(F.F64Ne));
    },
    [d],
  );
  j.free(T.F64, v);
  return true;
}
