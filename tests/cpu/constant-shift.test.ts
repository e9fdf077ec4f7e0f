// The 64-bit shift closures of LSL/LSR/ASR immediate against BigInt, for every
// amount, with the destination apart from and equal to the source.

import { describe, expect, it } from 'vitest';
import { shiftLeft64, shiftRight64 } from '../../board/aarch64/isa/constant-shift';

const VALUES = [0x8000_0000_0000_0001n, 0xffff_ffff_ffff_ffffn, 0x0123_4567_89ab_cdefn, 0xfedc_ba98_7654_3210n, 0x0000_0000_8000_0000n, 0x7fff_ffff_0000_0000n];
const MASK = (1n << 64n) - 1n;

function load(x: Int32Array, slot: number, v: bigint): void {
  x[slot] = Number(v & 0xffffffffn) | 0;
  x[slot + 1] = Number(v >> 32n) | 0;
}

function read(x: Int32Array, slot: number): bigint {
  return (BigInt(x[slot + 1] >>> 0) << 32n) | BigInt(x[slot] >>> 0);
}

function signed(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

describe('constant 64-bit shifts', () => {
  for (const alias of [false, true]) {
    it(`match BigInt for amounts 1..63${alias ? ' (destination = source)' : ''}`, () => {
      const x = new Int32Array(8);
      const n = 2;
      const d = alias ? 2 : 4;
      for (const v of VALUES) {
        for (let amount = 1; amount < 64; amount++) {
          const cases: [string, () => void, bigint][] = [
            ['lsl', shiftLeft64(x, d, n, amount), (v << BigInt(amount)) & MASK],
            ['lsr', shiftRight64(x, d, n, amount, false), v >> BigInt(amount)],
            ['asr', shiftRight64(x, d, n, amount, true), BigInt.asUintN(64, signed(v) >> BigInt(amount))],
          ];
          for (const [name, op, want] of cases) {
            load(x, n, v);
            op();
            expect([name, amount, read(x, d)]).toEqual([name, amount, want]);
          }
        }
      }
    });
  }
});
