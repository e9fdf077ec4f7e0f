import { describe, expect, it } from 'vitest';
import { machine } from './machine';

const BRK = 0x3c;

describe('data processing (immediate)', () => {
  it('adds and subtracts with 64-bit carries', () => {
    const m = machine(`
      movz x1, #0xffff, lsl #16
      movk x1, #0xffff
      add x2, x1, #1
      sub x3, sp, #0
      subs x4, x2, #1
    `);
    expect(m.run()).toBe(BRK);
    expect(m.x(1)).toBe(0xffffffffn);
    expect(m.x(2)).toBe(0x100000000n);
    expect(m.x(4)).toBe(0xffffffffn);
    expect(m.nzcv()).toBe('--C-');
  });

  it('sets NZCV like AddWithCarry for 32 and 64 bits', () => {
    const m = machine(`
      mov w1, #0x7fffffff
      adds w2, w1, #1
      mrs x10, nzcv
      mov x3, #-1
      adds x4, x3, #1
      mrs x11, nzcv
      cmp x3, #0
      mrs x12, nzcv
      cmn w1, #1
      mrs x13, nzcv
    `);
    m.run();
    expect(m.w(2)).toBe(0x80000000);
    expect(m.x(10)).toBe(0x90000000n); // N, V
    expect(m.x(11)).toBe(0x60000000n); // Z, C
    expect(m.x(12)).toBe(0xa0000000n); // N, C
    expect(m.x(13)).toBe(0x90000000n);
  });

  it('decodes logical immediates of every element size', () => {
    const m = machine(`
      mov x0, #-1
      and x1, x0, #0x5555555555555555
      and x2, x0, #0xff00ff00ff00ff00
      orr x3, xzr, #0x0000ffff0000ffff
      eor w4, w0, #0xf0f0f0f0
      ands x5, x0, #0x8000000000000000
      mrs x6, nzcv
      orr x7, xzr, #0x7ffffffffffffffe
    `);
    m.run();
    expect(m.x(1)).toBe(0x5555555555555555n);
    expect(m.x(2)).toBe(0xff00ff00ff00ff00n);
    expect(m.x(3)).toBe(0x0000ffff0000ffffn);
    expect(m.x(4)).toBe(0x0f0f0f0fn);
    expect(m.x(5)).toBe(0x8000000000000000n);
    expect(m.x(6)).toBe(0x80000000n);
    expect(m.x(7)).toBe(0x7ffffffffffffffen);
  });

  it('moves wide and keeps the other halfwords with MOVK', () => {
    const m = machine(`
      movz x0, #0x1234, lsl #48
      movk x0, #0x5678, lsl #32
      movk x0, #0x9abc, lsl #16
      movk x0, #0xdef0
      movn x1, #0
      movn w2, #0x1, lsl #16
      mov x3, #-1
      movk w3, #7
    `);
    m.run();
    expect(m.x(0)).toBe(0x123456789abcdef0n);
    expect(m.x(1)).toBe(0xffffffffffffffffn);
    expect(m.x(2)).toBe(0xfffeffffn);
    expect(m.x(3)).toBe(0xffff0007n);
  });

  it('extracts and inserts bitfields', () => {
    const m = machine(`
      movz x0, #0x8765, lsl #48
      movk x0, #0x4321, lsl #32
      movk x0, #0xfedc, lsl #16
      movk x0, #0xba98
      ubfx x1, x0, #4, #8
      sbfx x2, x0, #60, #4
      lsl x3, x0, #8
      lsr x4, x0, #36
      asr x5, x0, #36
      sxtw x6, w0
      uxtb w7, w0
      bfi x8, x0, #32, #16
      mov x9, #-1
      bfxil x9, x0, #8, #8
      sbfiz w10, w0, #4, #4
      sxth x11, w0
      ubfiz x12, x0, #40, #16
      asr w13, w0, #4
    `);
    m.run();
    expect(m.x(1)).toBe(0xa9n);
    expect(m.x(2)).toBe(0xfffffffffffffff8n);
    expect(m.x(3)).toBe(0x654321fedcba9800n);
    expect(m.x(4)).toBe(0x0000000008765432n);
    expect(m.x(5)).toBe(0xfffffffff8765432n);
    expect(m.x(6)).toBe(0xfffffffffedcba98n);
    expect(m.x(7)).toBe(0x98n);
    expect(m.x(8)).toBe(0x0000ba9800000000n);
    expect(m.x(9)).toBe(0xffffffffffffffban);
    expect(m.x(10)).toBe(0xffffff80n);
    expect(m.x(11)).toBe(0xffffffffffffba98n);
    expect(m.x(12)).toBe(0xba98n << 40n);
    expect(m.x(13)).toBe(0xffedcba9n);
  });

  it('extracts across a register pair', () => {
    const m = machine(`
      mov x0, #0x1111
      mov x1, #-1
      extr x2, x1, x0, #4
      extr w3, w1, w0, #31
      ror x4, x0, #8
    `);
    m.run();
    expect(m.x(2)).toBe(0xf000000000000111n);
    expect(m.x(3)).toBe(0xfffffffen);
    expect(m.x(4)).toBe(0x1100000000000011n);
  });

  it('computes PC-relative addresses', () => {
    const m = machine(`
      adr x0, .
      adr x1, . + 12
      adrp x2, . + 0x3000
    `);
    m.run();
    expect(m.x(0)).toBe(0x40000000n);
    expect(m.x(1)).toBe(0x40000010n);
    expect(m.x(2)).toBe(0x40003000n);
  });
});
