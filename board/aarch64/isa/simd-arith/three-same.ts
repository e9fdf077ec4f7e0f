// AdvSIMD three same and scalar three same, integer forms (Arm ARM C4.1.96):
// one encoding line per (U, opcode), the logical group, and scalar ADDP.
// Opcodes 11xxx are the floating-point forms and are left to their own lines.

import type { Cpu } from '../../cpu';
import { bit, bits, Encoding, Handler, Op } from '../../decoder';
import { add64, R } from '../../int64';
import { fastSame } from './fast-same';
import { elementwise, elementwise64, LaneShape, pairwise, zeroFrom } from './lane-drivers';
import { SameOp, sameOps } from './three-same-lanes';

function fields(insn: number, cpu: Cpu, esize: number, count: number, signed: boolean): LaneShape {
  return { cpu, esize, count, signed, d: bits(insn, 4, 0), n: bits(insn, 9, 5), m: bits(insn, 20, 16), bIndex: -1 };
}

function vectorHandler(def: SameOp): Handler {
  return (insn, ctx) => {
    const size = bits(insn, 23, 22);
    const q = bit(insn, 30);
    if (!((def.vectorSizes >> size) & 1) || (size === 3 && q === 0)) return null;
    const esize = 8 << size;
    const count = (64 << q) / esize;
    const p = fields(insn, ctx.cpu, esize, count, def.signed);
    const fast = fastSame(def.name, p);
    if (fast) return fast;
    if (esize === 64) {
      if (!def.lane64) return null;
      return def.pairwise ? pairwise64(p) : elementwise64(p, def.lane64);
    }
    return def.pairwise ? pairwise(p, def.lane(esize)) : elementwise(p, def.lane(esize));
  };
}

function scalarHandler(def: SameOp): Handler {
  return (insn, ctx) => {
    const size = bits(insn, 23, 22);
    if (!((def.scalarSizes >> size) & 1)) return null;
    const esize = 8 << size;
    const p = fields(insn, ctx.cpu, esize, 1, def.signed);
    if (esize === 64) return def.lane64 ? elementwise64(p, def.lane64) : null;
    return elementwise(p, def.lane(esize));
  };
}

/** ADDP (vector) with 2D lanes. */
function pairwise64(p: LaneShape): Op {
  const { cpu, d, n, m } = p;
  const vw = cpu.state.vw;
  return () => {
    const o = 4 * n;
    add64(vw[o], vw[o + 1], vw[o + 2], vw[o + 3], 0);
    const lo = R[0];
    const hi = R[1];
    const k = 4 * m;
    add64(vw[k], vw[k + 1], vw[k + 2], vw[k + 3], 0);
    vw[4 * d] = lo;
    vw[4 * d + 1] = hi;
    vw[4 * d + 2] = R[0];
    vw[4 * d + 3] = R[1];
  };
}

/** ADDP (scalar): Dd = Vn.D[0] + Vn.D[1]. */
const addpScalar: Handler = (insn, ctx) => {
  const vw = ctx.cpu.state.vw;
  const o = 4 * bits(insn, 9, 5);
  const d = 4 * bits(insn, 4, 0);
  return () => {
    add64(vw[o], vw[o + 1], vw[o + 2], vw[o + 3], 0);
    vw[d] = R[0];
    vw[d + 1] = R[1];
    vw[d + 2] = 0;
    vw[d + 3] = 0;
  };
};

/** AND, BIC, ORR, ORN, EOR, BSL, BIT, BIF: bitwise, so done a word at a time. */
const logical: Handler = (insn, ctx) => {
  const cpu = ctx.cpu;
  const vw = cpu.state.vw;
  const words = 2 << bit(insn, 30);
  const d = 4 * bits(insn, 4, 0);
  const n = 4 * bits(insn, 9, 5);
  const m = 4 * bits(insn, 20, 16);
  if (words === 4) {
    const fast = logical128(vw, d, n, m, bit(insn, 29) * 4 + bits(insn, 23, 22));
    if (fast !== null) return fast;
  }
  const f = logicWord(bit(insn, 29), bits(insn, 23, 22));
  const dreg = d / 4;
  return () => {
    for (let i = 0; i < words; i++) vw[d + i] = f(vw[n + i], vw[m + i], vw[d + i]);
    if (words === 2) zeroFrom(cpu, dreg, 8);
  };
};

/**
 * AND, BIC, ORR, ORN and EOR on a full Q register, unrolled with the operation
 * written in: a closure shared by every logical op would make the word
 * function's call site megamorphic (vectorised loops run these constantly).
 */
function logical128(vw: Int32Array, d: number, n: number, m: number, op: number): Op | null {
  switch (op) {
    case 0:
      return () => {
        vw[d] = vw[n] & vw[m];
        vw[d + 1] = vw[n + 1] & vw[m + 1];
        vw[d + 2] = vw[n + 2] & vw[m + 2];
        vw[d + 3] = vw[n + 3] & vw[m + 3];
      };
    case 1:
      return () => {
        vw[d] = vw[n] & ~vw[m];
        vw[d + 1] = vw[n + 1] & ~vw[m + 1];
        vw[d + 2] = vw[n + 2] & ~vw[m + 2];
        vw[d + 3] = vw[n + 3] & ~vw[m + 3];
      };
    case 2:
      return () => {
        vw[d] = vw[n] | vw[m];
        vw[d + 1] = vw[n + 1] | vw[m + 1];
        vw[d + 2] = vw[n + 2] | vw[m + 2];
        vw[d + 3] = vw[n + 3] | vw[m + 3];
      };
    case 3:
      return () => {
        vw[d] = vw[n] | ~vw[m];
        vw[d + 1] = vw[n + 1] | ~vw[m + 1];
        vw[d + 2] = vw[n + 2] | ~vw[m + 2];
        vw[d + 3] = vw[n + 3] | ~vw[m + 3];
      };
    case 4:
      return () => {
        vw[d] = vw[n] ^ vw[m];
        vw[d + 1] = vw[n + 1] ^ vw[m + 1];
        vw[d + 2] = vw[n + 2] ^ vw[m + 2];
        vw[d + 3] = vw[n + 3] ^ vw[m + 3];
      };
    default:
      return null;
  }
}

function logicWord(u: number, opc: number): (n: number, m: number, d: number) => number {
  switch (u * 4 + opc) {
    case 0:
      return (n, m) => n & m;
    case 1:
      return (n, m) => n & ~m;
    case 2:
      return (n, m) => n | m;
    case 3:
      return (n, m) => n | ~m;
    case 4:
      return (n, m) => n ^ m;
    case 5:
      return (n, m, d) => m ^ ((m ^ n) & d); // BSL
    case 6:
      return (n, m, d) => d ^ ((d ^ n) & m); // BIT
    default:
      return (n, m, d) => d ^ ((d ^ n) & ~m); // BIF
  }
}

const opBits = (v: number): string => v.toString(2).padStart(5, '0');

export const threeSame: Encoding[] = [
  ...sameOps.map((def) => ({
    name: `${def.name} (vector)`,
    pattern: `0q${def.u}01110 ss1 mmmmm ${opBits(def.opcode)} 1 nnnnn ddddd`,
    handler: vectorHandler(def),
  })),
  ...sameOps
    .filter((def) => def.scalarSizes !== 0)
    .map((def) => ({
      name: `${def.name} (scalar)`,
      pattern: `01${def.u}11110 ss1 mmmmm ${opBits(def.opcode)} 1 nnnnn ddddd`,
      handler: scalarHandler(def),
    })),
  { name: 'AND/BIC/ORR/ORN (vector)', pattern: '0q001110 ss1 mmmmm 00011 1 nnnnn ddddd', handler: logical },
  { name: 'EOR/BSL/BIT/BIF (vector)', pattern: '0q101110 ss1 mmmmm 00011 1 nnnnn ddddd', handler: logical },
  { name: 'ADDP (scalar)', pattern: '01011110 11 11000 11011 10 nnnnn ddddd', handler: addpScalar },
];
