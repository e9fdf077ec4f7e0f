// Closures that run an FP element operation over the lanes of a vector (or
// the single lane of a scalar) and zero the rest of the destination register.
// Register arguments are register numbers; `count` is the number of lanes.

import type { Op } from '../../decoder';
import type { Cpu } from '../../cpu';
import { FR } from '../../fp/binary64';
import type { FpBinary } from './binary-ops';
import type { FpUnary } from './unary-ops';

/** Room for one 128-bit result built before it is written (pairwise forms). */
const SCRATCH = new Int32Array(4);
const SCRATCH_H = new Uint16Array(SCRATCH.buffer);

/** Zeroes 16-bit lanes from..7 of register d (index d8 = 8d). */
function clear16(vh: Uint16Array, d8: number, from: number): void {
  for (let i = from; i < 8; i++) vh[d8 + i] = 0;
}

function clear32(vw: Int32Array, d4: number, from: number): void {
  for (let i = from; i < 4; i++) vw[d4 + i] = 0;
}

/** Lanewise Vd = op(Vn, Vm, Vd). */
export function binaryLanes(cpu: Cpu, op: FpBinary, esize: number, count: number, d: number, n: number, m: number): Op {
  const { vh, vw } = cpu.state;
  if (esize === 16) {
    const f = op.h;
    const d8 = 8 * d;
    const n8 = 8 * n;
    const m8 = 8 * m;
    return () => {
      for (let i = 0; i < count; i++) vh[d8 + i] = f(cpu, vh[n8 + i], vh[m8 + i], vh[d8 + i]);
      clear16(vh, d8, count);
    };
  }
  const d4 = 4 * d;
  const n4 = 4 * n;
  const m4 = 4 * m;
  if (esize === 32) {
    const f = op.s;
    return () => {
      for (let i = 0; i < count; i++) vw[d4 + i] = f(cpu, vw[n4 + i], vw[m4 + i], vw[d4 + i]);
      clear32(vw, d4, count);
    };
  }
  const f = op.d;
  return () => {
    for (let i = 0; i < 2 * count; i += 2) {
      f(cpu, vw[n4 + i], vw[n4 + i + 1], vw[m4 + i], vw[m4 + i + 1], vw[d4 + i], vw[d4 + i + 1]);
      vw[d4 + i] = FR[0];
      vw[d4 + i + 1] = FR[1];
    }
    clear32(vw, d4, 2 * count);
  };
}

/** Lanewise Vd = op(Vn, Vm[index], Vd): the element is read before any lane is written. */
export function elementLanes(cpu: Cpu, op: FpBinary, esize: number, count: number, d: number, n: number, m: number, index: number): Op {
  const { vh, vw } = cpu.state;
  if (esize === 16) {
    const f = op.h;
    const d8 = 8 * d;
    const n8 = 8 * n;
    const e = 8 * m + index;
    return () => {
      const b = vh[e];
      for (let i = 0; i < count; i++) vh[d8 + i] = f(cpu, vh[n8 + i], b, vh[d8 + i]);
      clear16(vh, d8, count);
    };
  }
  const d4 = 4 * d;
  const n4 = 4 * n;
  if (esize === 32) {
    const f = op.s;
    const e = 4 * m + index;
    return () => {
      const b = vw[e];
      for (let i = 0; i < count; i++) vw[d4 + i] = f(cpu, vw[n4 + i], b, vw[d4 + i]);
      clear32(vw, d4, count);
    };
  }
  const f = op.d;
  const e = 4 * m + 2 * index;
  return () => {
    const blo = vw[e];
    const bhi = vw[e + 1];
    for (let i = 0; i < 2 * count; i += 2) {
      f(cpu, vw[n4 + i], vw[n4 + i + 1], blo, bhi, vw[d4 + i], vw[d4 + i + 1]);
      vw[d4 + i] = FR[0];
      vw[d4 + i + 1] = FR[1];
    }
    clear32(vw, d4, 2 * count);
  };
}

/** Pairwise: the lanes of Vn then Vm, adjacent pairs combined (FADDP, FMAXP...). */
export function pairwiseLanes(cpu: Cpu, op: FpBinary, esize: number, count: number, d: number, n: number, m: number): Op {
  const { vh, vw } = cpu.state;
  const half = count >> 1;
  if (esize === 16) {
    const f = op.h;
    const n8 = 8 * n;
    const m8 = 8 * m;
    const d8 = 8 * d;
    return () => {
      for (let i = 0; i < half; i++) {
        SCRATCH_H[i] = f(cpu, vh[n8 + 2 * i], vh[n8 + 2 * i + 1], 0);
        SCRATCH_H[half + i] = f(cpu, vh[m8 + 2 * i], vh[m8 + 2 * i + 1], 0);
      }
      for (let i = 0; i < count; i++) vh[d8 + i] = SCRATCH_H[i];
      clear16(vh, d8, count);
    };
  }
  const n4 = 4 * n;
  const m4 = 4 * m;
  const d4 = 4 * d;
  if (esize === 32) {
    const f = op.s;
    return () => {
      for (let i = 0; i < half; i++) {
        SCRATCH[i] = f(cpu, vw[n4 + 2 * i], vw[n4 + 2 * i + 1], 0);
        SCRATCH[half + i] = f(cpu, vw[m4 + 2 * i], vw[m4 + 2 * i + 1], 0);
      }
      for (let i = 0; i < count; i++) vw[d4 + i] = SCRATCH[i];
      clear32(vw, d4, count);
    };
  }
  const f = op.d;
  return () => {
    f(cpu, vw[n4], vw[n4 + 1], vw[n4 + 2], vw[n4 + 3], 0, 0);
    SCRATCH[0] = FR[0];
    SCRATCH[1] = FR[1];
    f(cpu, vw[m4], vw[m4 + 1], vw[m4 + 2], vw[m4 + 3], 0, 0);
    vw[d4] = SCRATCH[0];
    vw[d4 + 1] = SCRATCH[1];
    vw[d4 + 2] = FR[0];
    vw[d4 + 3] = FR[1];
  };
}

/** Scalar pairwise: Vd (one element) = op(Vn[0], Vn[1]). */
export function pairScalar(cpu: Cpu, op: FpBinary, esize: number, d: number, n: number): Op {
  const { vh, vw } = cpu.state;
  const d4 = 4 * d;
  const n4 = 4 * n;
  if (esize === 16) {
    const f = op.h;
    const n8 = 8 * n;
    return () => {
      const r = f(cpu, vh[n8], vh[n8 + 1], 0);
      clear32(vw, d4, 0);
      vh[2 * d4] = r;
    };
  }
  if (esize === 32) {
    const f = op.s;
    return () => {
      const r = f(cpu, vw[n4], vw[n4 + 1], 0);
      clear32(vw, d4, 1);
      vw[d4] = r;
    };
  }
  const f = op.d;
  return () => {
    f(cpu, vw[n4], vw[n4 + 1], vw[n4 + 2], vw[n4 + 3], 0, 0);
    vw[d4] = FR[0];
    vw[d4 + 1] = FR[1];
    clear32(vw, d4, 2);
  };
}

/** Across lanes (FMAXV...): Reduce's halving tree, op(op(e0, e1), op(e2, e3)) and so on. */
export function reduceLanes(cpu: Cpu, op: FpBinary, esize: number, count: number, d: number, n: number): Op {
  const { vh, vw } = cpu.state;
  const d4 = 4 * d;
  if (esize === 16) {
    const f = op.h;
    const n8 = 8 * n;
    return () => {
      let a = f(cpu, f(cpu, vh[n8], vh[n8 + 1], 0), f(cpu, vh[n8 + 2], vh[n8 + 3], 0), 0);
      if (count === 8) a = f(cpu, a, f(cpu, f(cpu, vh[n8 + 4], vh[n8 + 5], 0), f(cpu, vh[n8 + 6], vh[n8 + 7], 0), 0), 0);
      clear32(vw, d4, 0);
      vh[2 * d4] = a;
    };
  }
  const f = op.s;
  const n4 = 4 * n;
  return () => {
    const r = f(cpu, f(cpu, vw[n4], vw[n4 + 1], 0), f(cpu, vw[n4 + 2], vw[n4 + 3], 0), 0);
    clear32(vw, d4, 1);
    vw[d4] = r;
  };
}

/** Lanewise Vd = op(Vn). */
export function unaryLanes(cpu: Cpu, op: FpUnary, esize: number, count: number, d: number, n: number): Op | null {
  const { vh, vw } = cpu.state;
  if (esize === 16) {
    const f = op.h;
    if (!f) return null;
    const d8 = 8 * d;
    const n8 = 8 * n;
    return () => {
      for (let i = 0; i < count; i++) vh[d8 + i] = f(cpu, vh[n8 + i]);
      clear16(vh, d8, count);
    };
  }
  const d4 = 4 * d;
  const n4 = 4 * n;
  if (esize === 32) {
    const f = op.s;
    return () => {
      for (let i = 0; i < count; i++) vw[d4 + i] = f(cpu, vw[n4 + i]);
      clear32(vw, d4, count);
    };
  }
  const f = op.d;
  if (!f) return null;
  return () => {
    for (let i = 0; i < 2 * count; i += 2) {
      f(cpu, vw[n4 + i], vw[n4 + i + 1]);
      vw[d4 + i] = FR[0];
      vw[d4 + i + 1] = FR[1];
    }
    clear32(vw, d4, 2 * count);
  };
}
