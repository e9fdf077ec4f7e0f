// Integer groups without flags arithmetic at their centre: moves and
// extensions, string instructions, forward branches.

import { DATA_BASE, HOT_BASE } from './case-format';
import { AF, ARITH, CF, DF, encode, le, ZF } from './encoder';
import { Gen, Op, X86Group } from './generator';
import { CC_READS, extSpec, immFor, lockPre, modrmSpec, operands, rmOnly, sizePrefix } from './int-forms';

const STATE = { unmaskX87: 0, unmaskSse: 0 };

const mov: Op = (g) => {
  const w = g.width();
  const wide = w === 8 ? 0 : 1;
  switch (g.rng.below(6)) {
    case 0: {
      const o = operands(g, w, { rmDst: true });
      return { name: `mov${w} r/m,r`, ...modrmSpec(o), op: [0x88 + wide] };
    }
    case 1: {
      const o = operands(g, w, { regDst: true });
      return { name: `mov${w} r,r/m`, ...modrmSpec(o), op: [0x8a + wide] };
    }
    case 2: {
      const { rm, mem } = rmOnly(g, w, true);
      return { name: `mov${w} r/m,imm`, ...extSpec(w, 0, rm, mem), op: [0xc6 + wide], imm: immFor(g, w) };
    }
    case 3: {
      if (w === 8) return { name: 'mov8 r,imm', op: [0xb0], opReg: g.byteReg(undefined, true), opRegByte: true, imm: g.imm(1) };
      const imm = w === 64 ? [...g.imm(4), ...g.imm(4)] : immFor(g, w);
      return { name: `mov${w} r,imm`, pre: sizePrefix(w), w: w === 64, op: [0xb8], opReg: g.dst(), imm };
    }
    case 4: {
      // MOV with a 64-bit absolute address (moffs), to and from the accumulator.
      const store = g.rng.chance(0.5);
      const addr = HOT_BASE + g.rng.below(0x3f0);
      const a32 = g.rng.chance(0.2);
      return { name: `mov${w} moffs`, pre: [...(a32 ? [0x67] : []), ...sizePrefix(w)], w: w === 64, op: [0xa0 + (store ? 2 : 0) + wide], imm: le(addr, a32 ? 4 : 8), implicit: 1 };
    }
    default: {
      // MOVZX/MOVSX from 8 or 16 bits, MOVSXD from 32.
      const dw = g.rng.pick([16, 32, 64] as const);
      const kind = g.rng.below(5);
      const from = kind === 4 ? 32 : kind % 2 === 0 ? 8 : 16;
      if (kind === 4 && dw !== 64) return null;
      const reg = g.dst();
      let rm: number | ReturnType<Gen['mem']>;
      let mem = false;
      if (g.rng.chance(0.35)) {
        rm = g.mem(from / 8);
        mem = true;
      } else rm = from === 8 ? g.byteReg(dw === 64 || reg >= 8 ? true : undefined, false) : g.gpr();
      if (from === 8 && typeof rm === 'number' && rm >= 16 && reg >= 8) return null;
      const op = kind === 4 ? [0x63] : [0x0f, (kind < 2 ? 0xb6 : 0xbe) + (from === 16 ? 1 : 0)];
      return { name: `mov${kind === 4 ? 'sxd' : kind < 2 ? 'zx' : 'sx'}${dw}<-${from}`, pre: sizePrefix(dw), w: dw === 64, op, reg, regIsGpr: true, rm, rmByte: from === 8, rmIsGpr: !mem };
    }
  }
};

const lea: Op = (g) => {
  const w = g.rng.pick([16, 32, 64] as const);
  return { name: `lea${w}`, pre: sizePrefix(w), w: w === 64, op: [0x8d], reg: g.dst(), regIsGpr: true, rm: g.mem(1, { misalign: 0.5 }) };
};

const xchgFamily: Op = (g) => {
  const w = g.width();
  const wide = w === 8 ? 0 : 1;
  switch (g.rng.below(6)) {
    case 0: {
      const o = operands(g, w, { regDst: true, rmDst: true });
      return { name: `xchg${w}`, ...modrmSpec(o), pre: [...lockPre(g, o.mem), ...sizePrefix(w)], op: [0x86 + wide] };
    }
    case 1: {
      if (w === 8) return null;
      const r = g.dst();
      if (r === 0) return null; // 90 is NOP, not XCHG EAX,EAX
      return { name: `xchg${w} acc,r`, pre: sizePrefix(w), w: w === 64, op: [0x90], opReg: r, implicit: 1 };
    }
    case 2: {
      const o = operands(g, w, { regDst: true, rmDst: true });
      return { name: `xadd${w}`, ...modrmSpec(o), pre: [...lockPre(g, o.mem), ...sizePrefix(w)], op: [0x0f, 0xc0 + wide], writes: ARITH };
    }
    case 3: {
      const o = operands(g, w, { rmDst: true });
      return { name: `cmpxchg${w}`, ...modrmSpec(o), pre: [...lockPre(g, o.mem), ...sizePrefix(w)], op: [0x0f, 0xb0 + wide], implicit: 1, writes: ARITH };
    }
    case 4: {
      const wide16 = g.rng.chance(0.5);
      const m = g.mem(wide16 ? 16 : 8, { misalign: wide16 ? 0.05 : 0.1 });
      return { name: wide16 ? 'cmpxchg16b' : 'cmpxchg8b', pre: lockPre(g, true), w: wide16, op: [0x0f, 0xc7], reg: 1, rm: m, implicit: 0xf, writes: ZF };
    }
    default: {
      const r = g.dst();
      return { name: `bswap${w === 64 ? 64 : 32}`, w: w === 64, op: [0x0f, 0xc8], opReg: r };
    }
  }
};

export const pushPop: Op = (g) => {
  switch (g.rng.below(6)) {
    case 0: return { name: 'push r', op: [0x50], opReg: g.gpr() };
    case 1: return { name: 'pop r', op: [0x58], opReg: g.dst() };
    case 2: {
      const short = g.rng.chance(0.5);
      return { name: 'push imm', op: [short ? 0x6a : 0x68], imm: g.imm(short ? 1 : 4) };
    }
    case 3: return { name: 'push m64', op: [0xff], reg: 6, rm: g.mem(8) };
    case 4: return { name: 'pop m64', op: [0x8f], reg: 0, rm: g.mem(8) };
    default: return { name: 'push16/pop16', pre: [0x66], op: [g.rng.chance(0.5) ? 0x50 : 0x58], opReg: g.dst() };
  }
};

/** The NOP space: 90, 66 90, 0F 1F /0 with any ModRM (no memory access). */
const nop: Op = (g) => {
  if (g.rng.chance(0.3)) return { name: 'nop', pre: g.rng.chance(0.5) ? [0x66] : [], op: [0x90] };
  return { name: 'nop r/m', pre: sizePrefix(g.rng.pick([16, 32] as const)), op: [0x0f, 0x1f], reg: 0, rm: g.rng.chance(0.7) ? g.mem(4) : g.gpr() };
};

export const MOVE: X86Group = {
  name: 'move', blockLength: 16, cases: 1500, state: STATE, rspBase: false, implicit: 0xf,
  ops: [[6, mov], [2, lea], [4, xchgFamily], [2, pushPop], [1, nop]],
};

// String instructions: RSI/RDI in the data window, RCX small, so REP stays inside it.
const STRING_REGS = (1 << 1) | (1 << 6) | (1 << 7);
const STRINGS = [
  { name: 'movs', op: 0xa4, rep: [0xf3], writes: 0 },
  { name: 'cmps', op: 0xa6, rep: [0xf3, 0xf2], writes: ARITH },
  { name: 'stos', op: 0xaa, rep: [0xf3], writes: 0 },
  { name: 'lods', op: 0xac, rep: [0xf3], writes: 0 },
  { name: 'scas', op: 0xae, rep: [0xf3, 0xf2], writes: ARITH },
];

const stringOp: Op = (g) => {
  const s = g.rng.pick(STRINGS);
  const w = g.width();
  const rep = g.rng.chance(0.6) ? [g.rng.pick(s.rep)] : [];
  const a32 = g.rng.chance(0.1) ? [0x67] : [];
  const seg = g.rng.chance(0.1) ? [g.rng.pick([0x2e, 0x3e, 0x26, 0x36])] : [];
  // With REP and RCX = 0 nothing runs and the flags stay: only the plain form surely writes them.
  return { name: `${rep.length ? (rep[0] === 0xf2 ? 'repne ' : 'rep ') : ''}${s.name}${w}`, pre: [...seg, ...a32, ...rep, ...sizePrefix(w)], w: w === 64, op: [s.op + (w === 8 ? 0 : 1)], reads: DF, writes: rep.length ? 0 : s.writes, implicit: STRING_REGS | 1 };
};

const stringSetup: Op = (g) => {
  switch (g.rng.below(4)) {
    case 0: return { name: 'mov ecx,imm', op: [0xb8], opReg: 1, imm: le(g.rng.below(16), 4) };
    case 1: return { name: 'mov eax,imm', op: [0xb8], opReg: 0, imm: g.imm(4) };
    case 2: return { name: 'cld', op: [0xfc], writes: DF };
    default: return { name: 'std', op: [0xfd], writes: DF };
  }
};

export const STRING: X86Group = {
  name: 'string', blockLength: 12, cases: 1500, state: STATE, rspBase: true, implicit: STRING_REGS | 1,
  ops: [[5, stringOp], [2, stringSetup]],
  setup: (g) => {
    g.s.setGprNumber(6, DATA_BASE + 0xc00 + 8 * g.rng.below(0x100));
    g.s.setGprNumber(7, DATA_BASE + 0xc00 + 8 * g.rng.below(0x100));
    g.s.setGprNumber(1, g.rng.below(16));
    g.reserved |= STRING_REGS;
  },
};

/** A forward branch to a later instruction of the block (or its end). */
function branchTo(g: Gen, name: string, shortOp: number[], nearOp: number[] | undefined, reads: number, maxAhead: number, pre: number[] = [], implicit = 0) {
  const target = Math.min(g.n, g.k + 1 + g.rng.below(maxAhead));
  const i = encode({ name, pre, op: [], reads, implicit });
  i.branch = { target, shortOp, nearOp, near: shortOp.length === 0 || (nearOp !== undefined && g.rng.chance(0.2)) };
  return i;
}

const branch: Op = (g) => {
  const cc = g.rng.below(16);
  switch (g.rng.below(7)) {
    case 0: case 1: case 2: return branchTo(g, `j${cc.toString(16)}`, [0x70 + cc], [0x0f, 0x80 + cc], CC_READS[cc], 8);
    case 3: return branchTo(g, 'jmp', [0xeb], [0xe9], 0, 6);
    case 4: {
      const a32 = g.rng.chance(0.2);
      return branchTo(g, a32 ? 'jecxz' : 'jrcxz', [0xe3], undefined, 0, 3, a32 ? [0x67] : [], 2);
    }
    case 5: {
      const k = g.rng.below(3);
      if (!g.writable(1)) return null;
      return branchTo(g, ['loopne', 'loope', 'loop'][k], [0xe0 + k], undefined, k < 2 ? ZF : 0, 3, [], 2);
    }
    default: return branchTo(g, 'call', [], [0xe8], 0, 5);
  }
};

/** Flag producers for the branches: CMP/TEST/ADD/SUB/INC/DEC on registers, CMC. */
const flagSource: Op = (g) => {
  const w = g.width();
  const wide = w === 8 ? 0 : 1;
  const k = g.rng.below(6);
  if (k === 5) return { name: 'cmc', op: [0xf5], reads: CF, writes: CF };
  if (k === 4) {
    const { rm, mem } = rmOnly(g, w, true, 0.2);
    return { name: `inc/dec${w}`, ...extSpec(w, g.rng.below(2), rm, mem), op: [0xfe + wide], writes: ARITH & ~CF };
  }
  const o = operands(g, w, { rmDst: k === 2 || k === 3, memChance: 0.2 });
  const op = [0x38, 0x84, 0x00, 0x28][k] + wide;
  return { name: `${['cmp', 'test', 'add', 'sub'][k]}${w}`, ...modrmSpec(o), op: [op], writes: k === 1 ? ARITH & ~AF : ARITH, undef: k === 1 ? AF : 0 };
};

export const BRANCH: X86Group = {
  name: 'branch', blockLength: 16, cases: 1500, state: STATE, rspBase: false,
  ops: [[4, branch], [5, flagSource]],
};

