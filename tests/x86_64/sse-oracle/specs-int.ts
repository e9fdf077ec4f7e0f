// Instruction specs for the SSE integer semantics.

import { FLAGS } from './harness';
import { genInt, type Spec } from './suite';
import { INT_OPS, mpsadbw } from '../../../board/x86_64/isa/sse-int-arith';
import { countOf, pand, pandn, por, ptest, pxor, Shift, shiftBytes, shiftLanes } from '../../../board/x86_64/isa/sse-int-logic';
import * as sh from '../../../board/x86_64/isa/sse-shuffle';
import { SSE_OUT } from '../../../board/x86_64/isa/sse-operands';
import type { Rng } from './gen';

const P66 = [0x66, 0x0f];
const P38 = [0x66, 0x0f, 0x38];
const P3A = [0x66, 0x0f, 0x3a];
const byte = (r: Rng): number => r.u32();

const OPC: Record<string, number[]> = {
  paddb: [...P66, 0xfc], paddw: [...P66, 0xfd], paddd: [...P66, 0xfe], paddq: [...P66, 0xd4],
  psubb: [...P66, 0xf8], psubw: [...P66, 0xf9], psubd: [...P66, 0xfa], psubq: [...P66, 0xfb],
  paddsb: [...P66, 0xec], paddsw: [...P66, 0xed], paddusb: [...P66, 0xdc], paddusw: [...P66, 0xdd],
  psubsb: [...P66, 0xe8], psubsw: [...P66, 0xe9], psubusb: [...P66, 0xd8], psubusw: [...P66, 0xd9],
  pavgb: [...P66, 0xe0], pavgw: [...P66, 0xe3], pminub: [...P66, 0xda], pmaxub: [...P66, 0xde], pminsw: [...P66, 0xea], pmaxsw: [...P66, 0xee],
  pcmpeqb: [...P66, 0x74], pcmpeqw: [...P66, 0x75], pcmpeqd: [...P66, 0x76], pcmpgtb: [...P66, 0x64], pcmpgtw: [...P66, 0x65], pcmpgtd: [...P66, 0x66],
  pmullw: [...P66, 0xd5], pmulhw: [...P66, 0xe5], pmulhuw: [...P66, 0xe4], pmuludq: [...P66, 0xf4], pmaddwd: [...P66, 0xf5], psadbw: [...P66, 0xf6],
  pshufb: [...P38, 0x00], phaddw: [...P38, 0x01], phaddd: [...P38, 0x02], phaddsw: [...P38, 0x03], pmaddubsw: [...P38, 0x04],
  phsubw: [...P38, 0x05], phsubd: [...P38, 0x06], phsubsw: [...P38, 0x07], psignb: [...P38, 0x08], psignw: [...P38, 0x09], psignd: [...P38, 0x0a],
  pmulhrsw: [...P38, 0x0b], pabsb: [...P38, 0x1c], pabsw: [...P38, 0x1d], pabsd: [...P38, 0x1e],
  pmuldq: [...P38, 0x28], pcmpeqq: [...P38, 0x29], pcmpgtq: [...P38, 0x37], pminsb: [...P38, 0x38], pminsd: [...P38, 0x39], pminuw: [...P38, 0x3a],
  pminud: [...P38, 0x3b], pmaxsb: [...P38, 0x3c], pmaxsd: [...P38, 0x3d], pmaxuw: [...P38, 0x3e], pmaxud: [...P38, 0x3f], pmulld: [...P38, 0x40],
  phminposuw: [...P38, 0x41],
};

export const intSpecs: Spec[] = Object.entries(OPC).map(([name, op]) => ({
  name,
  op,
  gen: genInt,
  run: (s, src, si) => {
    if (name === 'pshufb') sh.pshufb(s, 0, src, si);
    else INT_OPS[name](s, 0, src, si);
    return 0;
  },
}));

const v = (f: () => void): number => {
  f();
  return 0;
};

intSpecs.push(
  { name: 'pand', op: [...P66, 0xdb], gen: genInt, run: (s, src, si) => v(() => pand(s, 0, src, si)) },
  { name: 'pandn', op: [...P66, 0xdf], gen: genInt, run: (s, src, si) => v(() => pandn(s, 0, src, si)) },
  { name: 'por', op: [...P66, 0xeb], gen: genInt, run: (s, src, si) => v(() => por(s, 0, src, si)) },
  { name: 'pxor', op: [...P66, 0xef], gen: genInt, run: (s, src, si) => v(() => pxor(s, 0, src, si)) },
  { name: 'andnps', op: [0x0f, 0x55], gen: genInt, run: (s, src, si) => v(() => pandn(s, 0, src, si)) },
  { name: 'ptest', op: [...P38, 0x17], gen: genInt, flags: 0x8d5, run: (s, src, si) => v(() => { ptest(s, 0, src, si); FLAGS.value = SSE_OUT.flags; }) },
  { name: 'mpsadbw', op: [...P3A, 0x42], imm: byte, gen: genInt, run: (s, src, si, imm) => v(() => mpsadbw(s, 0, src, si, imm)) },
  { name: 'pshufd', op: [...P66, 0x70], imm: byte, gen: genInt, run: (s, src, si, imm) => v(() => sh.pshufd(s, 0, src, si, imm)) },
  { name: 'pshufhw', op: [0xf3, 0x0f, 0x70], imm: byte, gen: genInt, run: (s, src, si, imm) => v(() => sh.pshufw(s, 0, src, si, imm, true)) },
  { name: 'pshuflw', op: [0xf2, 0x0f, 0x70], imm: byte, gen: genInt, run: (s, src, si, imm) => v(() => sh.pshufw(s, 0, src, si, imm, false)) },
  { name: 'palignr', op: [...P3A, 0x0f], imm: (r) => (r.chance(0.8) ? r.below(33) : r.u32()), gen: genInt, run: (s, src, si, imm) => v(() => sh.palignr(s, 0, src, si, imm)) },
  { name: 'shufps', op: [0x0f, 0xc6], imm: byte, gen: genInt, run: (s, src, si, imm) => v(() => sh.shufps(s, 0, src, si, imm)) },
  { name: 'shufpd', op: [...P66, 0xc6], imm: byte, gen: genInt, run: (s, src, si, imm) => v(() => sh.shufpd(s, 0, src, si, imm)) },
  { name: 'pblendw', op: [...P3A, 0x0e], imm: byte, gen: genInt, run: (s, src, si, imm) => v(() => sh.blendImm(s, 0, src, si, imm, 2)) },
  { name: 'blendps', op: [...P3A, 0x0c], imm: byte, gen: genInt, run: (s, src, si, imm) => v(() => sh.blendImm(s, 0, src, si, imm & 15, 4)) },
  { name: 'blendpd', op: [...P3A, 0x0d], imm: byte, gen: genInt, run: (s, src, si, imm) => v(() => sh.blendImm(s, 0, src, si, imm & 3, 8)) },
  { name: 'pblendvb', op: [...P38, 0x10], modrm: 0xd1, gen: genInt, run: (s, src, si) => v(() => sh.blendVar(s, 2, src, si, 1)) },
  { name: 'blendvps', op: [...P38, 0x14], modrm: 0xd1, gen: genInt, run: (s, src, si) => v(() => sh.blendVar(s, 2, src, si, 4)) },
  { name: 'blendvpd', op: [...P38, 0x15], modrm: 0xd1, gen: genInt, run: (s, src, si) => v(() => sh.blendVar(s, 2, src, si, 8)) },
  { name: 'packsswb', op: [...P66, 0x63], gen: genInt, run: (s, src, si) => v(() => sh.pack(s, 0, src, si, false, false)) },
  { name: 'packuswb', op: [...P66, 0x67], gen: genInt, run: (s, src, si) => v(() => sh.pack(s, 0, src, si, false, true)) },
  { name: 'packssdw', op: [...P66, 0x6b], gen: genInt, run: (s, src, si) => v(() => sh.pack(s, 0, src, si, true, false)) },
  { name: 'packusdw', op: [...P38, 0x2b], gen: genInt, run: (s, src, si) => v(() => sh.pack(s, 0, src, si, true, true)) },
  { name: 'insertps', op: [...P3A, 0x21], imm: byte, gen: genInt, run: (s, src, si, imm, m) => v(() => sh.insertps(s, 0, src, si, imm, m)) },
  { name: 'movshdup', op: [0xf3, 0x0f, 0x16], gen: genInt, run: (s, src, si) => v(() => sh.movsdup(s, 0, src, si, true)) },
  { name: 'movsldup', op: [0xf3, 0x0f, 0x12], gen: genInt, run: (s, src, si) => v(() => sh.movsdup(s, 0, src, si, false)) },
  { name: 'movddup', op: [0xf2, 0x0f, 0x12], gen: genInt, run: (s, src, si) => v(() => sh.movddup(s, 0, src, si)) },
);

const UNPCK: Array<[string, number, number, boolean]> = [
  ['punpcklbw', 0x60, 1, false], ['punpcklwd', 0x61, 2, false], ['punpckldq', 0x62, 4, false], ['punpcklqdq', 0x6c, 8, false],
  ['punpckhbw', 0x68, 1, true], ['punpckhwd', 0x69, 2, true], ['punpckhdq', 0x6a, 4, true], ['punpckhqdq', 0x6d, 8, true],
];
for (const [name, opc, esize, high] of UNPCK) intSpecs.push({ name, op: [...P66, opc], gen: genInt, run: (s, src, si) => v(() => sh.punpck(s, 0, src, si, esize, high)) });
intSpecs.push(
  { name: 'unpcklps', op: [0x0f, 0x14], gen: genInt, run: (s, src, si) => v(() => sh.punpck(s, 0, src, si, 4, false)) },
  { name: 'unpckhpd', op: [...P66, 0x15], gen: genInt, run: (s, src, si) => v(() => sh.punpck(s, 0, src, si, 8, true)) },
);

const PMOVX: Array<[string, number, number]> = [['bw', 1, 2], ['bd', 1, 4], ['bq', 1, 8], ['wd', 2, 4], ['wq', 2, 8], ['dq', 4, 8]];
PMOVX.forEach(([suffix, from, to], k) => {
  intSpecs.push(
    { name: `pmovsx${suffix}`, op: [...P38, 0x20 + k], gen: genInt, run: (s, src, si) => v(() => sh.pmovx(s, 0, src, si, from, to, true)) },
    { name: `pmovzx${suffix}`, op: [...P38, 0x30 + k], gen: genInt, run: (s, src, si) => v(() => sh.pmovx(s, 0, src, si, from, to, false)) },
  );
});

// Shifts by an XMM count (low quadword; small counts often) and by an immediate.
const genShift = (r: Rng, c: Parameters<typeof genInt>[1]): void => {
  genInt(r, c);
  if (r.chance(0.7)) {
    const n = r.below(70);
    new DataView(c.xmm.buffer, c.xmm.byteOffset).setUint32(16, n, true);
    new DataView(c.xmm.buffer, c.xmm.byteOffset).setUint32(20, r.chance(0.1) ? 1 : 0, true);
    new DataView(c.mem.buffer, c.mem.byteOffset).setUint32(0, n, true);
    new DataView(c.mem.buffer, c.mem.byteOffset).setUint32(4, 0, true);
  }
};
const SHIFTS: Array<[string, number, 16 | 32 | 64, Shift, number, number]> = [
  ['psrlw', 0xd1, 16, Shift.Right, 0x71, 2], ['psrld', 0xd2, 32, Shift.Right, 0x72, 2], ['psrlq', 0xd3, 64, Shift.Right, 0x73, 2],
  ['psraw', 0xe1, 16, Shift.Arith, 0x71, 4], ['psrad', 0xe2, 32, Shift.Arith, 0x72, 4],
  ['psllw', 0xf1, 16, Shift.Left, 0x71, 6], ['pslld', 0xf2, 32, Shift.Left, 0x72, 6], ['psllq', 0xf3, 64, Shift.Left, 0x73, 6],
];
for (const [name, opc, esize, kind, immOpc, digit] of SHIFTS) {
  intSpecs.push(
    { name, op: [...P66, opc], gen: genShift, run: (s, src, si) => v(() => shiftLanes(s, 0, esize, kind, countOf(src, si))) },
    { name: `${name}-imm`, op: [...P66, immOpc], modrm: 0xc0 | (digit << 3), mem: false, imm: (r) => (r.chance(0.8) ? r.below(70) : r.u32()), gen: genInt, run: (s, _src, _si, imm) => v(() => shiftLanes(s, 0, esize, kind, imm)) },
  );
}
intSpecs.push(
  { name: 'psrldq', op: [...P66, 0x73], modrm: 0xd8, mem: false, imm: (r) => r.below(20), gen: genInt, run: (s, _src, _si, imm) => v(() => shiftBytes(s, 0, false, imm)) },
  { name: 'pslldq', op: [...P66, 0x73], modrm: 0xf8, mem: false, imm: (r) => r.below(20), gen: genInt, run: (s, _src, _si, imm) => v(() => shiftBytes(s, 0, true, imm)) },
);

// GPR results and sources: rm/reg 0 is rax/xmm0, the other operand xmm1/rcx.
const setRax = (s: import('../../../board/x86_64/cpu-state').X86CpuState, lo: number, hi = 0): void => {
  s.r[0] = lo;
  s.r[1] = hi;
};
intSpecs.push(
  { name: 'pmovmskb', op: [...P66, 0xd7], mem: false, gen: genInt, run: (s) => v(() => setRax(s, sh.movmsk(s, 1, 1))) },
  { name: 'movmskps', op: [0x0f, 0x50], mem: false, gen: genInt, run: (s) => v(() => setRax(s, sh.movmsk(s, 1, 4))) },
  { name: 'movmskpd', op: [...P66, 0x50], mem: false, gen: genInt, run: (s) => v(() => setRax(s, sh.movmsk(s, 1, 8))) },
  { name: 'pextrw', op: [...P66, 0xc5], mem: false, imm: byte, gen: genInt, run: (s, _src, _si, imm) => v(() => { sh.pextr(s, 1, imm, 2); setRax(s, sh.EX[0]); }) },
  { name: 'pextrb', op: [...P3A, 0x14], modrm: 0xc8, mem: false, imm: byte, gen: genInt, run: (s, _src, _si, imm) => v(() => { sh.pextr(s, 1, imm, 1); setRax(s, sh.EX[0]); }) },
  { name: 'pextrd', op: [...P3A, 0x16], modrm: 0xc8, mem: false, imm: byte, gen: genInt, run: (s, _src, _si, imm) => v(() => { sh.pextr(s, 1, imm, 4); setRax(s, sh.EX[0]); }) },
  { name: 'pextrq', op: [0x66, 0x48, 0x0f, 0x3a, 0x16], modrm: 0xc8, mem: false, imm: byte, gen: genInt, run: (s, _src, _si, imm) => v(() => { sh.pextr(s, 1, imm, 8); setRax(s, sh.EX[0], sh.EX[1]); }) },
  { name: 'extractps', op: [...P3A, 0x17], modrm: 0xc8, mem: false, imm: byte, gen: genInt, run: (s, _src, _si, imm) => v(() => { sh.pextr(s, 1, imm, 4); setRax(s, sh.EX[0]); }) },
  { name: 'pinsrw', op: [...P66, 0xc4], modrm: 0xc0, imm: byte, gen: genInt, run: (s, src, _si, imm, m) => v(() => sh.pinsr(s, 0, m ? src.xw[0] : s.r[0], 0, imm, 2)) },
  { name: 'pinsrb', op: [...P3A, 0x20], modrm: 0xc0, imm: byte, gen: genInt, run: (s, src, _si, imm, m) => v(() => sh.pinsr(s, 0, m ? src.xw[0] : s.r[0], 0, imm, 1)) },
  { name: 'pinsrd', op: [...P3A, 0x22], modrm: 0xc0, imm: byte, gen: genInt, run: (s, src, _si, imm, m) => v(() => sh.pinsr(s, 0, m ? src.xw[0] : s.r[0], 0, imm, 4)) },
  { name: 'pinsrq', op: [0x66, 0x48, 0x0f, 0x3a, 0x22], modrm: 0xc0, imm: byte, gen: genInt, run: (s, src, _si, imm, m) => v(() => sh.pinsr(s, 0, m ? src.xw[0] : s.r[0], m ? src.xw[1] : s.r[1], imm, 8)) },
);
