// Instruction specs for the data moves, MOVD/MOVQ, the non-temporal stores
// and LDMXCSR/STMXCSR. Their semantics are simple enough to state here; the
// point is the native comparison of the whole CPU path (sse-cpu.test.ts).

import type { X86CpuState } from '../../../board/x86_64/cpu-state';
import { Misc } from '../../../board/x86_64/cpu-state';
import type { XmmFile } from '../../../board/x86_64/isa/sse-operands';
import { genInt, type Spec } from './suite';

const SIGSEGV_GP = 13;

type Run = Spec['run'];

/** Copy `words` words from (src, si) at word `from` to XMM d at word `to`; zero the rest of d when `zero`. */
function copy(s: X86CpuState, d: number, src: XmmFile, si: number, words: number, from = 0, to = 0, zero = false): number {
  const v = Array.from(src.xw.subarray(si * 4 + from, si * 4 + from + words));
  if (zero) s.xw.fill(0, d * 4, d * 4 + 4);
  s.xw.set(v, d * 4 + to);
  return 0;
}

const load = (words: number, regWords = 4): Run => (s, src, si, _i, isMem) => copy(s, 0, src, si, isMem ? words : regWords, 0, 0, isMem && words < 4);
/** Stores from XMM0 (reg) to rm: a register destination is XMM1, memory is the temporary. */
const storeTo = (words: number, from = 0, regWords = words): Run => (s, src, si, _i, isMem) => (isMem ? copy(src as X86CpuState, 0, s, 0, words, from, 0) : copy(s, si, s, 0, regWords));

const aligned = (run: Run): Run => run;

export const moveSpecs: Spec[] = [
  { name: 'movups', op: [0x0f, 0x10], gen: genInt, run: load(4) },
  { name: 'movupd', op: [0x66, 0x0f, 0x10], gen: genInt, run: load(4) },
  { name: 'movaps', op: [0x0f, 0x28], gen: genInt, run: aligned(load(4)) },
  { name: 'movdqa', op: [0x66, 0x0f, 0x6f], gen: genInt, run: load(4) },
  { name: 'movdqu', op: [0xf3, 0x0f, 0x6f], gen: genInt, run: load(4) },
  { name: 'movss', op: [0xf3, 0x0f, 0x10], gen: genInt, run: load(1, 1) },
  { name: 'movsd', op: [0xf2, 0x0f, 0x10], gen: genInt, run: load(2, 2) },
  { name: 'movups-store', op: [0x0f, 0x11], gen: genInt, run: storeTo(4) },
  { name: 'movaps-store', op: [0x0f, 0x29], gen: genInt, run: storeTo(4) },
  { name: 'movdqa-store', op: [0x66, 0x0f, 0x7f], gen: genInt, run: storeTo(4) },
  { name: 'movdqu-store', op: [0xf3, 0x0f, 0x7f], gen: genInt, run: storeTo(4) },
  { name: 'movss-store', op: [0xf3, 0x0f, 0x11], gen: genInt, run: storeTo(1) },
  { name: 'movsd-store', op: [0xf2, 0x0f, 0x11], gen: genInt, run: storeTo(2) },
  { name: 'movlps-movhlps', op: [0x0f, 0x12], gen: genInt, run: (s, src, si, _i, m) => copy(s, 0, src, si, 2, m ? 0 : 2, 0) },
  { name: 'movhps-movlhps', op: [0x0f, 0x16], gen: genInt, run: (s, src, si) => copy(s, 0, src, si, 2, 0, 2) },
  { name: 'movlpd', op: [0x66, 0x0f, 0x12], gen: genInt, run: (s, src, si, _i, m) => (m ? copy(s, 0, src, si, 2) : 6) },
  { name: 'movhpd', op: [0x66, 0x0f, 0x16], gen: genInt, run: (s, src, si, _i, m) => (m ? copy(s, 0, src, si, 2, 0, 2) : 6) },
  { name: 'movlps-store', op: [0x0f, 0x13], gen: genInt, run: (s, src, _si, _i, m) => (m ? copy(src as X86CpuState, 0, s, 0, 2) : 6) },
  { name: 'movhps-store', op: [0x0f, 0x17], gen: genInt, run: (s, src, _si, _i, m) => (m ? copy(src as X86CpuState, 0, s, 0, 2, 2, 0) : 6) },
  { name: 'movq-load', op: [0xf3, 0x0f, 0x7e], gen: genInt, run: (s, src, si) => copy(s, 0, src, si, 2, 0, 0, true) },
  { name: 'movq-store', op: [0x66, 0x0f, 0xd6], gen: genInt, run: (s, src, si, _i, m) => (m ? copy(src as X86CpuState, 0, s, 0, 2) : copy(s, si, s, 0, 2, 0, 0, true)) },
  { name: 'lddqu', op: [0xf2, 0x0f, 0xf0], gen: genInt, run: (s, src, si, _i, m) => (m ? copy(s, 0, src, si, 4) : 6) },
  { name: 'movntdq', op: [0x66, 0x0f, 0xe7], gen: genInt, run: (s, src, _si, _i, m) => (m ? copy(src as X86CpuState, 0, s, 0, 4) : 6) },
  { name: 'movntps', op: [0x0f, 0x2b], gen: genInt, run: (s, src, _si, _i, m) => (m ? copy(src as X86CpuState, 0, s, 0, 4) : 6) },
  { name: 'movntdqa', op: [0x66, 0x0f, 0x38, 0x2a], gen: genInt, run: (s, src, si, _i, m) => (m ? copy(s, 0, src, si, 4) : 6) },
  // MOVD/MOVQ between XMM0 and eax/rax (reg form ModRM 0xc0) or memory.
  { name: 'movd-to-xmm', op: [0x66, 0x0f, 0x6e], modrm: 0xc0, gen: genInt, run: (s, src, _si, _i, m) => { const lo = m ? src.xw[0] : s.r[0]; s.xw.set([lo, 0, 0, 0], 0); return 0; } },
  { name: 'movq-to-xmm', op: [0x66, 0x48, 0x0f, 0x6e], modrm: 0xc0, gen: genInt, run: (s, src, _si, _i, m) => { const lo = m ? src.xw[0] : s.r[0]; const hi = m ? src.xw[1] : s.r[1]; s.xw.set([lo, hi, 0, 0], 0); return 0; } },
  { name: 'movd-from-xmm', op: [0x66, 0x0f, 0x7e], modrm: 0xc0, gen: genInt, run: (s, src, _si, _i, m) => { if (m) src.xw[0] = s.xw[0]; else { s.r[0] = s.xw[0]; s.r[1] = 0; } return 0; } },
  { name: 'movq-from-xmm', op: [0x66, 0x48, 0x0f, 0x7e], modrm: 0xc0, gen: genInt, run: (s, src, _si, _i, m) => { if (m) src.xw.set([s.xw[0], s.xw[1]], 0); else { s.r[0] = s.xw[0]; s.r[1] = s.xw[1]; } return 0; } },
  { name: 'movnti', op: [0x0f, 0xc3], modrm: 0xc0, gen: genInt, run: (s, src, _si, _i, m) => { if (!m) return 6; src.xw[0] = s.r[0]; return 0; } },
  // MASKMOVDQU xmm0, xmm1: bytes of XMM0 where XMM1's byte has its top bit set go to [RDI] (= the memory operand).
  { name: 'maskmovdqu', op: [0x66, 0x0f, 0xf7], mem: false, gen: genInt, run: (s, _src, _si, _i, _m, _hi, mem) => { for (let k = 0; k < 16; k++) if (s.xb[16 + k] & 0x80) mem.xb[k] = s.xb[k]; return 0; } },
  { name: 'ldmxcsr', op: [0x0f, 0xae], modrm: 0xd0, gen: genMxcsr, run: (s, src, _si, _i, m) => { if (!m) return 6; const v = src.xw[0]; if (v & ~0xffff) return SIGSEGV_GP; s.misc[Misc.Mxcsr] = v; return 0; } },
  { name: 'stmxcsr', op: [0x0f, 0xae], modrm: 0xd8, gen: genInt, run: (s, src, _si, _i, m) => { if (!m) return 6; src.xw[0] = s.misc[Misc.Mxcsr]; return 0; } },
];

function genMxcsr(r: import('./gen').Rng, c: import('./harness').Case): void {
  genInt(r, c);
  const v = r.chance(0.8) ? r.u32() & 0xffff : r.u32();
  new DataView(c.mem.buffer, c.mem.byteOffset).setUint32(0, v >>> 0, true);
}
