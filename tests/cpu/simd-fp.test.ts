import { describe, expect, it } from 'vitest';
import type { Cpu } from '../../board/aarch64/cpu';
import { machine } from './machine';

const BRK = 0x3c;
const UNDEFINED = 0;
const IOC = 1 << 0;
const DZC = 1 << 1;
const OFC = 1 << 2;
const UFC = 1 << 3;
const IXC = 1 << 4;
const IDC = 1 << 7;
const DN = 1 << 25;
const FZ = 1 << 24;
const RMODE = (m: number): number => m << 22;

/** Sets Vn's 32-bit lanes (lane 0 first); missing lanes are zero. */
function setW(cpu: Cpu, n: number, lanes: number[]): void {
  for (let i = 0; i < 4; i++) cpu.state.vw[4 * n + i] = lanes[i] ?? 0;
}

function setH(cpu: Cpu, n: number, lanes: number[]): void {
  for (let i = 0; i < 8; i++) cpu.state.vh[8 * n + i] = lanes[i] ?? 0;
}

function setD(cpu: Cpu, n: number, lanes: number[]): void {
  const f = new Float64Array(lanes);
  const w = new Int32Array(f.buffer);
  for (let i = 0; i < 4; i++) cpu.state.vw[4 * n + i] = w[i] ?? 0;
}

function wordsOf(cpu: Cpu, n: number): number[] {
  return [...cpu.state.vw.slice(4 * n, 4 * n + 4)].map((v) => v >>> 0);
}

function halvesOf(cpu: Cpu, n: number): number[] {
  return [...cpu.state.vh.slice(8 * n, 8 * n + 8)];
}

function doublesOf(cpu: Cpu, n: number): number[] {
  return [...cpu.state.vd.slice(2 * n, 2 * n + 2)];
}

const f32 = (v: number): number => new Uint32Array(new Float32Array([v]).buffer)[0];

function run(source: string, init: (cpu: Cpu) => void, fpcr = 0, fpsr = 0): Cpu {
  const m = machine(source, (cpu) => {
    cpu.fpcr = fpcr;
    cpu.fpsr = fpsr;
    init(cpu);
  });
  expect(m.run()).toBe(BRK);
  return m.cpu;
}

describe('AdvSIMD FP arithmetic and arrangements', () => {
  it('adds 4S lanewise and clears the upper half for 2S', () => {
    const cpu = run('fadd v0.4s, v1.4s, v2.4s\nfadd v3.2s, v1.2s, v2.2s', (c) => {
      setW(c, 1, [f32(1), f32(2.5), f32(-3), f32(1e30)]);
      setW(c, 2, [f32(2), f32(0.25), f32(3), f32(1e30)]);
      setW(c, 3, [-1, -1, -1, -1]);
    });
    expect(wordsOf(cpu, 0)).toEqual([f32(3), f32(2.75), 0, f32(2e30)]);
    expect(wordsOf(cpu, 3)).toEqual([f32(3), f32(2.75), 0, 0]);
    expect(cpu.fpsr).toBe(0);
  });

  it('runs 8H half-precision lanes and 2D doubles', () => {
    const cpu = run('fmul v0.8h, v1.8h, v2.8h\nfsub v3.2d, v4.2d, v5.2d', (c) => {
      setH(c, 1, [0x3c00, 0x4000, 0x7bff, 0xc000, 0, 0x8000, 0x3800, 0x4200]); // 1, 2, max, -2, 0, -0, 0.5, 3
      setH(c, 2, [0x4000, 0x4000, 0x4000, 0x4000, 0x3c00, 0x3c00, 0x3800, 0x4200]);
      setD(c, 4, [1, 0.1]);
      setD(c, 5, [3, 0.2]);
    });
    expect(halvesOf(cpu, 0)).toEqual([0x4000, 0x4400, 0x7c00, 0xc400, 0, 0x8000, 0x3400, 0x4880]);
    expect(cpu.fpsr & (OFC | IXC)).toBe(OFC | IXC);
    expect(doublesOf(cpu, 3)).toEqual([-2, 0.1 - 0.2]);
  });

  it('propagates a signalling NaN before a quiet one and raises IOC; DN gives the default NaN', () => {
    const src = 'fadd v0.4s, v1.4s, v2.4s';
    const init = (c: Cpu): void => {
      setW(c, 1, [0x7fc00011, f32(1), 0xff800001, f32(1)]);
      setW(c, 2, [0x7f800022, 0x7fc00033, f32(1), f32(2)]);
    };
    const cpu = run(src, init);
    expect(wordsOf(cpu, 0)).toEqual([0x7fc00022, 0x7fc00033, 0xffc00001, f32(3)]);
    expect(cpu.fpsr).toBe(IOC);
    const dn = run(src, init, DN);
    expect(wordsOf(dn, 0)).toEqual([0x7fc00000, 0x7fc00000, 0x7fc00000, f32(3)]);
  });

  it('FMLS negates the multiplicand, NaN sign included; FMLA fuses', () => {
    const cpu = run('fmls v0.4s, v1.4s, v2.4s\nfmla v3.2d, v4.2d, v5.2d', (c) => {
      setW(c, 0, [f32(10), f32(1), f32(0), f32(5)]);
      setW(c, 1, [f32(2), 0x7fc00005, f32(1), f32(0)]);
      setW(c, 2, [f32(3), f32(1), f32(-1), f32(-7)]);
      setD(c, 3, [-1, 0]);
      setD(c, 4, [1 + 2 ** -30, 0]);
      setD(c, 5, [1 - 2 ** -30, 0]);
    });
    expect(wordsOf(cpu, 0)).toEqual([f32(4), 0xffc00005, f32(1), f32(5)]);
    // (1 + e)(1 - e) - 1 = -e^2 exactly, which an unfused multiply would lose.
    expect(doublesOf(cpu, 3)).toEqual([-(2 ** -60), 0]);
  });

  it('FABD clears the sign of its result, NaN included', () => {
    const cpu = run('fabd v0.4s, v1.4s, v2.4s', (c) => {
      setW(c, 1, [f32(1), 0xffc00001, f32(-5), f32(0)]);
      setW(c, 2, [f32(4), f32(1), f32(-2), f32(0)]);
    });
    expect(wordsOf(cpu, 0)).toEqual([f32(3), 0x7fc00001, f32(3), 0]);
  });

  it('FMULX, FRECPS and FRSQRTS give 2, 2 and 1.5 for infinity times zero', () => {
    const cpu = run('fmulx v0.4s, v1.4s, v2.4s\nfrecps v3.4s, v1.4s, v2.4s\nfrsqrts v4.4s, v1.4s, v2.4s', (c) => {
      setW(c, 1, [0xff800000, f32(0), f32(3), f32(2)]);
      setW(c, 2, [f32(0), 0x7f800000, f32(0.5), f32(0.75)]);
    });
    expect(wordsOf(cpu, 0)).toEqual([f32(-2), f32(2), f32(1.5), f32(1.5)]);
    expect(wordsOf(cpu, 3)).toEqual([f32(2), f32(2), f32(0.5), f32(0.5)]);
    expect(wordsOf(cpu, 4)).toEqual([f32(1.5), f32(1.5), f32(0.75), f32(0.75)]);
    expect(cpu.fpsr).toBe(0);
  });

  it('FRSQRTS rounds (3 - a*b) / 2 once: a huge product saturates under round-to-zero', () => {
    const big = 0x7f7fffff;
    const cpu = run('frsqrts v0.4s, v1.4s, v2.4s', (c) => {
      setW(c, 1, [big, big, f32(1), f32(1)]);
      setW(c, 2, [0xc0000000, 0xbfc00000, f32(1), f32(1)]); // -2, -1.5
    }, RMODE(3));
    // (3 + 2*max)/2 overflows to the largest normal; (3 + 1.5*max)/2 = 0.75*max + 1.5 rounds down.
    expect(wordsOf(cpu, 0)[0]).toBe(big);
    expect(wordsOf(cpu, 0)[1]).toBe(f32(0.75 * new Float32Array([3.4028234663852886e38])[0]));
    expect(wordsOf(cpu, 0).slice(2)).toEqual([f32(1), f32(1)]);
  });

  it('compares lanes with FCMEQ/FCMGE/FACGT and against zero; ordered compares signal on quiet NaNs', () => {
    const cpu = run('fcmeq v0.4s, v1.4s, v2.4s\nfcmge v3.4s, v1.4s, v2.4s\nfacgt v4.4s, v1.4s, v2.4s\nfcmlt v5.4s, v1.4s, #0.0', (c) => {
      setW(c, 1, [f32(1), f32(-3), 0x7fc00000, 0x80000000]);
      setW(c, 2, [f32(1), f32(2), f32(1), 0]);
    });
    expect(wordsOf(cpu, 0)).toEqual([0xffffffff, 0, 0, 0xffffffff]);
    expect(wordsOf(cpu, 3)).toEqual([0xffffffff, 0, 0, 0xffffffff]);
    expect(wordsOf(cpu, 4)).toEqual([0, 0xffffffff, 0, 0]);
    expect(wordsOf(cpu, 5)).toEqual([0, 0xffffffff, 0, 0]);
    expect(cpu.fpsr).toBe(IOC);
    const eqOnly = run('fcmeq v0.4s, v1.4s, v2.4s', (c) => setW(c, 1, [0x7fc00000]));
    expect(eqOnly.fpsr).toBe(0);
  });

  it('flushes denormal inputs under FZ with IDC and accumulates flags over existing ones', () => {
    const cpu = run('fadd v0.4s, v1.4s, v2.4s', (c) => {
      setW(c, 1, [0x00000001, f32(1)]);
      setW(c, 2, [0, f32(2 ** -30)]);
    }, FZ, DZC);
    expect(wordsOf(cpu, 0).slice(0, 2)).toEqual([0, f32(1)]);
    expect(cpu.fpsr).toBe(DZC | IDC | IXC);
  });

  it('pairwise and across-lanes reductions', () => {
    const cpu = run('faddp v0.4s, v1.4s, v2.4s\nfmaxnmv s3, v4.4s\nfminv h5, v6.8h\nfaddp d7, v8.2d', (c) => {
      setW(c, 1, [f32(1), f32(2), f32(3), f32(4)]);
      setW(c, 2, [f32(10), f32(20), f32(30), f32(40)]);
      setW(c, 4, [0x7fc00000, f32(-1), f32(7), f32(2)]);
      setH(c, 6, [0x4000, 0x3c00, 0x4200, 0xbc00, 0x4400, 0x3800, 0x4000, 0x4000]);
      setD(c, 8, [1.5, 2.25]);
    });
    expect(wordsOf(cpu, 0)).toEqual([f32(3), f32(7), f32(30), f32(70)]);
    expect(wordsOf(cpu, 3)).toEqual([f32(7), 0, 0, 0]);
    expect(halvesOf(cpu, 5)).toEqual([0xbc00, 0, 0, 0, 0, 0, 0, 0]);
    expect(doublesOf(cpu, 7)).toEqual([3.75, 0]);
  });

  it('by element: the element is read before the destination (here also Vm) is written', () => {
    const cpu = run('fmla v2.4s, v1.4s, v2.s[3]\nfmul d5, d4, v3.d[1]', (c) => {
      setW(c, 1, [f32(1), f32(2), f32(3), f32(4)]);
      setW(c, 2, [f32(1), f32(1), f32(1), f32(10)]);
      setD(c, 3, [0, 0.5]);
      setD(c, 4, [6, 9]);
    });
    expect(wordsOf(cpu, 2)).toEqual([f32(11), f32(21), f32(31), f32(50)]);
    expect(doublesOf(cpu, 5)).toEqual([3, 0]);
  });
});

describe('AdvSIMD FP conversions, rounding and estimates', () => {
  it('FCVT{N,A,M,Z}S round by their own mode; FRINTI follows FPCR and FRINTX flags inexact', () => {
    const cpu = run('fcvtns v0.4s, v1.4s\nfcvtas v2.4s, v1.4s\nfcvtms v3.4s, v1.4s\nfcvtzu v4.4s, v1.4s\nfrinti v5.4s, v1.4s\nfrintx v6.4s, v1.4s', (c) => {
      setW(c, 1, [f32(2.5), f32(-1.5), f32(3.25), f32(-0.5)]);
    }, RMODE(1));
    expect(wordsOf(cpu, 0)).toEqual([2, -2 >>> 0, 3, 0]);
    expect(wordsOf(cpu, 2)).toEqual([3, -2 >>> 0, 3, -1 >>> 0]);
    expect(wordsOf(cpu, 3)).toEqual([2, -2 >>> 0, 3, -1 >>> 0]);
    expect(wordsOf(cpu, 4)).toEqual([2, 0, 3, 0]);
    expect(wordsOf(cpu, 5)).toEqual([f32(3), f32(-1), f32(4), 0x80000000]);
    expect(wordsOf(cpu, 6)).toEqual([f32(3), f32(-1), f32(4), 0x80000000]);
    expect(cpu.fpsr).toBe(IXC | IOC); // IOC: FCVTZU of a negative value saturates to 0
  });

  it('saturates 16-bit lanes of FCVTZS/FCVTZU .8H with IOC and no IXC', () => {
    const cpu = run('fcvtzs v0.8h, v1.8h\nfcvtzu v2.8h, v1.8h', (c) => {
      setH(c, 1, [0x7bff, 0xfbff, 0x3e00, 0x7c00, 0x7e00, 0xc500]); // 65504, -65504, 1.5, inf, NaN, -5
    });
    expect(halvesOf(cpu, 0).slice(0, 6)).toEqual([0x7fff, 0x8000, 1, 0x7fff, 0, 0xfffb]);
    expect(halvesOf(cpu, 2).slice(0, 6)).toEqual([0xffe0, 0, 1, 0xffff, 0, 0]);
    expect(cpu.fpsr).toBe(IOC | IXC);
  });

  it('fixed-point conversions by immediate, vector and scalar', () => {
    const cpu = run('fcvtzs v0.4s, v1.4s, #1\nscvtf v2.2d, v3.2d, #4\nucvtf s4, s5, #32', (c) => {
      setW(c, 1, [f32(1.75), f32(-1.75), f32(0.25), f32(2 ** 31)]);
      c.state.vw.set([8, 0, -16, -1], 12);
      setW(c, 5, [-1]);
    });
    expect(wordsOf(cpu, 0)).toEqual([3, -3 >>> 0, 0, 0x7fffffff]);
    expect(doublesOf(cpu, 2)).toEqual([0.5, -1]);
    expect(wordsOf(cpu, 4)).toEqual([f32(1), 0, 0, 0]); // (2^32 - 1) / 2^32 rounds to 1
    expect(cpu.fpsr).toBe(IOC | IXC);
  });

  it('FCVTN/FCVTN2 narrow into the low or high half; FCVTL2 widens the high half', () => {
    const cpu = run('fcvtn v0.2s, v1.2d\nfcvtn2 v0.4s, v2.2d\nfcvtl2 v3.2d, v0.4s\nfcvtn v4.4h, v5.4s', (c) => {
      setW(c, 0, [-1, -1, -1, -1]);
      setD(c, 1, [1.5, -0.25]);
      setD(c, 2, [3, 1e300]);
      setW(c, 4, [-1, -1, -1, -1]);
      setW(c, 5, [f32(1), f32(65520), f32(-2), f32(1 / 3)]);
    });
    expect(wordsOf(cpu, 0)).toEqual([f32(1.5), f32(-0.25), f32(3), 0x7f800000]);
    expect(doublesOf(cpu, 3)).toEqual([3, Infinity]);
    expect(halvesOf(cpu, 4)).toEqual([0x3c00, 0x7c00, 0xc000, 0x3555, 0, 0, 0, 0]);
    expect(cpu.fpsr).toBe(OFC | IXC);
  });

  it('FCVTXN rounds to odd', () => {
    const cpu = run('fcvtxn v0.2s, v1.2d\nfcvtxn s2, d3', (c) => {
      c.state.vw.set([0x00400000, 0x3ff00000, 0, 0x3ff00000], 4); // 1 + 2^-30, 1
      c.state.vw.set([0x10000000, 0x3ff00000], 12); // 1 + 2^-24
    });
    expect(wordsOf(cpu, 0)).toEqual([0x3f800001, 0x3f800000, 0, 0]);
    expect(wordsOf(cpu, 2)).toEqual([0x3f800001, 0, 0, 0]);
    expect(cpu.fpsr).toBe(IXC);
  });

  it('reciprocal and square-root estimates and FRECPX', () => {
    const cpu = run('frecpe v0.4s, v1.4s\nfrsqrte v2.4s, v1.4s\nurecpe v3.4s, v4.4s\nfrecpx s5, s6\nfrecpx d7, d8', (c) => {
      setW(c, 1, [f32(1), 0, f32(-4), 0x7f800000]);
      setW(c, 4, [0x80000000, 0x7fffffff, 0xc0000000, -1]);
      setW(c, 6, [f32(2)]);
      setD(c, 8, [0]);
    });
    expect(wordsOf(cpu, 0)).toEqual([0x3f7f8000, 0x7f800000, 0xbe7f8000, 0]);
    expect(wordsOf(cpu, 2)[0]).toBe(0x3f7f8000);
    expect(wordsOf(cpu, 2).slice(1)).toEqual([0x7f800000, 0x7fc00000, 0]);
    expect(wordsOf(cpu, 3)).toEqual([0xff800000, 0xffffffff, 0xaa800000, 0x80000000]);
    expect(wordsOf(cpu, 5)).toEqual([f32(1), 0, 0, 0]);
    expect(wordsOf(cpu, 7)).toEqual([0, 0x7fe00000, 0, 0]);
    expect(cpu.fpsr).toBe(DZC | IOC);
  });

  it('reserved arrangements and precisions are UNDEFINED', () => {
    const reserved = [
      0x0e62d420, // FADD with sz = 1 and Q = 0 (.1D)
      0x0e61d820, // SCVTF (vector) .1D
      0x6e70c820, // FMAXNMV with sz = 1
      0x2e30c820, // FMAXNMV .2S (Q = 0)
      0x0fc09020, // FMUL (by element) .1D
      0x4fe09020, // FMUL (by element) .2D with L = 1
      0x2e216820, // FCVTXN with sz = 0
      0x7e216820, // FCVTXN (scalar) with sz = 0
      0x4ee1c820, // URECPE .2D
    ];
    for (const word of reserved) {
      const m = machine(`.inst 0x${word.toString(16)}`);
      expect(m.run(), word.toString(16)).toBe(UNDEFINED);
    }
  });
});
