// Decode rows of the SSE integer instructions (66-prefixed 0F, 0F38, 0F3A
// forms), the PS/PD logic ops, shuffles, blends, inserts and extracts.

import type { X86Handler, X86Row } from '../decoder';
import { setArithFlags } from '../flags';
import { effectiveAddress } from '../operands';
import { INT_OPS, mpsadbw } from './sse-int-arith';
import { countOf, pand, pandn, por, ptest, pxor, Shift, shiftBytes, shiftLanes } from './sse-int-logic';
import { pmovmskb } from './sse-int-swar';
import { SSE_OUT } from './sse-operands';
import * as sh from './sse-shuffle';
import { gprOrMem, type MemSize, xmmForm, xmmRegOnly } from './sse-wiring';

const rows: X86Row[] = [];

const INT_ENC: Record<string, string> = {
  paddb: '66 0F FC', paddw: '66 0F FD', paddd: '66 0F FE', paddq: '66 0F D4',
  psubb: '66 0F F8', psubw: '66 0F F9', psubd: '66 0F FA', psubq: '66 0F FB',
  paddsb: '66 0F EC', paddsw: '66 0F ED', paddusb: '66 0F DC', paddusw: '66 0F DD',
  psubsb: '66 0F E8', psubsw: '66 0F E9', psubusb: '66 0F D8', psubusw: '66 0F D9',
  pavgb: '66 0F E0', pavgw: '66 0F E3', pminub: '66 0F DA', pmaxub: '66 0F DE', pminsw: '66 0F EA', pmaxsw: '66 0F EE',
  pcmpeqb: '66 0F 74', pcmpeqw: '66 0F 75', pcmpeqd: '66 0F 76', pcmpgtb: '66 0F 64', pcmpgtw: '66 0F 65', pcmpgtd: '66 0F 66',
  pmullw: '66 0F D5', pmulhw: '66 0F E5', pmulhuw: '66 0F E4', pmuludq: '66 0F F4', pmaddwd: '66 0F F5', psadbw: '66 0F F6',
  phaddw: '66 0F 38 01', phaddd: '66 0F 38 02', phaddsw: '66 0F 38 03', pmaddubsw: '66 0F 38 04',
  phsubw: '66 0F 38 05', phsubd: '66 0F 38 06', phsubsw: '66 0F 38 07', psignb: '66 0F 38 08', psignw: '66 0F 38 09', psignd: '66 0F 38 0A',
  pmulhrsw: '66 0F 38 0B', pabsb: '66 0F 38 1C', pabsw: '66 0F 38 1D', pabsd: '66 0F 38 1E',
  pmuldq: '66 0F 38 28', pcmpeqq: '66 0F 38 29', pcmpgtq: '66 0F 38 37', pminsb: '66 0F 38 38', pminsd: '66 0F 38 39', pminuw: '66 0F 38 3A',
  pminud: '66 0F 38 3B', pmaxsb: '66 0F 38 3C', pmaxsd: '66 0F 38 3D', pmaxuw: '66 0F 38 3E', pmaxud: '66 0F 38 3F', pmulld: '66 0F 38 40',
  phminposuw: '66 0F 38 41',
};

for (const [name, enc] of Object.entries(INT_ENC)) {
  const f = INT_OPS[name];
  rows.push({ name: name.toUpperCase(), enc: `${enc} /r`, handler: xmmForm((s, d, src, si) => f(s, d, src, si), 16) });
}

const LOGIC: Array<[string, string, typeof pand]> = [
  ['PAND', '66 0F DB', pand], ['PANDN', '66 0F DF', pandn], ['POR', '66 0F EB', por], ['PXOR', '66 0F EF', pxor],
  ['ANDPS', 'NP 0F 54', pand], ['ANDNPS', 'NP 0F 55', pandn], ['ORPS', 'NP 0F 56', por], ['XORPS', 'NP 0F 57', pxor],
  ['ANDPD', '66 0F 54', pand], ['ANDNPD', '66 0F 55', pandn], ['ORPD', '66 0F 56', por], ['XORPD', '66 0F 57', pxor],
];
for (const [name, enc, f] of LOGIC) rows.push({ name, enc: `${enc} /r`, handler: xmmForm((s, d, src, si) => f(s, d, src, si), 16) });

const ptestHandler: X86Handler = (i, cpu) => {
  const inner = xmmForm((s, d, src, si) => ptest(s, d, src, si), 16)(i, cpu)!;
  const lz = cpu.lz;
  return () => {
    inner();
    setArithFlags(lz, SSE_OUT.flags);
  };
};

const UNPCK: Array<[string, string, number, boolean]> = [
  ['PUNPCKLBW', '66 0F 60', 1, false], ['PUNPCKLWD', '66 0F 61', 2, false], ['PUNPCKLDQ', '66 0F 62', 4, false], ['PUNPCKLQDQ', '66 0F 6C', 8, false],
  ['PUNPCKHBW', '66 0F 68', 1, true], ['PUNPCKHWD', '66 0F 69', 2, true], ['PUNPCKHDQ', '66 0F 6A', 4, true], ['PUNPCKHQDQ', '66 0F 6D', 8, true],
  ['UNPCKLPS', 'NP 0F 14', 4, false], ['UNPCKHPS', 'NP 0F 15', 4, true], ['UNPCKLPD', '66 0F 14', 8, false], ['UNPCKHPD', '66 0F 15', 8, true],
];
for (const [name, enc, esize, high] of UNPCK) rows.push({ name, enc: `${enc} /r`, handler: xmmForm((s, d, src, si) => sh.punpck(s, d, src, si, esize, high), 16) });

rows.push(
  { name: 'PTEST', enc: '66 0F 38 17 /r', handler: ptestHandler },
  { name: 'PSHUFB', enc: '66 0F 38 00 /r', handler: xmmForm((s, d, src, si) => sh.pshufb(s, d, src, si), 16) },
  { name: 'MPSADBW', enc: '66 0F 3A 42 /r ib', handler: xmmForm((s, d, src, si, imm) => mpsadbw(s, d, src, si, imm), 16) },
  { name: 'PSHUFD', enc: '66 0F 70 /r ib', handler: xmmForm((s, d, src, si, imm) => sh.pshufd(s, d, src, si, imm), 16) },
  { name: 'PSHUFHW', enc: 'F3 0F 70 /r ib', handler: xmmForm((s, d, src, si, imm) => sh.pshufw(s, d, src, si, imm, true), 16) },
  { name: 'PSHUFLW', enc: 'F2 0F 70 /r ib', handler: xmmForm((s, d, src, si, imm) => sh.pshufw(s, d, src, si, imm, false), 16) },
  { name: 'PALIGNR', enc: '66 0F 3A 0F /r ib', handler: xmmForm((s, d, src, si, imm) => sh.palignr(s, d, src, si, imm), 16) },
  { name: 'SHUFPS', enc: 'NP 0F C6 /r ib', handler: xmmForm((s, d, src, si, imm) => sh.shufps(s, d, src, si, imm), 16) },
  { name: 'SHUFPD', enc: '66 0F C6 /r ib', handler: xmmForm((s, d, src, si, imm) => sh.shufpd(s, d, src, si, imm), 16) },
  { name: 'PBLENDW', enc: '66 0F 3A 0E /r ib', handler: xmmForm((s, d, src, si, imm) => sh.blendImm(s, d, src, si, imm, 2), 16) },
  { name: 'BLENDPS', enc: '66 0F 3A 0C /r ib', handler: xmmForm((s, d, src, si, imm) => sh.blendImm(s, d, src, si, imm & 15, 4), 16) },
  { name: 'BLENDPD', enc: '66 0F 3A 0D /r ib', handler: xmmForm((s, d, src, si, imm) => sh.blendImm(s, d, src, si, imm & 3, 8), 16) },
  { name: 'PBLENDVB', enc: '66 0F 38 10 /r', handler: xmmForm((s, d, src, si) => sh.blendVar(s, d, src, si, 1), 16) },
  { name: 'BLENDVPS', enc: '66 0F 38 14 /r', handler: xmmForm((s, d, src, si) => sh.blendVar(s, d, src, si, 4), 16) },
  { name: 'BLENDVPD', enc: '66 0F 38 15 /r', handler: xmmForm((s, d, src, si) => sh.blendVar(s, d, src, si, 8), 16) },
  { name: 'PACKSSWB', enc: '66 0F 63 /r', handler: xmmForm((s, d, src, si) => sh.pack(s, d, src, si, false, false), 16) },
  { name: 'PACKUSWB', enc: '66 0F 67 /r', handler: xmmForm((s, d, src, si) => sh.pack(s, d, src, si, false, true), 16) },
  { name: 'PACKSSDW', enc: '66 0F 6B /r', handler: xmmForm((s, d, src, si) => sh.pack(s, d, src, si, true, false), 16) },
  { name: 'PACKUSDW', enc: '66 0F 38 2B /r', handler: xmmForm((s, d, src, si) => sh.pack(s, d, src, si, true, true), 16) },
  { name: 'INSERTPS', enc: '66 0F 3A 21 /r ib', handler: xmmForm((s, d, src, si, imm, m) => sh.insertps(s, d, src, si, imm, m), 4) },
  { name: 'MOVSHDUP', enc: 'F3 0F 16 /r', handler: xmmForm((s, d, src, si) => sh.movsdup(s, d, src, si, true), 16) },
  { name: 'MOVSLDUP', enc: 'F3 0F 12 /r', handler: xmmForm((s, d, src, si) => sh.movsdup(s, d, src, si, false), 16) },
  { name: 'MOVDDUP', enc: 'F2 0F 12 /r', handler: xmmForm((s, d, src, si) => sh.movddup(s, d, src, si), 8) },
);

const PMOVX: Array<[string, number, number, MemSize]> = [['BW', 1, 2, 8], ['BD', 1, 4, 4], ['BQ', 1, 8, 2], ['WD', 2, 4, 8], ['WQ', 2, 8, 4], ['DQ', 4, 8, 8]];
PMOVX.forEach(([suffix, from, to, bytes], k) => {
  const hex = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');
  rows.push(
    { name: `PMOVSX${suffix}`, enc: `66 0F 38 ${hex(0x20 + k)} /r`, handler: xmmForm((s, d, src, si) => sh.pmovx(s, d, src, si, from, to, true), bytes, false) },
    { name: `PMOVZX${suffix}`, enc: `66 0F 38 ${hex(0x30 + k)} /r`, handler: xmmForm((s, d, src, si) => sh.pmovx(s, d, src, si, from, to, false), bytes, false) },
  );
});

// Shifts by XMM/m128 and by an immediate (register only: 66 0F 71/72/73 /digit ib).
const SHIFTS: Array<[string, string, 16 | 32 | 64, Shift, string, number]> = [
  ['PSRLW', 'D1', 16, Shift.Right, '71', 2], ['PSRLD', 'D2', 32, Shift.Right, '72', 2], ['PSRLQ', 'D3', 64, Shift.Right, '73', 2],
  ['PSRAW', 'E1', 16, Shift.Arith, '71', 4], ['PSRAD', 'E2', 32, Shift.Arith, '72', 4],
  ['PSLLW', 'F1', 16, Shift.Left, '71', 6], ['PSLLD', 'F2', 32, Shift.Left, '72', 6], ['PSLLQ', 'F3', 64, Shift.Left, '73', 6],
];
for (const [name, opc, esize, kind, immOpc, digit] of SHIFTS) {
  rows.push(
    { name, enc: `66 0F ${opc} /r`, handler: xmmForm((s, d, src, si) => shiftLanes(s, d, esize, kind, countOf(src, si)), 16) },
    { name: `${name} imm`, enc: `66 0F ${immOpc} /${digit} reg ib`, handler: xmmRegOnly((s, _d, _src, si, imm) => shiftLanes(s, si, esize, kind, imm)) },
  );
}
rows.push(
  { name: 'PSRLDQ', enc: '66 0F 73 /3 reg ib', handler: xmmRegOnly((s, _d, _src, si, imm) => shiftBytes(s, si, false, imm)) },
  { name: 'PSLLDQ', enc: '66 0F 73 /7 reg ib', handler: xmmRegOnly((s, _d, _src, si, imm) => shiftBytes(s, si, true, imm)) },
);

// GPR destinations: MOVMSKPS/PD, PMOVMSKB, PEXTRW (0F C5) write r32 (zero-extended to 64).
function mask(esize: number): X86Handler {
  return (i, cpu) => {
    if (i.isMem) return null;
    const s = cpu.state;
    const r = cpu.r;
    const g = 2 * i.reg;
    const n = i.rm;
    return () => {
      r[g] = esize === 1 ? pmovmskb(s, n) : sh.movmsk(s, n, esize);
      r[g + 1] = 0;
    };
  };
}

/** PEXTRB/W/D/Q, EXTRACTPS into r/m (ModRM.reg is the XMM source); `legacyW`: 0F C5, register only, XMM in rm. */
function extract(esize: number, legacyW = false, allowW = true): X86Handler {
  return (i, cpu) => {
    const s = cpu.state;
    const r = cpu.r;
    const size = esize === 4 && i.rexW && allowW ? 8 : esize;
    const imm = i.imm & 0xff;
    if (legacyW) {
      if (i.isMem) return null;
      const g = 2 * i.reg;
      const n = i.rm;
      return () => {
        sh.pextr(s, n, imm, 2);
        r[g] = sh.EX[0];
        r[g + 1] = 0;
      };
    }
    const n = i.reg;
    if (!i.isMem) {
      const g = 2 * i.rm;
      return () => {
        sh.pextr(s, n, imm, size);
        r[g] = sh.EX[0];
        r[g + 1] = size === 8 ? sh.EX[1] : 0;
      };
    }
    const ea = effectiveAddress(i, cpu);
    return () => {
      const a = ea();
      sh.pextr(s, n, imm, size);
      if (size === 1) cpu.mem.write8(a, sh.EX[0]);
      else if (size === 2) cpu.mem.write16(a, sh.EX[0]);
      else if (size === 4) cpu.mem.write32(a, sh.EX[0]);
      else cpu.mem.write64(a, sh.EX, 0);
    };
  };
}

/** PINSRB/W/D/Q xmm, r32/m8|m16|m32 or r64/m64 (REX.W with 66 0F 3A 22). */
function insert(esize: number): X86Handler {
  return (i, cpu) => {
    const s = cpu.state;
    const d = i.reg;
    const size = esize === 4 && i.rexW ? 8 : esize;
    const imm = i.imm & 0xff;
    const t = cpu.t;
    if (!i.isMem || size >= 4) {
      const read = gprOrMem(i, cpu, size === 8 ? 64 : 32);
      return () => {
        read(t);
        sh.pinsr(s, d, t[0], t[1], imm, size);
      };
    }
    const ea = effectiveAddress(i, cpu);
    return () => {
      const a = ea();
      sh.pinsr(s, d, size === 1 ? cpu.mem.read8(a) : cpu.mem.read16(a), 0, imm, size);
    };
  };
}

rows.push(
  { name: 'MOVMSKPS', enc: 'NP 0F 50 /r', handler: mask(4) },
  { name: 'MOVMSKPD', enc: '66 0F 50 /r', handler: mask(8) },
  { name: 'PMOVMSKB', enc: '66 0F D7 /r', handler: mask(1) },
  { name: 'PEXTRW r32, xmm', enc: '66 0F C5 /r ib', handler: extract(2, true) },
  { name: 'PEXTRB', enc: '66 0F 3A 14 /r ib', handler: extract(1) },
  { name: 'PEXTRW r/m16', enc: '66 0F 3A 15 /r ib', handler: extract(2) },
  { name: 'PEXTRD/Q', enc: '66 0F 3A 16 /r ib', handler: extract(4) },
  { name: 'EXTRACTPS', enc: '66 0F 3A 17 /r ib', handler: extract(4, false, false) },
  { name: 'PINSRW', enc: '66 0F C4 /r ib', handler: insert(2) },
  { name: 'PINSRB', enc: '66 0F 3A 20 /r ib', handler: insert(1) },
  { name: 'PINSRD/Q', enc: '66 0F 3A 22 /r ib', handler: insert(4) },
);

export const sseIntRows = rows;
