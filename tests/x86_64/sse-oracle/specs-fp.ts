// Instruction specs for the SSE floating-point semantics: arithmetic,
// compares, horizontal forms, dot products, conversions and rounding.

import { FLAGS } from './harness';
import { genPd, genPs, type Spec } from './suite';
import { addsubpd, addsubps, cmppd, cmpps, cmpsd, cmpss, comisd, comiss, dppd, dpps, hpd, hps, OPS32, OPS64, packedPd, packedPs, scalarSd, scalarSs } from '../../../board/x86_64/isa/sse-fp-arith';
import * as cv from '../../../board/x86_64/isa/sse-convert';
import { SSE_OUT } from '../../../board/x86_64/isa/sse-operands';
import { f32Add, f32Sub } from '../../../board/x86_64/sse-fp32';
import { f64Add, f64Sub } from '../../../board/x86_64/sse-fp64';
import type { Rng } from './gen';
import * as est from '../../../board/x86_64/isa/sse-estimates';

const ARITH: Array<[string, number]> = [['add', 0x58], ['sub', 0x5c], ['mul', 0x59], ['div', 0x5e], ['min', 0x5d], ['max', 0x5f], ['sqrt', 0x51]];
const anyImm = (r: Rng): number => (r.chance(0.8) ? r.below(16) : r.u32());
const roundImm = (r: Rng): number => r.below(16);

export const fpSpecs: Spec[] = [];

for (const [name, opc] of ARITH) {
  fpSpecs.push(
    { name: `${name}ps`, op: [0x0f, opc], gen: genPs, run: (s, src, si) => packedPs(s, 0, src, si, OPS32[name]) },
    { name: `${name}ss`, op: [0xf3, 0x0f, opc], gen: genPs, run: (s, src, si) => scalarSs(s, 0, src, si, OPS32[name]) },
    { name: `${name}pd`, op: [0x66, 0x0f, opc], gen: genPd, run: (s, src, si) => packedPd(s, 0, src, si, OPS64[name]) },
    { name: `${name}sd`, op: [0xf2, 0x0f, opc], gen: genPd, run: (s, src, si) => scalarSd(s, 0, src, si, OPS64[name]) },
  );
}

const COMI = 0x8d5;
fpSpecs.push(
  { name: 'cmpps', op: [0x0f, 0xc2], imm: anyImm, gen: genPs, run: (s, src, si, imm) => cmpps(s, 0, src, si, imm) },
  { name: 'cmpss', op: [0xf3, 0x0f, 0xc2], imm: anyImm, gen: genPs, run: (s, src, si, imm) => cmpss(s, 0, src, si, imm) },
  { name: 'cmppd', op: [0x66, 0x0f, 0xc2], imm: anyImm, gen: genPd, run: (s, src, si, imm) => cmppd(s, 0, src, si, imm) },
  { name: 'cmpsd', op: [0xf2, 0x0f, 0xc2], imm: anyImm, gen: genPd, run: (s, src, si, imm) => cmpsd(s, 0, src, si, imm) },
  { name: 'comiss', op: [0x0f, 0x2f], gen: genPs, flags: COMI, run: (s, src, si) => comi(comiss(s, 0, src, si, true)) },
  { name: 'ucomiss', op: [0x0f, 0x2e], gen: genPs, flags: COMI, run: (s, src, si) => comi(comiss(s, 0, src, si, false)) },
  { name: 'comisd', op: [0x66, 0x0f, 0x2f], gen: genPd, flags: COMI, run: (s, src, si) => comi(comisd(s, 0, src, si, true)) },
  { name: 'ucomisd', op: [0x66, 0x0f, 0x2e], gen: genPd, flags: COMI, run: (s, src, si) => comi(comisd(s, 0, src, si, false)) },
  { name: 'haddps', op: [0xf2, 0x0f, 0x7c], gen: genPs, run: (s, src, si) => hps(s, 0, src, si, f32Add) },
  { name: 'hsubps', op: [0xf2, 0x0f, 0x7d], gen: genPs, run: (s, src, si) => hps(s, 0, src, si, f32Sub) },
  { name: 'haddpd', op: [0x66, 0x0f, 0x7c], gen: genPd, run: (s, src, si) => hpd(s, 0, src, si, f64Add) },
  { name: 'hsubpd', op: [0x66, 0x0f, 0x7d], gen: genPd, run: (s, src, si) => hpd(s, 0, src, si, f64Sub) },
  { name: 'addsubps', op: [0xf2, 0x0f, 0xd0], gen: genPs, run: (s, src, si) => addsubps(s, 0, src, si) },
  { name: 'addsubpd', op: [0x66, 0x0f, 0xd0], gen: genPd, run: (s, src, si) => addsubpd(s, 0, src, si) },
  { name: 'dpps', op: [0x66, 0x0f, 0x3a, 0x40], imm: (r) => r.u32(), gen: genPs, run: (s, src, si, imm) => dpps(s, 0, src, si, imm) },
  { name: 'dppd', op: [0x66, 0x0f, 0x3a, 0x41], imm: (r) => r.u32(), gen: genPd, run: (s, src, si, imm) => dppd(s, 0, src, si, imm) },
  { name: 'cvtss2sd', op: [0xf3, 0x0f, 0x5a], gen: genPs, run: (s, src, si) => cv.cvtss2sd(s, 0, src, si) },
  { name: 'cvtsd2ss', op: [0xf2, 0x0f, 0x5a], gen: genPd, run: (s, src, si) => cv.cvtsd2ss(s, 0, src, si) },
  { name: 'cvtps2pd', op: [0x0f, 0x5a], gen: genPs, run: (s, src, si) => cv.cvtps2pd(s, 0, src, si) },
  { name: 'cvtpd2ps', op: [0x66, 0x0f, 0x5a], gen: genPd, run: (s, src, si) => cv.cvtpd2ps(s, 0, src, si) },
  { name: 'cvtdq2ps', op: [0x0f, 0x5b], gen: genPs, run: (s, src, si) => cv.cvtdq2ps(s, 0, src, si) },
  { name: 'cvtps2dq', op: [0x66, 0x0f, 0x5b], gen: genPs, run: (s, src, si) => cv.cvtps2dq(s, 0, src, si, false) },
  { name: 'cvttps2dq', op: [0xf3, 0x0f, 0x5b], gen: genPs, run: (s, src, si) => cv.cvtps2dq(s, 0, src, si, true) },
  { name: 'cvtdq2pd', op: [0xf3, 0x0f, 0xe6], gen: genPs, run: (s, src, si) => cv.cvtdq2pd(s, 0, src, si) },
  { name: 'cvtpd2dq', op: [0xf2, 0x0f, 0xe6], gen: genPd, run: (s, src, si) => cv.cvtpd2dq(s, 0, src, si, false) },
  { name: 'cvttpd2dq', op: [0x66, 0x0f, 0xe6], gen: genPd, run: (s, src, si) => cv.cvtpd2dq(s, 0, src, si, true) },
  { name: 'roundps', op: [0x66, 0x0f, 0x3a, 0x08], imm: roundImm, gen: genPs, run: (s, src, si, imm) => cv.roundps(s, 0, src, si, imm) },
  { name: 'roundpd', op: [0x66, 0x0f, 0x3a, 0x09], imm: roundImm, gen: genPd, run: (s, src, si, imm) => cv.roundpd(s, 0, src, si, imm) },
  { name: 'roundss', op: [0x66, 0x0f, 0x3a, 0x0a], imm: roundImm, gen: genPs, run: (s, src, si, imm) => cv.roundss(s, 0, src, si, imm) },
  { name: 'roundsd', op: [0x66, 0x0f, 0x3a, 0x0b], imm: roundImm, gen: genPd, run: (s, src, si, imm) => cv.roundsd(s, 0, src, si, imm) },
);

/** XMM lanes as doubles, RAX and the memory operand as integers of every magnitude. */
function genIntSource(r: Rng, c: Parameters<typeof genPd>[1]): void {
  genPd(r, c);
  const int64 = (): bigint => {
    const bits = r.below(65);
    const v = bits === 64 ? (BigInt(r.u32()) << 32n) | BigInt(r.u32()) : ((BigInt(r.u32()) << 32n) | BigInt(r.u32())) & ((1n << BigInt(bits)) - 1n);
    return BigInt.asUintN(64, r.chance(0.5) ? -v : v);
  };
  c.rax = int64();
  new DataView(c.mem.buffer, c.mem.byteOffset).setBigUint64(0, int64(), true);
}

function comi(x: number): number {
  if (x === 0) FLAGS.value = SSE_OUT.flags;
  return x;
}

// GPR forms: reg form uses rax (ModRM rm = 0) as the integer source, eax/rax as the destination.
for (const w of [32, 64] as const) {
  const rex = w === 64 ? [0x48] : [];
  const gprIn = (s: import('../../../board/x86_64/cpu-state').X86CpuState, src: import('../../../board/x86_64/isa/sse-operands').XmmFile, isMem: boolean): [number, number] =>
    isMem ? [src.xw[0], src.xw[1]] : [s.r[0], s.r[1]];
  fpSpecs.push(
    { name: `cvtsi2ss${w}`, op: [0xf3, ...rex, 0x0f, 0x2a], modrm: 0xc0, gen: genIntSource, run: (s, src, _si, _i, m) => cv.cvtsi2ss(s, 0, ...gprIn(s, src, m), w) },
    { name: `cvtsi2sd${w}`, op: [0xf2, ...rex, 0x0f, 0x2a], modrm: 0xc0, gen: genIntSource, run: (s, src, _si, _i, m) => cv.cvtsi2sd(s, 0, ...gprIn(s, src, m), w) },
    { name: `cvtss2si${w}`, op: [0xf3, ...rex, 0x0f, 0x2d], gen: genPs, run: (s, src, si) => cv.cvtss2si(s, 0, src, si, w, false) },
    { name: `cvttss2si${w}`, op: [0xf3, ...rex, 0x0f, 0x2c], gen: genPs, run: (s, src, si) => cv.cvtss2si(s, 0, src, si, w, true) },
    { name: `cvtsd2si${w}`, op: [0xf2, ...rex, 0x0f, 0x2d], gen: genPd, run: (s, src, si) => cv.cvtsd2si(s, 0, src, si, w, false) },
    { name: `cvttsd2si${w}`, op: [0xf2, ...rex, 0x0f, 0x2c], gen: genPd, run: (s, src, si) => cv.cvtsd2si(s, 0, src, si, w, true) },
  );
}

// RCP/RSQRT: Intel's tables (an AMD host computes other approximations: see sse-estimates.ts).
fpSpecs.push(
  { name: 'rcpps', op: [0x0f, 0x53], gen: genPs, run: (s, src, si) => (est.rcpps(s, 0, src, si), 0) },
  { name: 'rcpss', op: [0xf3, 0x0f, 0x53], gen: genPs, run: (s, src, si) => (est.rcpss(s, 0, src, si), 0) },
  { name: 'rsqrtps', op: [0x0f, 0x52], gen: genPs, run: (s, src, si) => (est.rsqrtps(s, 0, src, si), 0) },
  { name: 'rsqrtss', op: [0xf3, 0x0f, 0x52], gen: genPs, run: (s, src, si) => (est.rsqrtss(s, 0, src, si), 0) },
);
