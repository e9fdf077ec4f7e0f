// Integer groups: ALU, shifts and rotates, multiply/divide, bit operations and
// conditionals, moves. Encodings and flag effects from the Intel SDM volume 2;
// undefined flags per instruction as its "Flags Affected" section says.

import { HOT_BASE } from './case-format';
import { AF, ARITH, CF, DF, OF, PF, SF, ZF } from './encoder';
import { Gen, Op, X86Group } from './generator';
import { CC_READS, extSpec, immFor, lockPre, LOGIC_UNDEF, modrmSpec, operands, rmOnly, sizePrefix, Width } from './int-forms';

const ALU_NAMES = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];
const STATE = { unmaskX87: 0, unmaskSse: 0 };

function aluFlags(a: number): { reads: number; writes: number; undef: number } {
  const logic = a === 1 || a === 4 || a === 6;
  return { reads: a === 2 || a === 3 ? CF : 0, writes: logic ? ARITH & ~LOGIC_UNDEF : ARITH, undef: logic ? LOGIC_UNDEF : 0 };
}

/** ADD..CMP in the r/m,reg / reg,r/m / accumulator,imm / r/m,imm forms. */
const alu: Op = (g) => {
  const a = g.rng.below(8);
  const w = g.width();
  const wide = w === 8 ? 0 : 1;
  const fl = aluFlags(a);
  const name = `${ALU_NAMES[a]}${w}`;
  const writes = a !== 7;
  switch (g.rng.below(4)) {
    case 0: {
      const o = operands(g, w, { rmDst: writes });
      return { name, op: [8 * a + wide], ...modrmSpec(o), pre: [...lockPre(g, o.mem && writes), ...sizePrefix(w)], ...fl };
    }
    case 1: {
      const o = operands(g, w, { regDst: writes });
      return { name, op: [8 * a + 2 + wide], ...modrmSpec(o), ...fl };
    }
    case 2:
      return { name: `${name} acc,imm`, pre: sizePrefix(w), w: w === 64, op: [8 * a + 4 + wide], imm: immFor(g, w), implicit: 1, ...fl };
    default: {
      const { rm, mem } = rmOnly(g, w, writes);
      const short = w !== 8 && g.rng.chance(0.5);
      const op = w === 8 ? 0x80 : short ? 0x83 : 0x81;
      const s = extSpec(w, a, rm, mem);
      return { name: `${name} r/m,imm`, ...s, pre: [...lockPre(g, mem && writes), ...s.pre!], op: [op], imm: short ? g.imm(1) : immFor(g, w), ...fl };
    }
  }
};

const test: Op = (g) => {
  const w = g.width();
  const wide = w === 8 ? 0 : 1;
  const fl = { writes: ARITH & ~AF, undef: AF };
  switch (g.rng.below(3)) {
    case 0: {
      const o = operands(g, w, {});
      return { name: `test${w}`, op: [0x84 + wide], ...modrmSpec(o), ...fl };
    }
    case 1:
      return { name: `test${w} acc,imm`, pre: sizePrefix(w), w: w === 64, op: [0xa8 + wide], imm: immFor(g, w), implicit: 1, ...fl };
    default: {
      const { rm, mem } = rmOnly(g, w, false);
      return { name: `test${w} r/m,imm`, ...extSpec(w, 0, rm, mem), op: [0xf6 + wide], imm: immFor(g, w), ...fl };
    }
  }
};

/** INC, DEC, NOT, NEG. */
const unary: Op = (g) => {
  const w = g.width();
  const wide = w === 8 ? 0 : 1;
  const { rm, mem } = rmOnly(g, w, true);
  const s = extSpec(w, 0, rm, mem);
  const pre = [...lockPre(g, mem), ...s.pre!];
  switch (g.rng.below(4)) {
    case 0: return { name: `inc${w}`, ...s, pre, op: [0xfe + wide], reg: 0, writes: ARITH & ~CF };
    case 1: return { name: `dec${w}`, ...s, pre, op: [0xfe + wide], reg: 1, writes: ARITH & ~CF };
    case 2: return { name: `not${w}`, ...s, pre, op: [0xf6 + wide], reg: 2 };
    default: return { name: `neg${w}`, ...s, pre, op: [0xf6 + wide], reg: 3, writes: ARITH };
  }
};

/** CLC, STC, CMC, CLD, STD, LAHF, SAHF. */
const flagOps: Op = (g) => {
  switch (g.rng.below(7)) {
    case 0: return { name: 'clc', op: [0xf8], writes: CF };
    case 1: return { name: 'stc', op: [0xf9], writes: CF };
    case 2: return { name: 'cmc', op: [0xf5], reads: CF, writes: CF };
    case 3: return { name: 'cld', op: [0xfc], writes: DF };
    case 4: return { name: 'std', op: [0xfd], writes: DF };
    case 5: return { name: 'lahf', op: [0x9f], reads: SF | ZF | AF | PF | CF, implicit: 1 };
    default: return { name: 'sahf', op: [0x9e], writes: SF | ZF | AF | PF | CF, implicit: 1 };
  }
};

export const INT_ALU: X86Group = {
  name: 'int-alu', blockLength: 16, cases: 1500, state: STATE, rspBase: true,
  ops: [[8, alu], [2, test], [3, unary], [1, flagOps]],
};

const SHIFT_NAMES = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sal?', 'sar'];

/** Flag effects of a shift/rotate by a known masked count, or by CL (unknown: nothing surely written). */
function shiftFlags(kind: number, w: Width, count: number | 'cl'): { reads: number; writes: number; undef: number } {
  const rcx = kind === 2 || kind === 3;
  const reads = rcx && count !== 0 ? CF : 0;
  if (count === 'cl') {
    const undef = kind < 4 ? OF : AF | OF | (w <= 16 ? CF : 0);
    return { reads: rcx ? CF : 0, writes: 0, undef };
  }
  if (count === 0) return { reads: 0, writes: 0, undef: 0 };
  const of = count === 1 ? OF : 0;
  if (kind < 4) return { reads, writes: CF | of, undef: OF & ~of };
  const cfUndef = count >= w ? CF : 0;
  return { reads, writes: ((CF & ~cfUndef) | SF | ZF | PF | of), undef: AF | (OF & ~of) | cfUndef };
}

const shift: Op = (g) => {
  const kind = g.rng.pick([0, 1, 2, 3, 4, 5, 7]);
  const w = g.width();
  const wide = w === 8 ? 0 : 1;
  const { rm, mem } = rmOnly(g, w, true);
  const s = extSpec(w, kind, rm, mem);
  const mask = w === 64 ? 63 : 31;
  const name = `${SHIFT_NAMES[kind]}${w}`;
  switch (g.rng.below(3)) {
    case 0: return { name: `${name},1`, ...s, op: [0xd0 + wide], ...shiftFlags(kind, w, 1) };
    case 1: return { name: `${name},cl`, ...s, op: [0xd2 + wide], implicit: 2, ...shiftFlags(kind, w, 'cl') };
    default: {
      const c = g.rng.chance(0.7) ? g.rng.below(w + 2) : g.rng.below(256);
      return { name: `${name},imm`, ...s, op: [0xc0 + wide], imm: [c], ...shiftFlags(kind, w, c & mask) };
    }
  }
};

/** SHLD/SHRD by an immediate or CL (16-bit counts above 16 leave the result undefined: not drawn). */
const doubleShift: Op = (g) => {
  const w = g.rng.pick([16, 32, 64] as const);
  const right = g.rng.chance(0.5);
  const o = operands(g, w, { rmDst: true });
  const base = right ? 0xac : 0xa4;
  const name = `${right ? 'shrd' : 'shld'}${w}`;
  if (g.rng.chance(0.3)) {
    if (w === 16) return null;
    return { name: `${name},cl`, ...modrmSpec(o), op: [0x0f, base + 1], implicit: 2, undef: AF | OF };
  }
  const c = w === 16 ? g.rng.below(17) + (g.rng.chance(0.2) ? 32 : 0) : g.rng.below(g.rng.chance(0.8) ? w : 256);
  const mc = c & (w === 64 ? 63 : 31);
  const fl = mc === 0 ? {} : { writes: CF | SF | ZF | PF | (mc === 1 ? OF : 0), undef: AF | (mc === 1 ? 0 : OF) };
  return { name: `${name},imm`, ...modrmSpec(o), op: [0x0f, base], imm: [c], ...fl };
};

export const SHIFT_ROTATE: X86Group = {
  name: 'shift-rotate', blockLength: 16, cases: 1500, state: STATE, rspBase: true,
  ops: [[6, shift], [2, doubleShift], [2, alu]],
};

const RAX_RDX = (1 << 0) | (1 << 2);

const mulDiv: Op = (g) => {
  const w = g.width();
  const wide = w === 8 ? 0 : 1;
  switch (g.rng.below(8)) {
    case 0: case 1: {
      const imul = g.rng.chance(0.5);
      const { rm, mem } = rmOnly(g, w, false);
      return { name: `${imul ? 'imul' : 'mul'}${w} r/m`, ...extSpec(w, imul ? 5 : 4, rm, mem), op: [0xf6 + wide], implicit: RAX_RDX, writes: CF | OF, undef: SF | ZF | AF | PF };
    }
    case 2: case 3: {
      const idiv = g.rng.chance(0.5);
      const { rm, mem } = rmOnly(g, w, false);
      return { name: `${idiv ? 'idiv' : 'div'}${w}`, ...extSpec(w, idiv ? 7 : 6, rm, mem), op: [0xf6 + wide], implicit: RAX_RDX, undef: ARITH };
    }
    case 4: {
      if (w === 8) return null;
      const o = operands(g, w, { regDst: true });
      return { name: `imul${w} r,r/m`, ...modrmSpec(o), op: [0x0f, 0xaf], writes: CF | OF, undef: SF | ZF | AF | PF };
    }
    case 5: {
      if (w === 8) return null;
      const o = operands(g, w, { regDst: true });
      const short = g.rng.chance(0.5);
      return { name: `imul${w} r,r/m,imm`, ...modrmSpec(o), op: [short ? 0x6b : 0x69], imm: short ? g.imm(1) : immFor(g, w), writes: CF | OF, undef: SF | ZF | AF | PF };
    }
    case 6: {
      // CBW/CWDE/CDQE and CWD/CDQ/CQO: the usual set-up of a division.
      if (w === 8) return null;
      const op = g.rng.chance(0.5) ? 0x98 : 0x99;
      return { name: `${op === 0x98 ? 'cbw' : 'cwd'}-family${w}`, pre: sizePrefix(w), w: w === 64, op: [op], implicit: RAX_RDX };
    }
    default:
      // xor edx,edx: a zero high half so divisions do not always overflow.
      return { name: 'xor edx,edx', op: [0x31], reg: 2, rm: 2, regIsGpr: true, rmIsGpr: true, writes: ARITH & ~AF, undef: AF };
  }
};

export const MUL_DIV: X86Group = {
  name: 'mul-div', blockLength: 12, cases: 2500, state: STATE, rspBase: true, implicit: RAX_RDX,
  ops: [[1, mulDiv]],
  setup: (g) => {
    if (g.rng.chance(0.5)) g.s.setGpr(2, g.rng.chance(0.5) ? [0, 0] : [0xffffffff, 0xffffffff]);
  },
};

/** BT, BTS, BTR, BTC by register (memory forms index by the index register, a small value) or immediate. */
const bitTest: Op = (g) => {
  const w = g.rng.pick([16, 32, 64] as const);
  const k = g.rng.below(4);
  const names = ['bt', 'bts', 'btr', 'btc'];
  const fl = { writes: CF, undef: OF | SF | AF | PF };
  const writes = k !== 0;
  if (g.rng.chance(0.5)) {
    const { rm, mem } = rmOnly(g, w, writes);
    if (mem && writes) g.memDirty = true;
    if (!mem && writes) g.written |= 1 << (rm as number);
    return { name: `${names[k]}${w} r/m,imm`, ...extSpec(w, 4 + k, rm, mem), pre: [...lockPre(g, mem && writes), ...sizePrefix(w)], op: [0x0f, 0xba], imm: [g.rng.below(256)], ...fl };
  }
  const o = operands(g, w, { rmDst: writes });
  if (o.mem) {
    // The bit offset is the index register (small): the access moves by whole aligned operands.
    o.rm = g.mem(w / 8, { misalign: 0 });
    o.reg = g.index;
    if (writes) g.memDirty = true;
  } else if (writes) g.written |= 1 << (o.rm as number);
  return { name: `${names[k]}${w} r/m,r`, ...modrmSpec(o), pre: [...lockPre(g, o.mem && writes), ...sizePrefix(w)], op: [0x0f, 0xa3 + 8 * k], ...fl };
};

/**
 * BSF/BSR: the destination is undefined when the source is zero, so it is
 * masked unless the source is known non-zero (an unwritten register or
 * untouched memory holding a non-zero value).
 */
export const bitScan: Op = (g) => {
  const w = g.rng.pick([16, 32, 64] as const);
  const rev = g.rng.chance(0.5);
  const o = operands(g, w, { regDst: true, memChance: g.memDirty ? 0 : 0.3 });
  let nonZero: boolean;
  if (typeof o.rm === 'number') {
    const [lo, hi] = g.initial(o.rm);
    const v = w === 16 ? lo & 0xffff : w === 32 ? lo : lo | hi;
    nonZero = !((g.written >> o.rm) & 1) && v !== 0;
  } else {
    const off = o.rm.address - HOT_BASE;
    const dv = new DataView(g.s.hot.buffer);
    let v = 0;
    for (let i = 0; i < w / 8; i++) v |= dv.getUint8(off + i);
    nonZero = v !== 0;
  }
  g.written |= 1 << o.reg;
  return { name: `${rev ? 'bsr' : 'bsf'}${w}`, ...modrmSpec(o), op: [0x0f, rev ? 0xbd : 0xbc], writes: ZF, undef: CF | OF | SF | AF | PF, poison: nonZero ? 0 : 1 << o.reg };
};

const popcnt: Op = (g) => {
  const w = g.rng.pick([16, 32, 64] as const);
  const o = operands(g, w, { regDst: true });
  g.written |= 1 << o.reg;
  const s = modrmSpec(o);
  return { name: `popcnt${w}`, ...s, pre: [...s.pre!, 0xf3], op: [0x0f, 0xb8], writes: ARITH };
};

const setcc: Op = (g) => {
  const cc = g.rng.below(16);
  const { rm, mem } = rmOnly(g, 8, true);
  if (!mem) g.written |= 1 << (typeof rm === 'number' && rm >= 16 ? rm - 16 : (rm as number));
  else g.memDirty = true;
  return { name: `set${cc.toString(16)}`, reg: 0, rm, rmByte: true, rmIsGpr: !mem, op: [0x0f, 0x90 + cc], reads: CC_READS[cc] };
};

const cmovcc: Op = (g) => {
  const cc = g.rng.below(16);
  const w = g.rng.pick([16, 32, 64] as const);
  const o = operands(g, w, { regDst: true });
  g.written |= 1 << o.reg;
  return { name: `cmov${cc.toString(16)}${w}`, ...modrmSpec(o), op: [0x0f, 0x40 + cc], reads: CC_READS[cc] };
};

/** CMP/TEST between registers so conditionals see defined flags. */
const compare: Op = (g) => {
  const w = g.width();
  const o = operands(g, w, {});
  return { name: `cmp${w}`, ...modrmSpec(o), op: [w === 8 ? 0x38 : 0x39], writes: ARITH };
};

export const BIT_COND: X86Group = {
  name: 'bit-cond', blockLength: 16, cases: 1500, state: STATE, rspBase: true,
  ops: [[3, bitTest], [2, bitScan], [1, popcnt], [2, setcc], [2, cmovcc], [2, compare]],
};

