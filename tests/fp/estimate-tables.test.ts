// The estimate tables behind URECPE/URSQRTE (and FRECPE/FRSQRTE), against the Arm ARM's RecipEstimate and
// RecipSqrtEstimate loops written out here.

import { describe, expect, it } from 'vitest';
import { unsignedRecipEstimate, unsignedRSqrtEstimate } from '../../board/aarch64/fp/estimates';

function recipEstimate(a: number): number {
  const b = Math.floor(2 ** 19 / (a * 2 + 1));
  return (b + 1) >> 1;
}

function recipSqrtEstimate(i: number): number {
  const a = i < 256 ? i * 2 + 1 : ((i >> 1) << 1) * 2 + 2;
  let b = 512;
  while (a * (b + 1) * (b + 1) < 2 ** 28) b++;
  return (b + 1) >> 1;
}

describe('estimate tables', () => {
  it('URECPE: every 9-bit index', () => {
    for (let i = 256; i < 512; i++) expect([i, unsignedRecipEstimate((i << 23) | 0x12345) >>> 23]).toEqual([i, recipEstimate(i) & 0x1ff]);
    expect(unsignedRecipEstimate(0x7fffffff)).toBe(-1);
  });

  it('URSQRTE: every 9-bit index', () => {
    for (let i = 128; i < 512; i++) expect([i, unsignedRSqrtEstimate(((i << 23) | 0x54321) >>> 0) >>> 23]).toEqual([i, recipSqrtEstimate(i) & 0x1ff]);
    expect(unsignedRSqrtEstimate(0x3fffffff)).toBe(-1);
  });
});
