// The native-double fast paths against the exact BigInt path, on random
// operands with the default FPCR (where the fast paths run).

import { describe, expect, it } from 'vitest';
import * as d from '../../board/aarch64/fp/binary64';
import * as s from '../../board/aarch64/fp/binary32';
import { addBits, divBits, mulAddBits, mulBits, sqrtBits } from '../../board/aarch64/fp/exact-arith';
import { FpEnv } from '../../board/aarch64/fp/fpcr';
import { DOUBLE, SINGLE } from '../../board/aarch64/fp/format';
import { roundIntBits } from '../../board/aarch64/fp/round-int';

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

  it('double fused multiply-add whose sum lies on or next to a rounding tie', () => {
    // x = 1 + a ulp, y = 2^k (1 + b ulp) or 2^k / x + b ulp, z = +-(1 + c ulp): the product's low half decides ties.
    const F = new Float64Array(1);
    const I = new Int32Array(F.buffer);
    const bits = (v: number): [number, number] => ((F[0] = v), [I[0], I[1]]);
    const wrong: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const a = ((rand32() >>> 0) % 9) - 4;
      const b = ((rand32() >>> 0) % 9) - 4;
      const c = ((rand32() >>> 0) % 9) - 4;
      const k = -52 - ((rand32() >>> 0) % 3);
      // or y = 2^k / x nudged by b ulps: a product just above or below a power of two
      const x = i & 1 ? 1 + a * 2 ** -52 : 1 + (rand32() >>> 0) * 2 ** -40;
      let yv = i & 1 ? 2 ** k * (1 + b * 2 ** -52) : 2 ** k / x;
      if (!(i & 1)) yv = bits(yv) && ((I[0] += b), F[0]);
      const [xl, xh] = bits(x);
      const [yl, yh] = bits((rand32() & 1 ? -1 : 1) * yv);
      const [zl, zh] = bits((rand32() & 1 ? -1 : 1) * (1 + c * 2 ** -52));
      fast.fpsr = 0;
      slow.fpsr = 0;
      d.f64MulAdd(fast, zl, zh, xl, xh, yl, yh);
      const want = mulAddBits(DOUBLE, big64(zl, zh), big64(xl, xh), big64(yl, yh), slow).toString(16);
      const got = hex64(d.FR[0], d.FR[1]);
      if (got !== want || fast.fpsr !== slow.fpsr) wrong.push(`${a} ${b} ${c} ${k}: ${got}/${fast.fpsr} vs ${want}/${slow.fpsr}`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('round to integral, single and double, every mode, FPCR.FZ clear and set', () => {
    const wrong: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const fpcr = i & 1 ? 1 << 24 : 0;
      const mode = (i >> 1) % 5;
      const exact = (i & 4) !== 0;
      const a = rand32() & 0x807fffff | ((i % 7 === 0 ? rand32() >>> 23 : 110 + ((rand32() >>> 0) % 50)) & 0xff) << 23;
      const [l, h] = randomDouble();
      const h2 = i % 5 === 0 ? (h & 0x800fffff) | (rand32() & 0x7ff00000) : h;
      const e1: FpEnv = { fpcr, fpsr: 0 };
      const e2: FpEnv = { fpcr, fpsr: 0 };
      const got = s.f32RoundInt(e1, a, mode, exact) >>> 0;
      const want = Number(roundIntBits(SINGLE, BigInt(a >>> 0), e2, mode, exact));
      if (got !== want || e1.fpsr !== e2.fpsr) wrong.push(`s ${a.toString(16)} m${mode}: ${got.toString(16)}/${e1.fpsr} vs ${want.toString(16)}/${e2.fpsr}`);
      e1.fpsr = 0;
      e2.fpsr = 0;
      d.f64RoundInt(e1, l, h2, mode, exact);
      const w2 = roundIntBits(DOUBLE, big64(l, h2), e2, mode, exact).toString(16);
      if (hex64(d.FR[0], d.FR[1]) !== w2 || e1.fpsr !== e2.fpsr) wrong.push(`d ${hex64(l, h2)} m${mode}: ${hex64(d.FR[0], d.FR[1])}/${e1.fpsr} vs ${w2}/${e2.fpsr}`);
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
