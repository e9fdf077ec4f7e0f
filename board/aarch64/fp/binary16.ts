// Half precision on raw 16-bit patterns: always the exact path (FZ16, AHP).

import { compareBits, maxMinBits } from './compare';
import { convertBits, fromFixedBits, toFixedBits } from './convert';
import { addBits, divBits, mulAddBits, mulBits, sqrtBits } from './exact-arith';
import { FpEnv, fpcrRounding, Rounding } from './fpcr';
import { DOUBLE, HALF, SINGLE } from './format';
import { roundIntBits, roundIntNBits } from './round-int';

function big(a: number): bigint {
  return BigInt(a & 0xffff);
}

export function f16Add(env: FpEnv, a: number, b: number): number {
  return Number(addBits(HALF, big(a), big(b), env, false));
}

export function f16Sub(env: FpEnv, a: number, b: number): number {
  return Number(addBits(HALF, big(a), big(b), env, true));
}

export function f16Mul(env: FpEnv, a: number, b: number): number {
  return Number(mulBits(HALF, big(a), big(b), env));
}

export function f16Div(env: FpEnv, a: number, b: number): number {
  return Number(divBits(HALF, big(a), big(b), env));
}

export function f16Sqrt(env: FpEnv, a: number): number {
  return Number(sqrtBits(HALF, big(a), env));
}

export function f16MulAdd(env: FpEnv, addend: number, op1: number, op2: number): number {
  return Number(mulAddBits(HALF, big(addend), big(op1), big(op2), env));
}

export function f16Compare(env: FpEnv, a: number, b: number, signalAll: boolean): number {
  return compareBits(HALF, big(a), big(b), env, signalAll);
}

export function f16MaxMin(env: FpEnv, a: number, b: number, isMax: boolean, numeric: boolean): number {
  return Number(maxMinBits(HALF, big(a), big(b), env, isMax, numeric));
}

export function f16RoundInt(env: FpEnv, a: number, mode: Rounding, exact: boolean): number {
  return Number(roundIntBits(HALF, big(a), env, mode, exact));
}

export function f16RoundIntN(env: FpEnv, a: number, mode: Rounding, width: 32 | 64): number {
  return Number(roundIntNBits(HALF, big(a), env, mode, width));
}

export function f16ToF32(env: FpEnv, a: number): number {
  return Number(convertBits(HALF, SINGLE, big(a), env, fpcrRounding(env.fpcr))) | 0;
}

/** FCVT to double into out (lo, hi). */
export function f16ToF64(env: FpEnv, a: number, out: Int32Array): void {
  const v = convertBits(HALF, DOUBLE, big(a), env, fpcrRounding(env.fpcr));
  out[0] = Number(v & 0xffffffffn) | 0;
  out[1] = Number(v >> 32n) | 0;
}

/** FPToFixed into FX (lo, hi). */
export function f16ToFixed(env: FpEnv, a: number, fbits: number, unsigned: boolean, width: 32 | 64, mode: Rounding): void {
  toFixedBits(HALF, big(a), fbits, unsigned, width, mode, env);
}

export function f16FromFixed(env: FpEnv, lo: number, hi: number, width: 32 | 64, unsigned: boolean, fbits: number): number {
  return Number(fromFixedBits(HALF, lo, hi, width, unsigned, fbits, env, fpcrRounding(env.fpcr)));
}
