import { describe, expect, it } from 'vitest';
import { BRK, DATA, DATA_ABORT_LOWER, le64, mem64, memBytes, prepared } from './load-store-harness';

const ALIGNMENT_FSC = 0x21;

function esrIss(m: ReturnType<typeof prepared>): number {
  return m.cpu.sysregs.getLo('ESR_EL1') & 0x1ffffff;
}

describe('load/store exclusive', () => {
  it('succeeds when the monitor holds the same address and size, then closes it', () => {
    const m = prepared(
      `
      ldxr x1, [x10]
      add x1, x1, #1
      stxr w2, x1, [x10]
      stxr w3, x1, [x10]
      ldaxrb w4, [x10, #0]
      stlxrb w5, w4, [x10]
    `,
      { mem: [[0, le64(0x41n)]], x: { 2: 9, 3: 9, 5: 9 } },
    );
    expect(m.run()).toBe(BRK);
    expect(m.x(2)).toBe(0n);
    expect(m.x(3)).toBe(1n); // the first STXR cleared the monitor
    expect(mem64(m, 0)).toBe(0x42n);
    expect(m.x(4)).toBe(0x42n);
    expect(m.x(5)).toBe(0n);
  });

  it('fails without a store on an address or size mismatch and after CLREX', () => {
    const m = prepared(
      `
      ldxr w1, [x10]
      stxr w2, w7, [x11]
      ldxrh w1, [x10]
      stxr w3, w7, [x10]
      ldxr x1, [x10]
      clrex
      stxr w4, x7, [x10]
      ldxr x1, [x10]
      stxr w5, w7, [x10]
    `,
      { mem: [[0, le64(0x1111n)]], x: { 7: 0xdead, 11: DATA + 4 } },
    );
    m.run();
    expect([m.x(2), m.x(3), m.x(4), m.x(5)]).toEqual([1n, 1n, 1n, 1n]);
    expect(mem64(m, 0)).toBe(0x1111n);
    expect(memBytes(m, 4, 4)).toEqual([0, 0, 0, 0]);
  });

  it('handles exclusive pairs of W and X registers', () => {
    const m = prepared(
      `
      ldxp w1, w2, [x10]
      stxp w3, w2, w1, [x10]
      ldaxp x4, x5, [x11]
      stlxp w6, x5, x4, [x11]
      ldxp x4, x5, [x11]
      stxp w7, w5, w4, [x11]
    `,
      { mem: [[0, [1, 0, 0, 0, 2, 0, 0, 0]], [16, [...le64(0xaan), ...le64(0xbbn)]]], x: { 11: DATA + 16, 7: 5 } },
    );
    m.run();
    expect([m.x(1), m.x(2), m.x(3)]).toEqual([1n, 2n, 0n]);
    expect(memBytes(m, 0, 8)).toEqual([2, 0, 0, 0, 1, 0, 0, 0]);
    expect([m.x(6), m.x(7)]).toEqual([0n, 1n]); // the W pair is 8 bytes, the monitor holds 16
    expect([mem64(m, 16), mem64(m, 24)]).toEqual([0xbbn, 0xaan]);
  });

  it('raises an alignment fault for an unaligned exclusive load, changing nothing', () => {
    const m = prepared(`ldxr w1, [x11]`, { x: { 1: 7, 11: DATA + 2 } });
    expect(m.run()).toBe(DATA_ABORT_LOWER);
    expect(esrIss(m) & 0x3f).toBe(ALIGNMENT_FSC);
    expect(m.x(1)).toBe(7n);
    expect(m.cpu.far).toBe(DATA + 2);
  });

  it('raises alignment faults for LDXP to the pair size and for LDAR/STLR, not for LDAPR', () => {
    for (const src of ['ldxp x1, x2, [x11]', 'ldar w1, [x12]', 'stlr x1, [x12]', 'ldarh w1, [x13]']) {
      const m = prepared(src, { x: { 11: DATA + 8, 12: DATA + 2, 13: DATA + 1 } });
      expect(m.run(), src).toBe(DATA_ABORT_LOWER);
      expect(esrIss(m) & 0x3f).toBe(ALIGNMENT_FSC);
    }
    const ok = prepared('.arch armv8.4-a\nldapr x1, [x11]\nldarb w2, [x13]', { x: { 11: DATA + 1, 13: DATA + 3 }, mem: [[0, [0, 1, 2, 3, 4, 5, 6, 7, 8]]] });
    expect(ok.run()).toBe(BRK);
    expect(ok.x(1)).toBe(0x0807060504030201n);
    expect(ok.x(2)).toBe(3n);
  });

  it('fails an unaligned STXR quietly when the monitor does not match (as qemu does)', () => {
    const m = prepared(`stxr w1, x2, [x11]`, { x: { 11: DATA + 1, 1: 7 } });
    expect(m.run()).toBe(BRK);
    expect(m.x(1)).toBe(1n);
  });

  it('loads acquire and stores release in every size', () => {
    const m = prepared(
      `
      ldarb w1, [x10]
      ldarh w2, [x10]
      ldar w3, [x10]
      ldar x4, [x10]
      stlrb w5, [x11]
      stlrh w5, [x11, #0]
      stlr x5, [x12]
      .arch armv8.4-a
      ldlar x6, [x10]
      stllr w5, [x13]
      ldapurb w7, [x10, #1]
      ldapursh x8, [x10, #6]
      stlur w5, [x14, #-4]
    `,
      {
        mem: [[0, le64(0xfedcba9876543210n)]],
        x: { 5: 0x1122334455667788n, 11: DATA + 16, 12: DATA + 24, 13: DATA + 32, 14: DATA + 44 },
      },
    );
    expect(m.run()).toBe(BRK);
    expect([m.x(1), m.x(2), m.x(3), m.x(4)]).toEqual([0x10n, 0x3210n, 0x76543210n, 0xfedcba9876543210n]);
    expect(memBytes(m, 16, 3)).toEqual([0x88, 0x77, 0]);
    expect(mem64(m, 24)).toBe(0x1122334455667788n);
    expect(m.x(6)).toBe(0xfedcba9876543210n);
    expect(memBytes(m, 32, 5)).toEqual([0x88, 0x77, 0x66, 0x55, 0]);
    expect(m.x(7)).toBe(0x32n);
    expect(m.x(8)).toBe(0xfffffffffffffedcn);
    expect(memBytes(m, 40, 4)).toEqual([0x88, 0x77, 0x66, 0x55]);
  });

  it('checks the alignment of LDAPUR/STLUR', () => {
    const m = prepared('.arch armv8.4-a\nldapur w1, [x10, #2]', { x: { 1: 4 } });
    expect(m.run()).toBe(DATA_ABORT_LOWER);
    expect(esrIss(m) & 0x3f).toBe(ALIGNMENT_FSC);
    expect(m.x(1)).toBe(4n);
  });
});

describe('compare and swap', () => {
  it('swaps on a match and returns the old value either way', () => {
    const m = prepared(
      `
      mov x1, #5
      cas x1, x2, [x10]
      mov x3, #6
      casal x3, x2, [x11]
      movz w4, #0xff
      casb w4, w5, [x12]
      movz w6, #0x7777
      caslh w6, w5, [x12]
      mov w7, #0xffffffff
      casa w7, w5, [x13]
    `,
      {
        mem: [[0, [...le64(5n), ...le64(7n), 0xff, 0x77, 0x77, 0, 0xfe, 0xff, 0xff, 0xff]]],
        x: { 2: 0x2222n, 5: 0xabcdef01n, 11: DATA + 8, 12: DATA + 16, 13: DATA + 20 },
      },
    );
    expect(m.run()).toBe(BRK);
    expect(m.x(1)).toBe(5n);
    expect(mem64(m, 0)).toBe(0x2222n);
    expect(m.x(3)).toBe(7n);
    expect(mem64(m, 8)).toBe(7n);
    expect(m.x(4)).toBe(0xffn);
    // casb wrote 0x01; caslh then compares 0x7701 with 0x7777 and fails
    expect(m.x(6)).toBe(0x7701n);
    expect(memBytes(m, 16, 4)).toEqual([0x01, 0x77, 0x77, 0]);
    expect(m.x(7)).toBe(0xfffffffen);
    expect(memBytes(m, 20, 4)).toEqual([0xfe, 0xff, 0xff, 0xff]);
  });

  it('compares and swaps register pairs (CASP) of W and X', () => {
    const m = prepared(
      `
      casp x2, x3, x4, x5, [x10]
      caspal w6, w7, w8, w9, [x11]
      casp x12, x13, x4, x5, [x10]
    `,
      {
        mem: [[0, [...le64(0x10n), ...le64(0x20n), 1, 0, 0, 0, 2, 0, 0, 0]]],
        x: { 2: 0x10, 3: 0x20, 4: 0x40, 5: 0x50, 6: 1, 7: 3, 8: 8, 9: 9, 11: DATA + 16, 12: 0x40, 13: 0x51 },
      },
    );
    m.run();
    expect([m.x(2), m.x(3)]).toEqual([0x10n, 0x20n]);
    expect([mem64(m, 0), mem64(m, 8)]).toEqual([0x40n, 0x50n]);
    expect([m.x(6), m.x(7)]).toEqual([1n, 2n]);
    expect(memBytes(m, 16, 8)).toEqual([1, 0, 0, 0, 2, 0, 0, 0]);
    expect([m.x(12), m.x(13)]).toEqual([0x40n, 0x50n]);
  });

  it('faults on unaligned CAS and CASP without changing registers', () => {
    for (const src of ['cas x1, x2, [x11]', 'casp x0, x1, x2, x3, [x12]', 'cash w1, w2, [x13]']) {
      const m = prepared(src, { x: { 0: 3, 1: 3, 11: DATA + 4, 12: DATA + 8, 13: DATA + 1 } });
      expect(m.run(), src).toBe(DATA_ABORT_LOWER);
      expect(esrIss(m) & 0x3f).toBe(ALIGNMENT_FSC);
      expect([m.x(0), m.x(1)]).toEqual([3n, 3n]);
    }
  });
});

describe('LSE atomic memory operations', () => {
  const initial = 0x8000000000000005n;
  const cases: [string, bigint, bigint][] = [
    // [instruction with x2 as the operand, x2, memory after]
    ['ldadd', 0x7ffffffffffffffbn, 0n],
    ['ldclr', 0x8000000000000001n, 4n],
    ['ldeor', 0xffn, 0x80000000000000fan],
    ['ldset', 0x10n, 0x8000000000000015n],
    ['ldsmax', 3n, 3n],
    ['ldsmin', 3n, initial],
    ['ldumax', 3n, initial],
    ['ldumin', 3n, 3n],
    ['swp', 0x1234n, 0x1234n],
  ];
  for (const [op, operand, after] of cases) {
    it(`${op} (64-bit) returns the old value and stores the result`, () => {
      const m = prepared(`${op}al x2, x1, [x10]`, { mem: [[0, le64(initial)]], x: { 2: operand } });
      expect(m.run()).toBe(BRK);
      expect(m.x(1)).toBe(initial);
      expect(mem64(m, 0)).toBe(after);
    });
  }

  it('compares signed and unsigned in 8, 16 and 32 bits', () => {
    const m = prepared(
      `
      ldsmaxb w2, w1, [x10]
      ldumaxb w2, w3, [x11]
      ldsminh w4, w5, [x12]
      lduminh w4, w6, [x13]
      ldsmax w7, w8, [x14]
      ldumin w7, w9, [x15]
    `,
      {
        mem: [[0, [0x80, 0x80, 0, 0, 0x00, 0x80, 0x00, 0x80, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f]]],
        x: { 2: 0x17f, 4: 0x7fff, 7: 0x80000000, 11: DATA + 1, 12: DATA + 4, 13: DATA + 6, 14: DATA + 8, 15: DATA + 12 },
      },
    );
    m.run();
    expect([m.x(1), m.x(3), m.x(5), m.x(6), m.x(8), m.x(9)]).toEqual([0x80n, 0x80n, 0x8000n, 0x8000n, 0x7fffffffn, 0x7fffffffn]);
    // signed max(-128, 127) = 0x7f; unsigned max(0x80, 0x7f) = 0x80; signed min keeps 0x8000; unsigned min -> 0x7fff
    expect(memBytes(m, 0, 8)).toEqual([0x7f, 0x80, 0, 0, 0x00, 0x80, 0xff, 0x7f]);
    // signed max(0x7fffffff, -2^31) keeps memory; unsigned min(0x7fffffff, 0x80000000) keeps memory
    expect(memBytes(m, 8, 8)).toEqual([0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f]);
  });

  it('wraps 8- and 16-bit adds and discards the old value in the ST* aliases', () => {
    const m = prepared(
      `
      ldaddb w2, w1, [x10]
      staddh w2, [x11]
      steor w2, [x12]
      swpb w2, w3, [x13]
      swplh wzr, w4, [x14]
    `,
      { mem: [[0, [0xff, 0, 0xff, 0xff, 1, 2, 3, 4, 0x55, 0, 0x66, 0x66]]], x: { 2: 0x10203, 11: DATA + 2, 12: DATA + 4, 13: DATA + 8, 14: DATA + 10 } },
    );
    m.run();
    expect(m.x(1)).toBe(0xffn);
    expect(m.x(3)).toBe(0x55n);
    expect(m.x(4)).toBe(0x6666n);
    expect(memBytes(m, 0, 12)).toEqual([0x02, 0, 0x02, 0x02, 1 ^ 3, 2 ^ 2, 3 ^ 1, 4, 0x03, 0, 0, 0]);
  });

  it('raises an alignment fault on an unaligned atomic, changing nothing', () => {
    const m = prepared(`ldadd w2, w1, [x11]`, { x: { 1: 9, 2: 1, 11: DATA + 2 } });
    expect(m.run()).toBe(DATA_ABORT_LOWER);
    expect(esrIss(m) & 0x3f).toBe(ALIGNMENT_FSC);
    expect(m.x(1)).toBe(9n);
    expect(memBytes(m, 0, 8)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
