// Decode rows of the SSE floating-point instructions: arithmetic, compares,
// (U)COMIS, horizontal forms, DPPS/DPPD, conversions, ROUND*, RCP/RSQRT.

import type { X86Row } from '../decoder';
import { setArithFlags } from '../flags';
import { simdError } from '../x86-fault';
import * as cv from './sse-convert';
import { rcpps, rcpss, rsqrtps, rsqrtss } from './sse-estimates';
import * as fa from './sse-fp-arith';
import { SSE_OUT } from './sse-operands';
import { f32Add, f32Sub } from '../sse-fp32';
import { f64Add, f64Sub } from '../sse-fp64';
import { gprOrMem, TEMP, xmmForm } from './sse-wiring';
import { effectiveAddress } from '../operands';

const ARITH: Array<[string, string, boolean]> = [
  ['ADD', '58', false], ['MUL', '59', false], ['SUB', '5C', false], ['MIN', '5D', false], ['DIV', '5E', false], ['MAX', '5F', false], ['SQRT', '51', true],
];

const rows: X86Row[] = [];

for (const [name, opc] of ARITH) {
  const k = name.toLowerCase();
  const o32 = fa.OPS32[k];
  const o64 = fa.OPS64[k];
  rows.push(
    { name: `${name}PS`, enc: `NP 0F ${opc} /r`, handler: xmmForm((s, d, src, si) => fa.packedPs(s, d, src, si, o32), 16) },
    { name: `${name}SS`, enc: `F3 0F ${opc} /r`, handler: xmmForm((s, d, src, si) => fa.scalarSs(s, d, src, si, o32), 4) },
    { name: `${name}PD`, enc: `66 0F ${opc} /r`, handler: xmmForm((s, d, src, si) => fa.packedPd(s, d, src, si, o64), 16) },
    { name: `${name}SD`, enc: `F2 0F ${opc} /r`, handler: xmmForm((s, d, src, si) => fa.scalarSd(s, d, src, si, o64), 8) },
  );
}

function comi(single: boolean, signalQuiet: boolean): X86Row['handler'] {
  return (i, cpu) => {
    const inner = xmmForm(single ? (s, d, src, si) => fa.comiss(s, d, src, si, signalQuiet) : (s, d, src, si) => fa.comisd(s, d, src, si, signalQuiet), single ? 4 : 8)(i, cpu)!;
    const lz = cpu.lz;
    return () => {
      inner();
      setArithFlags(lz, SSE_OUT.flags);
    };
  };
}

rows.push(
  { name: 'CMPPS', enc: 'NP 0F C2 /r ib', handler: xmmForm((s, d, src, si, imm) => fa.cmpps(s, d, src, si, imm), 16) },
  { name: 'CMPSS', enc: 'F3 0F C2 /r ib', handler: xmmForm((s, d, src, si, imm) => fa.cmpss(s, d, src, si, imm), 4) },
  { name: 'CMPPD', enc: '66 0F C2 /r ib', handler: xmmForm((s, d, src, si, imm) => fa.cmppd(s, d, src, si, imm), 16) },
  { name: 'CMPSD', enc: 'F2 0F C2 /r ib', handler: xmmForm((s, d, src, si, imm) => fa.cmpsd(s, d, src, si, imm), 8) },
  { name: 'UCOMISS', enc: 'NP 0F 2E /r', handler: comi(true, false) },
  { name: 'COMISS', enc: 'NP 0F 2F /r', handler: comi(true, true) },
  { name: 'UCOMISD', enc: '66 0F 2E /r', handler: comi(false, false) },
  { name: 'COMISD', enc: '66 0F 2F /r', handler: comi(false, true) },
  { name: 'HADDPS', enc: 'F2 0F 7C /r', handler: xmmForm((s, d, src, si) => fa.hps(s, d, src, si, f32Add), 16) },
  { name: 'HSUBPS', enc: 'F2 0F 7D /r', handler: xmmForm((s, d, src, si) => fa.hps(s, d, src, si, f32Sub), 16) },
  { name: 'HADDPD', enc: '66 0F 7C /r', handler: xmmForm((s, d, src, si) => fa.hpd(s, d, src, si, f64Add), 16) },
  { name: 'HSUBPD', enc: '66 0F 7D /r', handler: xmmForm((s, d, src, si) => fa.hpd(s, d, src, si, f64Sub), 16) },
  { name: 'ADDSUBPS', enc: 'F2 0F D0 /r', handler: xmmForm((s, d, src, si) => fa.addsubps(s, d, src, si), 16) },
  { name: 'ADDSUBPD', enc: '66 0F D0 /r', handler: xmmForm((s, d, src, si) => fa.addsubpd(s, d, src, si), 16) },
  { name: 'DPPS', enc: '66 0F 3A 40 /r ib', handler: xmmForm((s, d, src, si, imm) => fa.dpps(s, d, src, si, imm), 16) },
  { name: 'DPPD', enc: '66 0F 3A 41 /r ib', handler: xmmForm((s, d, src, si, imm) => fa.dppd(s, d, src, si, imm), 16) },
  { name: 'CVTSS2SD', enc: 'F3 0F 5A /r', handler: xmmForm((s, d, src, si) => cv.cvtss2sd(s, d, src, si), 4) },
  { name: 'CVTSD2SS', enc: 'F2 0F 5A /r', handler: xmmForm((s, d, src, si) => cv.cvtsd2ss(s, d, src, si), 8) },
  { name: 'CVTPS2PD', enc: 'NP 0F 5A /r', handler: xmmForm((s, d, src, si) => cv.cvtps2pd(s, d, src, si), 8) },
  { name: 'CVTPD2PS', enc: '66 0F 5A /r', handler: xmmForm((s, d, src, si) => cv.cvtpd2ps(s, d, src, si), 16) },
  { name: 'CVTDQ2PS', enc: 'NP 0F 5B /r', handler: xmmForm((s, d, src, si) => cv.cvtdq2ps(s, d, src, si), 16) },
  { name: 'CVTPS2DQ', enc: '66 0F 5B /r', handler: xmmForm((s, d, src, si) => cv.cvtps2dq(s, d, src, si, false), 16) },
  { name: 'CVTTPS2DQ', enc: 'F3 0F 5B /r', handler: xmmForm((s, d, src, si) => cv.cvtps2dq(s, d, src, si, true), 16) },
  { name: 'CVTDQ2PD', enc: 'F3 0F E6 /r', handler: xmmForm((s, d, src, si) => cv.cvtdq2pd(s, d, src, si), 8) },
  { name: 'CVTPD2DQ', enc: 'F2 0F E6 /r', handler: xmmForm((s, d, src, si) => cv.cvtpd2dq(s, d, src, si, false), 16) },
  { name: 'CVTTPD2DQ', enc: '66 0F E6 /r', handler: xmmForm((s, d, src, si) => cv.cvtpd2dq(s, d, src, si, true), 16) },
  { name: 'ROUNDPS', enc: '66 0F 3A 08 /r ib', handler: xmmForm((s, d, src, si, imm) => cv.roundps(s, d, src, si, imm), 16) },
  { name: 'ROUNDPD', enc: '66 0F 3A 09 /r ib', handler: xmmForm((s, d, src, si, imm) => cv.roundpd(s, d, src, si, imm), 16) },
  { name: 'ROUNDSS', enc: '66 0F 3A 0A /r ib', handler: xmmForm((s, d, src, si, imm) => cv.roundss(s, d, src, si, imm), 4) },
  { name: 'ROUNDSD', enc: '66 0F 3A 0B /r ib', handler: xmmForm((s, d, src, si, imm) => cv.roundsd(s, d, src, si, imm), 8) },
  { name: 'RCPPS', enc: 'NP 0F 53 /r', handler: xmmForm((s, d, src, si) => rcpps(s, d, src, si), 16) },
  { name: 'RCPSS', enc: 'F3 0F 53 /r', handler: xmmForm((s, d, src, si) => rcpss(s, d, src, si), 4) },
  { name: 'RSQRTPS', enc: 'NP 0F 52 /r', handler: xmmForm((s, d, src, si) => rsqrtps(s, d, src, si), 16) },
  { name: 'RSQRTSS', enc: 'F3 0F 52 /r', handler: xmmForm((s, d, src, si) => rsqrtss(s, d, src, si), 4) },
);

// CVTSI2SS/SD xmm, r/m32|64 (REX.W selects 64).
for (const [name, mp, single] of [['CVTSI2SS', 'F3', true], ['CVTSI2SD', 'F2', false]] as const) {
  rows.push({
    name,
    enc: `${mp} 0F 2A /r`,
    handler: (i, cpu) => {
      const width = i.rexW ? 64 : 32;
      const read = gprOrMem(i, cpu, width);
      const s = cpu.state;
      const d = i.reg;
      const t = cpu.t;
      return () => {
        read(t);
        if ((single ? cv.cvtsi2ss : cv.cvtsi2sd)(s, d, t[0], t[1], width)) throw simdError();
      };
    },
  });
}

// CVT(T)SS2SI / CVT(T)SD2SI r32|64, xmm/m32|m64.
for (const [name, mp, opc, single, truncate] of [
  ['CVTTSS2SI', 'F3', '2C', true, true], ['CVTSS2SI', 'F3', '2D', true, false], ['CVTTSD2SI', 'F2', '2C', false, true], ['CVTSD2SI', 'F2', '2D', false, false],
] as const) {
  rows.push({
    name,
    enc: `${mp} 0F ${opc} /r`,
    handler: (i, cpu) => {
      const width = i.rexW ? 64 : 32;
      const s = cpu.state;
      const g = i.reg;
      const conv = single ? cv.cvtss2si : cv.cvtsd2si;
      if (!i.isMem) {
        const si = i.rm;
        return () => {
          if (conv(s, g, s, si, width, truncate)) throw simdError();
        };
      }
      const ea = effectiveAddress(i, cpu);
      return () => {
        const a = ea();
        if (single) TEMP.xw[0] = cpu.mem.read32(a);
        else cpu.mem.read64(a, TEMP.xw, 0);
        if (conv(s, g, TEMP, 0, width, truncate)) throw simdError();
      };
    },
  });
}

export const sseFpRows = rows;
