// Shared views and scratch for the AdvSIMD data group: typed-array views of
// the vector registers per element size, signed and unsigned, a 16-byte
// scratch register, and the saturation flag that becomes FPSR.QC.

import type { Cpu } from '../../cpu';

/** FPSR.QC, the cumulative saturation bit. */
export const QC = 1 << 27;

export type UView = Uint8Array | Uint16Array | Uint32Array;
export type SView = Int8Array | Int16Array | Int32Array;

export interface VecViews {
  /** Unsigned views of V0-V31 for element sizes 8, 16, 32 (index by size 0..2). */
  readonly u: readonly [Uint8Array, Uint16Array, Uint32Array];
  readonly s: readonly [Int8Array, Int16Array, Int32Array];
  /** The registers as int32 words: 64-bit lanes are (lo, hi) word pairs. */
  readonly vw: Int32Array;
}

const cache = new WeakMap<object, VecViews>();

export function vecViews(cpu: Cpu): VecViews {
  const state = cpu.state;
  let v = cache.get(state);
  if (v === undefined) {
    // The CPU's registers may sit at an offset in a buffer shared by several CPUs.
    const buf = state.buffer;
    const at = state.vb.byteOffset;
    v = {
      u: [new Uint8Array(buf, at, 512), new Uint16Array(buf, at, 256), new Uint32Array(buf, at, 128)],
      s: [new Int8Array(buf, at, 512), new Int16Array(buf, at, 256), new Int32Array(buf, at, 128)],
      vw: state.vw,
    };
    cache.set(state, v);
  }
  return v;
}

const scratchBuf = new ArrayBuffer(32);
/** A 32-byte scratch area (two registers) for results that must not overwrite sources early. */
export const tmpU: readonly [Uint8Array, Uint16Array, Uint32Array] = [new Uint8Array(scratchBuf), new Uint16Array(scratchBuf), new Uint32Array(scratchBuf)];
export const tmpS: readonly [Int8Array, Int16Array, Int32Array] = [new Int8Array(scratchBuf), new Int16Array(scratchBuf), new Int32Array(scratchBuf)];
export const tmpW = new Int32Array(scratchBuf);

/** Set to 1 by saturating helpers; closures fold it into FPSR.QC and clear it. */
export const sat = new Int32Array(1);

export function foldSat(cpu: Cpu): void {
  if (sat[0] !== 0) {
    sat[0] = 0;
    cpu.fpsr = (cpu.fpsr | QC) >>> 0;
  }
}

export function satRange(v: number, lo: number, hi: number): number {
  if (v < lo) {
    sat[0] = 1;
    return lo;
  }
  if (v > hi) {
    sat[0] = 1;
    return hi;
  }
  return v;
}

/** Signed range of an element of 8 << size bits, as [min, max]. */
export function signedMin(size: number): number {
  return -(2 ** ((8 << size) - 1));
}

export function signedMax(size: number): number {
  return 2 ** ((8 << size) - 1) - 1;
}

export function unsignedMax(size: number): number {
  return 2 ** (8 << size) - 1;
}

/** Copies the first 4 scratch words to Vd (word index d4), or 2 and zeroes the top when the result is 64-bit. */
export function storeTmp(vw: Int32Array, d4: number, q: number): void {
  vw[d4] = tmpW[0];
  vw[d4 + 1] = tmpW[1];
  if (q) {
    vw[d4 + 2] = tmpW[2];
    vw[d4 + 3] = tmpW[3];
  } else {
    vw[d4 + 2] = 0;
    vw[d4 + 3] = 0;
  }
}

/** Element count of a vector arrangement: (64 or 128 bits) / (8 << size). */
export function laneCount(q: number, size: number): number {
  return (q ? 16 : 8) >> size;
}

/** Writes the low 64 scratch bits to the lower half of Vd (upper zeroed), or to the upper half (lower kept) for the "2" forms. */
export function storeNarrow(vw: Int32Array, d4: number, upper: number): void {
  if (upper) {
    vw[d4 + 2] = tmpW[0];
    vw[d4 + 3] = tmpW[1];
  } else {
    vw[d4] = tmpW[0];
    vw[d4 + 1] = tmpW[1];
    vw[d4 + 2] = 0;
    vw[d4 + 3] = 0;
  }
}

/** Clears the scratch words a scalar result is built in. */
export function clearTmp(): void {
  tmpW[0] = 0;
  tmpW[1] = 0;
  tmpW[2] = 0;
  tmpW[3] = 0;
}
