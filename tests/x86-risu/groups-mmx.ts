// MMX: the 0F integer map without a 66 prefix on MM registers (the x87
// registers' significands), the MMX forms SSE, SSE2 and SSSE3 added, MOVD/
// MOVQ, MOVQ2DQ/MOVDQ2Q, the conversions between MM integers and XMM floats,
// and EMMS. ModRM.reg/rm are drawn from 0..15 so REX.R/REX.B show up and must
// be ignored for MM registers. The random x87 state (TOP, tags, now and then a
// pending unmasked exception: #MF, SIGFPE) shows each instruction's effect on
// it. MASKMOVQ stores to [RDI], which points into the data window.

import { DATA_BASE } from './case-format';
import { Gen, Op, X86Group } from './generator';

const RDI = 7;

/** [name, opcode bytes after 0F, memory size, imm8?] of "mm, mm/m" forms. */
type Form = [string, number[], number, boolean?];

const ARITH: Form[] = [
  ['paddb', [0xfc], 8], ['paddw', [0xfd], 8], ['paddd', [0xfe], 8], ['paddq', [0xd4], 8],
  ['psubb', [0xf8], 8], ['psubw', [0xf9], 8], ['psubd', [0xfa], 8], ['psubq', [0xfb], 8],
  ['paddsb', [0xec], 8], ['paddsw', [0xed], 8], ['paddusb', [0xdc], 8], ['paddusw', [0xdd], 8],
  ['psubsb', [0xe8], 8], ['psubsw', [0xe9], 8], ['psubusb', [0xd8], 8], ['psubusw', [0xd9], 8],
  ['pavgb', [0xe0], 8], ['pavgw', [0xe3], 8], ['pminub', [0xda], 8], ['pmaxub', [0xde], 8], ['pminsw', [0xea], 8], ['pmaxsw', [0xee], 8],
  ['pcmpeqb', [0x74], 8], ['pcmpeqw', [0x75], 8], ['pcmpeqd', [0x76], 8], ['pcmpgtb', [0x64], 8], ['pcmpgtw', [0x65], 8], ['pcmpgtd', [0x66], 8],
  ['pmullw', [0xd5], 8], ['pmulhw', [0xe5], 8], ['pmulhuw', [0xe4], 8], ['pmuludq', [0xf4], 8], ['pmaddwd', [0xf5], 8], ['psadbw', [0xf6], 8],
  ['pand', [0xdb], 8], ['pandn', [0xdf], 8], ['por', [0xeb], 8], ['pxor', [0xef], 8],
  ['punpcklbw', [0x60], 4], ['punpcklwd', [0x61], 4], ['punpckldq', [0x62], 4], ['punpckhbw', [0x68], 8], ['punpckhwd', [0x69], 8], ['punpckhdq', [0x6a], 8],
  ['packsswb', [0x63], 8], ['packuswb', [0x67], 8], ['packssdw', [0x6b], 8],
  ['psrlw', [0xd1], 8], ['psrld', [0xd2], 8], ['psrlq', [0xd3], 8], ['psraw', [0xe1], 8], ['psrad', [0xe2], 8], ['psllw', [0xf1], 8], ['pslld', [0xf2], 8], ['psllq', [0xf3], 8],
  ['pshufw', [0x70], 8, true], ['movq mm,mm/m64', [0x6f], 8],
];

const SSSE3: Form[] = [
  ['pshufb', [0x38, 0x00], 8], ['phaddw', [0x38, 0x01], 8], ['phaddd', [0x38, 0x02], 8], ['phaddsw', [0x38, 0x03], 8], ['pmaddubsw', [0x38, 0x04], 8],
  ['phsubw', [0x38, 0x05], 8], ['phsubd', [0x38, 0x06], 8], ['phsubsw', [0x38, 0x07], 8], ['psignb', [0x38, 0x08], 8], ['psignw', [0x38, 0x09], 8],
  ['psignd', [0x38, 0x0a], 8], ['pmulhrsw', [0x38, 0x0b], 8], ['pabsb', [0x38, 0x1c], 8], ['pabsw', [0x38, 0x1d], 8], ['pabsd', [0x38, 0x1e], 8],
  ['palignr', [0x3a, 0x0f], 8, true],
];

function mmForm(g: Gen, [name, op, size, imm]: Form) {
  const rm = g.rng.chance(0.3) ? g.mem(size, { align: 1 }) : g.rng.below(16);
  return { name, op: [0x0f, ...op], reg: g.rng.below(16), rm, imm: imm ? [g.rng.below(256)] : undefined };
}

const arith: Op = (g) => mmForm(g, g.rng.pick(ARITH));
const ssse3: Op = (g) => mmForm(g, g.rng.pick(SSSE3));

/** PSRL/PSRA/PSLL by an immediate (register operand only). */
const shiftImm: Op = (g) => {
  const [op, digit] = g.rng.pick([[0x71, 2], [0x71, 4], [0x71, 6], [0x72, 2], [0x72, 4], [0x72, 6], [0x73, 2], [0x73, 6]]);
  return { name: `shift-imm 0f ${op.toString(16)} /${digit}`, op: [0x0f, op], reg: digit, rm: g.rng.below(16), imm: [g.rng.chance(0.7) ? g.rng.below(70) : g.rng.below(256)] };
};

/** MOVD/MOVQ to and from GPRs and memory, MOVQ stores, MOVNTQ, PMOVMSKB, PEXTRW, PINSRW, MOVQ2DQ/MOVDQ2Q, EMMS. */
const moves: Op = (g) => {
  const w = g.rng.chance(0.5);
  const mm = g.rng.below(16);
  switch (g.rng.below(11)) {
    case 0: {
      const rm = g.rng.chance(0.3) ? g.mem(w ? 8 : 4) : g.gpr();
      return { name: `mov${w ? 'q' : 'd'} mm,r/m`, w, op: [0x0f, 0x6e], reg: mm, rm, rmIsGpr: typeof rm === 'number' };
    }
    case 1: {
      const rm = g.rng.chance(0.3) ? g.mem(w ? 8 : 4) : g.dst();
      return { name: `mov${w ? 'q' : 'd'} r/m,mm`, w, op: [0x0f, 0x7e], reg: mm, rm, rmIsGpr: typeof rm === 'number' };
    }
    case 2: return { name: 'movq mm/m64,mm', op: [0x0f, 0x7f], reg: mm, rm: g.rng.chance(0.5) ? g.mem(8) : g.rng.below(16) };
    case 3: return { name: 'movntq', op: [0x0f, 0xe7], reg: mm, rm: g.mem(8) };
    case 4: return g.rng.chance(0.5)
      ? { name: 'pextrw r,mm', op: [0x0f, 0xc5], reg: g.dst(), regIsGpr: true, rm: g.rng.below(16), imm: [g.rng.below(256)] }
      : { name: 'pmovmskb r,mm', op: [0x0f, 0xd7], reg: g.dst(), regIsGpr: true, rm: g.rng.below(16) };
    case 5: {
      const rm = g.rng.chance(0.3) ? g.mem(2) : g.gpr();
      return { name: 'pinsrw mm', op: [0x0f, 0xc4], reg: mm, rm, rmIsGpr: typeof rm === 'number', imm: [g.rng.below(256)] };
    }
    case 6: return { name: 'movq2dq', pre: [0xf3], op: [0x0f, 0xd6], reg: g.rng.below(16), rm: g.rng.below(16) };
    case 7: return { name: 'movdq2q', pre: [0xf2], op: [0x0f, 0xd6], reg: g.rng.below(16), rm: g.rng.below(16) };
    case 8: return { name: 'emms', op: [0x0f, 0x77] };
    case 9: return { name: 'maskmovq', op: [0x0f, 0xf7], reg: mm, rm: g.rng.below(16), implicit: 1 << RDI };
    default: return mmForm(g, ['movq mm,mm/m64', [0x6f], 8]);
  }
};

/** CVTPI2PS/PD xmm, mm/m64; CVT(T)PS2PI mm, xmm/m64; CVT(T)PD2PI mm, xmm/m128 (aligned). */
const convert: Op = (g) => {
  switch (g.rng.below(4)) {
    case 0: return { name: 'cvtpi2ps', op: [0x0f, 0x2a], reg: g.rng.below(16), rm: g.rng.chance(0.3) ? g.mem(8) : g.rng.below(16) };
    case 1: return { name: 'cvtpi2pd', pre: [0x66], op: [0x0f, 0x2a], reg: g.rng.below(16), rm: g.rng.chance(0.3) ? g.mem(8) : g.rng.below(16) };
    case 2: {
      const t = g.rng.chance(0.5);
      return { name: `cvt${t ? 't' : ''}ps2pi`, op: [0x0f, t ? 0x2c : 0x2d], reg: g.rng.below(16), rm: g.rng.chance(0.3) ? g.mem(8) : g.rng.below(16) };
    }
    default: {
      const t = g.rng.chance(0.5);
      const rm = g.rng.chance(0.3) ? g.mem(16, { align: 16, misalign: 0.02 }) : g.rng.below(16);
      return { name: `cvt${t ? 't' : ''}pd2pi`, pre: [0x66], op: [0x0f, t ? 0x2c : 0x2d], reg: g.rng.below(16), rm };
    }
  }
};

export const MMX: X86Group = {
  name: 'mmx', blockLength: 16, cases: 1600, state: { unmaskX87: 0.05, unmaskSse: 0.1 }, rspBase: true, implicit: 1 << RDI,
  setup: (g) => {
    g.s.setGprNumber(RDI, DATA_BASE + 0xc00 + 8 * g.rng.below(0x100));
    g.reserved |= 1 << RDI;
  },
  ops: [[8, arith], [3, ssse3], [2, shiftImm], [4, moves], [2, convert]],
};
