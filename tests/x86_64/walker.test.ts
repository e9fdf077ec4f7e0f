import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../../board/memory/physical-memory';
import {
  PF_I, PF_P, PF_RSVD, PF_U, PF_W, PTE_A, PTE_D, PTE_HI_NX, PTE_P, PTE_PS, PTE_RW, PTE_US,
  VECTOR_GP, VECTOR_PF, walkX86, type X86PagingRegs,
} from '../../board/x86_64/walker';

const RAM = 0x4000_0000;
const PML4 = RAM + 0x1000;
const PDPT = RAM + 0x2000;
const PD = RAM + 0x3000;
const PT = RAM + 0x4000;
const DATA = RAM + 0x10_0000;
const ALL = PTE_P | PTE_RW | PTE_US;

function setEntry(mem: PhysicalMemory, table: number, index: number, lo: number, hi = 0): void {
  mem.write64(table + index * 8, lo >>> 0, hi >>> 0);
}

/** va 0x0040_1000 -> DATA through a 4 KiB page; leaf bits given. */
function build4k(leafLo: number, leafHi = 0, tableLo = ALL): PhysicalMemory {
  const mem = new PhysicalMemory(RAM, 4 * 1024 * 1024);
  setEntry(mem, PML4, 0, PDPT | tableLo);
  setEntry(mem, PDPT, 0, PD | tableLo);
  setEntry(mem, PD, 2, PT | tableLo);
  setEntry(mem, PT, 1, (DATA | leafLo) >>> 0, leafHi);
  return mem;
}

const VA = 0x0040_1000;
const regs: X86PagingRegs = { cr3: PML4, wp: true, nxe: true };

describe('x86_64 4-level walker', () => {
  it('translates a 4 KiB page and keeps the offset', () => {
    const mem = build4k(ALL);
    const r = walkX86(mem, regs, VA + 0x123, 'read', true);
    expect(r).toMatchObject({ ok: true, pa: DATA + 0x123, pageSize: 4096, writable: true, user: true, executable: true });
  });

  it('raises #PF with P=0 and CR2 for a missing entry at each level', () => {
    const mem = build4k(ALL);
    for (const va of [2 ** 39 * 3, 2 ** 30 * 5, 2 ** 21 * 7, VA + 0x5000]) {
      const r = walkX86(mem, regs, va + 8, 'write', true);
      expect(r).toEqual({ ok: false, vector: VECTOR_PF, errorCode: PF_W | PF_U, cr2: va + 8 });
    }
  });

  it('refuses a user access to a supervisor page (P=1, U=1)', () => {
    const mem = build4k(PTE_P | PTE_RW);
    const r = walkX86(mem, regs, VA, 'read', true);
    expect(r).toEqual({ ok: false, vector: VECTOR_PF, errorCode: PF_P | PF_U, cr2: VA });
    expect(walkX86(mem, regs, VA, 'read', false).ok).toBe(true);
  });

  it('applies read-only in any level, and CR0.WP to supervisor writes', () => {
    const mem = build4k(ALL, 0, PTE_P | PTE_US);
    expect(walkX86(mem, regs, VA, 'write', true)).toMatchObject({ ok: false, errorCode: PF_P | PF_W | PF_U });
    expect(walkX86(mem, regs, VA, 'write', false)).toMatchObject({ ok: false, errorCode: PF_P | PF_W });
    expect(walkX86(mem, { ...regs, wp: false }, VA, 'write', false)).toMatchObject({ ok: true, writable: false });
  });

  it('honours NX only with EFER.NXE, and sets I/D only then', () => {
    const mem = build4k(ALL, PTE_HI_NX);
    expect(walkX86(mem, regs, VA, 'fetch', true)).toMatchObject({ ok: false, errorCode: PF_P | PF_U | PF_I });
    expect(walkX86(mem, regs, VA, 'read', true)).toMatchObject({ ok: true, executable: false });
    // Without NXE bit 63 is reserved.
    expect(walkX86(mem, { ...regs, nxe: false }, VA, 'read', true)).toMatchObject({ ok: false, errorCode: PF_P | PF_U | PF_RSVD });
    const missing = walkX86(mem, { ...regs, nxe: false }, VA + 0x1000, 'fetch', true);
    expect(missing).toMatchObject({ ok: false, errorCode: PF_U });
  });

  it('reports reserved physical-address bits above MAXPHYADDR', () => {
    const mem = build4k(ALL, 0x0001_0000);
    expect(walkX86(mem, regs, VA, 'read', false)).toMatchObject({ ok: false, errorCode: PF_P | PF_RSVD });
  });

  it('sets A on every level and D on the leaf of a write only', () => {
    const mem = build4k(ALL);
    walkX86(mem, regs, VA, 'read', true);
    expect(mem.read64lo(PT + 8) & (PTE_A | PTE_D)).toBe(PTE_A);
    expect(mem.read64lo(PD + 16) & (PTE_A | PTE_D)).toBe(PTE_A);
    walkX86(mem, regs, VA, 'write', true);
    expect(mem.read64lo(PT + 8) & (PTE_A | PTE_D)).toBe(PTE_A | PTE_D);
    expect(mem.read64lo(PD + 16) & PTE_D).toBe(0);
  });

  it('does not set A or D on a faulting access', () => {
    const mem = build4k(PTE_P | PTE_US);
    walkX86(mem, regs, VA, 'write', true);
    expect(mem.read64lo(PT + 8) & (PTE_A | PTE_D)).toBe(0);
  });

  it('translates 2 MiB and 1 GiB pages and checks their reserved bits', () => {
    const mem = new PhysicalMemory(RAM, 4 * 1024 * 1024);
    setEntry(mem, PML4, 0, PDPT | ALL);
    setEntry(mem, PDPT, 1, 0x8000_0000 | ALL | PTE_PS); // 1 GiB at 0x8000_0000
    setEntry(mem, PDPT, 0, PD | ALL);
    setEntry(mem, PD, 3, 0x4060_0000 | ALL | PTE_PS); // 2 MiB
    expect(walkX86(mem, regs, 2 ** 30 + 0x1234_5678, 'read', true)).toMatchObject({ ok: true, pa: 0x8000_0000 + 0x1234_5678, pageSize: 2 ** 30 });
    expect(walkX86(mem, regs, 3 * 2 ** 21 + 0x1_2345, 'read', true)).toMatchObject({ ok: true, pa: 0x4060_0000 + 0x1_2345, pageSize: 2 ** 21 });
    setEntry(mem, PD, 3, 0x4060_2000 | ALL | PTE_PS); // bit 13 set in a 2 MiB entry
    expect(walkX86(mem, regs, 3 * 2 ** 21, 'read', true)).toMatchObject({ ok: false, errorCode: PF_P | PF_U | PF_RSVD });
    setEntry(mem, PDPT, 1, 0x8010_0000 | ALL | PTE_PS); // bit 20 set in a 1 GiB entry
    expect(walkX86(mem, regs, 2 ** 30, 'read', true)).toMatchObject({ ok: false, errorCode: PF_P | PF_U | PF_RSVD });
    setEntry(mem, PML4, 0, PDPT | ALL | PTE_PS); // PS is reserved in a PML4 entry
    expect(walkX86(mem, regs, 0, 'read', false)).toMatchObject({ ok: false, errorCode: PF_P | PF_RSVD });
  });

  it('walks the upper half and refuses non-canonical addresses with #GP', () => {
    const mem = build4k(ALL);
    setEntry(mem, PML4, 256, PDPT | ALL); // 0xFFFF_8000_0000_0000 shares the PDPT
    expect(walkX86(mem, regs, -(2 ** 47) + VA, 'read', false)).toMatchObject({ ok: true, pa: DATA });
    expect(walkX86(mem, regs, 2 ** 47, 'read', false)).toMatchObject({ ok: false, vector: VECTOR_GP });
  });
});
