// The kernel as EL1 in TypeScript: it owns the board's RAM through the memory
// tiers and drives the CPU at EL0, taking every exception run() hands back.

import { Cpu } from '../board/aarch64/cpu';
import { PhysicalMemory } from '../board/memory/physical-memory';
import type { TableRoot, TlbHooks } from './arch/arch';
import { createAarch64Mmu } from './arch/aarch64/mmu';
import { stage1Regs } from './arch/aarch64/translation-regime';
import { buildDirectMap, type DirectMapResult } from './mm/direct-map';
import { MemoryManager } from './mm/memory-manager';

export const RAM_BASE = 0x4000_0000;

export class HostedKernel {
  readonly phys: PhysicalMemory;
  readonly cpu: Cpu;
  readonly mm: MemoryManager;
  /** TTBR1's root: the kernel half, holding the direct map of RAM (0xFFFF_8000_0000_0000 + PA). */
  readonly kernelRoot: TableRoot;
  readonly directMap: DirectMapResult;

  constructor(ramSize: number) {
    this.phys = new PhysicalMemory(RAM_BASE, ramSize);
    this.cpu = new Cpu(this.phys, { hosted: true });
    const vm = this.cpu.vm;
    const tlb: TlbHooks = {
      invalidatePage: (_asid, va) => vm.flushVa(va),
      invalidateAsid: (asid) => vm.flushAsid(asid),
      invalidateAll: () => vm.flushAll(),
    };
    this.mm = new MemoryManager({
      ram: this.phys,
      map: { ramBase: RAM_BASE, ramSize, reserved: [] },
      arch: createAarch64Mmu,
      tlb,
    });
    this.kernelRoot = this.mm.arch.createRoot();
    this.directMap = buildDirectMap(this.mm.arch, this.kernelRoot, RAM_BASE, ramSize);
  }

  /** Point TTBR0 at a user root (with its ASID) and turn the MMU on. */
  switchTo(userRoot: TableRoot): void {
    const regs = stage1Regs(userRoot, this.kernelRoot);
    const cpu = this.cpu;
    cpu.setTranslationReg('mair', regs.mairLo, regs.mairHi);
    cpu.setTranslationReg('tcr', regs.tcrLo, regs.tcrHi);
    cpu.setTranslationReg('ttbr1', regs.ttbr1Lo, regs.ttbr1Hi);
    cpu.setTranslationReg('ttbr0', regs.ttbr0Lo, regs.ttbr0Hi);
    if (cpu.sctlrLo !== regs.sctlrLo) cpu.setTranslationReg('sctlr', regs.sctlrLo, 0);
  }
}
