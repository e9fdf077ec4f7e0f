import { describe, expect, it } from 'vitest';
import { walk } from '../../board/aarch64/mmu/walk';
import type { WalkOk, WalkResult } from '../../board/aarch64/mmu/types';
import { blockDesc, D, makeRegs, pageDesc, RAM_BASE, smallRam, TableBuilder, vaHalves, type RegOptions } from './page-table-builder';

function ok(r: WalkResult): WalkOk {
  if (!r.ok) throw new Error(`expected a translation, got ${r.kind} fault at level ${r.level}`);
  return r;
}

function run(b: TableBuilder, va: bigint, o: RegOptions = {}): WalkResult {
  const upper = (va >> 55n) & 1n;
  const regs = makeRegs(upper ? { ttbr1: b.root, ...o } : { ttbr0: b.root, ...o });
  const [lo, hi] = vaHalves(va);
  return walk(b.mem, regs, lo, hi);
}

describe('4 KiB granule, 48-bit input (start level 0)', () => {
  it('translates a page through four levels', () => {
    const b = new TableBuilder(smallRam(), 12, 48);
    expect(b.startLevel).toBe(0);
    b.set(0x0000_7f12_3456_7000n, 3, pageDesc(0x8_9abc_d000n));
    const r = ok(run(b, 0x0000_7f12_3456_7abcn));
    expect(r.pagePa).toBe(0x8_9abc_d000);
    expect(r.level).toBe(3);
    expect(r.blockSize).toBe(4096);
    // a neighbour page is unmapped: translation fault at level 3
    expect(run(b, 0x0000_7f12_3456_8000n)).toEqual({ ok: false, kind: 'translation', level: 3 });
  });

  it('translates 2 MiB blocks at level 2 and 1 GiB blocks at level 1, giving the 4 KiB page inside', () => {
    const b = new TableBuilder(smallRam(), 12, 48);
    b.set(0x0000_0040_0020_0000n, 2, blockDesc(0x1_2340_0000n));
    b.set(0x0000_0080_4000_0000n, 1, blockDesc(0x3_c000_0000n));
    const r2 = ok(run(b, 0x0000_0040_0021_2345n));
    expect([r2.pagePa, r2.level, r2.blockSize]).toEqual([0x1_2341_2000, 2, 2 * 1024 * 1024]);
    const r1 = ok(run(b, 0x0000_0080_7fff_f123n));
    expect([r1.pagePa, r1.level, r1.blockSize]).toEqual([0x3_ffff_f000, 1, 1024 * 1024 * 1024]);
  });

  it('rejects a block at level 0 and a block-type (01) descriptor at level 3', () => {
    const b = new TableBuilder(smallRam(), 12, 48);
    b.set(0x0000_0100_0000_0000n, 0, blockDesc(0n));
    expect(run(b, 0x0000_0100_0000_0000n)).toEqual({ ok: false, kind: 'translation', level: 0 });
    b.set(0x0000_0000_0000_5000n, 3, blockDesc(0x4000_0000n));
    expect(run(b, 0x0000_0000_0000_5000n)).toEqual({ ok: false, kind: 'translation', level: 3 });
  });

  it('reports an invalid descriptor at the level where it is found', () => {
    const b = new TableBuilder(smallRam(), 12, 48);
    expect(run(b, 0x0000_1000_0000_0000n)).toEqual({ ok: false, kind: 'translation', level: 0 });
    b.slot(0x0000_1000_0000_0000n, 1); // creates level-0 table descriptor only
    expect(run(b, 0x0000_1000_0000_0000n)).toEqual({ ok: false, kind: 'translation', level: 1 });
    b.slot(0x0000_1000_0000_0000n, 2);
    expect(run(b, 0x0000_1000_0000_0000n)).toEqual({ ok: false, kind: 'translation', level: 2 });
    // a descriptor with bit 0 clear is invalid whatever else it holds
    b.set(0x0000_1000_0000_0000n, 2, blockDesc(0x4000_0000n) & ~1n);
    expect(run(b, 0x0000_1000_0000_0000n)).toEqual({ ok: false, kind: 'translation', level: 2 });
  });

  it('translates through TTBR1 for upper-half addresses', () => {
    const b = new TableBuilder(smallRam(), 12, 48);
    b.set(0xffff_8000_4000_1000n, 3, pageDesc(0x4000_1000n));
    const r = ok(run(b, 0xffff_8000_4000_1fffn));
    expect(r.pagePa).toBe(0x4000_1000);
    // the same tables in TTBR0 do not serve the upper half
    const regs = makeRegs({ ttbr0: b.root });
    const [lo, hi] = vaHalves(0xffff_8000_4000_1000n);
    expect(walk(b.mem, regs, lo, hi)).toMatchObject({ ok: false, kind: 'translation' });
  });

  it('ignores the low bits of TTBR below the table alignment (CnP)', () => {
    const b = new TableBuilder(smallRam(), 12, 48);
    b.set(0x1000n, 3, pageDesc(0x7000n));
    expect(ok(run(b, 0x1000n, { ttbr0: b.root | 1n })).pagePa).toBe(0x7000);
  });
});

describe('TxSZ and the starting level (4 KiB granule)', () => {
  const cases: Array<[number, number]> = [
    [16, 0],
    [24, 0], // 40 bits: a two-entry level-0 table
    [25, 1], // 39 bits: three levels
    [33, 1], // 31 bits: a two-entry level-1 table
    [34, 2], // 30 bits
    [39, 2], // 25 bits
  ];
  for (const [t0sz, level] of cases) {
    it(`T0SZ=${t0sz} starts at level ${level}`, () => {
      const b = new TableBuilder(smallRam(), 12, 64 - t0sz);
      expect(b.startLevel).toBe(level);
      const top = (1n << BigInt(64 - t0sz)) - 0x1000n; // highest page of the range
      b.set(top, 3, pageDesc(0x5_0000_0000n));
      b.set(0x2000n, 3, pageDesc(0x6000n));
      expect(ok(run(b, top + 0x10n, { t0sz })).pagePa).toBe(0x5_0000_0000);
      expect(ok(run(b, 0x2000n, { t0sz })).pagePa).toBe(0x6000);
      // one past the top of the range is outside TTBR0's region
      expect(run(b, top + 0x1000n, { t0sz })).toEqual({ ok: false, kind: 'translation', level: 0 });
    });
  }

  it('T1SZ sizes the upper region from the top', () => {
    const b = new TableBuilder(smallRam(), 12, 39);
    b.set(0xffff_ff80_0000_0000n, 3, pageDesc(0x9000n));
    expect(ok(run(b, 0xffff_ff80_0000_0000n, { t1sz: 25 })).pagePa).toBe(0x9000);
    expect(run(b, 0xffff_ff7f_ffff_f000n, { t1sz: 25 })).toEqual({ ok: false, kind: 'translation', level: 0 });
  });

  it('treats T0SZ below 16 as 16 and above 39 as 39', () => {
    const b48 = new TableBuilder(smallRam(), 12, 48);
    b48.set(0x0000_8000_0000_0000n - 0x1000n, 3, pageDesc(0x3000n));
    expect(ok(run(b48, 0x0000_7fff_ffff_f000n, { t0sz: 10 })).pagePa).toBe(0x3000);
    expect(run(b48, 0x0001_0000_0000_0000n, { t0sz: 10 })).toMatchObject({ ok: false, level: 0 });
    const b25 = new TableBuilder(smallRam(), 12, 25);
    b25.set(0x1ff_f000n, 3, pageDesc(0x4000n));
    expect(ok(run(b25, 0x1ff_f000n, { t0sz: 45 })).pagePa).toBe(0x4000);
  });
});

describe('16 KiB granule', () => {
  it('starts at level 0 with a two-entry table for 48 bits and maps pages and 32 MiB blocks', () => {
    const b = new TableBuilder(smallRam(), 14, 48);
    expect(b.startLevel).toBe(0);
    b.set(0x0000_8123_4567_8000n, 3, pageDesc(0x2_0000_c000n));
    const r = ok(run(b, 0x0000_8123_4567_b004n, { tg0: 2 }));
    expect([r.pagePa, r.level, r.blockSize]).toEqual([0x2_0000_f000, 3, 16384]);
    b.set(0x0000_0000_0200_0000n, 2, blockDesc(0x1_0200_0000n));
    const rb = ok(run(b, 0x0000_0000_03ff_f000n, { tg0: 2 }));
    expect([rb.pagePa, rb.level, rb.blockSize]).toEqual([0x1_03ff_f000, 2, 32 * 1024 * 1024]);
  });

  it('rejects blocks at level 1', () => {
    const b = new TableBuilder(smallRam(), 14, 48);
    b.set(0x0000_0010_0000_0000n, 1, blockDesc(0n));
    expect(run(b, 0x0000_0010_0000_0000n, { tg0: 2 })).toEqual({ ok: false, kind: 'translation', level: 1 });
  });

  it('is selected for TTBR1 by TG1 = 01', () => {
    const b = new TableBuilder(smallRam(), 14, 47);
    expect(b.startLevel).toBe(1);
    b.set(0xffff_8000_0000_4000n, 3, pageDesc(0x4000_4000n));
    expect(ok(run(b, 0xffff_8000_0000_4000n, { t1sz: 17, tg1: 1 })).blockSize).toBe(16384);
  });
});

describe('64 KiB granule', () => {
  it('starts at level 1 for 48 bits and maps pages and 512 MiB blocks', () => {
    const b = new TableBuilder(smallRam(), 16, 48);
    expect(b.startLevel).toBe(1);
    b.set(0x0000_ffff_0001_0000n, 3, pageDesc(0x7_0005_0000n));
    const r = ok(run(b, 0x0000_ffff_0001_9abcn, { tg0: 1 }));
    expect([r.pagePa, r.level, r.blockSize]).toEqual([0x7_0005_9000, 3, 65536]);
    b.set(0x0000_0000_2000_0000n, 2, blockDesc(0x2000_0000n));
    const rb = ok(run(b, 0x0000_0000_2abc_d000n, { tg0: 1 }));
    expect([rb.pagePa, rb.level, rb.blockSize]).toEqual([0x2abc_d000, 2, 512 * 1024 * 1024]);
  });

  it('starts at level 2 for 42 bits and at level 3 for 25 bits', () => {
    const b = new TableBuilder(smallRam(), 16, 42);
    expect(b.startLevel).toBe(2);
    b.set(0x3ff_fff0_0000n, 3, pageDesc(0x1_0000n));
    expect(ok(run(b, 0x3ff_fff0_0000n, { tg0: 1, t0sz: 22 })).pagePa).toBe(0x1_0000);
    const c = new TableBuilder(smallRam(), 16, 25);
    expect(c.startLevel).toBe(3);
    c.set(0x1ff_0000n, 3, pageDesc(0x5_0000n));
    expect(ok(run(c, 0x1ff_8000n, { tg0: 1, t0sz: 39 })).pagePa).toBe(0x5_8000);
  });

  it('is selected for TTBR1 by TG1 = 11', () => {
    const b = new TableBuilder(smallRam(), 16, 48);
    b.set(0xffff_0000_0001_0000n, 3, pageDesc(0x4001_0000n));
    expect(ok(run(b, 0xffff_0000_0001_0000n, { tg1: 3 })).blockSize).toBe(65536);
  });
});

describe('attributes', () => {
  it('reads Device or Normal from MAIR through AttrIndx, in both MAIR halves', () => {
    const b = new TableBuilder(smallRam(), 12, 48);
    // attr0 Normal WB, attr1 Device-nGnRE, attr2 Normal NC, attr5 Device-GRE, attr6 Normal WT, others Device-nGnRnE
    const mair = 0xffn | (0x04n << 8n) | (0x44n << 16n) | (0x0cn << 40n) | (0xbbn << 48n);
    const expectDevice = [false, true, false, true, true, true, false, true];
    for (let i = 0; i < 8; i++) {
      const va = BigInt(0x10000 + i * 0x1000);
      b.set(va, 3, pageDesc(0x4000_0000n, D.af | D.attrIndx(i)));
      expect(ok(run(b, va, { mair })).device, `AttrIndx ${i}`).toBe(expectDevice[i]);
    }
  });

  it('reports nG as a non-global entry', () => {
    const b = new TableBuilder(smallRam(), 12, 48);
    b.set(0x1000n, 3, pageDesc(0x1000n));
    b.set(0x2000n, 3, pageDesc(0x2000n, D.af | D.nG));
    expect(ok(run(b, 0x1000n)).global).toBe(true);
    expect(ok(run(b, 0x2000n)).global).toBe(false);
  });

  it('walks tables anywhere in RAM', () => {
    const mem = smallRam();
    const b = new TableBuilder(mem, 12, 48, BigInt(RAM_BASE + 0x30_0000));
    b.set(0x0000_4000_0000_0000n, 3, pageDesc(0xabc_d000n));
    expect(ok(run(b, 0x0000_4000_0000_0000n)).pagePa).toBe(0xabc_d000);
  });
});
