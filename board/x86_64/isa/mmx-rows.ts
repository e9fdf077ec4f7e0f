// Decode rows of the MMX instructions: the 0F 6x/7x/Dx/Ex/Fx integer map
// without a 66 prefix on MM registers, EMMS, MOVD/MOVQ, the MMX forms SSE
// and SSE2 added (PSHUFW, PMINUB/PMAXUB/PMINSW/PMAXSW, PAVGB/PAVGW, PMULHUW,
// PSADBW, PMOVMSKB, PINSRW/PEXTRW, MASKMOVQ, MOVNTQ, PADDQ/PSUBQ, PMULUDQ,
// MOVQ2DQ/MOVDQ2Q, CVTPI2PS/CVT(T)PS2PI/CVTPI2PD/CVT(T)PD2PI) and SSSE3's
// 0F 38 / 0F 3A forms without 66. State and builders: mmx-state.ts.

import { Misc, RDI, type X86CpuState } from '../cpu-state';
import type { FlagUse, X86Handler, X86Row } from '../decoder';
import { effectiveAddress } from '../operands';
import { simdError } from '../x86-fault';
import { Layout, mmxBegin, mmxEnd, mmxForm, type MmxFn, mmxShiftImm, MS, readMm, writeMm } from './mmx-state';
import { cvtdq2pd, cvtdq2ps, cvtpd2dq, cvtps2dq } from './sse-convert';
import { INT_OPS } from './sse-int-arith';
import { countOf, pand, pandn, por, pxor, Shift, shiftLanes } from './sse-int-logic';
import * as sh from './sse-shuffle';
import { gprOrMem } from './sse-wiring';

const rows: X86Row[] = [];

/** Lane-wise operations: the SSE function on scratch XMM0 (dst) and XMM1 (src). */
const LANE_OPS: Record<string, string> = {
  paddb: 'FC', paddw: 'FD', paddd: 'FE', paddq: 'D4', psubb: 'F8', psubw: 'F9', psubd: 'FA', psubq: 'FB',
  paddsb: 'EC', paddsw: 'ED', paddusb: 'DC', paddusw: 'DD', psubsb: 'E8', psubsw: 'E9', psubusb: 'D8', psubusw: 'D9',
  pavgb: 'E0', pavgw: 'E3', pminub: 'DA', pmaxub: 'DE', pminsw: 'EA', pmaxsw: 'EE',
  pcmpeqb: '74', pcmpeqw: '75', pcmpeqd: '76', pcmpgtb: '64', pcmpgtw: '65', pcmpgtd: '66',
  pmullw: 'D5', pmulhw: 'E5', pmulhuw: 'E4', pmuludq: 'F4', pmaddwd: 'F5', psadbw: 'F6',
  pmaddubsw: '38 04', psignb: '38 08', psignw: '38 09', psignd: '38 0A', pmulhrsw: '38 0B', pabsb: '38 1C', pabsw: '38 1D', pabsd: '38 1E',
};
for (const [name, opc] of Object.entries(LANE_OPS)) {
  const f = INT_OPS[name];
  rows.push({ name: `${name.toUpperCase()} mm`, enc: `NP 0F ${opc} /r`, handler: mmxForm((ms) => f(ms, 0, ms, 1)) });
}

/** Horizontal adds and subtracts: dst and src side by side, the 128-bit form's low half is the MMX result. */
const HORIZONTAL: Record<string, string> = { phaddw: '01', phaddd: '02', phaddsw: '03', phsubw: '05', phsubd: '06', phsubsw: '07' };
for (const [name, opc] of Object.entries(HORIZONTAL)) {
  const f = INT_OPS[name];
  rows.push({ name: `${name.toUpperCase()} mm`, enc: `NP 0F 38 ${opc} /r`, handler: mmxForm((ms) => f(ms, 0, ms, 0), 8, Layout.Joined) });
}

const LOGIC: Array<[string, string, typeof pand]> = [['PAND', 'DB', pand], ['PANDN', 'DF', pandn], ['POR', 'EB', por], ['PXOR', 'EF', pxor]];
for (const [name, opc, f] of LOGIC) rows.push({ name: `${name} mm`, enc: `NP 0F ${opc} /r`, handler: mmxForm((ms) => f(ms, 0, ms, 1)) });

// Unpacks: the low ones read m32; the high ones are the low 128-bit unpack's upper half.
const UNPCK: Array<[string, string, number, boolean]> = [
  ['PUNPCKLBW', '60', 1, false], ['PUNPCKLWD', '61', 2, false], ['PUNPCKLDQ', '62', 4, false],
  ['PUNPCKHBW', '68', 1, true], ['PUNPCKHWD', '69', 2, true], ['PUNPCKHDQ', '6A', 4, true],
];
for (const [name, opc, esize, high] of UNPCK) {
  const fn: MmxFn = (ms) => sh.punpck(ms, 0, ms, 1, esize, false);
  rows.push({ name: `${name} mm`, enc: `NP 0F ${opc} /r`, handler: high ? mmxForm(fn, 8, Layout.HighResult) : mmxForm(fn, 4) });
}

const PACKS: Array<[string, string, boolean, boolean]> = [['PACKSSWB', '63', false, false], ['PACKUSWB', '67', false, true], ['PACKSSDW', '6B', true, false]];
for (const [name, opc, dwords, unsigned] of PACKS) {
  rows.push({ name: `${name} mm`, enc: `NP 0F ${opc} /r`, handler: mmxForm((ms) => sh.pack(ms, 0, ms, 0, dwords, unsigned), 8, Layout.Joined) });
}

const SHIFTS: Array<[string, string, 16 | 32 | 64, Shift, string, number]> = [
  ['PSRLW', 'D1', 16, Shift.Right, '71', 2], ['PSRLD', 'D2', 32, Shift.Right, '72', 2], ['PSRLQ', 'D3', 64, Shift.Right, '73', 2],
  ['PSRAW', 'E1', 16, Shift.Arith, '71', 4], ['PSRAD', 'E2', 32, Shift.Arith, '72', 4],
  ['PSLLW', 'F1', 16, Shift.Left, '71', 6], ['PSLLD', 'F2', 32, Shift.Left, '72', 6], ['PSLLQ', 'F3', 64, Shift.Left, '73', 6],
];
for (const [name, opc, esize, kind, immOpc, digit] of SHIFTS) {
  rows.push(
    { name: `${name} mm`, enc: `NP 0F ${opc} /r`, handler: mmxForm((ms) => shiftLanes(ms, 0, esize, kind, countOf(ms, 1))) },
    { name: `${name} mm, imm`, enc: `NP 0F ${immOpc} /${digit} reg ib`, handler: mmxShiftImm((ms, imm) => shiftLanes(ms, 0, esize, kind, imm)) },
  );
}

/** PSHUFB mm: each result byte is dst[index & 7], or 0 when the index byte's top bit is set. */
const pshufb: MmxFn = (ms) => {
  const b = ms.xb;
  for (let k = 0; k < 8; k++) b[8 + k] = b[k];
  for (let k = 0; k < 8; k++) {
    const x = b[16 + k];
    b[k] = x & 0x80 ? 0 : b[8 + (x & 7)];
  }
};

/** PALIGNR mm: the 16 bytes dst:src shifted right by imm bytes, the low 8. */
const palignr: MmxFn = (ms, imm) => {
  const b = ms.xb;
  for (let k = 0; k < 8; k++) b[24 + k] = b[k]; // XMM1 = src (low) : dst (high)
  for (let k = 0; k < 8; k++) b[k] = k + imm < 16 ? b[16 + k + imm] : 0;
};

rows.push(
  { name: 'PSHUFW', enc: 'NP 0F 70 /r ib', handler: mmxForm((ms, imm) => sh.pshufw(ms, 0, ms, 1, imm, false)) },
  { name: 'PSHUFB mm', enc: 'NP 0F 38 00 /r', handler: mmxForm(pshufb) },
  { name: 'PALIGNR mm', enc: 'NP 0F 3A 0F /r ib', handler: mmxForm(palignr) },
);

// Moves.
const movdToMm: X86Handler = (i, cpu) => {
  const s = cpu.state;
  const d = i.reg & 7;
  const read = gprOrMem(i, cpu, i.rexW ? 64 : 32);
  const t = cpu.t;
  return () => {
    mmxBegin(s);
    read(t);
    writeMm(s, d, t[0], t[1]);
    mmxEnd(s);
  };
};

const movdFromMm: X86Handler = (i, cpu) => {
  const s = cpu.state;
  const n = i.reg & 7;
  const r = cpu.r;
  const wide = i.rexW;
  if (!i.isMem) {
    const g = 2 * i.rm;
    return () => {
      mmxBegin(s);
      r[g] = s.stl[4 * n];
      r[g + 1] = wide ? s.stl[4 * n + 1] : 0;
      mmxEnd(s);
    };
  }
  const ea = effectiveAddress(i, cpu);
  return () => {
    mmxBegin(s);
    if (wide) cpu.mem.write64(ea(), s.stl, 4 * n);
    else cpu.mem.write32(ea(), s.stl[4 * n]);
    mmxEnd(s);
  };
};

/** MOVQ mm/m64, mm (and MOVNTQ, memory only). */
function movqStore(memOnly: boolean): X86Handler {
  return (i, cpu) => {
    const s = cpu.state;
    const n = i.reg & 7;
    if (!i.isMem) {
      if (memOnly) return null;
      const d = i.rm & 7;
      return () => {
        mmxBegin(s);
        writeMm(s, d, s.stl[4 * n], s.stl[4 * n + 1]);
        mmxEnd(s);
      };
    }
    const ea = effectiveAddress(i, cpu);
    return () => {
      mmxBegin(s);
      cpu.mem.write64(ea(), s.stl, 4 * n);
      mmxEnd(s);
    };
  };
}

/** MASKMOVQ mm1, mm2: the bytes of mm1 whose mask byte (mm2) has its top bit set go to [RDI]. */
const maskmovq: X86Handler = (i, cpu) => {
  if (i.isMem) return null;
  const s = cpu.state;
  const b = s.stb;
  const r = cpu.r;
  const src = 16 * (i.reg & 7);
  const m = 16 * (i.rm & 7);
  const addr32 = i.addr32;
  return () => {
    mmxBegin(s);
    const base = addr32 ? r[2 * RDI] >>> 0 : (r[2 * RDI + 1] | 0) * 4294967296 + (r[2 * RDI] >>> 0);
    for (let k = 0; k < 8; k++) if (b[m + k] & 0x80) cpu.mem.probeWrite(base + k, 1);
    for (let k = 0; k < 8; k++) if (b[m + k] & 0x80) cpu.mem.write8(base + k, b[src + k]);
    mmxEnd(s);
  };
};

const pmovmskb: X86Handler = (i, cpu) => {
  if (i.isMem) return null;
  const s = cpu.state;
  const r = cpu.r;
  const g = 2 * i.reg;
  const n = 16 * (i.rm & 7);
  return () => {
    mmxBegin(s);
    let m = 0;
    for (let k = 0; k < 8; k++) m |= (s.stb[n + k] >> 7) << k;
    r[g] = m;
    r[g + 1] = 0;
    mmxEnd(s);
  };
};

const pextrw: X86Handler = (i, cpu) => {
  if (i.isMem) return null;
  const s = cpu.state;
  const r = cpu.r;
  const g = 2 * i.reg;
  const at = 8 * (i.rm & 7) + (i.imm & 3);
  return () => {
    mmxBegin(s);
    r[g] = s.stw[at];
    r[g + 1] = 0;
    mmxEnd(s);
  };
};

const pinsrw: X86Handler = (i, cpu) => {
  const s = cpu.state;
  const d = i.reg & 7;
  const lane = i.imm & 3;
  const t = cpu.t;
  const read = i.isMem ? null : gprOrMem(i, cpu, 32);
  const ea = i.isMem ? effectiveAddress(i, cpu) : null;
  return () => {
    mmxBegin(s);
    const v = read ? (read(t), t[0] & 0xffff) : cpu.mem.read16(ea!());
    s.stw[8 * d + lane] = v;
    s.stw[8 * d + 4] = 0xffff;
    mmxEnd(s);
  };
};

const emms: X86Handler = (_i, cpu) => {
  const m = cpu.state.misc;
  return () => {
    m[Misc.FpuEmpty] = 0xff;
  };
};

/** MOVQ2DQ xmm, mm: the upper quadword zeroed. */
const movq2dq: X86Handler = (i, cpu) => {
  if (i.isMem) return null;
  const s = cpu.state;
  const d = 4 * i.reg;
  const n = i.rm & 7;
  return () => {
    mmxBegin(s);
    readMm(s, n, s.xw, d);
    s.xw[d + 2] = 0;
    s.xw[d + 3] = 0;
    mmxEnd(s);
  };
};

const movdq2q: X86Handler = (i, cpu) => {
  if (i.isMem) return null;
  const s = cpu.state;
  const d = i.reg & 7;
  const n = 4 * i.rm;
  return () => {
    mmxBegin(s);
    writeMm(s, d, s.xw[n], s.xw[n + 1]);
    mmxEnd(s);
  };
};

rows.push(
  { name: 'MOVD/MOVQ mm, r/m', enc: 'NP 0F 6E /r', handler: movdToMm },
  { name: 'MOVQ mm, mm/m64', enc: 'NP 0F 6F /r', handler: mmxForm((ms) => ((ms.xw[0] = ms.xw[4]), (ms.xw[1] = ms.xw[5]))) },
  { name: 'MOVD/MOVQ r/m, mm', enc: 'NP 0F 7E /r', handler: movdFromMm },
  { name: 'MOVQ mm/m64, mm', enc: 'NP 0F 7F /r', handler: movqStore(false) },
  { name: 'MOVNTQ', enc: 'NP 0F E7 /r', handler: movqStore(true) },
  { name: 'MASKMOVQ', enc: 'NP 0F F7 /r', handler: maskmovq },
  { name: 'PMOVMSKB r, mm', enc: 'NP 0F D7 /r', handler: pmovmskb },
  { name: 'PEXTRW r, mm', enc: 'NP 0F C5 /r ib', handler: pextrw },
  { name: 'PINSRW mm', enc: 'NP 0F C4 /r ib', handler: pinsrw },
  { name: 'EMMS', enc: 'NP 0F 77', handler: emms },
  { name: 'MOVQ2DQ', enc: 'F3 0F D6 /r', handler: movq2dq },
  { name: 'MOVDQ2Q', enc: 'F2 0F D6 /r', handler: movdq2q },
);

// Conversions between MM integers and XMM floats, on the scratch file with the MXCSR copied in and out.
type Convert = (s: X86CpuState) => number;

/** Runs cvt on the scratch file (source in scratch XMM1, result in scratch XMM2) under the guest's MXCSR. */
function convert(s: X86CpuState, cvt: Convert): number {
  MS.misc[Misc.Mxcsr] = s.misc[Misc.Mxcsr];
  const x = cvt(MS);
  s.misc[Misc.Mxcsr] = MS.misc[Misc.Mxcsr];
  return x;
}

/** CVTPI2PS / CVTPI2PD xmm, mm/m64: an MM source makes it an MMX instruction (#MF check, x87 state). */
function fromMm(cvt: Convert, words: 2 | 4): X86Handler {
  return (i, cpu) => {
    const s = cpu.state;
    const d = 4 * i.reg;
    const w = MS.xw;
    const mm = !i.isMem;
    const n = i.rm & 7;
    const ea = mm ? null : effectiveAddress(i, cpu);
    return () => {
      if (mm) {
        mmxBegin(s);
        readMm(s, n, w, 4);
      } else cpu.mem.read64(ea!(), w, 4);
      w[6] = 0;
      w[7] = 0;
      // The x87 state changes even when the conversion then raises #XM (as the host CPU does).
      if (mm) mmxEnd(s);
      if (convert(s, cvt)) throw simdError();
      for (let k = 0; k < words; k++) s.xw[d + k] = w[8 + k];
    };
  };
}

/** CVT(T)PS2PI mm, xmm/m64 (8 bytes) and CVT(T)PD2PI mm, xmm/m128 (16, aligned). */
function toMm(cvt: Convert, bytes: 8 | 16): X86Handler {
  return (i, cpu) => {
    const s = cpu.state;
    const d = i.reg & 7;
    const w = MS.xw;
    const n = 4 * i.rm;
    const ea = i.isMem ? effectiveAddress(i, cpu) : null;
    return () => {
      mmxBegin(s);
      if (ea) {
        const a = ea();
        if (bytes === 16) {
          cpu.mem.checkAligned16(a);
          cpu.mem.read128(a, w, 4);
        } else cpu.mem.read64(a, w, 4);
      } else for (let k = 0; k < bytes / 4; k++) w[4 + k] = s.xw[n + k];
      if (bytes === 8) {
        w[6] = 0;
        w[7] = 0;
      }
      mmxEnd(s);
      if (convert(s, cvt)) throw simdError();
      writeMm(s, d, w[8], w[9]);
    };
  };
}

rows.push(
  { name: 'CVTPI2PS', enc: 'NP 0F 2A /r', handler: fromMm((ms) => cvtdq2ps(ms, 2, ms, 1), 2) },
  { name: 'CVTPI2PD', enc: '66 0F 2A /r', handler: fromMm((ms) => cvtdq2pd(ms, 2, ms, 1), 4) },
  { name: 'CVTTPS2PI', enc: 'NP 0F 2C /r', handler: toMm((ms) => cvtps2dq(ms, 2, ms, 1, true), 8) },
  { name: 'CVTPS2PI', enc: 'NP 0F 2D /r', handler: toMm((ms) => cvtps2dq(ms, 2, ms, 1, false), 8) },
  { name: 'CVTTPD2PI', enc: '66 0F 2C /r', handler: toMm((ms) => cvtpd2dq(ms, 2, ms, 1, true), 16) },
  { name: 'CVTPD2PI', enc: '66 0F 2D /r', handler: toMm((ms) => cvtpd2dq(ms, 2, ms, 1, false), 16) },
);

/**
 * No MMX row writes a flag, but all of them can fault in register form (#MF
 * for a pending x87 exception, #XM for the conversions): they count as
 * reading every flag, so a fault shows the flags as they were. EMMS cannot.
 */
const MAY_FAULT: FlagUse = { writes: 0, reads: 0x8d5 };
const NO_FLAGS: FlagUse = { writes: 0, reads: 0 };

export const mmxRows: X86Row[] = rows.map((r) => ({ ...r, flagUse: () => (r.name === 'EMMS' ? NO_FLAGS : MAY_FAULT) }));
