// Lazy arithmetic flags (the CC_OP idea): a flag-setting instruction stores
// its operation, result and operands in state.lazy; CF, PF, AF, ZF, SF and OF
// are computed only when an instruction reads them.
//
// lazy[Op] = kind << 2 | log2(width). Operands of 8/16-bit operations are
// stored zero-extended to their width, 32-bit ones as int32, 64-bit ones as
// lo/hi halves. lazy[Size] (slot 7) holds the carry-in of ADC/SBB and the CF
// that INC/DEC preserve: the width lives in Op, so the slot is free for it.

import { Lazy } from './cpu-state';
import * as mint64 from './int64';

// Module-local bindings of imported functions and constants: test runners that
// turn imports into property reads (vitest) still call them directly.
const { muls64 } = mint64;

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
  /**
   * Shifts and SHLD/SHRD: Dst is the result, Src1Lo holds CF, Src2Lo OF and
   * Src1Hi AF (0 for shifts). Rotates reuse it to keep the previous SF/ZF/PF
   * source (Dst) and AF while replacing CF and OF.
   */
  Shift = 8,
  /** Multiplies: Dst is the (low) result, Src1Lo holds CF = OF. */
  Mul = 9,
  /** IMUL r64, r/m64 (, imm): Dst is the truncated product, Src1/Src2 the factors; CF = OF computed on demand. */
  Imul64 = 10,
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
    case Cc.Imul64: return imul64Overflow(lz);
    default: return lz[Lazy.Src1Lo];
  }
}

const wide = new Int32Array(4);

/** Whether the signed 128-bit product of the stored factors differs from its sign-extended low half. */
function imul64Overflow(lz: Int32Array): number {
  muls64(lz[Lazy.Src1Lo], lz[Lazy.Src1Hi], lz[Lazy.Src2Lo], lz[Lazy.Src2Hi], wide, 0);
  const ext = wide[1] >> 31;
  return wide[2] !== ext || wide[3] !== ext ? 1 : 0;
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
    case Cc.Shift: return (lz[Lazy.Src1Hi] >> 4) & 1;
    default: return 0;
  }
}

/**
 * Rotates (and anything else that changes only CF and OF): the other flags
 * stay as the previous operation left them. When that operation's SF/ZF/PF
 * come from its result, the result stays in Dst and the lazy kind becomes
 * Shift with the new CF/OF and the old AF; otherwise the flags are computed.
 */
export function setCfOfOnly(lz: Int32Array, cf: number, of: number): void {
  const op = lz[Lazy.Op];
  const kind = op >> 2;
  if (kind === Cc.Eflags) {
    lz[Lazy.DstLo] = (lz[Lazy.DstLo] & ~(CF | OF)) | cf | (of << 11);
    return;
  }
  let af = 0;
  if (kind >= Cc.Add && kind <= Cc.Sbb) af = (lz[Lazy.Src1Lo] ^ lz[Lazy.Src2Lo] ^ lz[Lazy.DstLo]) & AF;
  else if (kind === Cc.Inc || kind === Cc.Dec) af = (lz[Lazy.Src1Lo] ^ lz[Lazy.DstLo]) & AF;
  else if (kind === Cc.Shift) af = lz[Lazy.Src1Hi] & AF;
  lz[Lazy.Op] = (Cc.Shift << 2) | (op & 3);
  lz[Lazy.Src1Lo] = cf;
  lz[Lazy.Src2Lo] = of;
  lz[Lazy.Src1Hi] = af;
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
    case Cc.Imul64: return imul64Overflow(lz);
    default: return lz[Lazy.Src1Lo];
  }
}

/** The six arithmetic flags in their RFLAGS positions. */
export function getArithFlags(lz: Int32Array): number {
  if (lz[Lazy.Op] >> 2 === Cc.Eflags) return lz[Lazy.DstLo] & ARITH_FLAGS;
  return getCF(lz) | (getPF(lz) << 2) | (getAF(lz) << 4) | (getZF(lz) << 6) | (getSF(lz) << 7) | (getOF(lz) << 11);
}

/** PF, AF, ZF and SF (the flags rotates and BT keep), without computing CF and OF. */
export function getFlagsExceptCfOf(lz: Int32Array): number {
  const op = lz[Lazy.Op];
  const kind = op >> 2;
  if (kind === Cc.Eflags) return lz[Lazy.DstLo] & (PF | AF | ZF | SF);
  const lg = op & 3;
  const d = lz[Lazy.DstLo];
  const top = lg === 3 ? lz[Lazy.DstHi] : d;
  const zero = lg === 3 ? (d | top) === 0 : (d & MASK[lg]) === 0;
  let f = (PARITY[d & 0xff] << 2) | (zero ? ZF : 0) | ((top & SIGN[lg]) !== 0 ? SF : 0);
  if (kind >= Cc.Add && kind <= Cc.Sbb) f |= (lz[Lazy.Src1Lo] ^ lz[Lazy.Src2Lo] ^ d) & AF;
  else if (kind === Cc.Inc || kind === Cc.Dec) f |= (lz[Lazy.Src1Lo] ^ d) & AF;
  return f;
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
  switch (op) {
    case (Cc.Sub << 2) | 2: return subCondition32(lz[Lazy.Src1Lo], lz[Lazy.Src2Lo], cc);
    case (Cc.Logic << 2) | 2: return logicCondition32(lz[Lazy.DstLo], cc);
    case (Cc.Sub << 2) | 3: return subCondition64(lz, cc);
    case (Cc.Logic << 2) | 3: return logicCondition64(lz[Lazy.DstLo], lz[Lazy.DstHi], cc);
    case (Cc.Sub << 2) | 0:
      // Bytes moved to the top: signed and unsigned order as for 32 bits (O, S, P need the real difference).
      if ((cc >= 2 && cc <= 7) || cc >= 12) return subCondition32(lz[Lazy.Src1Lo] << 24, lz[Lazy.Src2Lo] << 24, cc);
      break;
    case (Cc.Logic << 2) | 0: return logicCondition32(lz[Lazy.DstLo] << 24, cc, lz[Lazy.DstLo]);
  }
  return genericCondition(lz, cc);
}

function genericCondition(lz: Int32Array, cc: number): boolean {
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

/** CMP of 64-bit values: compare the high halves, then the low ones. */
function subCondition64(lz: Int32Array, cc: number): boolean {
  const aHi = lz[Lazy.Src1Hi];
  const bHi = lz[Lazy.Src2Hi];
  const aLo = lz[Lazy.Src1Lo];
  const bLo = lz[Lazy.Src2Lo];
  switch (cc) {
    case 2: return aHi !== bHi ? aHi >>> 0 < bHi >>> 0 : aLo >>> 0 < bLo >>> 0;
    case 3: return aHi !== bHi ? aHi >>> 0 > bHi >>> 0 : aLo >>> 0 >= bLo >>> 0;
    case 4: return aHi === bHi && aLo === bLo;
    case 5: return aHi !== bHi || aLo !== bLo;
    case 6: return aHi !== bHi ? aHi >>> 0 < bHi >>> 0 : aLo >>> 0 <= bLo >>> 0;
    case 7: return aHi !== bHi ? aHi >>> 0 > bHi >>> 0 : aLo >>> 0 > bLo >>> 0;
    case 12: return aHi !== bHi ? aHi < bHi : aLo >>> 0 < bLo >>> 0;
    case 13: return aHi !== bHi ? aHi > bHi : aLo >>> 0 >= bLo >>> 0;
    case 14: return aHi !== bHi ? aHi < bHi : aLo >>> 0 <= bLo >>> 0;
    case 15: return aHi !== bHi ? aHi > bHi : aLo >>> 0 > bLo >>> 0;
    default: return genericCondition(lz, cc);
  }
}

function logicCondition64(lo: number, hi: number, cc: number): boolean {
  switch (cc) {
    case 4: case 6: return (lo | hi) === 0;
    case 5: case 7: return (lo | hi) !== 0;
    case 10: return PARITY[lo & 0xff] === 1;
    case 11: return PARITY[lo & 0xff] === 0;
    case 14: return hi < 0 || (lo | hi) === 0;
    case 15: return hi >= 0 && (lo | hi) !== 0;
    default: return logicCondition32(hi, cc);
  }
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

/** TEST/AND/OR/XOR results: CF = OF = 0. `low` is the byte PF reads (d itself unless d was shifted into place). */
function logicCondition32(d: number, cc: number, low = d): boolean {
  switch (cc) {
    case 0: case 2: return false;
    case 1: case 3: return true;
    case 4: case 6: return d === 0;
    case 5: case 7: return d !== 0;
    case 8: case 12: return d < 0;
    case 9: case 13: return d >= 0;
    case 10: return PARITY[low & 0xff] === 1;
    case 11: return PARITY[low & 0xff] === 0;
    case 14: return d <= 0;
    default: return d > 0;
  }
}

export const CONDITION_NAMES = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];

// ---- small per-condition tests for Jcc (each small enough to inline) ----

const SUB32 = (Cc.Sub << 2) | 2;
const SUB64 = (Cc.Sub << 2) | 3;
const LOGIC32 = (Cc.Logic << 2) | 2;
const LOGIC64 = (Cc.Logic << 2) | 3;

/** ZF = 1 (E/Z). */
export function condE(lz: Int32Array): boolean {
  const op = lz[Lazy.Op];
  if (op === SUB32) return lz[Lazy.Src1Lo] === lz[Lazy.Src2Lo];
  if (op === SUB64) return lz[Lazy.Src1Lo] === lz[Lazy.Src2Lo] && lz[Lazy.Src1Hi] === lz[Lazy.Src2Hi];
  if (op === LOGIC32) return lz[Lazy.DstLo] === 0;
  if (op === LOGIC64) return (lz[Lazy.DstLo] | lz[Lazy.DstHi]) === 0;
  return getZF(lz) === 1;
}

/** CF = 1 (B/C). */
export function condB(lz: Int32Array): boolean {
  const op = lz[Lazy.Op];
  if (op === SUB32) return lz[Lazy.Src1Lo] >>> 0 < lz[Lazy.Src2Lo] >>> 0;
  if (op === SUB64) {
    const aHi = lz[Lazy.Src1Hi];
    const bHi = lz[Lazy.Src2Hi];
    return aHi !== bHi ? aHi >>> 0 < bHi >>> 0 : lz[Lazy.Src1Lo] >>> 0 < lz[Lazy.Src2Lo] >>> 0;
  }
  return getCF(lz) === 1;
}

/** CF = 1 or ZF = 1 (BE). */
export function condBE(lz: Int32Array): boolean {
  const op = lz[Lazy.Op];
  if (op === SUB32) return lz[Lazy.Src1Lo] >>> 0 <= lz[Lazy.Src2Lo] >>> 0;
  if (op === SUB64) {
    const aHi = lz[Lazy.Src1Hi];
    const bHi = lz[Lazy.Src2Hi];
    return aHi !== bHi ? aHi >>> 0 < bHi >>> 0 : lz[Lazy.Src1Lo] >>> 0 <= lz[Lazy.Src2Lo] >>> 0;
  }
  return condition(lz, 6);
}

/** SF != OF (L). */
export function condL(lz: Int32Array): boolean {
  const op = lz[Lazy.Op];
  if (op === SUB32) return lz[Lazy.Src1Lo] < lz[Lazy.Src2Lo];
  if (op === SUB64) {
    const aHi = lz[Lazy.Src1Hi];
    const bHi = lz[Lazy.Src2Hi];
    return aHi !== bHi ? aHi < bHi : lz[Lazy.Src1Lo] >>> 0 < lz[Lazy.Src2Lo] >>> 0;
  }
  return condition(lz, 12);
}

/** ZF = 1 or SF != OF (LE). */
export function condLE(lz: Int32Array): boolean {
  const op = lz[Lazy.Op];
  if (op === SUB32) return lz[Lazy.Src1Lo] <= lz[Lazy.Src2Lo];
  if (op === SUB64) {
    const aHi = lz[Lazy.Src1Hi];
    const bHi = lz[Lazy.Src2Hi];
    return aHi !== bHi ? aHi < bHi : lz[Lazy.Src1Lo] >>> 0 <= lz[Lazy.Src2Lo] >>> 0;
  }
  return condition(lz, 14);
}
