import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, newMachine, RAM_BASE, RAM_SIZE, checkMachines } from './backends';
import { walk as walkA64 } from '../../board/aarch64/mmu/walk';
import { Perm } from '../../board/aarch64/mmu/types';
import { walkX86 } from '../../board/x86_64/walker';
import { stage1Regs } from '../../kernel/arch/aarch64/translation-regime';
import type { TableRoot } from '../../kernel/arch/arch';
import type { PhysicalMemory } from '../../board/memory/physical-memory';
import { buildDirectMap, DIRECT_MAP_BASE, directMapVa } from '../../kernel/mm/direct-map';

// After each test: the tier invariants hold in every machine it made (kernel/mm/tier-invariants.ts).
afterEach(checkMachines);

type KWalk = { ok: boolean; pa?: number; kernelWrite?: boolean; userRead?: boolean };

function kernelWalk(name: string, mem: PhysicalMemory, root: TableRoot, va: number): KWalk {
  if (name === 'x86_64') {
    const k = walkX86(mem, { cr3: root.pa, wp: true, nxe: true }, va, 'write', false);
    const u = walkX86(mem, { cr3: root.pa, wp: true, nxe: true }, va, 'read', true);
    return k.ok ? { ok: true, pa: k.pa, kernelWrite: true, userRead: u.ok } : { ok: false };
  }
  const lo = ((va % 2 ** 32) + 2 ** 32) % 2 ** 32;
  const hi = Math.floor(va / 2 ** 32) >>> 0;
  const r = walkA64(mem, stage1Regs(root, root), lo >>> 0, hi);
  if (!r.ok) return { ok: false };
  return { ok: true, pa: r.pagePa + (lo % 4096), kernelWrite: (r.perms & Perm.El1Write) !== 0, userRead: (r.perms & Perm.El0Read) !== 0 };
}

describe.each(BACKENDS)('kernel direct map on $name', (backend) => {
  it('maps all RAM at 0xFFFF_8000_0000_0000 + PA with 2 MiB blocks, kernel-only', () => {
    const { mem, mm } = newMachine(backend);
    const root = mm.arch.createRoot();
    const r = buildDirectMap(mm.arch, root, RAM_BASE, RAM_SIZE);
    expect(r).toEqual({ blocks: RAM_SIZE / (2 << 20), pages: 0 });
    expect(mm.arch.countTables(root)).toBe(3);
    expect(mm.pmm.audit()['page-table']).toBe(3);
    for (const pa of [RAM_BASE, RAM_BASE + 0x1234, RAM_BASE + RAM_SIZE - 8, RAM_BASE + 0xa5_6788]) {
      expect(kernelWalk(backend.name, mem, root, directMapVa(pa))).toEqual({ ok: true, pa, kernelWrite: true, userRead: false });
    }
    expect(kernelWalk(backend.name, mem, root, directMapVa(RAM_BASE + RAM_SIZE)).ok).toBe(false);
    expect(kernelWalk(backend.name, mem, root, directMapVa(RAM_BASE - 4096)).ok).toBe(false);
    expect(DIRECT_MAP_BASE).toBe(-(2 ** 47));
  });

  it('uses 4 KiB pages at edges that are not 2 MiB aligned', () => {
    const { mem, mm } = newMachine(backend);
    const root = mm.arch.createRoot();
    const r = buildDirectMap(mm.arch, root, RAM_BASE + 0x1f_e000, 0x40_4000);
    expect(r).toEqual({ blocks: 2, pages: 2 + 2 });
    for (const pa of [RAM_BASE + 0x1f_e000, RAM_BASE + 0x20_0000, RAM_BASE + 0x60_1ff8]) {
      expect(kernelWalk(backend.name, mem, root, directMapVa(pa))).toMatchObject({ ok: true, pa });
    }
    expect(kernelWalk(backend.name, mem, root, directMapVa(RAM_BASE + 0x1f_d000)).ok).toBe(false);
    expect(kernelWalk(backend.name, mem, root, directMapVa(RAM_BASE + 0x60_2000)).ok).toBe(false);
    expect(() => mm.arch.mapBlock(root, directMapVa(RAM_BASE + 0x20_0000), RAM_BASE, { read: true, write: true, exec: false, user: false, global: true, device: false })).toThrow(/live entry/);
  });
});
