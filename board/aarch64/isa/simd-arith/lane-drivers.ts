// Closure builders for AdvSIMD integer operations lane by lane. Each builder
// runs at decode time and returns an Op specialised on the arrangement: the
// sources are first copied to scratch registers (so Rd may alias Rn or Rm and
// a by-element operand is read before any lane is written), then each lane's
// result goes straight into Vd, and the bytes above the result are zeroed.

import type { Cpu } from '../../cpu';
import type { Op } from '../../decoder';
import { R } from '../../int64';
import { FPSR_QC, saturated } from './lane-math';

export type Lanes = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;

/** A lane function on esize <= 32 lanes: a and b as numbers of the operation's signedness, acc the old Vd lane. */
export type LaneFn = (a: number, b: number, acc: number) => number;
/** A lane function on 64-bit lanes: R = result. */
export type LaneFn64 = (alo: number, ahi: number, blo: number, bhi: number, dlo: number, dhi: number) => void;

class Scratch {
  readonly u8: Uint8Array;
  readonly s8: Int8Array;
  readonly u16: Uint16Array;
  readonly s16: Int16Array;
  readonly u32: Uint32Array;
  readonly s32: Int32Array;
  constructor() {
    const buf = new ArrayBuffer(16);
    this.u8 = new Uint8Array(buf);
    this.s8 = new Int8Array(buf);
    this.u16 = new Uint16Array(buf);
    this.s16 = new Int16Array(buf);
    this.u32 = new Uint32Array(buf);
    this.s32 = new Int32Array(buf);
  }

  lanes(esize: number, signed: boolean): Lanes {
    if (esize === 8) return signed ? this.s8 : this.u8;
    if (esize === 16) return signed ? this.s16 : this.u16;
    return signed ? this.s32 : this.u32;
  }
}

const A = new Scratch();
const B = new Scratch();
const D = new Scratch();

/** Operands of a lane-wise operation, all fixed at decode time. */
export interface LaneShape {
  cpu: Cpu;
  esize: number;
  /** Result lanes written. */
  count: number;
  signed: boolean;
  d: number;
  n: number;
  m: number;
  /** A fixed lane of Vm (by-element forms), or -1 for lane i. */
  bIndex: number;
}

function snap(vw: Int32Array, reg: number, dst: Int32Array): void {
  const o = reg * 4;
  dst[0] = vw[o];
  dst[1] = vw[o + 1];
  dst[2] = vw[o + 2];
  dst[3] = vw[o + 3];
}

/** The Vd view and lane base for lanes of esize bits. */
function destination(cpu: Cpu, esize: number, d: number): [Lanes, number] {
  const s = cpu.state;
  if (esize === 8) return [s.vb, d * 16];
  if (esize === 16) return [s.vh, d * 8];
  return [s.vw, d * 4];
}

/** Zeroes Vd's bytes from `from` to 15. */
export function zeroFrom(cpu: Cpu, d: number, from: number): void {
  if (from >= 16) return;
  if (from === 8) {
    cpu.state.vw[d * 4 + 2] = 0;
    cpu.state.vw[d * 4 + 3] = 0;
  } else cpu.state.vb.fill(0, d * 16 + from, d * 16 + 16);
}

function finish(cpu: Cpu, d: number, tail: number): void {
  if (tail < 16) zeroFrom(cpu, d, tail);
  if (saturated[0]) cpu.fpsr |= FPSR_QC;
}

/**
 * Vd[i] = fn(Vn[i], Vm[i or bIndex], Vd[i]) for lanes of esize <= 32. One
 * closure body per lane size keeps each typed-array access site to two kinds
 * (signed and unsigned views), which the engine handles without going generic.
 */
export function elementwise(p: LaneShape, fn: LaneFn): Op {
  const { cpu, count, d, n, m, bIndex } = p;
  const vw = cpu.state.vw;
  const tail = (count * p.esize) / 8;
  const s = cpu.state;
  if (p.esize === 8) {
    const a = p.signed ? A.s8 : A.u8;
    const b = p.signed ? B.s8 : B.u8;
    const acc = p.signed ? D.s8 : D.u8;
    const out = s.vb;
    const ob = d * 16;
    return () => {
      snap(vw, n, A.s32);
      snap(vw, m, B.s32);
      snap(vw, d, D.s32);
      saturated[0] = 0;
      for (let i = 0; i < count; i++) out[ob + i] = fn(a[i], b[bIndex < 0 ? i : bIndex], acc[i]);
      finish(cpu, d, tail);
    };
  }
  if (p.esize === 16) {
    const a = p.signed ? A.s16 : A.u16;
    const b = p.signed ? B.s16 : B.u16;
    const acc = p.signed ? D.s16 : D.u16;
    const out = s.vh;
    const ob = d * 8;
    return () => {
      snap(vw, n, A.s32);
      snap(vw, m, B.s32);
      snap(vw, d, D.s32);
      saturated[0] = 0;
      for (let i = 0; i < count; i++) out[ob + i] = fn(a[i], b[bIndex < 0 ? i : bIndex], acc[i]);
      finish(cpu, d, tail);
    };
  }
  const a = p.signed ? A.s32 : A.u32;
  const b = p.signed ? B.s32 : B.u32;
  const acc = p.signed ? D.s32 : D.u32;
  const ob = d * 4;
  return () => {
    snap(vw, n, A.s32);
    snap(vw, m, B.s32);
    snap(vw, d, D.s32);
    saturated[0] = 0;
    for (let i = 0; i < count; i++) vw[ob + i] = fn(a[i], b[bIndex < 0 ? i : bIndex], acc[i]);
    finish(cpu, d, tail);
  };
}

/** Vd[i] = fn(Vn[i], Vm[i]) for 64-bit lanes (count 1 or 2). */
export function elementwise64(p: LaneShape, fn: LaneFn64): Op {
  const { cpu, count, d, n, m } = p;
  const vw = cpu.state.vw;
  const a = A.s32;
  const b = B.s32;
  const acc = D.s32;
  const o = d * 4;
  const tail = count * 8;
  return () => {
    snap(vw, n, a);
    snap(vw, m, b);
    snap(vw, d, acc);
    saturated[0] = 0;
    for (let i = 0; i < 2 * count; i += 2) {
      fn(a[i], a[i + 1], b[i], b[i + 1], acc[i], acc[i + 1]);
      vw[o + i] = R[0];
      vw[o + i + 1] = R[1];
    }
    finish(cpu, d, tail);
  };
}

/** Vd[i] = fn(pair i of Vm:Vn) for lanes of esize <= 32: the low half of the result from Vn, the high half from Vm. */
export function pairwise(p: LaneShape, fn: LaneFn): Op {
  const { cpu, count, d, n, m } = p;
  const vw = cpu.state.vw;
  const a = A.lanes(p.esize, p.signed);
  const b = B.lanes(p.esize, p.signed);
  const [out, ob] = destination(cpu, p.esize, d);
  const half = count >> 1;
  const tail = (count * p.esize) / 8;
  return () => {
    snap(vw, n, A.s32);
    snap(vw, m, B.s32);
    for (let i = 0; i < half; i++) out[ob + i] = fn(a[2 * i], a[2 * i + 1], 0);
    for (let i = 0; i < half; i++) out[ob + half + i] = fn(b[2 * i], b[2 * i + 1], 0);
    if (tail < 16) zeroFrom(cpu, d, tail);
  };
}

/** Operands of a widening operation: result lanes are twice the source esize. */
export interface LongShape extends LaneShape {
  /** 0: the sources' lower halves; 1: their upper halves (the "2" forms). */
  part: number;
  /** The first operand already has the wide lanes (the W forms). */
  wideA: boolean;
}

/** Vd[i] (2*esize) = fn(Vn[i], Vm[i], Vd[i]) for source lanes of 8 or 16 bits. */
export function widening(p: LongShape, fn: LaneFn): Op {
  const { cpu, count, d, n, m, bIndex } = p;
  const vw = cpu.state.vw;
  const wide = 2 * p.esize;
  const a = p.wideA ? A.lanes(wide, p.signed) : A.lanes(p.esize, p.signed);
  const b = B.lanes(p.esize, p.signed);
  const acc = D.lanes(wide, p.signed);
  const [out, ob] = destination(cpu, wide, d);
  const base = p.part * count;
  const aBase = p.wideA ? 0 : base;
  const tail = (count * wide) / 8;
  return () => {
    snap(vw, n, A.s32);
    snap(vw, m, B.s32);
    snap(vw, d, D.s32);
    saturated[0] = 0;
    for (let i = 0; i < count; i++) out[ob + i] = fn(a[aBase + i], b[bIndex < 0 ? base + i : bIndex], acc[i]);
    finish(cpu, d, tail);
  };
}

/** A widening lane function from 32-bit sources: R = result from a, b (numbers) and the old 64-bit lane. */
export type LongFn64 = (a: number, b: number, dlo: number, dhi: number) => void;

/** Vd[i] (64-bit) = fn(Vn[i], Vm[i], Vd[i]) for 32-bit source lanes. */
export function widening64(p: LongShape, fn: LongFn64): Op {
  const { cpu, count, d, n, m, bIndex } = p;
  const vw = cpu.state.vw;
  const a = A.lanes(32, p.signed);
  const b = B.lanes(32, p.signed);
  const acc = D.s32;
  const o = d * 4;
  const base = p.part * count;
  const tail = count * 8;
  return () => {
    snap(vw, n, A.s32);
    snap(vw, m, B.s32);
    snap(vw, d, acc);
    saturated[0] = 0;
    for (let i = 0; i < count; i++) {
      fn(a[base + i], b[bIndex < 0 ? base + i : bIndex], acc[2 * i], acc[2 * i + 1]);
      vw[o + 2 * i] = R[0];
      vw[o + 2 * i + 1] = R[1];
    }
    finish(cpu, d, tail);
  };
}

/** SADDW/UADDW/SSUBW/USUBW with 2D results: R = fn(wide lane of Vn, 32-bit lane of Vm). */
export function wide64(p: LongShape, fn: (alo: number, ahi: number, b: number) => void): Op {
  const { cpu, d, n, m } = p;
  const vw = cpu.state.vw;
  const a = A.s32;
  const b = B.lanes(32, p.signed);
  const o = d * 4;
  const base = p.part * 2;
  return () => {
    snap(vw, n, a);
    snap(vw, m, B.s32);
    for (let i = 0; i < 2; i++) {
      fn(a[2 * i], a[2 * i + 1], b[base + i]);
      vw[o + 2 * i] = R[0];
      vw[o + 2 * i + 1] = R[1];
    }
  };
}

/** Vd[part*count + i] (esize) = fn(Vn[i], Vm[i]) from lanes of 2*esize <= 32 (unsigned); part 0 zeroes the upper half. */
export function narrowing(p: LongShape, fn: LaneFn): Op {
  const { cpu, count, d, n, m } = p;
  const vw = cpu.state.vw;
  const a = A.lanes(2 * p.esize, false);
  const b = B.lanes(2 * p.esize, false);
  const [out, ob] = destination(cpu, p.esize, d);
  const base = ob + p.part * count;
  const zero = p.part === 0;
  return () => {
    snap(vw, n, A.s32);
    snap(vw, m, B.s32);
    for (let i = 0; i < count; i++) out[base + i] = fn(a[i], b[i], 0);
    if (zero) zeroFrom(cpu, d, 8);
  };
}

/** As narrowing, from 64-bit lanes to 32-bit ones. */
export function narrowing64(p: LongShape, fn: (alo: number, ahi: number, blo: number, bhi: number) => number): Op {
  const { cpu, d, n, m } = p;
  const vw = cpu.state.vw;
  const a = A.s32;
  const b = B.s32;
  const base = d * 4 + p.part * 2;
  const zero = p.part === 0;
  return () => {
    snap(vw, n, a);
    snap(vw, m, b);
    vw[base] = fn(a[0], a[1], b[0], b[1]);
    vw[base + 1] = fn(a[2], a[3], b[2], b[3]);
    if (zero) zeroFrom(cpu, d, 8);
  };
}

/** Reduces the count lanes of Vn with fn into a scalar of outEsize bits (<= 64) in Vd; the rest of Vd is zeroed. */
export function across(p: LaneShape, outEsize: number, fn: (acc: number, x: number) => number): Op {
  const { cpu, count, d, n } = p;
  const vw = cpu.state.vw;
  const a = A.lanes(p.esize, p.signed);
  const [out, ob] = outEsize === 64 ? destination(cpu, 32, d) : destination(cpu, outEsize, d);
  const wide = outEsize === 64;
  return () => {
    snap(vw, n, A.s32);
    let acc = a[0];
    for (let i = 1; i < count; i++) acc = fn(acc, a[i]);
    vw[d * 4] = 0;
    vw[d * 4 + 1] = 0;
    vw[d * 4 + 2] = 0;
    vw[d * 4 + 3] = 0;
    if (wide) {
      out[ob] = acc;
      out[ob + 1] = Math.floor(acc / 4294967296);
    } else out[ob] = acc;
  };
}
