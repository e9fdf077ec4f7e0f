// divu128 (DIV/IDIV r32 and r64) against BigInt: the double fast paths and
// the 16-bit long division for 32-bit divisors must agree with the exact
// quotient and remainder, and refuse exactly the overflowing cases.
import { describe, expect, it } from 'vitest';
import { divu128 } from '../../board/x86_64/int64';

const M32 = 0xffffffffn;
const word = (v: bigint, k: number): number => Number((v >> BigInt(32 * k)) & M32) | 0;

function check(n: bigint, d: bigint): void {
  const out = new Int32Array(4);
  const ok = divu128(word(n, 0), word(n, 1), word(n, 2), word(n, 3), word(d, 0), word(d, 1), out, 0);
  const fits = d !== 0n && n / d < 1n << 64n;
  expect(ok, `${n} / ${d}`).toBe(fits);
  if (!fits) return;
  const u = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  expect(u(out[0], out[1]), `${n} / ${d}`).toBe(n / d);
  expect(u(out[2], out[3]), `${n} % ${d}`).toBe(n % d);
}

let seed = 0x12345678;
function rand32(): bigint {
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  return BigInt(seed >>> 0);
}
const rand = (words: number): bigint => {
  let v = 0n;
  for (let k = 0; k < words; k++) v = (v << 32n) | rand32();
  return v >> (rand32() % BigInt(32 * words));
};

describe('divu128', () => {
  it('matches BigInt for edge values', () => {
    const ds = [1n, 2n, 3n, 7n, 10n, 0xffffn, 0x10000n, 0x7fffffffn, 0x80000000n, M32, 1n << 32n, (1n << 53n) - 1n, (1n << 64n) - 1n];
    const ns = [0n, 1n, M32, 1n << 32n, (1n << 53n) + 1n, (1n << 64n) - 1n, (1n << 96n) - 1n, (1n << 127n) + 12345n, (1n << 128n) - 1n];
    for (const d of ds) for (const n of ns) check(n, d);
    for (const d of ds) if (d > 1n) check(d * ((1n << 64n) - 1n) + d - 1n, d);
  });

  it('matches BigInt on random dividends and divisors of every size', () => {
    for (let k = 0; k < 20000; k++) {
      const d = rand(1 + (k % 2)) || 1n;
      const n = k % 3 === 0 ? rand(2) : (rand(2) % d << 64n) | rand(2);
      check(n, d);
    }
  });
});
