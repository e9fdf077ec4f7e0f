// Multiply-accumulate, long and high multiplies, and division, against BigInt
// arithmetic over boundary pairs and a deterministic random stream.

import { describe, expect, it } from 'vitest';
import { EDGES, M32, M64, pairs, randoms, signed, Snippet } from './dp-register-harness';

const u64 = (v: bigint) => BigInt.asUintN(64, v);
const u32 = (v: bigint) => BigInt.asUintN(32, v);
const s32 = (v: bigint) => signed(v, 32);
const s64 = (v: bigint) => signed(v, 64);

/** Inputs: x0, x1 operands, x3 addend; result in x2. */
type Ref = (a: bigint, b: bigint, c: bigint) => bigint;

const rand = randoms(64);
const inputs: [bigint, bigint][] = [...pairs(EDGES), ...rand.map((v, i): [bigint, bigint] => [v, rand[(i * 7 + 3) % rand.length]])];

function check(source: string, ref: Ref): void {
  const s = new Snippet(source);
  inputs.forEach(([a, b], i) => {
    const c = i % 3 === 0 ? M64 : rand[i % rand.length];
    const out = s.run({ 0: a, 1: b, 3: c }, 0b0110);
    expect(out.x(2), `${source} a=${a.toString(16)} b=${b.toString(16)} c=${c.toString(16)}`).toBe(ref(a, b, c));
    expect(out.nzcv).toBe(0b0110);
  });
}

describe('data processing (3 source)', () => {
  const cases: [string, Ref][] = [
    ['madd x2, x0, x1, x3', (a, b, c) => u64(c + a * b)],
    ['madd w2, w0, w1, w3', (a, b, c) => u32(c + a * b)],
    ['msub x2, x0, x1, x3', (a, b, c) => u64(c - a * b)],
    ['msub w2, w0, w1, w3', (a, b, c) => u32(c - a * b)],
    ['mul x2, x0, x1', (a, b) => u64(a * b)],
    ['mul w2, w0, w1', (a, b) => u32(a * b)],
    ['mneg x2, x0, x1', (a, b) => u64(-a * b)],
    ['mneg w2, w0, w1', (a, b) => u32(-a * b)],
    ['smaddl x2, w0, w1, x3', (a, b, c) => u64(c + s32(a) * s32(b))],
    ['smsubl x2, w0, w1, x3', (a, b, c) => u64(c - s32(a) * s32(b))],
    ['umaddl x2, w0, w1, x3', (a, b, c) => u64(c + u32(a) * u32(b))],
    ['umsubl x2, w0, w1, x3', (a, b, c) => u64(c - u32(a) * u32(b))],
    ['smull x2, w0, w1', (a, b) => u64(s32(a) * s32(b))],
    ['umull x2, w0, w1', (a, b) => u64(u32(a) * u32(b))],
    ['smnegl x2, w0, w1', (a, b) => u64(-s32(a) * s32(b))],
    ['umulh x2, x0, x1', (a, b) => (a * b) >> 64n],
    ['smulh x2, x0, x1', (a, b) => u64((s64(a) * s64(b)) >> 64n)],
  ];
  for (const [source, ref] of cases) it(source, () => check(source, ref));

  it('reads every source before writing a destination that aliases one', () => {
    const s = new Snippet('madd x0, x0, x0, x0\nsmulh x1, x1, x1\numaddl x3, w3, w3, x3');
    const out = s.run({ 0: 0x100000003n, 1: M64, 3: 0xffffffffn });
    expect(out.x(0)).toBe(u64(0x100000003n * 0x100000003n + 0x100000003n));
    expect(out.x(1)).toBe(0n);
    expect(out.x(3)).toBe(u64(0xffffffffn * 0xffffffffn + 0xffffffffn));
  });
});

describe('division', () => {
  const udiv = (w: number) => (a: bigint, b: bigint) => {
    const m = w === 64 ? M64 : M32;
    return (b & m) === 0n ? 0n : (a & m) / (b & m);
  };
  const sdiv = (w: number) => (a: bigint, b: bigint) => {
    const sa = signed(a, w);
    const sb = signed(b, w);
    return sb === 0n ? 0n : BigInt.asUintN(w, sa / sb); // BigInt division truncates toward zero
  };
  const cases: [string, Ref][] = [
    ['udiv x2, x0, x1', udiv(64)],
    ['udiv w2, w0, w1', udiv(32)],
    ['sdiv x2, x0, x1', sdiv(64)],
    ['sdiv w2, w0, w1', sdiv(32)],
  ];
  for (const [source, ref] of cases) it(source, () => check(source, ref));

  it('gives 0 for division by zero and INT_MIN for INT_MIN / -1', () => {
    const s = new Snippet('sdiv x2, x0, x1\nsdiv w3, w0, w1\nudiv x4, x0, xzr\nsdiv w5, w0, wzr');
    const out = s.run({ 0: 0x8000000000000000n, 1: M64 });
    expect(out.x(2)).toBe(0x8000000000000000n);
    expect(out.x(3)).toBe(0n);
    expect(out.x(4)).toBe(0n);
    expect(out.x(5)).toBe(0n);
    const w = s.run({ 0: 0x80000000n, 1: 0xffffffffn });
    expect(w.x(3)).toBe(0x80000000n);
  });

  it('divides large dividends exactly (quotients near 2^64 and single-bit divisors)', () => {
    const s = new Snippet('udiv x2, x0, x1\nsdiv x3, x0, x1');
    const cases: [bigint, bigint][] = [
      [M64, 1n], [M64, 3n], [M64, 0xffffffffn], [M64, 0x100000001n], [0xfffffffffffff800n, 0x7ffn],
      [0x20000000000001n, 0x20000000000001n], [0x20000000000000n, 3n], [0x1fffffffffffffn, 0x1fffffffffffffn],
      [M64, M64 - 1n], [0x8000000000000000n, 0x8000000000000001n], [0xfedcba9876543210n, 0x123n],
    ];
    for (const [a, b] of cases) {
      const out = s.run({ 0: a, 1: b });
      expect(out.x(2), `${a} / ${b}`).toBe(a / b);
      expect(out.x(3), `${a} / ${b} signed`).toBe(sdiv(64)(a, b));
    }
  });
});
