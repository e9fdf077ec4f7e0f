// The native-double fast paths against the exact BigInt path, on random
// operands with the default FPCR (where the fast paths run).

import { describe, expect, it } from 'vitest';
import * as d from '../../board/aarch64/fp/binary64';
import * as s from '../../board/aarch64/fp/binary32';
import { addBits, divBits, mulAddBits, mulBits, sqrtBits } from '../../board/aarch64/fp/exact-arith';
import { FpEnv } from '../../board/aarch64/fp/fpcr';
import { DOUBLE, SINGLE } from '../../board/aarch64/fp/format';

let seed = 99;
function rand32(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) | 0;
  return seed;
}

/** A double with a random mantissa and an exponent near 1, sometimes sharing bits with others. */
function randomDouble(): [number, number] {
  const hi = (rand32() & 0x800fffff) | ((1023 - 40 + (rand32() >>> 0) % 80) << 20);
  return [rand32(), hi];
}

const hex64 = (lo: number, hi: number) => ((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString(16);
const big64 = (lo: number, hi: number) => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

describe('fast paths agree with the exact path', () => {
  it('double add, mul, div, sqrt and fused multiply-add', () => {
    const wrong: string[] = [];
    for (let i = 0; i < 4000; i++) {
      const [al, ah] = randomDouble();
      const [bl, bh] = randomDouble();
      let [cl, ch] = randomDouble();
      if (i % 3 === 0) {
        // an addend that nearly cancels the product: the hard case for FMA
        const q: FpEnv = { fpcr: 0, fpsr: 0 };
        d.f64Mul(q, al, ah, bl, bh);
        cl = d.FR[0] ^ (rand32() & 0xff);
        ch = d.FR[1] ^ 0x80000000;
      }
      const cases: [string, () => void, () => bigint][] = [
        ['add', () => d.f64Add(fast, al, ah, bl, bh), () => addBits(DOUBLE, big64(al, ah), big64(bl, bh), slow, false)],
        ['mul', () => d.f64Mul(fast, al, ah, bl, bh), () => mulBits(DOUBLE, big64(al, ah), big64(bl, bh), slow)],
        ['div', () => d.f64Div(fast, al, ah, bl, bh), () => divBits(DOUBLE, big64(al, ah), big64(bl, bh), slow)],
        ['sqrt', () => d.f64Sqrt(fast, al, ah & 0x7fffffff), () => sqrtBits(DOUBLE, big64(al, ah & 0x7fffffff), slow)],
        ['fma', () => d.f64MulAdd(fast, cl, ch, al, ah, bl, bh), () => mulAddBits(DOUBLE, big64(cl, ch), big64(al, ah), big64(bl, bh), slow)],
      ];
      for (const [name, f, g] of cases) {
        fast.fpsr = 0;
        slow.fpsr = 0;
        f();
        const want = g();
        const got = hex64(d.FR[0], d.FR[1]);
        if (got !== want.toString(16) || fast.fpsr !== slow.fpsr) wrong.push(`${name} ${hex64(al, ah)} ${hex64(bl, bh)} ${hex64(cl, ch)}: ${got}/${fast.fpsr} vs ${want.toString(16)}/${slow.fpsr}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('single fused multiply-add, including ties decided by the low product bits', () => {
    const wrong: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const a = (rand32() & 0x807fffff) | ((127 - 10 + ((rand32() >>> 0) % 20)) << 23);
      const b = (rand32() & 0x807fffff) | ((127 - 10 + ((rand32() >>> 0) % 20)) << 23);
      let c = rand32();
      if (i % 2 === 0) c = s.f32Mul({ fpcr: 0, fpsr: 0 }, a, b) ^ 0x80000000 ^ (rand32() & 0xf);
      fast.fpsr = 0;
      slow.fpsr = 0;
      const got = s.f32MulAdd(fast, c, a, b) >>> 0;
      const want = Number(mulAddBits(SINGLE, BigInt(c >>> 0), BigInt(a >>> 0), BigInt(b >>> 0), slow));
      if (got !== want || fast.fpsr !== slow.fpsr) wrong.push(`${a} ${b} ${c}: ${got}/${fast.fpsr} vs ${want}/${slow.fpsr}`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});

const fast: FpEnv = { fpcr: 0, fpsr: 0 };
// FPCR.RMode = RN spelled out through the slow path: FZ16 changes nothing for single/double.
const slow: FpEnv = { fpcr: 1 << 19, fpsr: 0 };
