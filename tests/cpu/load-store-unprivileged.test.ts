// LDTR/STTR at EL1 check EL0 permissions; unallocated load/store encodings are UNDEFINED.

import { describe, expect, it } from 'vitest';
import type { Cpu } from '../../board/aarch64/cpu';
import { DATA, le64, mem64, prepared } from './load-store-harness';
import { RAM_BASE } from './machine';

const TABLE = DATA + 0x10000;
/** VA 0x8000_0000 aliases PA 0x4000_0000 with EL0 access; VA 0x4000_0000 is EL1-only. */
const EL0_ALIAS = 0x8000_0000 - RAM_BASE;
const VECTORS = RAM_BASE + 0x800;

function el1WithMmu(cpu: Cpu): void {
  const block = (pa: number, ap: number) => pa | (1 << 10) | (3 << 8) | (ap << 6) | 1;
  cpu.phys.write64(TABLE + 8, block(RAM_BASE, 0), 0);
  cpu.phys.write64(TABLE + 16, block(RAM_BASE, 1), 0);
  cpu.phys.write32(VECTORS + 0x200, 0x14000000); // b . (current EL with SP_EL1)
  cpu.vbar = VECTORS;
  cpu.setTranslationReg('mair', 0xff, 0);
  cpu.setTranslationReg('tcr', 25 | (1 << 23), 0);
  cpu.setTranslationReg('ttbr0', TABLE, 0);
  cpu.setTranslationReg('sctlr', 1, 0);
  cpu.setEl(1);
}

describe('unprivileged loads and stores (LDTR/STTR)', () => {
  it('use EL0 permissions at EL1: allowed on an EL0 page, a permission fault on an EL1-only page', () => {
    const m = prepared(
      `
      ldr x4, [x10]
      ldtr x1, [x11]
      sttr x1, [x11, #8]
      ldtrsb x2, [x11, #16]
      sttrh w2, [x11, #24]
      ldtrsw x5, [x11, #32]
      ldtr x3, [x10]
    `,
      {
        x: { 3: 0x33, 11: DATA + EL0_ALIAS },
        mem: [[0, [...le64(0x0102030405060708n), 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff]]],
        init: el1WithMmu,
      },
    );
    m.cpu.run(100);
    const esr = m.cpu.sysregs.getLo('ESR_EL1');
    expect(esr >>> 26).toBe(0x25); // data abort from the current EL
    expect(esr & 0x3f).toBe(0x0d); // permission fault, level 1
    expect(m.cpu.elr).toBe(RAM_BASE + 24);
    expect(m.cpu.far).toBe(DATA);
    expect(m.x(4)).toBe(0x0102030405060708n);
    expect(m.x(1)).toBe(0x0102030405060708n);
    expect(mem64(m, 8)).toBe(0x0102030405060708n);
    expect(m.x(2)).toBe(0xffffffffffffff80n);
    expect(mem64(m, 24)).toBe(0xff80n);
    expect(m.x(5)).toBe(0xfffffffffffffffen);
    expect(m.x(3)).toBe(0x33n);
  });
});

describe('unallocated load/store encodings', () => {
  const words: [string, number][] = [
    ['LDRSW-like size 10 opc 11 (unsigned offset)', 0xb9c00141],
    ['PRFM pre-index', 0xf8800d41],
    ['SIMD&FP opc 1x with size 01', 0x7d800141],
    ['LDTR with V = 1', 0x3c400941],
    ['register offset with extend option 000', 0xf8620941],
    ['LDPSW no-allocate', 0x68400541],
    ['STGP (not provided)', 0x69000541],
    ['LDP opc 11', 0xe9400541],
    ['CASP with an odd Rs', 0x48217d42],
    ['LD2 of .1d', 0x0c408d41],
    ['LD1R with S = 1', 0x0d40d141],
    ['LD1 single H with size<0> = 1', 0x0d404541],
    ['LDAPR with Rs != 31', 0xf8a0c141],
    ['ST64BV0 (not provided)', 0xf8209141],
  ];
  for (const [name, word] of words) {
    it(`${name} is UNDEFINED`, () => {
      const m = prepared(`.inst 0x${word.toString(16)}`);
      expect(m.run()).toBe(0);
      expect((m.cpu.lastUndefined?.insn ?? 0) >>> 0).toBe(word);
    });
  }
});
