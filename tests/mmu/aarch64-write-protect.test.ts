// The aarch64 backend's table-level write protection (APTable[1]) read back by
// the board's walker: what EL0 and EL1 may do before, after protection and after
// a split, and the TLB maintenance each step asks for.
import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../../board/memory/physical-memory';
import { walk } from '../../board/aarch64/mmu/walk';
import { Perm } from '../../board/aarch64/mmu/types';
import { createAarch64Mmu } from '../../kernel/arch/aarch64/mmu';
import { stage1Regs } from '../../kernel/arch/aarch64/translation-regime';
import type { PageAttrs, TlbHooks } from '../../kernel/arch/arch';
import { bumpFrames } from './bump-frames';

const RAM = 0x4000_0000;
const SPAN = 2 * 1024 * 1024;
const BASE = 0x20_0000_0000;
const rw: PageAttrs = { read: true, write: true, exec: false, user: true, global: false, device: false };

function rig() {
  const mem = new PhysicalMemory(RAM, 4 * 1024 * 1024);
  const log: string[] = [];
  const tlb: TlbHooks = {
    invalidatePage: (asid, va) => void log.push(`page ${va.toString(16)}`),
    invalidateAsid: (asid) => void log.push(`asid ${asid}`),
    invalidateAll: () => void log.push('all'),
  };
  const mmu = createAarch64Mmu(mem, bumpFrames(RAM + 0x10_0000), tlb);
  const root = mmu.createRoot();
  root.asid = 7;
  const perms = (va: number) => {
    const r = walk(mem, stage1Regs(root, root), va % 2 ** 32 >>> 0, Math.floor(va / 2 ** 32));
    return r.ok ? r.perms : -1;
  };
  return { mmu, root, log, perms };
}

describe('aarch64 table-level write protection', () => {
  it('takes write away from EL0 and EL1 below a table entry, and a split changes no effective permission', () => {
    const { mmu, root, log, perms } = rig();
    // Two whole leaf tables and three pages of a third, plus a read-only page.
    const vas = [0, 1, 511, 512, 1000, 1024, 1025, 1026].map((p) => BASE + p * 4096);
    vas.forEach((va, i) => mmu.map(root, va, RAM + i * 4096, rw));
    mmu.map(root, BASE + 7 * 4096, RAM + 0x2_0000, { ...rw, write: false });
    const writable = Perm.El0Write | Perm.El1Write;
    for (const va of vas) expect(perms(va) & writable).toBe(writable);
    log.length = 0;

    const count = mmu.writeProtectRange(root, BASE, BASE + 2 * SPAN + 3 * 4096);
    expect(count).toEqual({ tables: 2, leaves: 3 });
    // One ASID flush for the table entries, one page each for the single leaves.
    expect(log.sort()).toEqual(['asid 7', ...[1024, 1025, 1026].map((p) => `page ${(BASE + p * 4096).toString(16)}`)].sort());
    const before = vas.map(perms);
    for (const p of before) {
      expect(p & writable).toBe(0);
      expect(p & Perm.El0Read).toBe(Perm.El0Read);
    }
    expect(mmu.query(root, vas[0])).toMatchObject({ attrs: { write: false }, cow: true });

    log.length = 0;
    // Lifting the first table's protection: one table entry cleared, its three writable leaves made read-only.
    expect(mmu.splitWriteProtection(root, vas[1])).toBe(1 + 3);
    expect(vas.map(perms)).toEqual(before);
    expect(perms(BASE + 7 * 4096) & writable).toBe(0);
    expect(log).toEqual([]);
    // Nothing left to lift on that walk; the second table is still protected as a whole.
    expect(mmu.splitWriteProtection(root, vas[1])).toBe(0);
    expect(mmu.splitWriteProtection(root, vas[3])).toBe(1 + 2);
    expect(mmu.query(root, vas[0])).toMatchObject({ attrs: { write: false }, cow: true });
    mmu.map(root, vas[0], RAM, rw);
    expect(perms(vas[0]) & writable).toBe(writable);
  });

  it('refuses a range that is not whole user pages', () => {
    const { mmu, root } = rig();
    expect(() => mmu.writeProtectRange(root, BASE + 1, BASE + 4096)).toThrow(/whole user pages/);
    expect(() => mmu.writeProtectRange(root, BASE, BASE)).toThrow(/whole user pages/);
    expect(() => mmu.writeProtectRange(root, -4096, 0)).toThrow(/whole user pages/);
  });
});
