// Variable shifts, bit and byte reversal, leading-bit counts, CRC32/CRC32C and
// the flag-manipulation instructions. Expected values come from BigInt models,
// the CRC catalogue check values, and qemu-aarch64 7.2 (-cpu max) runs.

import { describe, expect, it } from 'vitest';
import { EDGES, M32, M64, randoms, signed, Snippet } from './dp-register-harness';

const mask = (w: number) => (1n << BigInt(w)) - 1n;
const values = [...EDGES, ...randoms(24)];

function reverseBits(v: bigint, w: number): bigint {
  let r = 0n;
  for (let i = 0; i < w; i++) if ((v >> BigInt(i)) & 1n) r |= 1n << BigInt(w - 1 - i);
  return r;
}

function reverseBytes(v: bigint, bytes: number): bigint {
  let r = 0n;
  for (let i = 0; i < bytes; i++) r |= ((v >> BigInt(8 * i)) & 0xffn) << BigInt(8 * (bytes - 1 - i));
  return r;
}

/** Applies f to each `chunk`-bit piece of a `w`-bit value. */
function perChunk(v: bigint, w: number, chunk: number, f: (c: bigint) => bigint): bigint {
  let r = 0n;
  for (let i = 0; i < w; i += chunk) r |= f((v >> BigInt(i)) & mask(chunk)) << BigInt(i);
  return r;
}

function leadingZeros(v: bigint, w: number): bigint {
  let n = 0n;
  for (let i = w - 1; i >= 0 && ((v >> BigInt(i)) & 1n) === 0n; i--) n++;
  return n;
}

describe('variable shifts', () => {
  const shifts: [string, (v: bigint, n: bigint, w: number) => bigint][] = [
    ['lsl', (v, n, w) => (v << n) & mask(w)],
    ['lsr', (v, n) => v >> n],
    ['asr', (v, n, w) => BigInt.asUintN(w, signed(v, w) >> n)],
    ['ror', (v, n, w) => (n === 0n ? v : ((v >> n) | (v << (BigInt(w) - n))) & mask(w))],
  ];
  for (const w of [32, 64]) {
    const r = w === 64 ? 'x' : 'w';
    for (const [name, ref] of shifts) {
      it(`${name} ${r} by register, amount taken modulo ${w}`, () => {
        const s = new Snippet(`${name} ${r}2, ${r}0, ${r}1`);
        const amounts = [0n, 1n, 31n, 32n, 33n, 63n, 64n, 65n, 127n, 0xffffffffffffffc1n, 0x100000000n + 5n];
        for (const v of values) {
          for (const amount of amounts) {
            const out = s.run({ 0: v, 1: amount });
            expect(out.x(2), `${v} ${amount}`).toBe(ref(v & mask(w), amount % BigInt(w), w));
          }
        }
      });
    }
  }
});

describe('data processing (1 source)', () => {
  const cases: [string, (v: bigint) => bigint][] = [
    ['rbit x2, x0', (v) => reverseBits(v, 64)],
    ['rbit w2, w0', (v) => reverseBits(v & M32, 32)],
    ['rev x2, x0', (v) => reverseBytes(v, 8)],
    ['rev w2, w0', (v) => reverseBytes(v & M32, 4)],
    ['rev32 x2, x0', (v) => perChunk(v, 64, 32, (c) => reverseBytes(c, 4))],
    ['rev16 x2, x0', (v) => perChunk(v, 64, 16, (c) => reverseBytes(c, 2))],
    ['rev16 w2, w0', (v) => perChunk(v & M32, 32, 16, (c) => reverseBytes(c, 2))],
    ['clz x2, x0', (v) => leadingZeros(v, 64)],
    ['clz w2, w0', (v) => leadingZeros(v & M32, 32)],
    // CLS: leading bits equal to the sign bit, after it: CLZ(x<N-1:1> EOR x<N-2:0>) on N-1 bits.
    ['cls x2, x0', (v) => leadingZeros((v >> 1n) ^ (v & mask(63)), 63)],
    ['cls w2, w0', (v) => leadingZeros(((v & M32) >> 1n) ^ (v & mask(31)), 31)],
  ];
  for (const [source, ref] of cases) {
    it(source, () => {
      const s = new Snippet(source);
      for (const v of [...values, 0xc000000000000000n, 0x40000000n, 0x3fffffffffffffffn]) {
        expect(s.run({ 0: v, 2: M64 }).x(2), `${source} ${v.toString(16)}`).toBe(ref(v));
      }
    });
  }

  it('matches qemu for CLS of a positive value', () => {
    const out = new Snippet('cls x2, x0\ncls w3, w0').run({ 0: 0x123456789abcdef0n });
    expect(out.x(2)).toBe(2n);
    expect(out.x(3)).toBe(0n);
  });
});

describe('CRC32 and CRC32C', () => {
  it('reproduces the catalogue check values over "123456789" a byte at a time', () => {
    const bytes = [...'123456789'].map((c) => c.charCodeAt(0));
    const prog = bytes.map((b) => `mov w1, #${b}\ncrc32b w0, w0, w1\nmov w1, #${b}\ncrc32cb w3, w3, w1`).join('\n');
    const out = new Snippet(prog).run({ 0: M32, 3: M32 });
    expect(out.x(0) ^ M32).toBe(0xcbf43926n);
    expect(out.x(3) ^ M32).toBe(0xe3069283n);
  });

  it('agrees across operand widths: one X step equals eight B steps', () => {
    const s = new Snippet(`
      crc32x w2, w0, x1
      crc32cx w3, w0, x1
      crc32w w4, w0, w1
      lsr x5, x1, #32
      crc32w w4, w4, w5
      crc32ch w6, w0, w1
      lsr w5, w1, #8
      crc32cb w7, w0, w1
      crc32cb w7, w7, w5
    `);
    for (const v of randoms(16)) {
      const out = s.run({ 0: v & M32, 1: v ^ 0x5555555555555555n });
      expect(out.x(4)).toBe(out.x(2));
      expect(out.x(7)).toBe(out.x(6));
    }
  });

  it('matches qemu for each width', () => {
    const out = new Snippet('crc32x w2, w0, x1\ncrc32cx w3, w0, x1\ncrc32b w4, w0, w1\ncrc32ch w5, w0, w1').run({
      0: 0xffffffffn,
      1: 0x123456789abcdef0n,
    });
    expect(out.x(2)).toBe(0xe6ddf8b5n);
    expect(out.x(3)).toBe(0xd95b664bn);
    expect(out.x(4)).toBe(0x9040e26en);
    expect(out.x(5)).toBe(0x35aff8dfn);
  });
});

describe('flag manipulation', () => {
  // The test assembler defaults to ARMv8.1; FEAT_FlagM and FlagM2 need 8.5.
  const FLAGM = '.arch armv8.5-a';
  // Each row: NZCV in, then after XAFLAG, AXFLAG, CFINV (qemu-aarch64 -cpu max).
  const table = [
    [0x0, 0x8, 0x0, 0x2], [0x1, 0x8, 0x4, 0x3], [0x2, 0x2, 0x2, 0x0], [0x3, 0x2, 0x4, 0x1],
    [0x4, 0x3, 0x4, 0x6], [0x5, 0x3, 0x4, 0x7], [0x6, 0x6, 0x6, 0x4], [0x7, 0x6, 0x4, 0x5],
    [0x8, 0x8, 0x0, 0xa], [0x9, 0x8, 0x4, 0xb], [0xa, 0x2, 0x2, 0x8], [0xb, 0x2, 0x4, 0x9],
    [0xc, 0x3, 0x4, 0xe], [0xd, 0x3, 0x4, 0xf], [0xe, 0x6, 0x6, 0xc], [0xf, 0x6, 0x4, 0xd],
  ];
  it('XAFLAG, AXFLAG and CFINV for every NZCV', () => {
    const programs = ['xaflag', 'axflag', 'cfinv'].map((op) => new Snippet(`${FLAGM}\n${op}`));
    for (const [input, ...outputs] of table) {
      programs.forEach((p, i) => expect(p.run({}, input).nzcv, `${i} ${input}`).toBe(outputs[i]));
    }
  });

  it('SETF8 and SETF16 set N, Z, V from the low byte or halfword and keep C', () => {
    const s8 = new Snippet(`${FLAGM}\nsetf8 w0`);
    const s16 = new Snippet(`${FLAGM}\nsetf16 w0`);
    const rows: [bigint, number, number][] = [
      [0x80n, 0x9, 0x0],
      [0x17fn, 0x1, 0x0],
      [0x8000n, 0x4, 0x9],
      [0x100n, 0x5, 0x0],
    ];
    for (const [v, f8, f16] of rows) {
      expect(s8.run({ 0: v }, 0).nzcv).toBe(f8);
      expect(s16.run({ 0: v }, 0).nzcv).toBe(f16);
      expect(s8.run({ 0: v }, 0x2).nzcv).toBe(f8 | 0x2);
    }
  });

  it('RMIF rotates and copies only the masked flags', () => {
    expect(new Snippet(`${FLAGM}\nrmif x0, #62, #5`).run({ 0: 3n }, 0xf).nzcv).toBe(0xe);
    const s = new Snippet(`${FLAGM}\nrmif x0, #33, #15`);
    expect(s.run({ 0: 0xan << 33n }, 0).nzcv).toBe(0xa);
    expect(s.run({ 0: 0x5n << 33n | 0xfn }, 0xf).nzcv).toBe(0x5);
  });
});
