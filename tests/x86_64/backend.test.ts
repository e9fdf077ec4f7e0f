import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../../board/memory/physical-memory';
import { PF_I, PF_P, PF_U, PF_W, walkX86 } from '../../board/x86_64/walker';
import { NO_TLB, type TlbHooks } from '../../kernel/arch/arch';
import { createX86Mmu } from '../../kernel/arch/x86_64/mmu';
import { bumpFrames } from '../mmu/bump-frames';

const RAM = 0x4000_0000;
const user = { read: true, write: true, exec: false, user: true, global: false, device: false };

function setup(tlb: TlbHooks = NO_TLB) {
  const mem = new PhysicalMemory(RAM, 1 << 20);
  const freed: number[] = [];
  const mmu = createX86Mmu(mem, bumpFrames(RAM + 0x8_0000, (pa) => freed.push(pa)), tlb);
  return { mem, mmu, root: mmu.createRoot(), freed };
}

describe('x86_64 backend', () => {
  it('writes entries the walker honours: RW, US, NX, G, PCD/PWT', () => {
    const { mem, mmu, root } = setup();
    mmu.map(root, 0x1000, RAM + 0x1000, user);
    mmu.map(root, -(2 ** 47), RAM + 0x2000, { ...user, user: false, write: false, exec: true, global: true, device: true });
    const regs = { cr3: root.pa, wp: true, nxe: true };
    expect(walkX86(mem, regs, 0x1004, 'write', true)).toMatchObject({ ok: true, pa: RAM + 0x1004, executable: false });
    expect(walkX86(mem, regs, 0x1004, 'fetch', true)).toMatchObject({ ok: false, errorCode: PF_P | PF_U | PF_I });
    expect(walkX86(mem, regs, -(2 ** 47), 'read', true)).toMatchObject({ ok: false, errorCode: PF_P | PF_U });
    expect(walkX86(mem, regs, -(2 ** 47), 'fetch', false)).toMatchObject({ ok: true, global: true });
    const leaf = mmu.query(root, -(2 ** 47))!;
    expect(leaf.attrs).toMatchObject({ device: true, global: true, write: false, user: false });
    expect(mmu.countTables(root)).toBe(7);
  });

  it('decodes #PF error codes, recognising old pages as access-flag faults', () => {
    const { mem, mmu, root } = setup();
    mmu.map(root, 0x5000, RAM + 0x5000, user, { old: true });
    const regs = { cr3: root.pa, wp: true, nxe: true };
    const f = walkX86(mem, regs, 0x5008, 'write', true);
    expect(f.ok).toBe(false);
    const raw = { syndrome: f.ok ? 0 : f.errorCode, addressLo: 0x5008, addressHi: 0 };
    expect(mmu.decodeFault(raw, root)).toEqual({ address: 0x5008, access: 'write', kind: 'access-flag', user: true });
    expect(mmu.decodeFault({ ...raw, syndrome: PF_W | PF_U }, undefined)).toMatchObject({ kind: 'not-present' });
    expect(mmu.markAccessed(root, 0x5000)).toBe(true);
    expect(walkX86(mem, regs, 0x5008, 'write', true)).toMatchObject({ ok: true, pa: RAM + 0x5008 });
    expect(mmu.query(root, 0x5000)).toMatchObject({ accessed: true, dirty: true });
    expect(mmu.decodeFault({ syndrome: 0x8 | PF_P, addressLo: 0, addressHi: 0 }, root)).toBeNull();
  });

  it('invalidates the TLB on unmap and protect, and destroy returns every table', () => {
    const calls: string[] = [];
    const tlb: TlbHooks = { invalidatePage: (a, va) => calls.push(`page ${a} ${va}`), invalidateAsid: (a) => calls.push(`asid ${a}`), invalidateAll: () => calls.push('all') };
    const { mmu, root, freed } = setup(tlb);
    root.asid = 7;
    mmu.map(root, 0x1000, RAM, user);
    expect(calls).toEqual([]);
    expect(mmu.protect(root, 0x1000, { ...user, write: false }, { cow: true })).toBe(true);
    expect(mmu.query(root, 0x1000)).toMatchObject({ cow: true, attrs: { write: false } });
    expect(mmu.unmap(root, 0x1000)).toMatchObject({ pa: RAM, cow: true });
    expect(mmu.unmap(root, 0x1000)).toBeNull();
    expect(calls).toEqual(['page 7 4096', 'page 7 4096']);
    const tables = mmu.destroyRoot(root);
    expect(tables.length).toBe(4);
    expect(tables[0]).toBe(root.pa);
    expect(freed).toEqual([]);
  });
});
