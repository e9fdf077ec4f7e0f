// SIMD&FP loads and stores. The structure cases start from the state the
// qemu-aarch64 7.2 probe used (memory bytes 0, 1, 2... at x2; v0-v3 byte i =
// 0xa0 + 16 r + i) and compare with what it printed (v0..v3, most significant byte first).

import { describe, expect, it } from 'vitest';
import { BRK, DATA, DATA_ABORT_LOWER, le64, memBytes, prepared, seq, vBytes } from './load-store-harness';
import { RAM_BASE } from './machine';

const OUT = 256;

function probeState(source: string) {
  const v: Record<number, number[]> = {};
  for (let r = 0; r < 4; r++) v[r] = seq(16, 0xa0 + 16 * r);
  return prepared(source, { v, mem: [[0, seq(128)]], x: { 2: DATA, 3: DATA + OUT } });
}

function hexRegs(m: ReturnType<typeof prepared>): string {
  return [0, 1, 2, 3].map((r) => [...m.cpu.state.getV(r)].reverse().map((b) => b.toString(16).padStart(2, '0')).join('')).join(' ');
}

describe('AdvSIMD structure loads (qemu-aarch64 golden values)', () => {
  const cases: [string, string][] = [
    ['ld2 {v0.8h, v1.8h}, [x2]', '1d1c1918151411100d0c090805040100 1f1e1b1a171613120f0e0b0a07060302 cfcecdcccbcac9c8c7c6c5c4c3c2c1c0 dfdedddcdbdad9d8d7d6d5d4d3d2d1d0'],
    ['ld3 {v0.8b, v1.8b, v2.8b}, [x2]', '000000000000000015120f0c09060300 00000000000000001613100d0a070401 00000000000000001714110e0b080502 dfdedddcdbdad9d8d7d6d5d4d3d2d1d0'],
    ['ld4 {v0.4s, v1.4s, v2.4s, v3.4s}, [x2]', '33323130232221201312111003020100 37363534272625241716151407060504 3b3a39382b2a29281b1a19180b0a0908 3f3e3d3c2f2e2d2c1f1e1d1c0f0e0d0c'],
    ['ld1 {v1.2d, v2.2d, v3.2d}, [x2]', 'afaeadacabaaa9a8a7a6a5a4a3a2a1a0 0f0e0d0c0b0a09080706050403020100 1f1e1d1c1b1a19181716151413121110 2f2e2d2c2b2a29282726252423222120'],
    ['ld1 {v0.8b, v1.8b}, [x2]', '00000000000000000706050403020100 00000000000000000f0e0d0c0b0a0908 cfcecdcccbcac9c8c7c6c5c4c3c2c1c0 dfdedddcdbdad9d8d7d6d5d4d3d2d1d0'],
    ['ld1r {v1.4h}, [x2]', 'afaeadacabaaa9a8a7a6a5a4a3a2a1a0 00000000000000000100010001000100 cfcecdcccbcac9c8c7c6c5c4c3c2c1c0 dfdedddcdbdad9d8d7d6d5d4d3d2d1d0'],
    ['ld3r {v0.2d, v1.2d, v2.2d}, [x2]', '07060504030201000706050403020100 0f0e0d0c0b0a09080f0e0d0c0b0a0908 17161514131211101716151413121110 dfdedddcdbdad9d8d7d6d5d4d3d2d1d0'],
    ['ld2 {v0.s, v1.s}[1], [x2]', 'afaeadacabaaa9a803020100a3a2a1a0 bfbebdbcbbbab9b807060504b3b2b1b0 cfcecdcccbcac9c8c7c6c5c4c3c2c1c0 dfdedddcdbdad9d8d7d6d5d4d3d2d1d0'],
    ['ld4 {v0.b, v1.b, v2.b, v3.b}[15], [x2]', '00aeadacabaaa9a8a7a6a5a4a3a2a1a0 01bebdbcbbbab9b8b7b6b5b4b3b2b1b0 02cecdcccbcac9c8c7c6c5c4c3c2c1c0 03dedddcdbdad9d8d7d6d5d4d3d2d1d0'],
    ['ld1 {v3.d}[1], [x2]', 'afaeadacabaaa9a8a7a6a5a4a3a2a1a0 bfbebdbcbbbab9b8b7b6b5b4b3b2b1b0 cfcecdcccbcac9c8c7c6c5c4c3c2c1c0 0706050403020100d7d6d5d4d3d2d1d0'],
    ['ld3 {v1.h, v2.h, v3.h}[5], [x2]', 'afaeadacabaaa9a8a7a6a5a4a3a2a1a0 bfbebdbc0100b9b8b7b6b5b4b3b2b1b0 cfcecdcc0302c9c8c7c6c5c4c3c2c1c0 dfdedddc0504d9d8d7d6d5d4d3d2d1d0'],
  ];
  for (const [insn, expected] of cases) {
    it(insn, () => {
      const m = probeState(insn);
      expect(m.run()).toBe(BRK);
      expect(hexRegs(m)).toBe(expected);
    });
  }
});

describe('AdvSIMD structure stores (qemu-aarch64 golden values)', () => {
  const cases: [string, string][] = [
    ['st4 {v0.8b, v1.8b, v2.8b, v3.8b}, [x3]', 'a0b0c0d0a1b1c1d1a2b2c2d2a3b3c3d3a4b4c4d4a5b5c5d5a6b6c6d6a7b7c7d7'],
    ['st2 {v2.2d, v3.2d}, [x3]', 'c0c1c2c3c4c5c6c7d0d1d2d3d4d5d6d7c8c9cacbcccdcecfd8d9dadbdcdddedf'],
    ['st3 {v1.s, v2.s, v3.s}[2], [x3]', 'b8b9babbc8c9cacbd8d9dadb00000000'],
    ['st1 {v0.16b, v1.16b, v2.16b, v3.16b}, [x3]', seq(64, 0xa0).map((b) => b.toString(16).padStart(2, '0')).join('')],
  ];
  for (const [insn, expected] of cases) {
    it(insn, () => {
      const m = probeState(insn);
      expect(m.run()).toBe(BRK);
      const n = expected.length / 2;
      expect(memBytes(m, OUT, n).map((b) => b.toString(16).padStart(2, '0')).join('')).toBe(expected);
    });
  }
});

describe('AdvSIMD structure addressing', () => {
  it('post-indexes by the transfer size or by a register', () => {
    const m = probeState(`
      ld4 {v0.16b, v1.16b, v2.16b, v3.16b}, [x2], #64
      add x4, x3, #0
      st1 {v0.8b}, [x4], x5
      ld1r {v1.8h}, [x2], #2
      ld2 {v2.h, v3.h}[3], [x2], #4
    `);
    m.cpu.state.setX(5, -8n);
    expect(m.run()).toBe(BRK);
    expect(m.x(2)).toBe(BigInt(DATA + 70));
    expect(vBytes(m, 2).slice(6, 8)).toEqual([66, 67]);
    expect(vBytes(m, 3).slice(6, 8)).toEqual([68, 69]);
    expect(m.x(4)).toBe(BigInt(DATA + OUT - 8));
    expect(memBytes(m, OUT, 8)).toEqual([0, 4, 8, 12, 16, 20, 24, 28]);
    expect(vBytes(m, 1)).toEqual(Array.from({ length: 16 }, (_, i) => 64 + (i & 1)));
  });

  it('wraps the register list from v31 to v0', () => {
    const m = prepared('ld2 {v31.4s, v0.4s}, [x2]\nld1 {v30.16b, v31.16b, v0.16b}, [x3]', { mem: [[0, seq(128)]], x: { 2: DATA, 3: DATA + 64 } });
    m.run();
    expect(vBytes(m, 30)).toEqual(seq(16, 64));
    expect(vBytes(m, 31)).toEqual(seq(16, 80));
    expect(vBytes(m, 0)).toEqual(seq(16, 96));
  });

  it('faults precisely: a structure load crossing the end of RAM changes no register', () => {
    const end = RAM_BASE + 4 * 1024 * 1024;
    const m = prepared('ld1 {v0.16b, v1.16b}, [x2], #32', { x: { 2: end - 24 }, v: { 0: seq(16, 1), 1: seq(16, 2) } });
    expect(m.run()).toBe(DATA_ABORT_LOWER);
    expect(vBytes(m, 0)).toEqual(seq(16, 1));
    expect(vBytes(m, 1)).toEqual(seq(16, 2));
    expect(m.x(2)).toBe(BigInt(end - 24));
  });
});

describe('SIMD&FP single register and pair', () => {
  it('loads B/H/S/D/Q and zeroes the rest of the vector', () => {
    const v: Record<number, number[]> = {};
    for (let r = 0; r < 5; r++) v[r] = seq(16, 0xe0);
    const m = prepared(
      `
      ldr b0, [x10, #1]
      ldr h1, [x10, #2]
      ldr s2, [x10, #4]
      ldr d3, [x10, #8]
      ldr q4, [x10, #16]
    `,
      { v, mem: [[0, seq(32, 0x40)]] },
    );
    m.run();
    const zeros = (n: number) => new Array<number>(n).fill(0);
    expect(vBytes(m, 0)).toEqual([0x41, ...zeros(15)]);
    expect(vBytes(m, 1)).toEqual([0x42, 0x43, ...zeros(14)]);
    expect(vBytes(m, 2)).toEqual([...seq(4, 0x44), ...zeros(12)]);
    expect(vBytes(m, 3)).toEqual([...seq(8, 0x48), ...zeros(8)]);
    expect(vBytes(m, 4)).toEqual(seq(16, 0x50));
  });

  it('stores B/H/S/D/Q with every addressing mode', () => {
    const m = prepared(
      `
      str b0, [x10]
      str h0, [x10, #2]!
      str s0, [x10], #2
      stur d0, [x10, #7]
      str q0, [x10, x1, lsl #4]
    `,
      { v: { 0: seq(16, 0x70) }, x: { 1: 2 } },
    );
    m.run();
    expect(m.x(10)).toBe(BigInt(DATA + 4));
    expect(memBytes(m, 0, 19)).toEqual([0x70, 0, 0x70, 0x71, 0x72, 0x73, 0, 0, 0, 0, 0, ...seq(8, 0x70)]);
    expect(memBytes(m, 36, 16)).toEqual(seq(16, 0x70));
  });

  it('loads FP literals of S, D and Q', () => {
    const m = prepared(`
      ldr s0, lit
      ldr d1, lit
      ldr q2, lit
      b over
      .balign 16
      lit: .quad 0x3ff0000000000000, 0x0123456789abcdef
      over:
    `);
    expect(m.run()).toBe(BRK);
    expect(m.cpu.state.vd[2]).toBe(1);
    expect(vBytes(m, 0)).toEqual([0, 0, 0, 0, ...new Array<number>(12).fill(0)]);
    expect(vBytes(m, 2)).toEqual([...le64(0x3ff0000000000000n), ...le64(0x0123456789abcdefn)]);
  });

  it('loads and stores S, D and Q pairs, with writeback', () => {
    const m = prepared(
      `
      ldp s0, s1, [x10]
      ldp d2, d3, [x10, #8]!
      ldp q4, q5, [x10], #-16
      stp q5, q4, [x11, #-32]!
      stnp d3, d2, [x11, #32]
      ldnp s6, s7, [x11, #-4]
    `,
      { mem: [[0, seq(64)]], x: { 11: DATA + 128 } },
    );
    m.run();
    expect(vBytes(m, 0).slice(0, 8)).toEqual([0, 1, 2, 3, 0, 0, 0, 0]);
    expect(vBytes(m, 1).slice(0, 4)).toEqual([4, 5, 6, 7]);
    expect(vBytes(m, 3)).toEqual([...seq(8, 16), ...new Array<number>(8).fill(0)]);
    expect(vBytes(m, 4)).toEqual(seq(16, 8));
    expect(vBytes(m, 5)).toEqual(seq(16, 24));
    expect(m.x(10)).toBe(BigInt(DATA - 8));
    expect(m.x(11)).toBe(BigInt(DATA + 96));
    expect(memBytes(m, 96, 32)).toEqual([...seq(16, 24), ...seq(16, 8)]);
    expect(memBytes(m, 128, 16)).toEqual([...seq(8, 16), ...seq(8, 8)]);
    expect(vBytes(m, 6).slice(0, 4)).toEqual([0, 0, 0, 0]);
  });
});
