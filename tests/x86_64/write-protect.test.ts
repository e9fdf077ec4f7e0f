// The x86_64 backend's table-level write protection (R/W clear in an upper-level
// entry) read back by the board's walker, for user and supervisor writes.
import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../../board/memory/physical-memory';
import { PF_P, PF_U, PF_W, walkX86 } from '../../board/x86_64/walker';
import { NO_TLB, type PageAttrs } from '../../kernel/arch/arch';
import { createX86Mmu } from '../../kernel/arch/x86_64/mmu';
import { bumpFrames } from '../mmu/bump-frames';

const RAM = 0x4000_0000;
const SPAN = 2 * 1024 * 1024;
const BASE = 0x40_0000_0000; // 1 GiB aligned
const rw: PageAttrs = { read: true, write: true, exec: false, user: true, global: false, device: false };

function rig() {
  const mem = new PhysicalMemory(RAM, 4 * 1024 * 1024);
  const mmu = createX86Mmu(mem, bumpFrames(RAM + 0x10_0000), NO_TLB);
  const root = mmu.createRoot();
  const regs = { cr3: root.pa, wp: true, nxe: true };
  const write = (va: number, user: boolean) => walkX86(mem, regs, va, 'write', user);
  return { mmu, root, write };
}

describe('x86_64 table-level write protection', () => {
  it('protects a whole 1 GiB with one PDPT entry; writes fault for user and (CR0.WP) supervisor; split walks down', () => {
    const { mmu, root, write } = rig();
    const vas = [BASE, BASE + 4096, BASE + 9 * SPAN, BASE + 300 * SPAN + 4096];
    vas.forEach((va, i) => mmu.map(root, va, RAM + i * 4096, rw));
    expect(mmu.writeProtectRange(root, BASE, BASE + 2 ** 30)).toEqual({ tables: 1, leaves: 0 });
    for (const va of vas) {
      expect(write(va, true)).toMatchObject({ ok: false, errorCode: PF_P | PF_W | PF_U });
      expect(write(va, false)).toMatchObject({ ok: false, errorCode: PF_P | PF_W });
      expect(mmu.query(root, va)).toMatchObject({ attrs: { write: false }, cow: true });
    }
    // Pushed onto the three PD entries, lifted from PDPT and PD, two leaves made read-only.
    expect(mmu.splitWriteProtection(root, BASE)).toBe(3 + 2 + 2);
    for (const va of vas) expect(write(va, true).ok).toBe(false);
    expect(mmu.query(root, BASE + 4096)).toMatchObject({ attrs: { write: false }, cow: true });
    // The next table down needs only its own PD entry lifted.
    expect(mmu.splitWriteProtection(root, vas[2])).toBe(1 + 1);
    mmu.map(root, vas[2], RAM + 0x3_0000, rw);
    expect(write(vas[2], true)).toMatchObject({ ok: true, pa: RAM + 0x3_0000 });
    expect(write(vas[3], true).ok).toBe(false);
  });
});
