// Encoding patterns (board/aarch64/decoder.ts compilePattern): 32 bit characters, bit 31 first, spaces ignored.

import { describe, expect, it } from 'vitest';
import { compilePattern, DecodeTable } from '../../board/aarch64/decoder';
import { a64Encodings } from '../../board/aarch64/isa/a64-table';

describe('encoding patterns', () => {
  it('fixes the 0 and 1 bits and leaves field letters free', () => {
    const p = compilePattern('1001 0001 00xx xxxx xxxx xxnn nnnd dddd');
    expect(p).toEqual({ mask: 0xffc00000, value: 0x91000000, fixedBits: 10 });
    expect(compilePattern('0'.repeat(32))).toEqual({ mask: 0xffffffff, value: 0, fixedBits: 32 });
    expect(compilePattern('x'.repeat(31) + '1')).toEqual({ mask: 1, value: 1, fixedBits: 1 });
  });

  it('refuses a pattern without 32 bits', () => {
    expect(() => compilePattern('1'.repeat(31))).toThrow(/has 31 bits, expected 32/);
    expect(() => compilePattern('1'.repeat(33))).toThrow(/has 33 bits, expected 32/);
  });

  it('finds the most specific encoding that matches', () => {
    const handler = () => null;
    const t = new DecodeTable([
      { name: 'wide', pattern: '1001 xxxx xxxx xxxx xxxx xxxx xxxx xxxx', handler },
      { name: 'narrow', pattern: '1001 0001 xxxx xxxx xxxx xxxx xxxx xxxx', handler },
    ]);
    expect(t.lookup(0x91000000)?.name).toBe('narrow');
    expect(t.lookup(0x92000000)?.name).toBe('wide');
    expect(t.lookup(0x12000000)).toBeUndefined();
  });

  it('answers as a scan of every A64 encoding, most specific first, table order among equals', () => {
    const t = new DecodeTable(a64Encodings);
    const scan = a64Encodings
      .map((e, i) => ({ e, i, p: compilePattern(e.pattern) }))
      .sort((a, b) => b.p.fixedBits - a.p.fixedBits || a.i - b.i);
    const expected = (insn: number): string | undefined => scan.find((x) => ((insn & x.p.mask) >>> 0) === x.p.value)?.e.name;
    let x = 0x2545f491;
    const words: number[] = [];
    for (let i = 0; i < 20000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      words.push((x ^ (x << 13)) >>> 0);
    }
    // Every encoding's fixed value too (each key holding an encoding is looked up at least once).
    for (const e of a64Encodings) words.push(compilePattern(e.pattern).value);
    for (const w of words) expect(t.lookup(w)?.name, `0x${w.toString(16)}`).toBe(expected(w));
  });
});
