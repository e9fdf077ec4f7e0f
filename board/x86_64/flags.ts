// Lazy arithmetic flags (the CC_OP idea): a flag-setting instruction stores
// its operation, result and operands in state.lazy; CF, PF, AF, ZF, SF and OF
// are computed only when an instruction reads them.
//
// lazy[Op] = kind << 2 | log2(width). Operands of 8/16-bit operations are
// stored zero-extended to their width, 32-bit ones as int32, 64-bit ones as
// lo/hi halves. lazy[Size] (slot 7) holds the carry-in of ADC/SBB and the CF
// that INC/DEC preserve: the width lives in Op, so the slot is free for it.

import { Lazy } from './cpu-state';

export const enum Cc {
  /** Flags already computed: DstLo holds them in their RFLAGS positions. */
  Eflags = 0,
  Add = 1,
  Adc = 2,
  Sub = 3,
  Sbb = 4,
  Logic = 5,
  Inc = 6,
  Dec = 7,
  /** Shifts and SHLD/SHRD: Dst is the result, Src1Lo holds CF and Src2Lo OF. */
  Shift = 8,
  /** Multiplies: Dst is the (low) result, Src1Lo holds CF = OF. */
  Mul = 9,
}

export const CF = 0x1;
export const PF = 0x4;
export const AF = 0x10;
export const ZF = 0x40;
export const SF = 0x80;
export const OF = 0x800;
export const ARITH_FLAGS = CF | PF | AF | ZF | SF | OF;
export const RFLAGS_IF = 1 << 9;
export const RFLAGS_DF = 1 << 10;

const EXTRA = Lazy.Size;

const SIGN = [0x80, 0x8000, 0x80000000, 0x80000000];
const MASK = [0xff, 0xffff, -1, -1];

const PARITY = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let p = 1;
  for (let b = i; b !== 0; b >>= 1) p ^= b & 1;
  PARITY[i] = p;
}

/** Unsigned a < b on 64-bit values given as halves. */
function below64(aLo: number, aHi: number, bLo: number, bHi: number): boolean {
  return aHi >>> 0 !== bHi >>> 0 ? aHi >>> 0 < bHi >>> 0 : aLo >>> 0 < bLo >>> 0;
}

export function getCF(lz: Int32Array): number {
  const op = lz[Lazy.Op];
  const kind = op >> 2;
  const lg = op & 3;
  switch (kind) {
    case Cc.Eflags: return lz[Lazy.DstLo] & 1;
    case Cc.Add:
      return (lg === 3 ? below64(lz[Lazy.DstLo], lz[Lazy.DstHi], lz[Lazy.Src1Lo], lz[Lazy.Src1Hi]) : lz[Lazy.DstLo] >>> 0 < lz[Lazy.Src1Lo] >>> 0) ? 1 : 0;
    case Cc.Adc: {
      if (lz[EXTRA] === 0) return (lg === 3 ? below64(lz[Lazy.DstLo], lz[Lazy.DstHi], lz[Lazy.Src1Lo], lz[Lazy.Src1Hi]) : lz[Lazy.DstLo] >>> 0 < lz[Lazy.Src1Lo] >>> 0) ? 1 : 0;
      return (lg === 3 ? !below64(lz[Lazy.Src1Lo], lz[Lazy.Src1Hi], lz[Lazy.DstLo], lz[Lazy.DstHi]) : lz[Lazy.DstLo] >>> 0 <= lz[Lazy.Src1Lo] >>> 0) ? 1 : 0;
    }
    case Cc.Sub:
      return (lg === 3 ? below64(lz[Lazy.Src1Lo], lz[Lazy.Src1Hi], lz[Lazy.Src2Lo], lz[Lazy.Src2Hi]) : lz[Lazy.Src1Lo] >>> 0 < lz[Lazy.Src2Lo] >>> 0) ? 1 : 0;
    case Cc.Sbb: {
      if (lz[EXTRA] === 0) return (lg === 3 ? below64(lz[Lazy.Src1Lo], lz[Lazy.Src1Hi], lz[Lazy.Src2Lo], lz[Lazy.Src2Hi]) : lz[Lazy.Src1Lo] >>> 0 < lz[Lazy.Src2Lo] >>> 0) ? 1 : 0;
      return (lg === 3 ? !below64(lz[Lazy.Src2Lo], lz[Lazy.Src2Hi], lz[Lazy.Src1Lo], lz[Lazy.Src1Hi]) : lz[Lazy.Src1Lo] >>> 0 <= lz[Lazy.Src2Lo] >>> 0) ? 1 : 0;
    }
    case Cc.Logic: return 0;
    case Cc.Inc:
    case Cc.Dec: return lz[EXTRA];
    default: return lz[Lazy.Src1Lo];
  }
}

export function getZF(lz: Int32Array): number {
  const op = lz[Lazy.Op];
  if (op >> 2 === Cc.Eflags) return (lz[Lazy.DstLo] >> 6) & 1;
  if ((op & 3) === 3) return (lz[Lazy.DstLo] | lz[Lazy.DstHi]) === 0 ? 1 : 0;
  return (lz[Lazy.DstLo] & MASK[op & 3]) === 0 ? 1 : 0;
}

export function getSF(lz: Int32Array): number {
  const op = lz[Lazy.Op];
  if (op >> 2 === Cc.Eflags) return (lz[Lazy.DstLo] >> 7) & 1;
  const lg = op & 3;
  return ((lg === 3 ? lz[Lazy.DstHi] : lz[Lazy.DstLo]) & SIGN[lg]) !== 0 ? 1 : 0;
}

export function getPF(lz: Int32Array): number {
  if (lz[Lazy.Op] >> 2 === Cc.Eflags) return (lz[Lazy.DstLo] >> 2) & 1;
  return PARITY[lz[Lazy.DstLo] & 0xff];
}

export function getAF(lz: Int32Array): number {
  switch (lz[Lazy.Op] >> 2) {
    case Cc.Eflags: return (lz[Lazy.DstLo] >> 4) & 1;
    case Cc.Add:
    case Cc.Adc:
    case Cc.Sub:
    case Cc.Sbb: return ((lz[Lazy.Src1Lo] ^ lz[Lazy.Src2Lo] ^ lz[Lazy.DstLo]) >> 4) & 1;
    case Cc.Inc:
    case Cc.Dec: return ((lz[Lazy.Src1Lo] ^ lz[Lazy.DstLo]) >> 4) & 1;
    default: return 0;
  }
}

export function getOF(lz: Int32Array): number {
  const op = lz[Lazy.Op];
  const lg = op & 3;
  const hi = lg === 3;
  const sign = SIGN[lg];
  const d = hi ? lz[Lazy.DstHi] : lz[Lazy.DstLo];
  const a = hi ? lz[Lazy.Src1Hi] : lz[Lazy.Src1Lo];
  const b = hi ? lz[Lazy.Src2Hi] : lz[Lazy.Src2Lo];
  switch (op >> 2) {
    case Cc.Eflags: return (lz[Lazy.DstLo] >> 11) & 1;
    case Cc.Add:
    case Cc.Adc: return ((a ^ d) & (b ^ d) & sign) !== 0 ? 1 : 0;
    case Cc.Sub:
    case Cc.Sbb: return ((a ^ b) & (a ^ d) & sign) !== 0 ? 1 : 0;
    case Cc.Inc: return d === (hi ? (0x80000000 | 0) : sign | 0) && (!hi || lz[Lazy.DstLo] === 0) ? 1 : 0;
    case Cc.Dec: return d === (hi ? 0x7fffffff : sign - 1) && (!hi || lz[Lazy.DstLo] === -1) ? 1 : 0;
    case Cc.Logic: return 0;
    case Cc.Shift: return lz[Lazy.Src2Lo];
    default: return lz[Lazy.Src1Lo];
  }
}

/** The six arithmetic flags in their RFLAGS positions. */
export function getArithFlags(lz: Int32Array): number {
  if (lz[Lazy.Op] >> 2 === Cc.Eflags) return lz[Lazy.DstLo] & ARITH_FLAGS;
  return getCF(lz) | (getPF(lz) << 2) | (getAF(lz) << 4) | (getZF(lz) << 6) | (getSF(lz) << 7) | (getOF(lz) << 11);
}

/** Replaces the lazy state with explicit flag bits. */
export function setArithFlags(lz: Int32Array, flags: number): void {
  lz[Lazy.Op] = Cc.Eflags << 2;
  lz[Lazy.DstLo] = flags & ARITH_FLAGS;
}

/** Evaluates condition code cc (the low nibble of Jcc/SETcc/CMOVcc). */
export function condition(lz: Int32Array, cc: number): boolean {
  const op = lz[Lazy.Op];
  // The common CMP/SUB and TEST/AND cases straight from the operands.
  if (op === ((Cc.Sub << 2) | 2)) return subCondition32(lz[Lazy.Src1Lo], lz[Lazy.Src2Lo], cc);
  if (op === ((Cc.Logic << 2) | 2)) return logicCondition32(lz[Lazy.DstLo], cc);
  let r: boolean;
  switch (cc >> 1) {
    case 0: r = getOF(lz) === 1; break;
    case 1: r = getCF(lz) === 1; break;
    case 2: r = getZF(lz) === 1; break;
    case 3: r = (getCF(lz) | getZF(lz)) === 1; break;
    case 4: r = getSF(lz) === 1; break;
    case 5: r = getPF(lz) === 1; break;
    case 6: r = getSF(lz) !== getOF(lz); break;
    default: r = getZF(lz) === 1 || getSF(lz) !== getOF(lz); break;
  }
  return (cc & 1) === 0 ? r : !r;
}

function subCondition32(a: number, b: number, cc: number): boolean {
  switch (cc) {
    case 2: return a >>> 0 < b >>> 0;
    case 3: return a >>> 0 >= b >>> 0;
    case 4: return a === b;
    case 5: return a !== b;
    case 6: return a >>> 0 <= b >>> 0;
    case 7: return a >>> 0 > b >>> 0;
    case 12: return a < b;
    case 13: return a >= b;
    case 14: return a <= b;
    case 15: return a > b;
    default: {
      const d = (a - b) | 0;
      switch (cc) {
        case 0: return ((a ^ b) & (a ^ d)) < 0;
        case 1: return ((a ^ b) & (a ^ d)) >= 0;
        case 8: return d < 0;
        case 9: return d >= 0;
        case 10: return PARITY[d & 0xff] === 1;
        default: return PARITY[d & 0xff] === 0;
      }
    }
  }
}

function logicCondition32(d: number, cc: number): boolean {
  switch (cc) {
    case 0: case 2: return false;
    case 1: case 3: return true;
    case 4: case 6: return d === 0;
    case 5: case 7: return d !== 0;
    case 8: case 12: return d < 0;
    case 9: case 13: return d >= 0;
    case 10: return PARITY[d & 0xff] === 1;
    case 11: return PARITY[d & 0xff] === 0;
    case 14: return d <= 0;
    default: return d > 0;
  }
}

export const CONDITION_NAMES = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
