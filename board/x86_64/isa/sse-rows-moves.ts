// Decode rows of the SSE data moves: MOVAPS/UPS/APD/UPD/DQA/DQU/LDDQU,
// MOVSS/MOVSD, MOVLPS/HPS/LPD/HPD, MOVHLPS/MOVLHPS, the non-temporal stores
// and MOVNTDQA, MOVD/MOVQ, MASKMOVDQU, LDMXCSR/STMXCSR. FXSAVE/FXRSTOR
// live with the x87 rows (branch x86-x87).

import type { X86Cpu } from '../cpu';
import { Misc, RDI } from '../cpu-state';
import type { X86Handler, X86Insn, X86Row } from '../decoder';
import { effectiveAddress } from '../operands';
import { generalProtection } from '../x86-fault';
import { MXCSR_MASK } from '../sse-fp-env';
import { gprOrMem } from './sse-wiring';

type Copy = (x: Int32Array, d: number, t: Int32Array) => void;

/**
 * XMM reg <- XMM rm or memory of `bytes` (16 aligned when `aligned`). The
 * register form copies `regWords` words from word `at`, keeping the rest; a
 * narrower memory load zero-fills the rest when `memZeroes`.
 */
function load(bytes: 4 | 8 | 16, aligned: boolean, regWords = 4, memZeroes = true, at = 0): X86Handler {
  return (i, cpu) => {
    const x = cpu.state.xw;
    const d = 4 * i.reg;
    if (!i.isMem) {
      const n = 4 * i.rm;
      if (regWords === 4) return () => { x[d] = x[n]; x[d + 1] = x[n + 1]; x[d + 2] = x[n + 2]; x[d + 3] = x[n + 3]; };
      return () => { for (let k = 0; k < regWords; k++) x[d + at + k] = x[n + at + k]; };
    }
    const ea = effectiveAddress(i, cpu);
    const t = cpu.t;
    return () => {
      const a = ea();
      if (bytes === 16) {
        if (aligned) cpu.mem.checkAligned16(a);
        cpu.mem.read128(a, x, d);
        return;
      }
      if (bytes === 8) cpu.mem.read64(a, t, 0);
      else t[0] = cpu.mem.read32(a);
      const words = bytes >> 2;
      for (let k = 0; k < words; k++) x[d + at + k] = t[k];
      if (memZeroes) for (let k = words; k < 4; k++) x[d + k] = 0;
    };
  };
}

/** XMM rm or memory <- XMM reg (`bytes` from word `at`); a register destination takes `regWords` words. */
function storeRow(bytes: 4 | 8 | 16, aligned: boolean, regWords = 4, at = 0, memOnly = false): X86Handler {
  return (i, cpu) => {
    const x = cpu.state.xw;
    const g = 4 * i.reg;
    if (!i.isMem) {
      if (memOnly) return null;
      const n = 4 * i.rm;
      return () => { for (let k = 0; k < regWords; k++) x[n + k] = x[g + k]; };
    }
    const ea = effectiveAddress(i, cpu);
    return () => {
      const a = ea();
      if (bytes === 16) {
        if (aligned) cpu.mem.checkAligned16(a);
        cpu.mem.write128(a, x, g);
      } else if (bytes === 8) cpu.mem.write64(a, x, g + at);
      else cpu.mem.write32(a, x[g + at]);
    };
  };
}

/** Memory-only 64-bit loads into one half (MOVLPS/MOVHPS/MOVLPD/MOVHPD), or the register forms `regCopy`. */
function half(at: 0 | 2, regCopy?: Copy): X86Handler {
  return (i, cpu) => {
    const x = cpu.state.xw;
    const d = 4 * i.reg;
    if (!i.isMem) {
      if (!regCopy) return null;
      const n = 4 * i.rm;
      const t = cpu.t;
      return () => {
        t[0] = x[n];
        t[1] = x[n + 1];
        t[2] = x[n + 2];
        t[3] = x[n + 3];
        regCopy(x, d, t);
      };
    }
    const ea = effectiveAddress(i, cpu);
    return () => cpu.mem.read64(ea(), x, d + at);
  };
}

const movhlps: Copy = (x, d, t) => { x[d] = t[2]; x[d + 1] = t[3]; };
const movlhps: Copy = (x, d, t) => { x[d + 2] = t[0]; x[d + 3] = t[1]; };

/** MOVD/MOVQ xmm, r/m32|64: zero-extends into the whole register. */
const movdToXmm: X86Handler = (i, cpu) => {
  const x = cpu.state.xw;
  const d = 4 * i.reg;
  const read = gprOrMem(i, cpu, i.rexW ? 64 : 32);
  const t = cpu.t;
  return () => {
    read(t);
    x[d] = t[0];
    x[d + 1] = t[1];
    x[d + 2] = 0;
    x[d + 3] = 0;
  };
};

/** MOVD/MOVQ r/m32|64, xmm. */
const movdFromXmm: X86Handler = (i, cpu) => {
  const x = cpu.state.xw;
  const g = 4 * i.reg;
  const r = cpu.r;
  const w = i.rexW;
  if (!i.isMem) {
    const e = 2 * i.rm;
    return () => {
      r[e] = x[g];
      r[e + 1] = w ? x[g + 1] : 0;
    };
  }
  const ea = effectiveAddress(i, cpu);
  return w ? () => cpu.mem.write64(ea(), x, g) : () => cpu.mem.write32(ea(), x[g]);
};

/** MOVNTI m32|64, r32|64. */
const movnti: X86Handler = (i, cpu) => {
  if (!i.isMem) return null;
  const r = cpu.r;
  const g = 2 * i.reg;
  const ea = effectiveAddress(i, cpu);
  return i.rexW ? () => cpu.mem.write64(ea(), r, g) : () => cpu.mem.write32(ea(), r[g]);
};

/** MASKMOVDQU xmm1, xmm2: the bytes of xmm1 whose mask byte (xmm2) has its top bit set go to [RDI]. */
const maskmovdqu: X86Handler = (i, cpu) => {
  if (i.isMem) return null;
  const b = cpu.state.xb;
  const r = cpu.r;
  const src = 16 * i.reg;
  const m = 16 * i.rm;
  const addr32 = i.addr32;
  return () => {
    const base = addr32 ? r[2 * RDI] >>> 0 : (r[2 * RDI + 1] | 0) * 4294967296 + (r[2 * RDI] >>> 0);
    for (let k = 0; k < 16; k++) if (b[m + k] & 0x80) cpu.mem.probeWrite(base + k, 1);
    for (let k = 0; k < 16; k++) if (b[m + k] & 0x80) cpu.mem.write8(base + k, b[src + k]);
  };
};

const ldmxcsr: X86Handler = (i, cpu) => {
  const ea = effectiveAddress(i, cpu);
  return () => {
    const v = cpu.mem.read32(ea());
    if (v & ~MXCSR_MASK) throw generalProtection(0);
    cpu.misc[Misc.Mxcsr] = v;
  };
};

const stmxcsr: X86Handler = (i, cpu) => {
  const ea = effectiveAddress(i, cpu);
  return () => cpu.mem.write32(ea(), cpu.misc[Misc.Mxcsr]);
};

export const sseMoveRows: X86Row[] = [
  { name: 'MOVUPS', enc: 'NP 0F 10 /r', handler: load(16, false) },
  { name: 'MOVUPD', enc: '66 0F 10 /r', handler: load(16, false) },
  { name: 'MOVSS', enc: 'F3 0F 10 /r', handler: load(4, false, 1) },
  { name: 'MOVSD', enc: 'F2 0F 10 /r', handler: load(8, false, 2) },
  { name: 'MOVUPS store', enc: 'NP 0F 11 /r', handler: storeRow(16, false) },
  { name: 'MOVUPD store', enc: '66 0F 11 /r', handler: storeRow(16, false) },
  { name: 'MOVSS store', enc: 'F3 0F 11 /r', handler: storeRow(4, false, 1) },
  { name: 'MOVSD store', enc: 'F2 0F 11 /r', handler: storeRow(8, false, 2) },
  { name: 'MOVLPS / MOVHLPS', enc: 'NP 0F 12 /r', handler: half(0, movhlps) },
  { name: 'MOVLPD', enc: '66 0F 12 /r', handler: half(0) },
  { name: 'MOVLPS store', enc: 'NP 0F 13 /r', handler: storeRow(8, false, 0, 0, true) },
  { name: 'MOVLPD store', enc: '66 0F 13 /r', handler: storeRow(8, false, 0, 0, true) },
  { name: 'MOVHPS / MOVLHPS', enc: 'NP 0F 16 /r', handler: half(2, movlhps) },
  { name: 'MOVHPD', enc: '66 0F 16 /r', handler: half(2) },
  { name: 'MOVHPS store', enc: 'NP 0F 17 /r', handler: storeRow(8, false, 0, 2, true) },
  { name: 'MOVHPD store', enc: '66 0F 17 /r', handler: storeRow(8, false, 0, 2, true) },
  { name: 'MOVAPS', enc: 'NP 0F 28 /r', handler: load(16, true) },
  { name: 'MOVAPD', enc: '66 0F 28 /r', handler: load(16, true) },
  { name: 'MOVAPS store', enc: 'NP 0F 29 /r', handler: storeRow(16, true) },
  { name: 'MOVAPD store', enc: '66 0F 29 /r', handler: storeRow(16, true) },
  { name: 'MOVNTPS', enc: 'NP 0F 2B /r', handler: storeRow(16, true, 4, 0, true) },
  { name: 'MOVNTPD', enc: '66 0F 2B /r', handler: storeRow(16, true, 4, 0, true) },
  { name: 'MOVD/MOVQ xmm, r/m', enc: '66 0F 6E /r', handler: movdToXmm },
  { name: 'MOVDQA', enc: '66 0F 6F /r', handler: load(16, true) },
  { name: 'MOVDQU', enc: 'F3 0F 6F /r', handler: load(16, false) },
  { name: 'MOVD/MOVQ r/m, xmm', enc: '66 0F 7E /r', handler: movdFromXmm },
  { name: 'MOVQ xmm, xmm/m64', enc: 'F3 0F 7E /r', handler: (i, cpu) => movqLoad(i, cpu) },
  { name: 'MOVDQA store', enc: '66 0F 7F /r', handler: storeRow(16, true) },
  { name: 'MOVDQU store', enc: 'F3 0F 7F /r', handler: storeRow(16, false) },
  { name: 'MOVNTI', enc: 'NP 0F C3 /r', handler: movnti },
  { name: 'MOVQ xmm/m64, xmm', enc: '66 0F D6 /r', handler: (i, cpu) => movqStore(i, cpu) },
  { name: 'MOVNTDQ', enc: '66 0F E7 /r', handler: storeRow(16, true, 4, 0, true) },
  { name: 'LDDQU', enc: 'F2 0F F0 /r mem', handler: load(16, false) },
  { name: 'MASKMOVDQU', enc: '66 0F F7 /r reg', handler: maskmovdqu },
  { name: 'MOVNTDQA', enc: '66 0F 38 2A /r mem', handler: load(16, true) },
  { name: 'LDMXCSR', enc: 'NP 0F AE /2 mem', handler: ldmxcsr },
  { name: 'STMXCSR', enc: 'NP 0F AE /3 mem', handler: stmxcsr },
];

/** MOVQ xmm, xmm/m64 (F3 0F 7E): the low quadword, the upper one zeroed. */
function movqLoad(i: X86Insn, cpu: X86Cpu): ReturnType<X86Handler> {
  const x = cpu.state.xw;
  const d = 4 * i.reg;
  if (!i.isMem) {
    const n = 4 * i.rm;
    return () => { x[d] = x[n]; x[d + 1] = x[n + 1]; x[d + 2] = 0; x[d + 3] = 0; };
  }
  const ea = effectiveAddress(i, cpu);
  return () => {
    cpu.mem.read64(ea(), x, d);
    x[d + 2] = 0;
    x[d + 3] = 0;
  };
}

/** MOVQ xmm/m64, xmm (66 0F D6): a register destination gets its upper quadword zeroed. */
function movqStore(i: X86Insn, cpu: X86Cpu): ReturnType<X86Handler> {
  const x = cpu.state.xw;
  const g = 4 * i.reg;
  if (!i.isMem) {
    const n = 4 * i.rm;
    return () => { x[n] = x[g]; x[n + 1] = x[g + 1]; x[n + 2] = 0; x[n + 3] = 0; };
  }
  const ea = effectiveAddress(i, cpu);
  return () => cpu.mem.write64(ea(), x, g);
}
