import { describe, expect, it } from 'vitest';
import { asm } from './asm';
import { lanes, QC, readLanes, runVector, VectorMachine } from './simd-arith-harness';

const BRK = 0x3c;
const UNDEF = 0x00;
const ONES = lanes(8, Array(16).fill(0xff));

describe('AdvSIMD three same (integer)', () => {
  it('saturates SQADD/UQSUB lanes and sets FPSR.QC', () => {
    const r = runVector('sqadd v0.8b, v1.8b, v2.8b', { 1: lanes(8, [0x7f, 0x80, 1, 0x80]), 2: lanes(8, [1, -1, 1, 0x7f]) });
    expect(readLanes(r.v(0), 8).slice(0, 4)).toEqual([0x7fn, 0x80n, 2n, 0xffn]);
    expect(r.qc).toBe(true);
    const u = runVector('uqsub v0.2d, v1.2d, v2.2d', { 1: lanes(64, [0, 5]), 2: lanes(64, [1, 5]) });
    expect(readLanes(u.v(0), 64)).toEqual([0n, 0n]);
    expect(u.qc).toBe(true);
    const s = runVector('sqadd v0.2d, v1.2d, v2.2d', { 1: lanes(64, [0x7fffffffffffffffn, -1]), 2: lanes(64, [1, 0x8000000000000000n]) });
    expect(readLanes(s.v(0), 64)).toEqual([0x7fffffffffffffffn, 0x8000000000000000n]);
  });

  it('leaves QC alone when nothing saturates (it is sticky, never cleared)', () => {
    const clear = runVector('uqadd v0.4s, v1.4s, v2.4s', { 1: lanes(32, [1, 2, 3, 4]), 2: lanes(32, [1, 1, 1, 0xfffffffb]) });
    expect(clear.qc).toBe(false);
    expect(readLanes(clear.v(0), 32)).toEqual([2n, 3n, 4n, 0xffffffffn]);
    const sticky = runVector('uqadd v0.4s, v1.4s, v2.4s', { 1: lanes(32, [1]), 2: lanes(32, [1]) }, QC);
    expect(sticky.qc).toBe(true);
  });

  it('zeroes the upper half for 64-bit arrangements and everything above a scalar', () => {
    const v = runVector('add v0.8b, v1.8b, v2.8b', { 0: ONES, 1: lanes(8, Array(16).fill(1)), 2: lanes(8, Array(16).fill(0xff)) });
    expect([...v.v(0)]).toEqual(Array(16).fill(0));
    const s = runVector('sqadd h0, h1, h2', { 0: ONES, 1: lanes(16, [0x7000, 9]), 2: lanes(16, [0x7000, 9]) });
    expect(readLanes(s.v(0), 16)).toEqual([0x7fffn, 0n, 0n, 0n, 0n, 0n, 0n, 0n]);
    expect(s.qc).toBe(true);
  });

  it('adds and subtracts lanes without carrying across them', () => {
    const a = runVector('add v0.8h, v1.8h, v2.8h', { 1: lanes(16, [0xffff, 0x8000, 1, 0x7fff]), 2: lanes(16, [1, 0x8000, 0xffff, 1]) });
    expect(readLanes(a.v(0), 16).slice(0, 4)).toEqual([0n, 0n, 0n, 0x8000n]);
    const s = runVector('sub v0.16b, v1.16b, v2.16b', { 1: lanes(8, [0, 0x80, 5]), 2: lanes(8, [1, 1, 5]) });
    expect(readLanes(s.v(0), 8).slice(0, 4)).toEqual([0xffn, 0x7fn, 0n, 0n]);
    const d = runVector('sub d0, d1, d2', { 1: lanes(64, [0x100000000n]), 2: lanes(64, [1]) });
    expect(readLanes(d.v(0), 64)).toEqual([0xffffffffn, 0n]);
  });

  it('compares signed and unsigned, in vectors and D scalars', () => {
    const src = { 1: lanes(8, [0x80, 1, 5, 0xff]), 2: lanes(8, [1, 0x80, 5, 0xff]) };
    expect(readLanes(runVector('cmgt v0.8b, v1.8b, v2.8b', src).v(0), 8).slice(0, 4)).toEqual([0n, 0xffn, 0n, 0n]);
    expect(readLanes(runVector('cmhi v0.8b, v1.8b, v2.8b', src).v(0), 8).slice(0, 4)).toEqual([0xffn, 0n, 0n, 0n]);
    expect(readLanes(runVector('cmge v0.8b, v1.8b, v2.8b', src).v(0), 8).slice(0, 4)).toEqual([0n, 0xffn, 0xffn, 0xffn]);
    expect(readLanes(runVector('cmhs v0.8b, v1.8b, v2.8b', src).v(0), 8).slice(0, 4)).toEqual([0xffn, 0n, 0xffn, 0xffn]);
    const wide = { 1: lanes(64, [-1, 0x100000000n]), 2: lanes(64, [1, 0xffffffffn]) };
    expect(readLanes(runVector('cmgt d0, d1, d2', wide).v(0), 64)).toEqual([0n, 0n]);
    expect(readLanes(runVector('cmhi v0.2d, v1.2d, v2.2d', wide).v(0), 64)).toEqual([0xffffffffffffffffn, 0xffffffffffffffffn]);
    expect(readLanes(runVector('cmtst d0, d1, d2', wide).v(0), 64)).toEqual([0xffffffffffffffffn, 0n]);
  });

  it('shifts by a signed register amount, with rounding and at and beyond the lane width', () => {
    const n = lanes(32, [3, -3, 0x80000000, 0x80000000]);
    const m = lanes(32, [-1, -1, -32, 32]);
    expect(readLanes(runVector('srshl v0.4s, v1.4s, v2.4s', { 1: n, 2: m }).v(0), 32)).toEqual([2n, 0xffffffffn, 0n, 0n]);
    expect(readLanes(runVector('urshl v0.4s, v1.4s, v2.4s', { 1: n, 2: m }).v(0), 32)).toEqual([2n, 0x7fffffffn, 1n, 0n]);
    expect(readLanes(runVector('sshl v0.4s, v1.4s, v2.4s', { 1: n, 2: m }).v(0), 32)).toEqual([1n, 0xfffffffen, 0xffffffffn, 0n]);
    const q = runVector('sqshl v0.4s, v1.4s, v2.4s', { 1: lanes(32, [1, -1, 0x40000000, 0]), 2: lanes(32, [31, 31, 1, 100]) });
    expect(readLanes(q.v(0), 32)).toEqual([0x7fffffffn, 0x80000000n, 0x7fffffffn, 0n]);
    expect(q.qc).toBe(true);
    const d = runVector('sshl v0.2d, v1.2d, v2.2d', { 1: lanes(64, [-8, 1]), 2: lanes(64, [-64, 63]) });
    expect(readLanes(d.v(0), 64)).toEqual([0xffffffffffffffffn, 0x8000000000000000n]);
    const ur = runVector('urshl d0, d1, d2', { 1: lanes(64, [0x8000000000000000n]), 2: lanes(64, [-64]) });
    expect(readLanes(ur.v(0), 64)).toEqual([1n, 0n]);
    const uq = runVector('uqrshl d0, d1, d2', { 1: lanes(64, [0x8000000000000000n]), 2: lanes(64, [1]) });
    expect(readLanes(uq.v(0), 64)).toEqual([0xffffffffffffffffn, 0n]);
    expect(uq.qc).toBe(true);
  });

  it('halves, takes absolute differences and accumulates', () => {
    const src = { 0: lanes(8, [10, 10]), 1: lanes(8, [0xff, 0x80]), 2: lanes(8, [0xff, 0x7f]) };
    expect(readLanes(runVector('urhadd v0.8b, v1.8b, v2.8b', src).v(0), 8).slice(0, 2)).toEqual([0xffn, 0x80n]);
    expect(readLanes(runVector('shsub v0.8b, v1.8b, v2.8b', src).v(0), 8).slice(0, 2)).toEqual([0n, 0x80n]);
    expect(readLanes(runVector('sabd v0.8b, v1.8b, v2.8b', src).v(0), 8).slice(0, 2)).toEqual([0n, 0xffn]);
    expect(readLanes(runVector('uaba v0.8b, v1.8b, v2.8b', src).v(0), 8).slice(0, 2)).toEqual([10n, 11n]);
  });

  it('multiplies: MUL/MLA/MLS keep the low bits, PMUL is carry-less, SQ(R)DMULH saturate', () => {
    const mul = runVector('mla v0.4s, v1.4s, v2.4s', { 0: lanes(32, [1]), 1: lanes(32, [0x10001]), 2: lanes(32, [0xffff]) });
    expect(readLanes(mul.v(0), 32)[0]).toBe(0x10001n * 0xffffn + 1n - 0x100000000n);
    expect(readLanes(runVector('pmul v0.8b, v1.8b, v2.8b', { 1: lanes(8, [3, 0xff]), 2: lanes(8, [3, 0xff]) }).v(0), 8).slice(0, 2)).toEqual([5n, 0x55n]);
    const h = runVector('sqdmulh v0.4h, v1.4h, v2.4h', { 1: lanes(16, [0x8000, 0x4000]), 2: lanes(16, [0x8000, 0x4000]) });
    expect(readLanes(h.v(0), 16).slice(0, 2)).toEqual([0x7fffn, 0x2000n]);
    expect(h.qc).toBe(true);
    const r = runVector('sqrdmulh s0, s1, s2', { 1: lanes(32, [0x7fffffff]), 2: lanes(32, [1]) });
    expect(readLanes(r.v(0), 32)).toEqual([1n, 0n, 0n, 0n]); // (2 * (2^31 - 1) + 2^31) >> 32 rounds up to 1
  });

  it('reduces pairs (ADDP, UMAXP, SMINP) taking the low half from Vn', () => {
    const src = { 1: lanes(16, [1, 2, 3, 0x8000, 5, 6, 7, 8]), 2: lanes(16, [9, 10, 11, 12, 13, 14, 15, 0xffff]) };
    expect(readLanes(runVector('addp v0.8h, v1.8h, v2.8h', src).v(0), 16)).toEqual([3n, 0x8003n, 11n, 15n, 19n, 23n, 27n, 14n]);
    expect(readLanes(runVector('sminp v0.4h, v1.4h, v2.4h', src).v(0), 16)).toEqual([1n, 0x8000n, 9n, 11n, 0n, 0n, 0n, 0n]);
    const d = runVector('addp d0, v1.2d', { 1: lanes(64, [0xffffffffn, 1]) });
    expect(readLanes(d.v(0), 64)).toEqual([0x100000000n, 0n]);
  });

  it('does the bitwise group on whole registers', () => {
    const src = { 0: lanes(8, [0xf0, 0xf0]), 1: lanes(8, [0xcc, 0xcc]), 2: lanes(8, [0xaa, 0xaa]) };
    expect(readLanes(runVector('bsl v0.8b, v1.8b, v2.8b', src).v(0), 8).slice(0, 2)).toEqual([0xcan, 0xcan]);
    expect(readLanes(runVector('bit v0.16b, v1.16b, v2.16b', src).v(0), 8).slice(0, 2)).toEqual([0xd8n, 0xd8n]);
    expect(readLanes(runVector('bif v0.16b, v1.16b, v2.16b', src).v(0), 8).slice(0, 2)).toEqual([0xe4n, 0xe4n]);
    expect(readLanes(runVector('orn v0.16b, v1.16b, v2.16b', src).v(0), 8)[15]).toBe(0xffn);
  });
});

describe('byte compares and pairwise byte reductions over every pair of byte values', () => {
  const m = new VectorMachine();
  const ref: Record<string, (a: number, b: number) => number> = {
    'cmeq v0.16b, v1.16b, v2.16b': (a, b) => (a === b ? 0xff : 0),
    'cmhs v0.16b, v1.16b, v2.16b': (a, b) => (a >= b ? 0xff : 0),
    'cmhi v0.16b, v1.16b, v2.16b': (a, b) => (a > b ? 0xff : 0),
    'cmgt v0.16b, v1.16b, v2.16b': (a, b) => (((a << 24) >> 24) > ((b << 24) >> 24) ? 0xff : 0),
  };
  const pairRef: Record<string, (a: number, b: number) => number> = {
    'umaxp v0.16b, v1.16b, v2.16b': Math.max,
    'uminp v0.16b, v1.16b, v2.16b': Math.min,
    'addp v0.16b, v1.16b, v2.16b': (a, b) => (a + b) & 0xff,
  };
  const a = new Uint8Array(16);
  const b = new Uint8Array(16);
  for (const [source, f] of Object.entries(ref)) {
    it(source, () => {
      m.load(asm(source));
      let bad = 0;
      for (let x = 0; x < 256; x++) {
        for (let y = 0; y < 256; y += 16) {
          a.fill(x);
          for (let i = 0; i < 16; i++) b[i] = y + i;
          m.rerun({ 1: a, 2: b });
          const got = m.v(0);
          for (let i = 0; i < 16; i++) if (got[i] !== f(x, y + i)) bad++;
        }
      }
      expect(bad).toBe(0);
    });
  }
  for (const [source, f] of Object.entries(pairRef)) {
    it(source, () => {
      m.load(asm(source));
      let bad = 0;
      for (let x = 0; x < 256; x++) {
        for (let y = 0; y < 256; y += 8) {
          for (let i = 0; i < 8; i++) {
            a[2 * i] = x;
            a[2 * i + 1] = y + i;
            b[2 * i] = y + i;
            b[2 * i + 1] = x;
          }
          m.rerun({ 1: a, 2: b });
          const got = m.v(0);
          for (let i = 0; i < 8; i++) if (got[i] !== f(x, y + i) || got[8 + i] !== f(y + i, x)) bad++;
        }
      }
      expect(bad).toBe(0);
    });
  }
});

describe('AdvSIMD three different', () => {
  it('widens from the lower or upper half (the 2 forms)', () => {
    const src = { 1: lanes(32, [0xffffffff, 2, 0x80000000, 4]), 2: lanes(32, [0xffffffff, 3, 0x80000000, 5]) };
    expect(readLanes(runVector('umull v0.2d, v1.2s, v2.2s', src).v(0), 64)).toEqual([0xfffffffe00000001n, 6n]);
    expect(readLanes(runVector('smull2 v0.2d, v1.4s, v2.4s', src).v(0), 64)).toEqual([0x4000000000000000n, 20n]);
    expect(readLanes(runVector('usubl v0.2d, v1.2s, v2.2s', src).v(0), 64)).toEqual([0n, 0xffffffffffffffffn]);
    expect(readLanes(runVector('saddw2 v0.8h, v1.8h, v2.16b', { 1: lanes(16, [1]), 2: lanes(8, [0, 0, 0, 0, 0, 0, 0, 0, 0xff]) }).v(0), 16)[0]).toBe(0n);
  });

  it('narrows high halves with rounding; the 2 form keeps the lower half', () => {
    const src = { 0: lanes(8, [0x11, 0x22, 0, 0, 0, 0, 0, 0, 0x33]), 1: lanes(16, [0x017f, 0x0180]), 2: lanes(16, [0x0001, 0]) };
    const plain = runVector('addhn v0.8b, v1.8h, v2.8h', src);
    expect(readLanes(plain.v(0), 8).slice(0, 3)).toEqual([1n, 1n, 0n]);
    expect(readLanes(plain.v(0), 64)[1]).toBe(0n);
    const high = runVector('raddhn2 v0.16b, v1.8h, v2.8h', src);
    expect(readLanes(high.v(0), 8).slice(0, 2)).toEqual([0x11n, 0x22n]);
    expect(readLanes(high.v(0), 8).slice(8, 10)).toEqual([2n, 2n]);
    const sub = runVector('rsubhn v0.2s, v1.2d, v2.2d', { 1: lanes(64, [0, 0x80000000n]), 2: lanes(64, [1, 0]) });
    expect(readLanes(sub.v(0), 32).slice(0, 2)).toEqual([0n, 1n]); // 2^64 - 1 + 2^31 wraps to 2^31 - 1
  });

  it('saturates the doubling long forms (SQDMULL, SQDMLAL) and sets QC', () => {
    const r = runVector('sqdmull v0.2d, v1.2s, v2.2s', { 1: lanes(32, [0x80000000, 3]), 2: lanes(32, [0x80000000, -2]) });
    expect(readLanes(r.v(0), 64)).toEqual([0x7fffffffffffffffn, BigInt.asUintN(64, -12n)]);
    expect(r.qc).toBe(true);
    const a = runVector('sqdmlal s0, h1, h2', { 0: lanes(32, [0x7ffffff0]), 1: lanes(16, [4]), 2: lanes(16, [4]) });
    expect(readLanes(a.v(0), 32)).toEqual([0x7fffffffn, 0n, 0n, 0n]);
    expect(a.qc).toBe(true);
  });

  it('multiplies polynomials of 8 and 64 bits', () => {
    const b = runVector('pmull v0.8h, v1.8b, v2.8b', { 1: lanes(8, [0xff, 0x80]), 2: lanes(8, [0xff, 0x80]) });
    expect(readLanes(b.v(0), 16).slice(0, 2)).toEqual([0x5555n, 0x4000n]);
    const q = runVector('pmull2 v0.1q, v1.2d, v2.2d', { 1: lanes(64, [0, 0x8000000000000003n]), 2: lanes(64, [0, 0x8000000000000003n]) });
    expect(readLanes(q.v(0), 64)).toEqual([5n, 0x4000000000000000n]);
  });
});

describe('AdvSIMD by element and RDM', () => {
  it('reads the indexed element before writing an aliased destination', () => {
    const r = runVector('mul v2.4s, v1.4s, v2.s[3]', { 1: lanes(32, [1, 2, 3, 4]), 2: lanes(32, [0, 0, 0, 10]) });
    expect(readLanes(r.v(2), 32)).toEqual([10n, 20n, 30n, 40n]);
    const l = runVector('umlal2 v0.4s, v1.8h, v3.h[7]', { 0: lanes(32, [1, 1, 1, 1]), 1: lanes(16, [0, 0, 0, 0, 0xffff, 2, 3, 4]), 3: lanes(16, [0, 0, 0, 0, 0, 0, 0, 0xffff]) });
    expect(readLanes(l.v(0), 32)).toEqual([0xfffe0002n, 0x1fffen + 1n, 0x2fffdn + 1n, 0x3fffcn + 1n]);
  });

  it('accumulates rounded doubled high halves with saturation (SQRDMLAH, SQRDMLSH)', () => {
    const v = runVector('sqrdmlah v0.4h, v1.4h, v2.h[1]', { 0: lanes(16, [0x7ffe, 1, 0x8000]), 1: lanes(16, [0x4000, 0x4000, 0]), 2: lanes(16, [0, 0x4000]) });
    expect(readLanes(v.v(0), 16).slice(0, 3)).toEqual([0x7fffn, 0x2001n, 0x8000n]);
    expect(v.qc).toBe(true);
    const s = runVector('sqrdmlsh s0, s1, s2', { 0: lanes(32, [0]), 1: lanes(32, [0x80000000]), 2: lanes(32, [0x80000000]) });
    expect(readLanes(s.v(0), 32)).toEqual([0x80000000n, 0n, 0n, 0n]); // (-2^63 + 2^31) >> 32 = -2^31 exactly
    expect(s.qc).toBe(false);
    const t = runVector('sqrdmlsh s0, s1, s2', { 0: lanes(32, [-1]), 1: lanes(32, [0x80000000]), 2: lanes(32, [0x80000000]) });
    expect(readLanes(t.v(0), 32)).toEqual([0x80000000n, 0n, 0n, 0n]);
    expect(t.qc).toBe(true);
  });
});

describe('AdvSIMD across lanes', () => {
  it('reduces to a scalar, widening in the L forms', () => {
    const bytes = lanes(8, Array(16).fill(0xff));
    expect(readLanes(runVector('uaddlv h0, v1.16b', { 0: ONES, 1: bytes }).v(0), 16)).toEqual([4080n, 0n, 0n, 0n, 0n, 0n, 0n, 0n]);
    expect(readLanes(runVector('saddlv h0, v1.8b', { 1: bytes }).v(0), 16)[0]).toBe(0xfff8n);
    expect(readLanes(runVector('saddlv d0, v1.4s', { 1: lanes(32, Array(4).fill(0x80000000)) }).v(0), 64)).toEqual([BigInt.asUintN(64, -(2n ** 33n)), 0n]);
    expect(readLanes(runVector('addv b0, v1.16b', { 1: bytes }).v(0), 8)[0]).toBe(0xf0n);
    expect(readLanes(runVector('smaxv h0, v1.8h', { 1: lanes(16, [0x8000, 0xffff, 0x8001, 0xfffe, 0x8000, 0x8000, 0x8000, 0x8000]) }).v(0), 16)[0]).toBe(0xffffn);
    expect(readLanes(runVector('uminv s0, v1.4s', { 1: lanes(32, [7, 0xffffffff, 6, 9]) }).v(0), 32)[0]).toBe(6n);
  });
});

describe('reserved encodings are UNDEFINED', () => {
  const m = new VectorMachine();
  const word = (source: string): number => asm(source)[0];
  const Q = 1 << 30;
  const cases: [string, number][] = [
    ['ADD with size 3 and Q = 0 (1D)', word('add v0.2d, v1.2d, v2.2d') & ~Q],
    ['MUL with size 3', word('mul v0.4s, v1.4s, v2.4s') | (3 << 22)],
    ['SQDMULH with size 0', word('sqdmulh v0.4h, v1.4h, v2.4h') & ~(3 << 22)],
    ['PMUL with size 1', word('pmul v0.8b, v1.8b, v2.8b') | (1 << 22)],
    ['SADDL with size 3', word('saddl v0.2d, v1.2s, v2.2s') | (3 << 22)],
    ['PMULL with size 1', word('pmull v0.8h, v1.8b, v2.8b') | (1 << 22)],
    ['SQDMULL with size 0', word('sqdmull v0.4s, v1.4h, v2.4h') & ~(3 << 22)],
    ['MLA by element with size 3', word('mla v0.4s, v1.4s, v2.s[0]') | (3 << 22)],
    ['ADDV on 2S', word('addv s0, v1.4s') & ~Q],
    ['UMAXV with size 3', word('umaxv s0, v1.4s') | (3 << 22)],
    ['scalar ADD with size 2', word('add d0, d1, d2') & ~(1 << 22)],
    ['scalar SQDMULH with size 3', word('sqdmulh s0, s1, s2') | (3 << 22)],
    ['SQRDMLAH with size 0', word('sqrdmlah v0.4h, v1.4h, v2.4h') & ~(3 << 22)],
  ];
  for (const [what, w] of cases) {
    it(what, () => {
      expect(m.exec([w], {})).toBe(UNDEF);
      expect(m.exec([word('add v0.2d, v1.2d, v2.2d')], {})).toBe(BRK);
    });
  }
});
