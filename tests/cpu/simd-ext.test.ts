// Dot product, I8MM and BF16 (board/aarch64/isa/simd-ext): expected lanes and
// FPSR were printed by qemu-aarch64 7.2 (-cpu max) running the same
// instructions on the same registers, with FPCR = 0 and FPCR = DN | RZ.

import { describe, expect, it } from 'vitest';
import type { Cpu } from '../../board/aarch64/cpu';
import { setV } from './fp-helpers';
import { machine } from './machine';

const BYTES_A = [0x80, 0xff, 0x7f, 0x01, 0x10, 0x20, 0x30, 0x40, 0xfe, 0x02, 0x80, 0x80, 0x55, 0xaa, 0x00, 0x7f];
const BYTES_B = [0x80, 0x80, 0xff, 0x7f, 0x03, 0xfd, 0x11, 0x90, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02, 0x03, 0x04];
const INT_ACC = [0x7fffffff, 0x80000000, 0x12345678, 0xfffffffe];
// BFloat16: 1.0, 1.0078125, max, max, a denormal, 1.0, 3.140625, -3.140625
const BF_N = [0x3f80, 0x3f81, 0x7f7f, 0x7f7f, 0x0001, 0x3f80, 0x4049, 0xc049];
const BF_M = [0x3f81, 0x3f81, 0x4000, 0x4000, 0x3f80, 0x0040, 0x4049, 0x4049];
// 1.0, -max, a single denormal, 2^-24 + 1 ulp
const FP_ACC = [0x3f800000, 0xff7fffff, 0x00000001, 0x33800001];
const SINGLES_1 = [0x3f808000, 0x3f818000, 0x7f7fffff, 0x00400000];
const SINGLES_2 = [0xbf80c001, 0x7fc00001, 0x7f800001, 0x3f80ffff];

const words = (w: number[]): bigint => w.reduceRight((v, x) => (v << 32n) | BigInt(x >>> 0), 0n);
const bytes = (b: number[]): bigint => b.reduceRight((v, x) => (v << 8n) | BigInt(x), 0n);
const halves = (h: number[]): bigint => h.reduceRight((v, x) => (v << 16n) | BigInt(x), 0n);

function setup(cpu: Cpu, acc: number[]): void {
  setV(cpu, 0, bytes(BYTES_A));
  setV(cpu, 1, bytes(BYTES_B));
  setV(cpu, 2, words(acc));
  setV(cpu, 3, halves(BF_M));
  setV(cpu, 20, halves(BF_N));
  setV(cpu, 21, halves(BF_M));
  setV(cpu, 22, words(SINGLES_1));
  setV(cpu, 23, words(SINGLES_2));
}

/** Runs `insn` with FPCR = fpcr and FPSR cleared; returns V<reg> as four words and FPSR. */
function run(insn: string, acc: number[], fpcr = 0, reg = 2): { lanes: number[]; fpsr: number } {
  const m = machine(
    `.arch armv8.6-a+bf16+i8mm
     msr fpsr, xzr
     movz x9, #${fpcr >>> 16}, lsl #16
     msr fpcr, x9
     ${insn}
     mrs x10, fpsr`,
    (cpu) => setup(cpu, acc),
  );
  m.run();
  const vw = m.cpu.state.vw;
  return { lanes: [0, 1, 2, 3].map((i) => vw[4 * reg + i] >>> 0), fpsr: m.w(10) };
}

const DN_RZ = 0x02c00000;

describe('dot product and int8 matrix multiply', () => {
  const cases: [string, number, number[]][] = [
    ['sdot v2.4s, v0.16b, v1.16b', 2, [0x8000407f, 0x7fffe700, 0x12345778, 0x000001a3]],
    ['udot v2.2s, v0.8b, v1.8b', 2, [0x80013e7f, 0x80004700, 0, 0]],
    ['usdot v2.4s, v0.16b, v1.16b', 2, [0x7fff407f, 0x7fffe700, 0x12345478, 0x000003a3]],
    ['sdot v2.4s, v0.16b, v1.4b[3]', 2, [0x800000fe, 0x800001e0, 0x123452fa, 0x000001a3]],
    ['udot v2.4s, v0.16b, v1.4b[1]', 2, [0x80010681, 0x80004700, 0x1234abec, 0x0000f06f]],
    ['sudot v2.2s, v0.8b, v1.4b[1]', 2, [0x80000681, 0x80004700, 0, 0]],
    // Vd = Vm: the element is read before any lane is written
    ['usdot v1.4s, v0.16b, v1.4b[2]', 1, [0x7fff7e81, 0x9011fc63, 0xfffffdff, 0x04030083]],
    ['smmla v2.4s, v0.16b, v1.16b', 2, [0x8000277f, 0x800001e1, 0x1233e1e9, 0x000002a3]],
    ['ummla v2.4s, v0.16b, v1.16b', 2, [0x8001857f, 0x8001fee1, 0x123685e9, 0x000201a3]],
    ['usmmla v2.4s, v0.16b, v1.16b', 2, [0x7fff277f, 0x7fffffe1, 0x1233dce9, 0x000001a3]],
  ];
  for (const [insn, reg, want] of cases) {
    it(insn, () => {
      const r = run(insn, INT_ACC, 0, reg);
      expect(r.lanes.map((x) => x.toString(16))).toEqual(want.map((x) => x.toString(16)));
      expect(r.fpsr).toBe(0);
    });
  }
});

describe('BFloat16', () => {
  const cases: [string, number[], number, number[], number][] = [
    // BFDOT and BFMMLA: round to odd, flushed denormals, overflow to infinity, FPCR ignored, FPSR untouched
    ['bfdot v2.4s, v20.8h, v21.8h', FP_ACC, 0, [0x40418100, 0x7f800000, 0, 0x33800001], 0],
    ['bfdot v2.4s, v20.8h, v21.8h', FP_ACC, DN_RZ, [0x40418100, 0x7f800000, 0, 0x33800001], 0],
    ['bfdot v2.2s, v20.4h, v21.2h[1]', FP_ACC, 0, [0x40a08000, 0x7f800000, 0, 0], 0],
    ['bfmmla v2.4s, v20.8h, v21.8h', FP_ACC, 0, [0x7f800000, 0x7f800000, 0x3f810000, 0x33800001], 0],
    // BFMLALB/T: fused single-precision multiply-add under FPCR, flags accumulated
    ['bfmlalb v2.4s, v20.8h, v21.8h', FP_ACC, 0, [0x40008000, 0x7f7e0001, 0x00010001, 0x411dd100], 0x10],
    ['bfmlalt v2.4s, v20.8h, v3.h[7]', FP_ACC, 0, [0x40854900, 0x7f800000, 0x40490000, 0xc11dd100], 0x14],
    ['bfmlalt v2.4s, v20.8h, v3.h[7]', FP_ACC, DN_RZ, [0x40854900, 0x7f7fffff, 0x40490000, 0xc11dd0ff], 0x14],
    // BFCVTN/BFCVTN2: FPCR rounding, signalling NaNs quietened (IOC), DN
    ['bfcvtn v2.4h, v22.4s\n bfcvtn2 v2.8h, v23.4s', FP_ACC, 0, [0x3f823f80, 0x00407f80, 0x7fc0bf81, 0x3f817fc0], 0x15],
    ['bfcvtn v2.4h, v22.4s\n bfcvtn2 v2.8h, v23.4s', FP_ACC, DN_RZ, [0x3f813f80, 0x00407f7f, 0x7fc0bf80, 0x3f807fc0], 0x11],
    ['bfcvtn v2.4h, v23.4s', [-1, -1, -1, -1], 0, [0x7fc0bf81, 0x3f817fc0, 0, 0], 0x11],
  ];
  for (const [insn, acc, fpcr, want, fpsr] of cases) {
    it(`${insn.replace('\n', ';')} with FPCR ${fpcr.toString(16)}`, () => {
      const r = run(insn, acc, fpcr);
      expect(r.lanes.map((x) => x.toString(16))).toEqual(want.map((x) => x.toString(16)));
      expect(r.fpsr.toString(16)).toBe(fpsr.toString(16));
    });
  }
});

describe('reserved encodings next to the extensions are UNDEFINED', () => {
  const UNDEF = 0; // ESR exception class of an unknown instruction
  // SDOT with size 01, SMMLA and BFMMLA with Q = 0, USDOT with U = 1, SDOT (by element) with size 01, BFCVTN with size 11
  const words32 = [0x4e419402, 0x0e81a402, 0x2e41ec02, 0x6e819c02, 0x4f61e002, 0x4ee16aa2];
  for (const w of words32) {
    it(`0x${w.toString(16)}`, () => {
      const m = machine(`.inst 0x${w.toString(16)}`);
      expect(m.run()).toBe(UNDEF);
    });
  }
});

describe('SM3 and SM4', () => {
  // V0, V1, V2 as four words each; expected V2 printed by qemu-aarch64 running the same instruction
  const V0 = [0x01234567, 0x89abcdef, 0xfedcba98, 0x76543210];
  const V1 = [0x0f1e2d3c, 0x4b5a6978, 0x8796a5b4, 0xc3d2e1f0];
  const V2 = [0xdeadbeef, 0x13579bdf, 0x2468ace0, 0xa5a5a5a5];
  const cases: [string, number[]][] = [
    ['sm3ss1 v2.4s, v0.4s, v1.4s, v2.4s', [0x00000000, 0x00000000, 0x00000000, 0x4cc77d56]],
    ['sm3tt1a v2.4s, v0.4s, v1.s[2]', [0x13579bdf, 0xd159c048, 0xa5a5a5a5, 0x24ed5f87]],
    ['sm3tt1b v2.4s, v0.4s, v1.s[0]', [0x13579bdf, 0xd159c048, 0xa5a5a5a5, 0x3f40025a]],
    ['sm3tt2a v2.4s, v0.4s, v1.s[3]', [0x13579bdf, 0x67012345, 0xa5a5a5a5, 0xbeb72001]],
    ['sm3tt2b v2.4s, v0.4s, v2.s[1]', [0x13579bdf, 0x67012345, 0xa5a5a5a5, 0x91eac77d]],
    ['sm3partw1 v2.4s, v0.4s, v1.4s', [0x96d5b2d3, 0x3f3fe2e2, 0x5951848c, 0x4b7295bd]],
    ['sm3partw2 v2.4s, v0.4s, v1.4s', [0x5098658f, 0x37c8ea15, 0x11e6cc3b, 0x79ca8635]],
    ['sm4e v2.4s, v0.4s', [0x2bd1b6da, 0x45796a73, 0xd881faa0, 0xe247c7fe]],
    ['sm4ekey v2.4s, v0.4s, v1.4s', [0x6c93422f, 0x5b4d6d28, 0xf5ae4abe, 0x82753175]],
  ];
  for (const [insn, want] of cases) {
    it(insn, () => {
      const m = machine(`.arch armv8.4-a+sm4\n ${insn}`, (cpu) => {
        setV(cpu, 0, words(V0));
        setV(cpu, 1, words(V1));
        setV(cpu, 2, words(V2));
      });
      m.run();
      const vw = m.cpu.state.vw;
      expect([8, 9, 10, 11].map((i) => (vw[i] >>> 0).toString(16))).toEqual(want.map((x) => x.toString(16)));
    });
  }
});
