// AdvSIMD three different and scalar three different (Arm ARM C4.1.96):
// widening (L), wide (W) and narrowing high-half (HN) forms, the "2" forms on
// the upper halves (Q = 1), and PMULL/PMULL2 for 8-bit and 64-bit lanes.

import type { Cpu } from '../../cpu';
import { bit, bits, Encoding, Handler, Op } from '../../decoder';
import { add64, R, umul32 } from '../../int64';
import { LaneFn, LongFn64, LongShape, narrowing, narrowing64, wide64, widening, widening64 } from './lane-drivers';
import { clmul32, pairFromNumber, pmul8, saturated, signedSat, smul32, sqadd64, sqsub64, sub64 } from './lane-math';

export interface DiffOp {
  name: string;
  u: number;
  opcode: number;
  kind: 'long' | 'wide' | 'narrow';
  /** Allowed sizes (bit per size field value). */
  sizes: number;
  signed: boolean;
  lane: (esize: number) => LaneFn;
  lane64?: LongFn64;
}

const BHS = 0b0111;
const HS = 0b0110;

/** R = a * b (32-bit sources, signed or not). */
function mul32(signed: boolean, a: number, b: number): void {
  if (signed) smul32(a, b);
  else umul32(a, b);
}

/** R = 2 * a * b saturated (SQDMULL on 32-bit lanes). */
export function sqdmull32(a: number, b: number): void {
  if (a === -0x80000000 && b === -0x80000000) {
    satMax64();
    return;
  }
  smul32(a, b);
  R[1] = (R[1] << 1) | (R[0] >>> 31);
  R[0] = R[0] << 1;
}

function satMax64(): void {
  R[0] = -1;
  R[1] = 0x7fffffff;
  saturated[0] = 1;
}

/** SQDMULL/SQDMLAL/SQDMLSL on 16-bit source lanes: acc op sat(2ab), saturated again. */
export function doublingLong16(accumulate: number): LaneFn {
  const sat = signedSat(32);
  if (accumulate === 0) return (a, b) => sat(2 * a * b);
  return accumulate > 0 ? (a, b, acc) => sat(acc + sat(2 * a * b)) : (a, b, acc) => sat(acc - sat(2 * a * b));
}

/** The 32-bit source forms of the doubling long ops. */
export function doublingLong32(accumulate: number): LongFn64 {
  if (accumulate === 0) return (a, b) => sqdmull32(a, b);
  if (accumulate > 0)
    return (a, b, dlo, dhi) => {
      sqdmull32(a, b);
      sqadd64(dlo, dhi, R[0], R[1]);
    };
  return (a, b, dlo, dhi) => {
    sqdmull32(a, b);
    sqsub64(dlo, dhi, R[0], R[1]);
  };
}

function long(name: string, u: number, opcode: number, lane: LaneFn, lane64: (signed: boolean) => LongFn64, sizes = BHS): DiffOp {
  return { name, u, opcode, kind: 'long', sizes, signed: u === 0, lane: () => lane, lane64: lane64(u === 0) };
}

const absDiff = (a: number, b: number): number => Math.abs(a - b);

function highNarrow(name: string, u: number, opcode: number, sub: boolean): DiffOp {
  const rounding = u === 1;
  return {
    name,
    u,
    opcode,
    kind: 'narrow',
    sizes: BHS,
    signed: false,
    lane: (esize) => {
      const round = rounding ? 2 ** (esize - 1) : 0;
      const scale = 2 ** -esize;
      return sub ? (a, b) => Math.floor((a - b + round) * scale) : (a, b) => Math.floor((a + b + round) * scale);
    },
  };
}

function wideOp(name: string, u: number, opcode: number, sub: boolean): DiffOp {
  return { name, u, opcode, kind: 'wide', sizes: BHS, signed: u === 0, lane: () => (sub ? (a, b) => a - b : (a, b) => a + b) };
}

export const diffOps: DiffOp[] = [
  long('SADDL', 0, 0b0000, (a, b) => a + b, () => (a, b) => pairFromNumber(a + b)),
  long('UADDL', 1, 0b0000, (a, b) => a + b, () => (a, b) => pairFromNumber(a + b)),
  wideOp('SADDW', 0, 0b0001, false),
  wideOp('UADDW', 1, 0b0001, false),
  long('SSUBL', 0, 0b0010, (a, b) => a - b, () => (a, b) => pairFromNumber(a - b)),
  long('USUBL', 1, 0b0010, (a, b) => a - b, () => (a, b) => pairFromNumber(a - b)),
  wideOp('SSUBW', 0, 0b0011, true),
  wideOp('USUBW', 1, 0b0011, true),
  highNarrow('ADDHN', 0, 0b0100, false),
  highNarrow('RADDHN', 1, 0b0100, false),
  ...(['SABAL', 'UABAL'] as const).map((name, u) =>
    long(name, u, 0b0101, (a, b, acc) => acc + absDiff(a, b), () => (a, b, dlo, dhi) => void add64(dlo, dhi, absDiff(a, b) | 0, 0, 0)),
  ),
  highNarrow('SUBHN', 0, 0b0110, true),
  highNarrow('RSUBHN', 1, 0b0110, true),
  long('SABDL', 0, 0b0111, absDiff, () => (a, b) => pairFromNumber(absDiff(a, b))),
  long('UABDL', 1, 0b0111, absDiff, () => (a, b) => pairFromNumber(absDiff(a, b))),
  ...(['SMLAL', 'UMLAL'] as const).map((name, u) =>
    long(name, u, 0b1000, (a, b, acc) => acc + a * b, (s) => (a, b, dlo, dhi) => {
      mul32(s, a, b);
      add64(dlo, dhi, R[0], R[1], 0);
    }),
  ),
  ...(['SMLSL', 'UMLSL'] as const).map((name, u) =>
    long(name, u, 0b1010, (a, b, acc) => acc - a * b, (s) => (a, b, dlo, dhi) => {
      mul32(s, a, b);
      sub64(dlo, dhi, R[0], R[1]);
    }),
  ),
  ...(['SMULL', 'UMULL'] as const).map((name, u) => long(name, u, 0b1100, (a, b) => a * b, (s) => (a, b) => mul32(s, a, b))),
  { name: 'SQDMLAL', u: 0, opcode: 0b1001, kind: 'long', sizes: HS, signed: true, lane: () => doublingLong16(1), lane64: doublingLong32(1) },
  { name: 'SQDMLSL', u: 0, opcode: 0b1011, kind: 'long', sizes: HS, signed: true, lane: () => doublingLong16(-1), lane64: doublingLong32(-1) },
  { name: 'SQDMULL', u: 0, opcode: 0b1101, kind: 'long', sizes: HS, signed: true, lane: () => doublingLong16(0), lane64: doublingLong32(0) },
];

function shape(insn: number, cpu: Cpu, esize: number, count: number, part: number, def: DiffOp): LongShape {
  return {
    cpu,
    esize,
    count,
    signed: def.signed,
    d: bits(insn, 4, 0),
    n: bits(insn, 9, 5),
    m: bits(insn, 20, 16),
    bIndex: -1,
    part,
    wideA: def.kind === 'wide',
  };
}

function build(p: LongShape, def: DiffOp): Op | null {
  if (def.kind === 'narrow') {
    if (p.esize === 32) {
      const sub = def.name.includes('SUB');
      const round = def.u === 1 ? 0x80000000 | 0 : 0;
      return narrowing64(p, (alo, ahi, blo, bhi) => {
        if (sub) sub64(alo, ahi, blo, bhi);
        else add64(alo, ahi, blo, bhi, 0);
        if (round) add64(R[0], R[1], round, 0, 0);
        return R[1];
      });
    }
    return narrowing(p, def.lane(p.esize));
  }
  if (p.esize === 32) {
    if (def.kind === 'wide') {
      const sub = def.name.includes('SUB');
      return wide64(p, sub ? (alo, ahi, b) => sub64(alo, ahi, b | 0, b < 0 ? -1 : 0) : (alo, ahi, b) => void add64(alo, ahi, b | 0, b < 0 ? -1 : 0, 0));
    }
    return def.lane64 ? widening64(p, def.lane64) : null;
  }
  return widening(p, def.lane(p.esize));
}

function vectorHandler(def: DiffOp): Handler {
  return (insn, ctx) => {
    const size = bits(insn, 23, 22);
    if (!((def.sizes >> size) & 1)) return null;
    const esize = 8 << size;
    const part = bit(insn, 30);
    return build(shape(insn, ctx.cpu, esize, 64 / esize, part, def), def);
  };
}

function scalarHandler(def: DiffOp): Handler {
  return (insn, ctx) => {
    const size = bits(insn, 23, 22);
    if (!((def.sizes >> size) & 1)) return null;
    return build(shape(insn, ctx.cpu, 8 << size, 1, 0, def), def);
  };
}

/** PMULL/PMULL2: 8 x 8 -> 16-bit polynomial lanes, or one 64 x 64 -> 128-bit product (size 3). */
const pmull: Handler = (insn, ctx) => {
  const size = bits(insn, 23, 22);
  const part = bit(insn, 30);
  const cpu = ctx.cpu;
  if (size === 0) {
    const def: DiffOp = { name: 'PMULL', u: 0, opcode: 0b1110, kind: 'long', sizes: 1, signed: false, lane: () => pmul8 };
    return widening(shape(insn, cpu, 8, 8, part, def), pmul8);
  }
  if (size !== 3) return null;
  const vw = cpu.state.vw;
  const n = 4 * bits(insn, 9, 5) + 2 * part;
  const m = 4 * bits(insn, 20, 16) + 2 * part;
  const d = 4 * bits(insn, 4, 0);
  return () => {
    const a0 = vw[n];
    const a1 = vw[n + 1];
    const b0 = vw[m];
    const b1 = vw[m + 1];
    clmul32(a0, b0);
    const w0 = R[0];
    let w1 = R[1];
    clmul32(a0, b1);
    w1 ^= R[0];
    let w2 = R[1];
    clmul32(a1, b0);
    w1 ^= R[0];
    w2 ^= R[1];
    clmul32(a1, b1);
    vw[d] = w0;
    vw[d + 1] = w1;
    vw[d + 2] = w2 ^ R[0];
    vw[d + 3] = R[1];
  };
};

export const threeDifferent: Encoding[] = [
  ...diffOps.map((def) => ({
    name: `${def.name} (vector)`,
    pattern: `0q${def.u}01110 ss1 mmmmm ${def.opcode.toString(2).padStart(4, '0')} 00 nnnnn ddddd`,
    handler: vectorHandler(def),
  })),
  ...diffOps
    .filter((def) => def.name.startsWith('SQDM'))
    .map((def) => ({
      name: `${def.name} (scalar)`,
      pattern: `01011110 ss1 mmmmm ${def.opcode.toString(2).padStart(4, '0')} 00 nnnnn ddddd`,
      handler: scalarHandler(def),
    })),
  { name: 'PMULL (vector)', pattern: '0q001110 ss1 mmmmm 1110 00 nnnnn ddddd', handler: pmull },
];
