// The native half-precision paths (board/aarch64/fp/half-native.ts through
// binary16.ts and the conversions to half) against the exact BigInt path on
// random operands: every special class, denormals, near-cancelling fused
// multiply-adds, and FPCR settings the native path must ignore or refuse.

import { describe, expect, it } from 'vitest';
import * as h from '../../board/aarch64/fp/binary16';
import * as s from '../../board/aarch64/fp/binary32';
import * as d from '../../board/aarch64/fp/binary64';
import { compareBits, maxMinBits } from '../../board/aarch64/fp/compare';
import { convertBits, FX, fromFixedBits, toFixedBits } from '../../board/aarch64/fp/convert';
import { addBits, divBits, mulAddBits, mulBits, sqrtBits } from '../../board/aarch64/fp/exact-arith';
import { FpEnv, FPCR_AHP, FPCR_DN, FPCR_FZ, FPCR_FZ16, Rounding } from '../../board/aarch64/fp/fpcr';
import { DOUBLE, HALF, SINGLE } from '../../board/aarch64/fp/format';
import { roundIntBits } from '../../board/aarch64/fp/round-int';

let seed = 7;
function rand32(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) | 0;
  return (seed ^ (seed >>> 15)) | 0;
}

/** A half pattern: a third near 1.0, a few denormals and specials, the rest anything. */
function randomHalf(): number {
  const r = rand32() >>> 0;
  const k = r % 8;
  if (k < 3) return ((r >>> 8) & 0x83ff) | ((12 + ((r >>> 20) % 8)) << 10);
  if (k === 3) return (r >>> 8) & 0x83ff; // zero or denormal
  if (k === 4) return [0x7c00, 0xfc00, 0x7e01, 0x7c01, 0xfd55, 0x0000, 0x8000, 0x7bff, 0x0400, 0x03ff][(r >>> 8) % 10];
  return (r >>> 8) & 0xffff;
}

// The FPCRs the native path runs under: RN and FZ16 clear; FZ, DN and AHP do not change half arithmetic.
const FPCRS = [0, FPCR_FZ, FPCR_DN | FPCR_AHP, FPCR_FZ16, 1 << 22, 3 << 22];

type Case = [string, (e: FpEnv) => number, (e: FpEnv) => bigint];

function check(cases: () => Case[], rounds: number, fpcrs = FPCRS): string[] {
  const wrong: string[] = [];
  for (let i = 0; i < rounds; i++) {
    const fpcr = fpcrs[i % fpcrs.length];
    for (const [name, fast, exact] of cases()) {
      const a: FpEnv = { fpcr, fpsr: 0 };
      const b: FpEnv = { fpcr, fpsr: 0 };
      const got = fast(a);
      const want = Number(exact(b));
      if (got !== want || a.fpsr !== b.fpsr) wrong.push(`${name} fpcr=${fpcr.toString(16)}: ${got.toString(16)}/${a.fpsr} vs ${want.toString(16)}/${b.fpsr}`);
    }
  }
  return wrong.slice(0, 6);
}

const B = (a: number): bigint => BigInt(a & 0xffff);
const hex = (a: number): string => (a & 0xffff).toString(16);

describe('half precision native paths agree with the exact path', () => {
  it('add, sub, mul, div, sqrt', () => {
    const wrong = check(() => {
      const x = randomHalf();
      const y = randomHalf();
      const t = `${hex(x)} ${hex(y)}`;
      return [
        [`add ${t}`, (e) => h.f16Add(e, x, y), (e) => addBits(HALF, B(x), B(y), e, false)],
        [`sub ${t}`, (e) => h.f16Sub(e, x, y), (e) => addBits(HALF, B(x), B(y), e, true)],
        [`mul ${t}`, (e) => h.f16Mul(e, x, y), (e) => mulBits(HALF, B(x), B(y), e)],
        [`div ${t}`, (e) => h.f16Div(e, x, y), (e) => divBits(HALF, B(x), B(y), e)],
        [`sqrt ${t}`, (e) => h.f16Sqrt(e, x), (e) => sqrtBits(HALF, B(x), e)],
      ];
    }, 30000);
    expect(wrong).toEqual([]);
  });

  it('every positive half square root and every quotient by 3, exhaustively', () => {
    const wrong = check(() => [], 0);
    for (let x = 0; x < 0x8000; x++) {
      for (const [name, fast, exact] of [
        ['sqrt', (e: FpEnv) => h.f16Sqrt(e, x), (e: FpEnv) => sqrtBits(HALF, B(x), e)],
        ['div3', (e: FpEnv) => h.f16Div(e, x, 0x4200), (e: FpEnv) => divBits(HALF, B(x), 0x4200n, e)],
        ['mul', (e: FpEnv) => h.f16Mul(e, x, 0x3555), (e: FpEnv) => mulBits(HALF, B(x), 0x3555n, e)],
      ] as Case[]) {
        const a: FpEnv = { fpcr: 0, fpsr: 0 };
        const b: FpEnv = { fpcr: 0, fpsr: 0 };
        if (fast(a) !== Number(exact(b)) || a.fpsr !== b.fpsr) wrong.push(`${name} ${hex(x)}`);
      }
    }
    expect(wrong.slice(0, 6)).toEqual([]);
  });

  it('fused multiply-add, including addends that nearly cancel the product and ties', () => {
    const wrong = check(() => {
      const x = randomHalf();
      const y = randomHalf();
      let z = randomHalf();
      const r = rand32() >>> 0;
      if (r % 3 === 0) z = h.f16Mul({ fpcr: 0, fpsr: 0 }, x, y) ^ 0x8000 ^ ((r >>> 4) & 3);
      else if (r % 3 === 1) z = (z & 0x83ff) | (((x >>> 10) & 0x1f) << 10);
      return [[`fma ${hex(z)} ${hex(x)} ${hex(y)}`, (e) => h.f16MulAdd(e, z, x, y), (e) => mulAddBits(HALF, B(z), B(x), B(y), e)]];
    }, 60000);
    expect(wrong).toEqual([]);
  });

  it('compare, max, min, maxnm, minnm, round to integral', () => {
    const wrong = check(() => {
      const x = randomHalf();
      const y = rand32() & 1 ? randomHalf() : x ^ (rand32() & 0x8000);
      const t = `${hex(x)} ${hex(y)}`;
      const list: Case[] = [
        [`cmp ${t}`, (e) => h.f16Compare(e, x, y, false), (e) => BigInt(compareBits(HALF, B(x), B(y), e, false))],
        [`cmpe ${t}`, (e) => h.f16Compare(e, x, y, true), (e) => BigInt(compareBits(HALF, B(x), B(y), e, true))],
      ];
      for (const [isMax, numeric] of [[true, false], [false, false], [true, true], [false, true]]) {
        list.push([`maxmin${+isMax}${+numeric} ${t}`, (e) => h.f16MaxMin(e, x, y, isMax, numeric), (e) => maxMinBits(HALF, B(x), B(y), e, isMax, numeric)]);
      }
      for (const mode of [Rounding.TieEven, Rounding.PosInf, Rounding.NegInf, Rounding.Zero, Rounding.TieAway]) {
        const exact = (rand32() & 1) === 1;
        list.push([`rint${mode}${+exact} ${hex(x)}`, (e) => h.f16RoundInt(e, x, mode, exact), (e) => roundIntBits(HALF, B(x), e, mode, exact)]);
      }
      return list;
    }, 20000);
    expect(wrong).toEqual([]);
  });

  it('conversions between half, single and double', () => {
    const lo = (v: bigint): number => Number(v & 0xffffffffn) | 0;
    const hi = (v: bigint): number => Number(v >> 32n) | 0;
    const out = new Int32Array(2);
    const wrong = check(() => {
      const x = randomHalf();
      // singles and doubles around half's range, its denormals and beyond
      const f = ((rand32() & 0x807fffff) | ((100 + ((rand32() >>> 0) % 60)) << 23)) >>> 0;
      const g = (BigInt((rand32() & 0x800fffff) | ((1023 - 30 + ((rand32() >>> 0) % 50)) << 20)) << 32n) | BigInt(rand32() >>> 0);
      const g2 = (rand32() & 3) === 0 ? g & ~0xffffffffn : g; // exact ties need zero low bits
      return [
        [`h->s ${hex(x)}`, (e) => h.f16ToF32(e, x), (e) => BigInt(Number(convertBits(HALF, SINGLE, B(x), e, Rounding.TieEven)) | 0)],
        [`h->d ${hex(x)}`, (e) => (h.f16ToF64(e, x, out), out[1] ^ out[0]), (e) => { const v = convertBits(HALF, DOUBLE, B(x), e, Rounding.TieEven); return BigInt(hi(v) ^ lo(v)); }],
        [`s->h ${f.toString(16)}`, (e) => s.f32ToF16(e, f | 0), (e) => convertBits(SINGLE, HALF, BigInt(f), e, (e.fpcr >>> 22) & 3)],
        [`d->h ${g2.toString(16)}`, (e) => d.f64ToF16(e, lo(g2), hi(g2)), (e) => convertBits(DOUBLE, HALF, g2, e, (e.fpcr >>> 22) & 3)],
      ];
    }, 20000);
    expect(wrong).toEqual([]);
  });

  it('to and from fixed point', () => {
    const wrong = check(() => {
      const x = randomHalf();
      const fbits = (rand32() >>> 0) % 20;
      const width = rand32() & 1 ? 32 : 64;
      const unsigned = (rand32() & 1) === 1;
      const mode = ((rand32() >>> 0) % 5) as Rounding;
      const ilo = rand32() >> ((rand32() >>> 0) % 32);
      const ihi = rand32() & 1 ? 0 : rand32() >> ((rand32() >>> 0) % 32);
      const t = `${hex(x)} f${fbits} w${width} u${+unsigned} m${mode}`;
      return [
        [`tofix ${t}`, (e) => (h.f16ToFixed(e, x, fbits, unsigned, width, mode), FX[0] ^ FX[1] * 3), (e) => (toFixedBits(HALF, B(x), fbits, unsigned, width, mode, e), BigInt(FX[0] ^ FX[1] * 3))],
        [`fromfix ${ilo} ${ihi} ${t}`, (e) => h.f16FromFixed(e, ilo, ihi, width, unsigned, fbits), (e) => fromFixedBits(HALF, ilo, ihi, width, unsigned, fbits, e, (e.fpcr >>> 22) & 3)],
      ];
    }, 20000);
    expect(wrong).toEqual([]);
  });
});
