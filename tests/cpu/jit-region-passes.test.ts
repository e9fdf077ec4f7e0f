// A region's second translation pass (region-translator.ts) starts knowing
// every register the region writes, whether it writes NZCV and the registers
// it keeps in locals. Only a store of the state before the function's end
// (an interpreter call) reads those, so translateRegion skips the second pass
// for regions without one: its function must be the second pass's, byte for
// byte, for random regions of one page. Regions with interpreter calls take
// both passes, whose results do differ (the test would see a skip rule that
// dropped the second pass for them).

import { describe, expect, it } from 'vitest';
import { findRegion, translateRegion } from '../../board/aarch64/jit/region-translator';
import type { Translation } from '../../board/aarch64/jit/block-translator';
import { b, condBranch, integerInsn, rng } from './jit-diff-harness';

/** CRC32X Wd, Wn, Xm: the compiler leaves it to the interpreter (an interpreter call inside the function). */
const crc = (r: () => number): number => (0x9ac04c00 | ((r() % 13) << 16) | ((r() % 13) << 5) | (r() % 13)) >>> 0;
const isCrc = (w: number): boolean => (w & 0xffe0fc00) >>> 0 === 0x9ac04c00;

function randomPage(seed: number, interpreted: boolean): number[] {
  const r = rng(seed);
  const code: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const blocks = 2 + (r() % 6);
  for (let k = 0; k < blocks; k++) {
    starts.push(code.length);
    const n = 1 + (r() % 6);
    for (let i = 0; i < n; i++) code.push(interpreted && r() % 8 === 0 ? crc(r) : integerInsn(r));
    ends.push(code.length);
    code.push(0);
  }
  for (let k = 0; k < blocks; k++) {
    const at = ends[k];
    const to = starts[r() % blocks];
    code[at] = r() % 2 === 0 ? condBranch(r, at, to) : b(at, to);
  }
  return code;
}

const bytesOf = (t: Translation | null): string => (t === null ? 'null' : `${t.count} ${t.func.locals.join()} ${Array.from(t.func.code.b).join()}`);

describe('region translation passes', () => {
  it('one pass makes the two passes\' function when no interpreter call stores the state', () => {
    let regions = 0;
    let interpreted = 0;
    let differ = 0;
    for (let seed = 1; seed <= 600; seed++) {
      const withCalls = seed % 3 === 0;
      const code = randomPage(seed, withCalls);
      const word = (off: number): number => (off >= 0 && off < 4 * code.length ? code[off >>> 2] : 0);
      let end = 0;
      while (end < code.length && (code[end] & 0x7c000000) !== 0x14000000 && (code[end] & 0x7c000000) !== 0x34000000 && (code[end] & 0xfe000000) >>> 0 !== 0x54000000) end++;
      const blocks = findRegion(word, 0, 4 * (end + 1), () => true, false);
      if (blocks.length < 2) continue;
      let ops = 0;
      // Op numbers from 0 for each translation (each pass numbers the calls again).
      const opts = (): Parameters<typeof translateRegion>[2] => (
        (ops = 0), {
        slot: 0x10000,
        isNop: () => false,
        flagsFunc: 12,
          opNumber: withCalls ? (insn: number) => (isCrc(insn) ? ops++ : -1) : undefined,
        }
      );
      const auto = bytesOf(translateRegion(word, blocks, opts()));
      const two = bytesOf(translateRegion(word, blocks, opts(), 2));
      const one = bytesOf(translateRegion(word, blocks, opts(), 1));
      expect(auto).toBe(two);
      regions++;
      if (blocks.some((bl) => code.slice(bl.start >>> 2, bl.end >>> 2).some(isCrc))) {
        interpreted++;
        if (one !== two) differ++;
      } else expect(one).toBe(two);
    }
    expect(regions).toBeGreaterThan(300);
    // Regions with interpreter calls need the second pass: it must change some of them.
    expect(interpreted).toBeGreaterThan(50);
    expect(differ).toBeGreaterThan(10);
  });
});
