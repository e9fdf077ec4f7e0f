// WebAssembly SIMD (v128) emission for the AdvSIMD translators: the 0xfd
// opcodes they use, and the vector registers, which stay in the CPU slot
// (every instruction loads its sources from there and stores its result;
// V8 keeps that cheaper than the interpreter's per-lane loops by far).

import type { Jit } from './jit-context';
import type { Code } from '../../jit/wasm-module';

const V_OFFSET = 512;

/** Sub-opcodes after the 0xfd prefix (the WebAssembly SIMD specification's numbering). */
export const enum S {
  Load = 0x00,
  Load64Zero = 0x5d,
  Store = 0x0b,
  Const = 0x0c,
  Shuffle = 0x0d,
  Swizzle = 0x0e,
  I8Splat = 0x0f,
  I16Splat = 0x10,
  I32Splat = 0x11,
  I64Splat = 0x12,
  I8ExtractS = 0x15,
  I8ExtractU = 0x16,
  I8Replace = 0x17,
  I16ExtractS = 0x18,
  I16ExtractU = 0x19,
  I16Replace = 0x1a,
  I32Extract = 0x1b,
  I32Replace = 0x1c,
  I64Extract = 0x1d,
  I64Replace = 0x1e,
  Not = 0x4d,
  And = 0x4e,
  AndNot = 0x4f,
  Or = 0x50,
  Xor = 0x51,
  Bitselect = 0x52,
  I8Popcnt = 0x62,
}

/** Per element size (0: 8, 1: 16, 2: 32, 3: 64 bits); -1 where WebAssembly has no such lane operation. */
export const EQ = [0x23, 0x2d, 0x37, 0xd6];
export const GT_S = [0x27, 0x31, 0x3b, 0xd9];
export const GE_S = [0x2b, 0x35, 0x3f, 0xdb];
export const GT_U = [0x28, 0x32, 0x3c, -1];
export const GE_U = [0x2c, 0x36, 0x40, -1];
export const LT_S = [0x25, 0x2f, 0x39, 0xd8];
export const LE_S = [0x29, 0x33, 0x3d, 0xda];
export const ADD = [0x6e, 0x8e, 0xae, 0xce];
export const SUB = [0x71, 0x91, 0xb1, 0xd1];
export const MUL = [-1, 0x95, 0xb5, -1];
export const MIN_S = [0x76, 0x96, 0xb6, -1];
export const MIN_U = [0x77, 0x97, 0xb7, -1];
export const MAX_S = [0x78, 0x98, 0xb8, -1];
export const MAX_U = [0x79, 0x99, 0xb9, -1];
export const SHL = [0x6b, 0x8b, 0xab, 0xcb];
export const SHR_S = [0x6c, 0x8c, 0xac, 0xcc];
export const SHR_U = [0x6d, 0x8d, 0xad, 0xcd];
export const ABS = [0x60, 0x80, 0xa0, 0xc0];
export const NEG = [0x61, 0x81, 0xa1, 0xc1];
export const SPLAT = [S.I8Splat, S.I16Splat, S.I32Splat, S.I64Splat];
export const EXTRACT_U = [S.I8ExtractU, S.I16ExtractU, S.I32Extract, S.I64Extract];
export const EXTRACT_S = [S.I8ExtractS, S.I16ExtractS, S.I32Extract, S.I64Extract];
export const REPLACE = [S.I8Replace, S.I16Replace, S.I32Replace, S.I64Replace];
/** extend_low/high of the narrower lanes, unsigned and signed, by the narrow size (0..2). */
export const EXTEND_LOW_U = [0x89, 0xa9, 0xc9];
export const EXTEND_HIGH_U = [0x8a, 0xaa, 0xca];
export const EXTEND_LOW_S = [0x87, 0xa7, 0xc7];
export const EXTEND_HIGH_S = [0x88, 0xa8, 0xc8];

export function simd(c: Code, sub: number): Code {
  return c.op(0xfd).u(sub);
}

/** Offset in memory of vector register r. */
export function vOff(j: Jit, r: number): number {
  return j.slot + V_OFFSET + 16 * r;
}

/** Pushes V[r] as v128. */
export function vget(j: Jit, r: number): Code {
  j.code.i32(0);
  return simd(j.code, S.Load).u(0).u(vOff(j, r));
}

/** Stores the v128 that `value` pushes into V[d]; with q = 0 the upper 64 bits become zero. */
export function vset(j: Jit, d: number, q: number, value: () => void): void {
  const c = j.code.i32(0);
  value();
  if (q === 0) lowHalf(c);
  simd(c, S.Store).u(0).u(vOff(j, d));
}

/** Keeps the low `bytes` bytes of the v128 on the stack (default 8), zeroing the rest. */
export function lowHalf(c: Code, bytes = 8): void {
  vconst(c, Array.from({ length: 16 }, (_, i) => (i < bytes ? 0xff : 0)));
}

/** ANDs the v128 on the stack with a constant of `bytes`. */
function vconst(c: Code, bytes: number[]): void {
  pushConst(c, bytes);
  simd(c, S.And);
}

export function pushConst(c: Code, bytes: number[]): Code {
  simd(c, S.Const);
  for (const b of bytes) c.op(b & 0xff);
  return c;
}

/** Pushes a v128 with every lane of (1 << size) bytes equal to the (lo, hi) pattern's low lane. */
export function pushRepeated(c: Code, lo: number, hi: number): Code {
  const bytes: number[] = [];
  for (let k = 0; k < 2; k++) {
    for (let b = 0; b < 4; b++) bytes.push((lo >>> (8 * b)) & 0xff);
    for (let b = 0; b < 4; b++) bytes.push((hi >>> (8 * b)) & 0xff);
  }
  return pushConst(c, bytes);
}

/** i8x16.shuffle of the two v128 on the stack: byte i of the result is byte idx[i] of a:b (0..31). */
export function shuffle(c: Code, idx: readonly number[]): Code {
  simd(c, S.Shuffle);
  for (let i = 0; i < 16; i++) c.op(idx[i] ?? 0);
  return c;
}

/** Lane operation with a lane immediate (extract/replace). */
export function lane(c: Code, sub: number, index: number): Code {
  return simd(c, sub).op(index);
}

/** Byte indices of element `e` of size `bytes` in source `src` (0: first operand, 1: second). */
export function elementBytes(src: number, e: number, bytes: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < bytes; b++) out.push(16 * src + e * bytes + b);
  return out;
}
