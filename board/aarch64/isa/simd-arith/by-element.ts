// AdvSIMD vector x indexed element and scalar x indexed element, integer
// forms (Arm ARM C4.1.96). The floating-point and dot-product opcodes are
// left to their own lines.

import type { Cpu } from '../../cpu';
import { bit, bits, Encoding, Handler, Op } from '../../decoder';
import { add64, R, umul32 } from '../../int64';
import { elementwise, LaneFn, LongFn64, LongShape, widening, widening64 } from './lane-drivers';
import { smul32, sub64 } from './lane-math';
import { roundingDoublingAccumulate } from './rounding-doubling';
import { doublingLong16, doublingLong32 } from './three-different';
import { sameOps } from './three-same-lanes';

interface ElementOp {
  name: string;
  u: number;
  opcode: number;
  long: boolean;
  signed: boolean;
  scalar: boolean;
  lane: (esize: number) => LaneFn;
  lane64?: LongFn64;
}

const sameLane = (name: string): ((esize: number) => LaneFn) => {
  const def = sameOps.find((o) => o.name === name);
  if (!def) throw new Error(`no three-same op ${name}`);
  return def.lane;
};

function mulAcc(signed: boolean, acc: number): LongFn64 {
  const mul = signed ? smul32 : umul32;
  if (acc === 0) return (a, b) => mul(a, b);
  return acc > 0
    ? (a, b, dlo, dhi) => {
        mul(a, b);
        add64(dlo, dhi, R[0], R[1], 0);
      }
    : (a, b, dlo, dhi) => {
        mul(a, b);
        sub64(dlo, dhi, R[0], R[1]);
      };
}

function longOp(name: string, u: number, opcode: number, acc: number): ElementOp {
  const lane: LaneFn = acc === 0 ? (a, b) => a * b : acc > 0 ? (a, b, d) => d + a * b : (a, b, d) => d - a * b;
  return { name, u, opcode, long: true, signed: u === 0, scalar: false, lane: () => lane, lane64: mulAcc(u === 0, acc) };
}

function doublingLong(name: string, opcode: number, acc: number): ElementOp {
  return { name, u: 0, opcode, long: true, signed: true, scalar: true, lane: () => doublingLong16(acc), lane64: doublingLong32(acc) };
}

const elementOps: ElementOp[] = [
  { name: 'MLA', u: 1, opcode: 0b0000, long: false, signed: false, scalar: false, lane: sameLane('MLA') },
  { name: 'MLS', u: 1, opcode: 0b0100, long: false, signed: false, scalar: false, lane: sameLane('MLS') },
  { name: 'MUL', u: 0, opcode: 0b1000, long: false, signed: false, scalar: false, lane: sameLane('MUL') },
  longOp('SMLAL', 0, 0b0010, 1),
  longOp('UMLAL', 1, 0b0010, 1),
  longOp('SMLSL', 0, 0b0110, -1),
  longOp('UMLSL', 1, 0b0110, -1),
  longOp('SMULL', 0, 0b1010, 0),
  longOp('UMULL', 1, 0b1010, 0),
  doublingLong('SQDMLAL', 0b0011, 1),
  doublingLong('SQDMLSL', 0b0111, -1),
  doublingLong('SQDMULL', 0b1011, 0),
  { name: 'SQDMULH', u: 0, opcode: 0b1100, long: false, signed: true, scalar: true, lane: sameLane('SQDMULH') },
  { name: 'SQRDMULH', u: 0, opcode: 0b1101, long: false, signed: true, scalar: true, lane: sameLane('SQRDMULH') },
  { name: 'SQRDMLAH', u: 1, opcode: 0b1101, long: false, signed: true, scalar: true, lane: (e) => roundingDoublingAccumulate(e, false) },
  { name: 'SQRDMLSH', u: 1, opcode: 0b1111, long: false, signed: true, scalar: true, lane: (e) => roundingDoublingAccumulate(e, true) },
];

function handler(def: ElementOp, scalar: boolean): Handler {
  return (insn, ctx) => {
    const size = bits(insn, 23, 22);
    if (size !== 1 && size !== 2) return null;
    const esize = 8 << size;
    const h = bit(insn, 11);
    const l = bit(insn, 21);
    const index = size === 1 ? (h << 2) | (l << 1) | bit(insn, 20) : (h << 1) | l;
    const m = size === 1 ? bits(insn, 19, 16) : bits(insn, 20, 16);
    const q = bit(insn, 30);
    const cpu: Cpu = ctx.cpu;
    const base = { cpu, esize, signed: def.signed, d: bits(insn, 4, 0), n: bits(insn, 9, 5), m, bIndex: index };
    if (!def.long) return elementwise({ ...base, count: scalar ? 1 : (64 << q) / esize }, def.lane(esize));
    const p: LongShape = { ...base, count: scalar ? 1 : 64 / esize, part: scalar ? 0 : q, wideA: false };
    return buildLong(p, def);
  };
}

function buildLong(p: LongShape, def: ElementOp): Op | null {
  if (p.esize === 32) return def.lane64 ? widening64(p, def.lane64) : null;
  return widening(p, def.lane(p.esize));
}

const opBits = (v: number): string => v.toString(2).padStart(4, '0');

export const byElement: Encoding[] = [
  ...elementOps.map((def) => ({
    name: `${def.name} (by element)`,
    pattern: `0q${def.u}01111 ss lm mmmm ${opBits(def.opcode)} h0 nnnnn ddddd`,
    handler: handler(def, false),
  })),
  ...elementOps
    .filter((def) => def.scalar)
    .map((def) => ({
      name: `${def.name} (scalar, by element)`,
      pattern: `01${def.u}11111 ss lm mmmm ${opBits(def.opcode)} h0 nnnnn ddddd`,
      handler: handler(def, true),
    })),
];
