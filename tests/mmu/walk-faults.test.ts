import { describe, expect, it } from 'vitest';
import { currentAsid, walk } from '../../board/aarch64/mmu/walk';
import type { WalkResult } from '../../board/aarch64/mmu/types';
import { blockDesc, D, makeRegs, pageDesc, RAM_BASE, smallRam, TableBuilder, tableDesc, vaHalves, writeDesc, type RegOptions } from './page-table-builder';

function run(b: TableBuilder, va: bigint, o: RegOptions = {}, paRangeBits?: number): WalkResult {
  const regs = makeRegs({ ttbr0: b.root, ttbr1: b.root, ...o });
  const [lo, hi] = vaHalves(va);
  return walk(b.mem, regs, lo, hi, paRangeBits);
}

const T0 = { ok: false, kind: 'translation', level: 0 };

describe('address range and TBI', () => {
  const b = new TableBuilder(smallRam(), 12, 48);
  b.set(0x0000_0000_0040_0000n, 3, pageDesc(0x4000_0000n));
  b.set(0x0000_ffff_ffff_f000n, 3, pageDesc(0x4000_1000n)); // the same index bits as 0xffff_ffff_ffff_f000

  it('faults at level 0 outside both TTBR ranges', () => {
    expect(run(b, 0x0001_0000_0040_0000n)).toEqual(T0);
    expect(run(b, 0x8000_0000_0040_0000n)).toEqual(T0);
    expect(run(b, 0x00ff_0000_0040_0000n)).toEqual(T0);
    expect(run(b, 0xfffe_ffff_ffff_f000n)).toEqual(T0);
    expect(run(b, 0xffff_ffff_ffff_f000n)).toMatchObject({ ok: true, pagePa: 0x4000_1000 });
  });

  it('ignores the top byte of TTBR0 addresses only when TBI0 is set', () => {
    expect(run(b, 0x5a00_0000_0040_0000n)).toEqual(T0);
    expect(run(b, 0x5a00_0000_0040_0000n, { tbi0: true })).toMatchObject({ ok: true, pagePa: 0x4000_0000 });
    expect(run(b, 0x5a00_0000_0040_0000n, { tbi1: true })).toEqual(T0);
    // bits 55..48 still count with TBI
    expect(run(b, 0x5a01_0000_0040_0000n, { tbi0: true })).toEqual(T0);
  });

  it('ignores the top byte of TTBR1 addresses only when TBI1 is set', () => {
    expect(run(b, 0x12ff_ffff_ffff_f000n)).toEqual(T0);
    expect(run(b, 0x12ff_ffff_ffff_f000n, { tbi1: true })).toMatchObject({ ok: true, pagePa: 0x4000_1000 });
    expect(run(b, 0x12ff_ffff_ffff_f000n, { tbi0: true })).toEqual(T0);
  });

  it('faults at level 0 when EPD0 or EPD1 disables a half', () => {
    expect(run(b, 0x40_0000n, { epd0: true })).toEqual(T0);
    expect(run(b, 0x40_0000n, { epd1: true })).toMatchObject({ ok: true });
    expect(run(b, 0xffff_ffff_ffff_f000n, { epd1: true })).toEqual(T0);
    expect(run(b, 0xffff_ffff_ffff_f000n, { epd0: true })).toMatchObject({ ok: true });
  });
});

describe('access flag', () => {
  it('gives an access-flag fault at the leaf level for pages and blocks', () => {
    const b = new TableBuilder(smallRam(), 12, 48);
    b.set(0x1000n, 3, pageDesc(0x4000_0000n, D.ap(1)));
    b.set(0x4000_0000n, 1, blockDesc(0x4000_0000n, 0n));
    b.set(0x20_0000n, 2, blockDesc(0x4000_0000n, 0n));
    expect(run(b, 0x1000n)).toEqual({ ok: false, kind: 'access-flag', level: 3 });
    expect(run(b, 0x4000_0000n)).toEqual({ ok: false, kind: 'access-flag', level: 1 });
    expect(run(b, 0x20_0000n)).toEqual({ ok: false, kind: 'access-flag', level: 2 });
  });
});

describe('address-size faults', () => {
  it('checks leaf output addresses against IPS', () => {
    const b = new TableBuilder(smallRam(), 12, 48);
    b.set(0x1000n, 3, pageDesc(0x1_0000_0000n));
    b.set(0x2000n, 3, pageDesc(0xffff_f000n));
    b.set(0x4000_0000n, 1, blockDesc(0xff_c000_0000n));
    b.set(0x8000_0000n, 1, blockDesc(0x100_0000_0000n));
    expect(run(b, 0x1000n, { ips: 0 })).toEqual({ ok: false, kind: 'address-size', level: 3 });
    expect(run(b, 0x2000n, { ips: 0 })).toMatchObject({ ok: true, pagePa: 0xffff_f000 });
    expect(run(b, 0x1000n, { ips: 1 })).toMatchObject({ ok: true, pagePa: 0x1_0000_0000 });
    expect(run(b, 0x4000_0000n, { ips: 2 })).toMatchObject({ ok: true, pagePa: 0xff_c000_0000 });
    expect(run(b, 0x8000_0000n, { ips: 2 })).toEqual({ ok: false, kind: 'address-size', level: 1 });
    expect(run(b, 0x8000_0000n, { ips: 3 })).toMatchObject({ ok: true });
  });

  it('limits IPS by the implemented PA range', () => {
    const b = new TableBuilder(smallRam(), 12, 48);
    b.set(0x1000n, 3, pageDesc(0x1000_0000_0000n)); // bit 44
    expect(run(b, 0x1000n, { ips: 5 })).toMatchObject({ ok: true });
    expect(run(b, 0x1000n, { ips: 5 }, 44)).toEqual({ ok: false, kind: 'address-size', level: 3 });
    expect(run(b, 0x1000n, { ips: 4 })).toEqual({ ok: false, kind: 'address-size', level: 3 });
  });

  it('checks next-level table addresses at the level of the table descriptor', () => {
    const b = new TableBuilder(smallRam(), 12, 48);
    writeDesc(b.mem, b.slot(0x1000n, 2), tableDesc(0x1_0000_0000n));
    expect(run(b, 0x1000n, { ips: 0 })).toEqual({ ok: false, kind: 'address-size', level: 2 });
  });

  it('checks the TTBR base address, reported at level 0', () => {
    const b = new TableBuilder(smallRam(), 12, 48);
    expect(run(b, 0x1000n, { ips: 0, ttbr0: 0x1_0000_0000n })).toEqual({ ok: false, kind: 'address-size', level: 0 });
  });

  it('reports an oversized output address before a clear access flag', () => {
    const b = new TableBuilder(smallRam(), 12, 48);
    b.set(0x1000n, 3, pageDesc(0x1_0000_0000n, 0n));
    expect(run(b, 0x1000n, { ips: 0 })).toEqual({ ok: false, kind: 'address-size', level: 3 });
    expect(run(b, 0x1000n, { ips: 5 })).toEqual({ ok: false, kind: 'access-flag', level: 3 });
  });

  it('ignores bits [15:12] of a 64 KiB descriptor (RES0 without FEAT_LPA, as QEMU does)', () => {
    const b = new TableBuilder(smallRam(), 16, 48);
    b.set(0x1_0000n, 3, pageDesc(0x5_0000n | 0x1000n));
    expect(run(b, 0x1_8000n, { tg0: 1 })).toMatchObject({ ok: true, pagePa: 0x5_8000 });
  });
});

describe('external aborts on table reads', () => {
  it('reports a table outside RAM at the level that reads it', () => {
    const b = new TableBuilder(smallRam(), 12, 48);
    writeDesc(b.mem, b.slot(0x1000n, 1), tableDesc(0x1000_0000n)); // below RAM
    expect(run(b, 0x1000n)).toEqual({ ok: false, kind: 'translation', level: 2, externalAbort: true });
    expect(run(b, 0x1000n, { ttbr0: BigInt(RAM_BASE + 64 * 1024 * 1024) })).toEqual({
      ok: false,
      kind: 'translation',
      level: 0,
      externalAbort: true,
    });
  });
});

describe('currentAsid', () => {
  const ttbr0 = (0xbeefn << 48n) | 0x4000_0000n;
  const ttbr1 = (0x1234n << 48n) | 0x4000_1000n;
  it('takes the ASID from TTBR0 unless TCR.A1 selects TTBR1', () => {
    expect(currentAsid(makeRegs({ ttbr0, ttbr1, as16: true }))).toBe(0xbeef);
    expect(currentAsid(makeRegs({ ttbr0, ttbr1, as16: true, a1: true }))).toBe(0x1234);
  });
  it('keeps 8 bits unless TCR.AS selects 16', () => {
    expect(currentAsid(makeRegs({ ttbr0, ttbr1 }))).toBe(0xef);
    expect(currentAsid(makeRegs({ ttbr0, ttbr1, a1: true }))).toBe(0x34);
  });
});
