// The table of every binary16 pattern's value (board/aarch64/fp/half-native.ts), against the format's definition.

import { describe, expect, it } from 'vitest';
import { HALF_VALUE } from '../../board/aarch64/fp/half-native';

function decode(a: number): number {
  const e = (a >>> 10) & 0x1f;
  const f = a & 0x3ff;
  const m = e === 0 ? f * 2 ** -24 : e === 0x1f ? (f !== 0 ? NaN : Infinity) : (1 + f / 1024) * 2 ** (e - 15);
  return a & 0x8000 ? -m : m;
}

describe('HALF_VALUE', () => {
  it('holds the value of all 65,536 patterns (signed zeros, subnormals, infinities, NaNs)', () => {
    for (let a = 0; a < 65536; a++) if (!Object.is(HALF_VALUE[a], decode(a))) expect([a, HALF_VALUE[a]]).toEqual([a, decode(a)]);
    expect(Object.is(HALF_VALUE[0x8000], -0)).toBe(true);
    expect(HALF_VALUE[0x0001]).toBe(2 ** -24);
    expect(HALF_VALUE[0x7bff]).toBe(65504);
  });
});
