// kernel/host-random.ts: the host's randomness for AT_RANDOM, getrandom and /dev/urandom.

import { describe, expect, it } from 'vitest';
import { hostRandomBytes, hostRandomUuid } from '../../kernel/host-random';

describe('host randomness', () => {
  it('gives the bytes asked for, different on every call', () => {
    expect(hostRandomBytes(0)).toHaveLength(0);
    const a = hostRandomBytes(32);
    const b = hostRandomBytes(32);
    expect(a).toHaveLength(32);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('covers every byte value, about evenly, in 256 KiB', () => {
    const counts = new Array<number>(256).fill(0);
    for (const x of hostRandomBytes(256 * 1024)) counts[x]++;
    // 1,024 expected per value; a fair source stays within +-25% (more than 7 standard deviations).
    expect(Math.min(...counts)).toBeGreaterThan(768);
    expect(Math.max(...counts)).toBeLessThan(1280);
  });

  it('formats version-4 UUIDs as /proc/sys/kernel/random/uuid does', () => {
    const u = hostRandomUuid();
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(hostRandomUuid()).not.toBe(u);
  });
});
