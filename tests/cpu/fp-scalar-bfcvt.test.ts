import { describe, expect, it } from 'vitest';
import { machine } from './machine';

// BFCVT Hd, Sn (FEAT_BF16): single to BFloat16 under FPCR's rounding mode.
function bfcvt(single: number, fpcr = 0): { h: number; fpsr: number } {
  const m = machine(`
    .arch armv8.6-a+bf16
    fmov s1, w0
    msr fpcr, x2
    bfcvt h0, s1
    fmov w3, s0
    mrs x4, fpsr
  `, (cpu) => {
    cpu.state.setX(0, single);
    cpu.state.setX(2, fpcr);
  });
  m.run();
  return { h: m.w(3), fpsr: m.w(4) };
}

describe('BFCVT', () => {
  it('keeps exactly representable values', () => {
    expect(bfcvt(0x3f800000)).toEqual({ h: 0x3f80, fpsr: 0 });
    expect(bfcvt(0xc0490000)).toEqual({ h: 0xc049, fpsr: 0 });
  });

  it('rounds to nearest even and raises inexact', () => {
    expect(bfcvt(0x3f808000).h).toBe(0x3f80); // tie, even stays
    expect(bfcvt(0x3f818000).h).toBe(0x3f82); // tie, odd rounds up
    expect(bfcvt(0x3f808001)).toEqual({ h: 0x3f81, fpsr: 0x10 });
  });

  it('follows FPCR.RMode (round towards zero) and DN', () => {
    expect(bfcvt(0x3f80ffff, 3 << 22).h).toBe(0x3f80);
    expect(bfcvt(0x7f800001, 1 << 25)).toEqual({ h: 0x7fc0, fpsr: 1 }); // signalling NaN -> default NaN, IOC
  });
});
