// The integer operations of AdvSIMD three same (vector and scalar), as lane
// functions: one entry per (U, opcode) with the sizes each form allows.

import { add64, R } from '../../int64';
import type { LaneFn, LaneFn64 } from './lane-drivers';
import { pmul8, scmp64, signedSat, smul32, sqadd64, sqsub64, sub64, ucmp64, unsignedSat, uqadd64, uqsub64 } from './lane-math';
import { ShiftKind, shiftLane, shiftLane64 } from './lane-shift';

export interface SameOp {
  name: string;
  u: number;
  opcode: number;
  /** Lanes are read as signed numbers. */
  signed: boolean;
  /** Allowed sizes (bit per size field value) of the vector form; size 3 needs Q = 1. */
  vectorSizes: number;
  /** Allowed sizes of the scalar form (0: no scalar form). */
  scalarSizes: number;
  pairwise?: boolean;
  lane: (esize: number) => LaneFn;
  lane64?: LaneFn64;
}

const ALL = 0b1111;
const NO_D = 0b0111;
const HS = 0b0110;
const D_ONLY = 0b1000;

const set = (t: boolean): number => (t ? -1 : 0);
function cmp64(pred: (c: number) => boolean, compare: typeof scmp64): LaneFn64 {
  return (alo, ahi, blo, bhi) => {
    const r = set(pred(compare(alo, ahi, blo, bhi)));
    R[0] = r;
    R[1] = r;
  };
}

function shift(signed: boolean, rounding: boolean, saturating: boolean): Pick<SameOp, 'lane' | 'lane64'> {
  const kind: ShiftKind = { signed, rounding, saturating };
  const f = shiftLane64(kind);
  return { lane: (e) => shiftLane(e, kind), lane64: (alo, ahi, blo) => f(alo, ahi, blo) };
}

/** SQDMULH / SQRDMULH: the high half of the doubled product, rounded or not, saturated. */
function doublingHigh(rounding: boolean): (esize: number) => LaneFn {
  return (esize) => {
    const sat = signedSat(esize);
    if (esize === 16) {
      const round = rounding ? 0x8000 : 0;
      return (a, b) => sat(Math.floor((2 * a * b + round) / 65536));
    }
    return (a, b) => {
      smul32(a, b);
      // floor((2ab + round) / 2^32) = floor((ab + round/2) / 2^31)
      if (rounding) add64(R[0], R[1], 0x40000000, 0, 0);
      return sat(R[1] * 2 + (R[0] >>> 31));
    };
  };
}

function op(name: string, u: number, opcode: number, vectorSizes: number, scalarSizes: number, rest: Partial<SameOp> & Pick<SameOp, 'lane'>): SameOp {
  return { name, u, opcode, signed: u === 0, vectorSizes, scalarSizes, ...rest };
}

export const sameOps: SameOp[] = [
  op('SHADD', 0, 0b00000, NO_D, 0, { lane: () => (a, b) => Math.floor((a + b) / 2) }),
  op('UHADD', 1, 0b00000, NO_D, 0, { lane: () => (a, b) => Math.floor((a + b) / 2) }),
  op('SQADD', 0, 0b00001, ALL, ALL, { lane: (e) => { const s = signedSat(e); return (a, b) => s(a + b); }, lane64: sqadd64 }),
  op('UQADD', 1, 0b00001, ALL, ALL, { lane: (e) => { const s = unsignedSat(e); return (a, b) => s(a + b); }, lane64: uqadd64 }),
  op('SRHADD', 0, 0b00010, NO_D, 0, { lane: () => (a, b) => Math.floor((a + b + 1) / 2) }),
  op('URHADD', 1, 0b00010, NO_D, 0, { lane: () => (a, b) => Math.floor((a + b + 1) / 2) }),
  op('SHSUB', 0, 0b00100, NO_D, 0, { lane: () => (a, b) => Math.floor((a - b) / 2) }),
  op('UHSUB', 1, 0b00100, NO_D, 0, { lane: () => (a, b) => Math.floor((a - b) / 2) }),
  op('SQSUB', 0, 0b00101, ALL, ALL, { lane: (e) => { const s = signedSat(e); return (a, b) => s(a - b); }, lane64: sqsub64 }),
  op('UQSUB', 1, 0b00101, ALL, ALL, { lane: (e) => { const s = unsignedSat(e); return (a, b) => s(a - b); }, lane64: uqsub64 }),
  op('CMGT', 0, 0b00110, ALL, D_ONLY, { lane: () => (a, b) => set(a > b), lane64: cmp64((c) => c > 0, scmp64) }),
  op('CMHI', 1, 0b00110, ALL, D_ONLY, { lane: () => (a, b) => set(a > b), lane64: cmp64((c) => c > 0, ucmp64) }),
  op('CMGE', 0, 0b00111, ALL, D_ONLY, { lane: () => (a, b) => set(a >= b), lane64: cmp64((c) => c >= 0, scmp64) }),
  op('CMHS', 1, 0b00111, ALL, D_ONLY, { lane: () => (a, b) => set(a >= b), lane64: cmp64((c) => c >= 0, ucmp64) }),
  op('SSHL', 0, 0b01000, ALL, D_ONLY, shift(true, false, false)),
  op('USHL', 1, 0b01000, ALL, D_ONLY, shift(false, false, false)),
  op('SQSHL', 0, 0b01001, ALL, ALL, shift(true, false, true)),
  op('UQSHL', 1, 0b01001, ALL, ALL, shift(false, false, true)),
  op('SRSHL', 0, 0b01010, ALL, D_ONLY, shift(true, true, false)),
  op('URSHL', 1, 0b01010, ALL, D_ONLY, shift(false, true, false)),
  op('SQRSHL', 0, 0b01011, ALL, ALL, shift(true, true, true)),
  op('UQRSHL', 1, 0b01011, ALL, ALL, shift(false, true, true)),
  op('SMAX', 0, 0b01100, NO_D, 0, { lane: () => (a, b) => (a > b ? a : b) }),
  op('UMAX', 1, 0b01100, NO_D, 0, { lane: () => (a, b) => (a > b ? a : b) }),
  op('SMIN', 0, 0b01101, NO_D, 0, { lane: () => (a, b) => (a < b ? a : b) }),
  op('UMIN', 1, 0b01101, NO_D, 0, { lane: () => (a, b) => (a < b ? a : b) }),
  op('SABD', 0, 0b01110, NO_D, 0, { lane: () => (a, b) => Math.abs(a - b) }),
  op('UABD', 1, 0b01110, NO_D, 0, { lane: () => (a, b) => Math.abs(a - b) }),
  op('SABA', 0, 0b01111, NO_D, 0, { lane: () => (a, b, acc) => acc + Math.abs(a - b) }),
  op('UABA', 1, 0b01111, NO_D, 0, { lane: () => (a, b, acc) => acc + Math.abs(a - b) }),
  op('ADD', 0, 0b10000, ALL, D_ONLY, { lane: () => (a, b) => a + b, lane64: (al, ah, bl, bh) => void add64(al, ah, bl, bh, 0) }),
  op('SUB', 1, 0b10000, ALL, D_ONLY, { lane: () => (a, b) => a - b, lane64: sub64 }),
  op('CMTST', 0, 0b10001, ALL, D_ONLY, {
    lane: () => (a, b) => set((a & b) !== 0),
    lane64: (al, ah, bl, bh) => {
      R[0] = R[1] = set(((al & bl) | (ah & bh)) !== 0);
    },
  }),
  op('CMEQ', 1, 0b10001, ALL, D_ONLY, {
    lane: () => (a, b) => set(a === b),
    lane64: (al, ah, bl, bh) => {
      R[0] = R[1] = set(al === bl && ah === bh);
    },
  }),
  op('MLA', 0, 0b10010, NO_D, 0, { lane: () => (a, b, acc) => acc + Math.imul(a, b) }),
  op('MLS', 1, 0b10010, NO_D, 0, { lane: () => (a, b, acc) => acc - Math.imul(a, b) }),
  op('MUL', 0, 0b10011, NO_D, 0, { lane: () => (a, b) => Math.imul(a, b) }),
  op('PMUL', 1, 0b10011, 0b0001, 0, { lane: () => (a, b) => pmul8(a, b) }),
  op('SMAXP', 0, 0b10100, NO_D, 0, { pairwise: true, lane: () => (a, b) => (a > b ? a : b) }),
  op('UMAXP', 1, 0b10100, NO_D, 0, { pairwise: true, lane: () => (a, b) => (a > b ? a : b) }),
  op('SMINP', 0, 0b10101, NO_D, 0, { pairwise: true, lane: () => (a, b) => (a < b ? a : b) }),
  op('UMINP', 1, 0b10101, NO_D, 0, { pairwise: true, lane: () => (a, b) => (a < b ? a : b) }),
  op('SQDMULH', 0, 0b10110, HS, HS, { lane: doublingHigh(false) }),
  op('SQRDMULH', 1, 0b10110, HS, HS, { signed: true, lane: doublingHigh(true) }),
  op('ADDP', 0, 0b10111, ALL, 0, { pairwise: true, lane: () => (a, b) => a + b, lane64: (al, ah, bl, bh) => void add64(al, ah, bl, bh, 0) }),
];
