// The value of every binary16 pattern (board/aarch64/fp/half-native.ts halfValue), against the format's definition.

import { describe, expect, it } from 'vitest';
import { halfValue } from '../../board/aarch64/fp/half-native';

function decode(a: number): number {
  const e = (a >>> 10) & 0x1f;
  const f = a & 0x3ff;
  const m = e === 0 ? f * 2 ** -24 : e === 0x1f ? (f !== 0 ? NaN : Infinity) : (1 + f / 1024) * 2 ** (e - 15);
  return a & 0x8000 ? -m : m;
}

describe('halfValue', () => {
  it('holds the value of all 65,536 patterns (signed zeros, subnormals, infinities, NaNs)', () => {
    for (let a = 0; a < 65536; a++) if (!Object.is(halfValue(a), decode(a))) expect([a, halfValue(a)]).toEqual([a, decode(a)]);
    expect(Object.is(halfValue(0x8000), -0)).toBe(true);
    expect(halfValue(0x0001)).toBe(2 ** -24);
    expect(halfValue(0x7bff)).toBe(65504);
    // Bits above 15 are not the pattern's.
    expect(halfValue(0x3c00 | 0x10000)).toBe(1);
    expect(halfValue(0xfc00 | 0x7fff0000)).toBe(-Infinity);
  });
});
