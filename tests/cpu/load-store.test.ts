import { describe, expect, it } from 'vitest';
import { BRK, DATA, DATA_ABORT_LOWER, le64, mem64, memBytes, prepared, seq } from './load-store-harness';
import { RAM_BASE } from './machine';

const RAM_END = RAM_BASE + 4 * 1024 * 1024;

describe('load/store single register', () => {
  it('loads every size with zero and sign extension', () => {
    const m = prepared(
      `
      ldrb w1, [x10]
      ldrsb w2, [x10]
      ldrsb x3, [x10]
      ldrh w4, [x10, #2]
      ldrsh w5, [x10, #2]
      ldrsh x6, [x10, #2]
      ldr w7, [x10, #4]
      ldrsw x8, [x10, #4]
      ldr x9, [x10, #8]
      ldrsb x11, [x10, #1]
    `,
      { mem: [[0, [0x80, 0x7f, 0x34, 0x92, 0x01, 0x00, 0x00, 0x80, ...le64(0x0123456789abcdefn)]]], x: { 1: -1n, 2: -1n, 4: -1n, 5: -1n, 7: -1n } },
    );
    expect(m.run()).toBe(BRK);
    expect(m.x(1)).toBe(0x80n);
    expect(m.x(2)).toBe(0xffffff80n);
    expect(m.x(3)).toBe(0xffffffffffffff80n);
    expect(m.x(4)).toBe(0x9234n);
    expect(m.x(5)).toBe(0xffff9234n);
    expect(m.x(6)).toBe(0xffffffffffff9234n);
    expect(m.x(7)).toBe(0x80000001n);
    expect(m.x(8)).toBe(0xffffffff80000001n);
    expect(m.x(9)).toBe(0x0123456789abcdefn);
    expect(m.x(11)).toBe(0x7fn);
  });

  it('stores every size, and XZR as zero', () => {
    const m = prepared(
      `
      strb w1, [x10]
      strh w1, [x10, #2]
      str w1, [x10, #4]
      str x1, [x10, #8]
      str xzr, [x10, #16]
      strb wzr, [x10, #24]
    `,
      { x: { 1: 0x1122334455667788n }, mem: [[16, seq(16, 0xa0)]] },
    );
    m.run();
    expect(memBytes(m, 0, 8)).toEqual([0x88, 0, 0x88, 0x77, 0x88, 0x77, 0x66, 0x55]);
    expect(mem64(m, 8)).toBe(0x1122334455667788n);
    expect(mem64(m, 16)).toBe(0n);
    expect(memBytes(m, 24, 2)).toEqual([0, 0xa9]);
  });

  it('scales unsigned offsets by the access size and reaches the top of the range', () => {
    const m = prepared(
      `
      ldr x1, [x10, #32760]
      ldr w2, [x10, #16380]
      ldrh w3, [x10, #8190]
      ldrb w4, [x10, #4095]
    `,
      { mem: [[32760, le64(0x1111222233334444n)], [16380, [1, 2, 3, 4]], [8190, [5, 6]], [4095, [7]]] },
    );
    m.run();
    expect(m.x(1)).toBe(0x1111222233334444n);
    expect(m.x(2)).toBe(0x04030201n);
    expect(m.x(3)).toBe(0x0605n);
    expect(m.x(4)).toBe(7n);
  });

  it('uses unscaled negative and odd offsets (LDUR/STUR)', () => {
    const m = prepared(
      `
      add x11, x10, #300
      ldur x1, [x11, #-256]
      ldur w2, [x11, #-255]
      stur x1, [x11, #255]
      ldursb x3, [x11, #-1]
    `,
      { mem: [[44, le64(0x8877665544332211n)], [299, [0xf0]]] },
    );
    m.run();
    expect(m.x(1)).toBe(0x8877665544332211n);
    expect(m.x(2)).toBe(0x55443322n);
    expect(mem64(m, 555)).toBe(0x8877665544332211n);
    expect(m.x(3)).toBe(0xfffffffffffffff0n);
  });

  it('writes back pre- and post-index, with SP as the base', () => {
    const m = prepared(
      `
      ldr x1, [x10, #8]!
      ldr x2, [x10], #-8
      add sp, x10, #64
      str x2, [sp, #-16]!
      str x1, [sp], #32
      ldrb w3, [x10, #-1]!
    `,
      { mem: [[8, le64(0xaaaan)], [0, [0x99]], [-1 + 0x100000, []]] },
    );
    m.run();
    expect(m.x(1)).toBe(0xaaaan);
    expect(m.x(2)).toBe(0xaaaan);
    expect(m.x(10)).toBe(BigInt(DATA - 1));
    expect(m.x(31)).toBe(BigInt(DATA + 64 - 16 + 32));
    expect(mem64(m, 48)).toBe(0xaaaan);
  });

  it('follows qemu when the base is also the transferred register', () => {
    const m = prepared(
      `
      mov x11, x10
      ldr x11, [x11, #8]!
      add x12, x10, #32
      str x12, [x12], #8
      add x13, x10, #64
      str x13, [x13, #-8]!
    `,
      { mem: [[8, le64(0x1234n)]] },
    );
    m.run();
    // a load with writeback ends with the written-back address; a store stores the old base
    expect(m.x(11)).toBe(BigInt(DATA + 8));
    expect(mem64(m, 32)).toBe(BigInt(DATA + 32));
    expect(m.x(12)).toBe(BigInt(DATA + 40));
    expect(mem64(m, 56)).toBe(BigInt(DATA + 64));
    expect(m.x(13)).toBe(BigInt(DATA + 56));
  });

  it('adds register offsets with every extend and shift', () => {
    const m = prepared(
      `
      ldr x1, [x10, x2]
      ldr x3, [x10, x4, lsl #3]
      ldr w5, [x10, w6, uxtw #2]
      ldr x7, [x11, w8, sxtw]
      ldrb w9, [x11, x12, sxtx]
      ldrh w13, [x10, w14, uxtw #1]
      ldrsw x15, [x11, w16, sxtw #2]
      strb w17, [x10, x18]
      ldr x19, [x10, xzr, lsl #3]
    `,
      {
        x: { 2: 16, 4: 3, 6: 0xffffffff00000002n, 8: -16n, 11: DATA + 32, 12: -31n, 13: 0, 14: 0xf00000004n, 16: -2n, 17: 0x1ff, 18: 100 },
        mem: [
          [0, le64(0x0123456789abcdefn)],
          [16, le64(0x1616n)],
          [24, le64(0x2424n)],
          [8, [0x11, 0x22, 0x33, 0x80]],
          [1, [0xcd]],
        ],
      },
    );
    m.run();
    expect(m.x(1)).toBe(0x1616n);
    expect(m.x(3)).toBe(0x2424n);
    expect(m.x(5)).toBe(0x80332211n);
    expect(m.x(7)).toBe(0x1616n);
    expect(m.x(9)).toBe(0xcdn);
    expect(m.x(13)).toBe(0x2211n);
    expect(m.x(15)).toBe(0x2424n);
    expect(memBytes(m, 100, 1)).toEqual([0xff]);
    expect(m.x(19)).toBe(0x0123456789abcdefn);
  });

  it('loads PC-relative literals, including LDRSW and a no-op PRFM', () => {
    const m = prepared(`
      ldr w1, lit
      ldr x2, lit
      ldrsw x3, lit
      prfm pldl1keep, lit
      b over
      lit: .quad 0x11223344fedcba98
      over:
      ldr x4, lit
    `);
    expect(m.run()).toBe(BRK);
    expect(m.x(1)).toBe(0xfedcba98n);
    expect(m.x(2)).toBe(0x11223344fedcba98n);
    expect(m.x(3)).toBe(0xfffffffffedcba98n);
    expect(m.x(4)).toBe(0x11223344fedcba98n);
  });

  it('treats PRFM and PRFUM as no-ops that never fault', () => {
    const m = prepared(
      `
      prfm pldl1keep, [x1]
      prfm pstl2strm, [x1, x2]
      prfum pldl3keep, [x1, #-3]
      mov x3, #5
    `,
      { x: { 1: 8, 2: 1n << 60n } },
    );
    expect(m.run()).toBe(BRK);
    expect(m.x(3)).toBe(5n);
  });

  it('crosses page boundaries in both directions', () => {
    const m = prepared(
      `
      add x11, x10, #4092
      ldr x1, [x11]
      add x12, x10, #2, lsl #12
      stur x2, [x12, #-4]
      ldur w3, [x11, #2]
      ldur q1, [x11, #-4]
    `,
      { mem: [[4088, seq(16, 0x10)]], x: { 2: 0x0102030405060708n } },
    );
    m.run();
    expect(m.x(1)).toBe(0x1b1a191817161514n);
    expect(mem64(m, 8188)).toBe(0x0102030405060708n);
    expect(m.x(3)).toBe(0x19181716n);
    expect([...m.cpu.state.getV(1)]).toEqual(seq(16, 0x10));
  });

  it('faults precisely: no register or writeback changes on an abort', () => {
    const m = prepared(`ldr x1, [x2, #8]!`, { x: { 1: 0x55, 2: RAM_END - 12 } });
    expect(m.run()).toBe(DATA_ABORT_LOWER);
    expect(m.x(1)).toBe(0x55n);
    expect(m.x(2)).toBe(BigInt(RAM_END - 12));
    expect(m.cpu.far).toBe(RAM_END); // the first byte outside RAM
    expect(m.cpu.elr).toBe(RAM_BASE);
  });

  it('leaves a destination that is also the base untouched when the load faults', () => {
    const m = prepared(`ldr x2, [x2], #16`, { x: { 2: RAM_END - 4 } });
    expect(m.run()).toBe(DATA_ABORT_LOWER);
    expect(m.x(2)).toBe(BigInt(RAM_END - 4));
  });
});

describe('load/store pair', () => {
  it('loads and stores W and X pairs with every index mode', () => {
    const m = prepared(
      `
      ldp w1, w2, [x10]
      ldp x3, x4, [x10, #8]
      ldp x5, x6, [x10, #16]!
      stp x3, x4, [x10], #-16
      stp w1, w2, [x10, #-8]!
      ldnp x7, x8, [x10, #8]
      stnp w2, w1, [x10, #64]
    `,
      { mem: [[0, [...le64(0x8000000000000001n), ...le64(0x2222n), ...le64(0x3333n), ...le64(0x4444n)]]] },
    );
    m.run();
    expect([m.x(1), m.x(2)]).toEqual([1n, 0x80000000n]);
    expect([m.x(3), m.x(4)]).toEqual([0x2222n, 0x3333n]);
    expect([m.x(5), m.x(6)]).toEqual([0x3333n, 0x4444n]);
    expect(mem64(m, 16)).toBe(0x2222n);
    expect(mem64(m, 24)).toBe(0x3333n);
    expect(m.x(10)).toBe(BigInt(DATA - 8));
    expect(mem64(m, -8)).toBe(0x8000000000000001n);
    expect([m.x(7), m.x(8)]).toEqual([0x8000000000000001n, 0x2222n]);
    expect(mem64(m, 56)).toBe(0x0000000180000000n);
  });

  it('sign-extends LDPSW and scales offsets to the range ends', () => {
    const m = prepared(
      `
      ldpsw x1, x2, [x10]
      ldp x3, x4, [x11, #-512]
      ldp w5, w6, [x10, #252]
    `,
      { x: { 11: DATA + 512 }, mem: [[0, [0xff, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff]], [252, [1, 0, 0, 0, 2, 0, 0, 0]]] },
    );
    m.run();
    expect(m.x(1)).toBe(0xffffffffffffffffn);
    expect(m.x(2)).toBe(0xffffffffffffff7fn);
    expect(m.x(3)).toBe(0xffffff7fffffffffn);
    expect([m.x(5), m.x(6)]).toEqual([1n, 2n]);
  });

  it('writes back SP and loads through it', () => {
    const m = prepared(
      `
      add sp, x10, #128
      stp x1, x2, [sp, #-16]!
      stp x3, xzr, [sp, #-16]!
      ldp x4, x5, [sp], #32
      ldp x6, x7, [sp, #-16]
    `,
      { x: { 1: 1, 2: 2, 3: 3 } },
    );
    m.run();
    expect([m.x(4), m.x(5), m.x(6), m.x(7)]).toEqual([3n, 0n, 1n, 2n]);
    expect(m.x(31)).toBe(BigInt(DATA + 128));
  });

  it('keeps the first element when both destinations are the same register, and writeback wins over Rt == Rn', () => {
    const m = prepared(
      `
      ldp x1, x1, [x10]
      mov x2, x10
      ldp x2, x3, [x2, #16]!
    `,
      { mem: [[0, [...le64(0xaan), ...le64(0xbbn), ...le64(0xccn), ...le64(0xddn)]]] },
    );
    m.run();
    expect(m.x(1)).toBe(0xaan);
    expect(m.x(2)).toBe(BigInt(DATA + 16));
    expect(m.x(3)).toBe(0xddn);
  });

  it('faults on the second element without changing either register', () => {
    const m = prepared(`ldp x1, x2, [x3], #16`, { x: { 1: 0x11, 2: 0x22, 3: RAM_END - 8 } });
    expect(m.run()).toBe(DATA_ABORT_LOWER);
    expect([m.x(1), m.x(2), m.x(3)]).toEqual([0x11n, 0x22n, BigInt(RAM_END - 8)]);
    expect(m.cpu.far).toBe(RAM_END);
  });
});
