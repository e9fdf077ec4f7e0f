// SSE, SSE2, SSE3, SSSE3, SSE4.1 and SSE4.2, floating point and integer, with
// random MXCSR modes (rounding, FTZ, DAZ, now and then unmasked exceptions).
// Legacy SSE memory operands of 16 bytes must be aligned: a few are drawn
// misaligned and must raise #GP (SIGSEGV) on both sides. RCPPS/RSQRTPS and
// their scalar forms are left out: their approximations are model-specific.

import { ARITH } from './encoder';
import { Gen, Op, X86Group } from './generator';
import { Slot } from './state-builder';

/** A "xmm, xmm/m" instruction: [name, mandatory prefix (0 none), opcode bytes, memory size, aligned, imm8?]. */
type Form = [string, number, number[], number, boolean, boolean?];

function xmmForm(g: Gen, f: Form, extra: { writes?: number; implicit?: number } = {}) {
  const [name, pre, op, size, aligned, imm] = f;
  const useMem = g.rng.chance(0.3);
  const rm = useMem ? g.mem(size, { align: aligned ? 16 : Math.min(size, 8), misalign: aligned ? 0.02 : 0.1 }) : g.rng.below(16);
  return { name, pre: pre ? [pre] : [], op, reg: g.rng.below(16), rm, imm: imm ? [g.rng.below(256)] : undefined, ...extra };
}

const PS_PD_SS_SD: Array<[number, string, number, boolean]> = [[0, 'ps', 16, true], [0x66, 'pd', 16, true], [0xf3, 'ss', 4, false], [0xf2, 'sd', 8, false]];
const FP_ARITH: Array<[string, number]> = [['add', 0x58], ['mul', 0x59], ['sub', 0x5c], ['min', 0x5d], ['div', 0x5e], ['max', 0x5f], ['sqrt', 0x51]];

const fpArith: Op = (g) => {
  const [name, op] = g.rng.pick(FP_ARITH);
  const [pre, suf, size, aligned] = g.rng.pick(PS_PD_SS_SD);
  if (g.rng.chance(0.2)) return xmmForm(g, [`cmp${suf}`, pre, [0x0f, 0xc2], size, aligned, true]);
  return xmmForm(g, [`${name}${suf}`, pre, [0x0f, op], size, aligned]);
};

const FP_MISC: Form[] = [
  ['cvtps2pd', 0, [0x0f, 0x5a], 8, false], ['cvtpd2ps', 0x66, [0x0f, 0x5a], 16, true], ['cvtss2sd', 0xf3, [0x0f, 0x5a], 4, false],
  ['cvtsd2ss', 0xf2, [0x0f, 0x5a], 8, false], ['cvtdq2ps', 0, [0x0f, 0x5b], 16, true], ['cvtps2dq', 0x66, [0x0f, 0x5b], 16, true],
  ['cvttps2dq', 0xf3, [0x0f, 0x5b], 16, true], ['cvtdq2pd', 0xf3, [0x0f, 0xe6], 8, false], ['cvtpd2dq', 0xf2, [0x0f, 0xe6], 16, true],
  ['cvttpd2dq', 0x66, [0x0f, 0xe6], 16, true],
  ['andps', 0, [0x0f, 0x54], 16, true], ['andpd', 0x66, [0x0f, 0x54], 16, true], ['andnps', 0, [0x0f, 0x55], 16, true],
  ['orps', 0, [0x0f, 0x56], 16, true], ['xorpd', 0x66, [0x0f, 0x57], 16, true],
  ['movaps', 0, [0x0f, 0x28], 16, true], ['movapd', 0x66, [0x0f, 0x28], 16, true], ['movups', 0, [0x0f, 0x10], 16, false],
  ['movss', 0xf3, [0x0f, 0x10], 4, false], ['movsd', 0xf2, [0x0f, 0x10], 8, false],
  ['movlps/movhlps', 0, [0x0f, 0x12], 8, false], ['movhps/movlhps', 0, [0x0f, 0x16], 8, false],
  ['unpcklps', 0, [0x0f, 0x14], 16, true], ['unpckhpd', 0x66, [0x0f, 0x15], 16, true], ['unpckhps', 0, [0x0f, 0x15], 16, true],
  ['shufps', 0, [0x0f, 0xc6], 16, true, true], ['shufpd', 0x66, [0x0f, 0xc6], 16, true, true],
  ['addsubps', 0xf2, [0x0f, 0xd0], 16, true], ['addsubpd', 0x66, [0x0f, 0xd0], 16, true], ['haddps', 0xf2, [0x0f, 0x7c], 16, true],
  ['haddpd', 0x66, [0x0f, 0x7c], 16, true], ['hsubps', 0xf2, [0x0f, 0x7d], 16, true], ['hsubpd', 0x66, [0x0f, 0x7d], 16, true],
  ['movsldup', 0xf3, [0x0f, 0x12], 16, true], ['movshdup', 0xf3, [0x0f, 0x16], 16, true], ['movddup', 0xf2, [0x0f, 0x12], 8, false],
  ['roundps', 0x66, [0x0f, 0x3a, 0x08], 16, true, true], ['roundpd', 0x66, [0x0f, 0x3a, 0x09], 16, true, true],
  ['roundss', 0x66, [0x0f, 0x3a, 0x0a], 4, false, true], ['roundsd', 0x66, [0x0f, 0x3a, 0x0b], 8, false, true],
  ['blendps', 0x66, [0x0f, 0x3a, 0x0c], 16, true, true], ['blendpd', 0x66, [0x0f, 0x3a, 0x0d], 16, true, true],
  ['blendvps', 0x66, [0x0f, 0x38, 0x14], 16, true], ['blendvpd', 0x66, [0x0f, 0x38, 0x15], 16, true],
  ['dpps', 0x66, [0x0f, 0x3a, 0x40], 16, true, true], ['dppd', 0x66, [0x0f, 0x3a, 0x41], 16, true, true],
  ['insertps', 0x66, [0x0f, 0x3a, 0x21], 4, false, true],
];

const fpMisc: Op = (g) => xmmForm(g, g.rng.pick(FP_MISC));

/** Compares into EFLAGS, conversions to and from GPRs, stores, MOVMSK, MXCSR loads and stores. */
const fpSpecial: Op = (g) => {
  const w = g.rng.chance(0.5);
  switch (g.rng.below(8)) {
    case 0: {
      const f = g.rng.pick<Form>([['ucomiss', 0, [0x0f, 0x2e], 4, false], ['comiss', 0, [0x0f, 0x2f], 4, false], ['ucomisd', 0x66, [0x0f, 0x2e], 8, false], ['comisd', 0x66, [0x0f, 0x2f], 8, false]]);
      return xmmForm(g, f, { writes: ARITH });
    }
    case 1: {
      const sd = g.rng.chance(0.5);
      const rm = g.rng.chance(0.3) ? g.mem(w ? 8 : 4) : g.gpr();
      return { name: `cvtsi2s${sd ? 'd' : 's'}${w ? 64 : 32}`, pre: [sd ? 0xf2 : 0xf3], w, op: [0x0f, 0x2a], reg: g.rng.below(16), rm, rmIsGpr: typeof rm === 'number' };
    }
    case 2: {
      const sd = g.rng.chance(0.5);
      const trunc = g.rng.chance(0.5);
      const rm = g.rng.chance(0.3) ? g.mem(sd ? 8 : 4) : g.rng.below(16);
      return { name: `cvt${trunc ? 't' : ''}s${sd ? 'd' : 's'}2si${w ? 64 : 32}`, pre: [sd ? 0xf2 : 0xf3], w, op: [0x0f, trunc ? 0x2c : 0x2d], reg: g.dst(), regIsGpr: true, rm };
    }
    case 3: {
      const f = g.rng.pick<[string, number, number, number, boolean]>([['movaps', 0, 0x29, 16, true], ['movupd', 0x66, 0x11, 16, false], ['movss', 0xf3, 0x11, 4, false], ['movsd', 0xf2, 0x11, 8, false], ['movlps', 0, 0x13, 8, false], ['movhpd', 0x66, 0x17, 8, false]]);
      const [name, pre, op, size, aligned] = f;
      return { name: `${name} store`, pre: pre ? [pre] : [], op: [0x0f, op], reg: g.rng.below(16), rm: g.mem(size, { align: aligned ? 16 : 4, misalign: aligned ? 0.02 : 0.1 }) };
    }
    case 4: {
      const pd = g.rng.chance(0.5);
      return { name: `movmskp${pd ? 'd' : 's'}`, pre: pd ? [0x66] : [], op: [0x0f, 0x50], reg: g.dst(), regIsGpr: true, rm: g.rng.below(16) };
    }
    case 5: return { name: 'ldmxcsr', op: [0x0f, 0xae], reg: 2, rm: g.mem(4, { kind: Slot.Mxcsr }) };
    case 6: return { name: 'stmxcsr', op: [0x0f, 0xae], reg: 3, rm: g.mem(4) };
    default: return { name: 'extractps', pre: [0x66], op: [0x0f, 0x3a, 0x17], reg: g.rng.below(16), rm: g.rng.chance(0.4) ? g.mem(4) : g.dst(), rmIsGpr: true, imm: [g.rng.below(256)] };
  }
};

export const SSE_FP: X86Group = {
  name: 'sse-fp', blockLength: 16, cases: 2000, state: { unmaskX87: 0, unmaskSse: 0.1 }, rspBase: true,
  ops: [[6, fpArith], [5, fpMisc], [3, fpSpecial]],
};

const INT_66_0F = [
  0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x74, 0x75, 0x76, 0xd1, 0xd2, 0xd3,
  0xd4, 0xd5, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe8, 0xe9, 0xea, 0xeb,
  0xec, 0xed, 0xee, 0xef, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe,
];
const INT_66_0F38 = [
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x1c, 0x1d, 0x1e, 0x10, 0x28, 0x29, 0x2b, 0x37,
  0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x41,
];
/** PMOVSX/PMOVZX: opcode low nibble to memory size. */
const PMOV_SIZE = [8, 4, 2, 8, 4, 8];

const intArith: Op = (g) => {
  const r = g.rng.below(10);
  if (r < 5) {
    const op = g.rng.pick(INT_66_0F);
    return xmmForm(g, [`66 0f ${op.toString(16)}`, 0x66, [0x0f, op], 16, true]);
  }
  if (r < 8) {
    const op = g.rng.pick(INT_66_0F38);
    return xmmForm(g, [`66 0f38 ${op.toString(16)}`, 0x66, [0x0f, 0x38, op], 16, true]);
  }
  const k = g.rng.below(6);
  const op = (g.rng.chance(0.5) ? 0x20 : 0x30) + k;
  return xmmForm(g, [`pmov${op >= 0x30 ? 'zx' : 'sx'} 66 0f38 ${op.toString(16)}`, 0x66, [0x0f, 0x38, op], PMOV_SIZE[k], false]);
};

const INT_IMM: Form[] = [
  ['pshufd', 0x66, [0x0f, 0x70], 16, true, true], ['pshufhw', 0xf3, [0x0f, 0x70], 16, true, true], ['pshuflw', 0xf2, [0x0f, 0x70], 16, true, true],
  ['palignr', 0x66, [0x0f, 0x3a, 0x0f], 16, true, true], ['pblendw', 0x66, [0x0f, 0x3a, 0x0e], 16, true, true],
  ['mpsadbw', 0x66, [0x0f, 0x3a, 0x42], 16, true, true],
];

const intImm: Op = (g) => {
  if (g.rng.chance(0.4)) {
    // PSRLW/PSRAW/PSLLW, D, Q, PSRLDQ/PSLLDQ by an immediate: register operand only.
    const [op, digit] = g.rng.pick([[0x71, 2], [0x71, 4], [0x71, 6], [0x72, 2], [0x72, 4], [0x72, 6], [0x73, 2], [0x73, 3], [0x73, 6], [0x73, 7]]);
    return { name: `shift-imm 66 0f ${op.toString(16)} /${digit}`, pre: [0x66], op: [0x0f, op], reg: digit, rm: g.rng.below(16), imm: [g.rng.chance(0.7) ? g.rng.below(20) : g.rng.below(256)] };
  }
  return xmmForm(g, g.rng.pick(INT_IMM));
};

/** MOVD/MOVQ, MOVDQA/MOVDQU, PINSR/PEXTR, PMOVMSKB, PTEST, MOVNTDQA, LDDQU. */
const intMove: Op = (g) => {
  const w = g.rng.chance(0.5);
  const x = g.rng.below(16);
  switch (g.rng.below(12)) {
    case 0: {
      const rm = g.rng.chance(0.3) ? g.mem(w ? 8 : 4) : g.gpr();
      return { name: `mov${w ? 'q' : 'd'} xmm,r/m`, pre: [0x66], w, op: [0x0f, 0x6e], reg: x, rm, rmIsGpr: typeof rm === 'number' };
    }
    case 1: {
      const rm = g.rng.chance(0.3) ? g.mem(w ? 8 : 4) : g.dst();
      return { name: `mov${w ? 'q' : 'd'} r/m,xmm`, pre: [0x66], w, op: [0x0f, 0x7e], reg: x, rm, rmIsGpr: typeof rm === 'number' };
    }
    case 2: return xmmForm(g, ['movq xmm,xmm/m64', 0xf3, [0x0f, 0x7e], 8, false]);
    case 3: return { name: 'movq xmm/m64,xmm', pre: [0x66], op: [0x0f, 0xd6], reg: x, rm: g.rng.chance(0.5) ? g.mem(8) : g.rng.below(16) };
    case 4: {
      if (g.rng.chance(0.3)) return { name: 'lddqu', pre: [0xf2], op: [0x0f, 0xf0], reg: x, rm: g.mem(16, { align: 1 }) };
      return xmmForm(g, g.rng.pick<Form>([['movdqa', 0x66, [0x0f, 0x6f], 16, true], ['movdqu', 0xf3, [0x0f, 0x6f], 16, false]]));
    }
    case 5: {
      const a = g.rng.chance(0.5);
      return { name: `movdq${a ? 'a' : 'u'} store`, pre: [a ? 0x66 : 0xf3], op: [0x0f, 0x7f], reg: x, rm: g.mem(16, { align: 16, misalign: a ? 0.04 : 0.3 }) };
    }
    case 6: {
      const [name, op, size] = g.rng.pick<[string, number[], number]>([['pinsrw', [0x0f, 0xc4], 2], ['pinsrb', [0x0f, 0x3a, 0x20], 1], ['pinsrd/q', [0x0f, 0x3a, 0x22], 4]]);
      const q = op.length === 3 && size === 4 && w;
      const rm = g.rng.chance(0.3) ? g.mem(q ? 8 : size) : g.gpr();
      return { name, pre: [0x66], w: q, op, reg: x, rm, rmIsGpr: typeof rm === 'number', imm: [g.rng.below(256)] };
    }
    case 7: {
      const [name, op, size] = g.rng.pick<[string, number[], number]>([['pextrb', [0x0f, 0x3a, 0x14], 1], ['pextrw', [0x0f, 0x3a, 0x15], 2], ['pextrd/q', [0x0f, 0x3a, 0x16], 4]]);
      const q = size === 4 && w;
      const rm = g.rng.chance(0.3) ? g.mem(q ? 8 : size) : g.dst();
      return { name, pre: [0x66], w: q, op, reg: x, rm, rmIsGpr: typeof rm === 'number', imm: [g.rng.below(256)] };
    }
    case 8: return g.rng.chance(0.5)
      ? { name: 'pextrw r,xmm', pre: [0x66], op: [0x0f, 0xc5], reg: g.dst(), regIsGpr: true, rm: x, imm: [g.rng.below(256)] }
      : { name: 'pmovmskb', pre: [0x66], op: [0x0f, 0xd7], reg: g.dst(), regIsGpr: true, rm: x };
    case 9: return xmmForm(g, ['ptest', 0x66, [0x0f, 0x38, 0x17], 16, true], { writes: ARITH });
    case 10: return { name: 'movntdqa', pre: [0x66], op: [0x0f, 0x38, 0x2a], reg: x, rm: g.mem(16, { align: 16, misalign: 0.04 }) };
    default: return xmmForm(g, ['movdqa', 0x66, [0x0f, 0x6f], 16, true]);
  }
};

export const SSE_INT: X86Group = {
  name: 'sse-int', blockLength: 16, cases: 2000, state: { unmaskX87: 0, unmaskSse: 0 }, rspBase: true,
  ops: [[8, intArith], [3, intImm], [4, intMove]],
};

/** SSE4.2 string compares (lengths in RAX/RDX for the explicit forms; results in RCX or XMM0) and CRC32. */
const strCmp: Op = (g) => {
  const op = 0x60 + g.rng.below(4);
  const w = g.rng.chance(0.3);
  const f = xmmForm(g, [`pcmp${op & 2 ? 'i' : 'e'}str${op & 1 ? 'i' : 'm'}`, 0x66, [0x0f, 0x3a, op], 16, false, true], { writes: ARITH, implicit: 0x7 });
  if (!g.writable(1)) return null;
  return { ...f, w };
};

const crc32: Op = (g) => {
  const w = g.rng.pick([8, 16, 32, 64] as const);
  const reg = g.dst();
  const rm = g.rng.chance(0.3) ? g.mem(w / 8) : w === 8 ? g.byteReg(reg >= 8 ? true : undefined, false) : g.gpr();
  return { name: `crc32 r,r/m${w}`, pre: [...(w === 16 ? [0x66] : []), 0xf2], w: w === 64, op: [0x0f, 0x38, w === 8 ? 0xf0 : 0xf1], reg, regIsGpr: true, rm, rmByte: w === 8, rmIsGpr: typeof rm === 'number' };
};

export const SSE42: X86Group = {
  name: 'sse42-string', blockLength: 12, cases: 1000, state: { unmaskX87: 0, unmaskSse: 0 }, rspBase: true, implicit: 0x7,
  ops: [[3, strCmp], [2, crc32], [1, intMove]],
  setup: (g) => {
    // Explicit lengths: small, sometimes negative or beyond 16 (saturated by the instruction).
    g.s.setGprNumber(0, g.rng.pick([0, 1, 3, 7, 8, 15, 16, 17, -1, -5, 100]));
    g.s.setGprNumber(2, g.rng.pick([0, 2, 5, 8, 12, 16, 20, -3]));
  },
};
