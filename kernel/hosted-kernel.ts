// The kernel as the privileged level in TypeScript: it owns a machine's RAM
// through the memory tiers and drives the CPU in user mode through the arch
// CPU interface (kernel/arch/arch-cpu.ts), taking every trap the machine
// decodes. Which machine (the virt board's aarch64, the PC's x86_64) is a
// constructor option; nothing here knows an arch's registers.

import type { PhysicalMemory } from '../board/memory/physical-memory';
import type { ArchName, TableRoot } from './arch/arch';
import type { HostedMachine, KernelClock, Trap, UserContext } from './arch/arch-cpu';
import { createMachine } from './arch/machines';
import { buildDirectMap, type DirectMapResult } from './mm/direct-map';
import { MemoryManager } from './mm/memory-manager';

export interface HostedKernelOptions {
  /** The counter follows the host's clock and idle waits really wait; default: retired instructions. */
  readonly wallClock?: boolean;
  /** The machine to run on (default aarch64, or one built by the caller). */
  readonly arch?: ArchName;
  readonly machine?: (ramSize: number, wallClock: boolean) => HostedMachine;
}

export class HostedKernel {
  readonly machine: HostedMachine;
  readonly phys: PhysicalMemory;
  readonly mm: MemoryManager;
  /** The kernel half's root, holding the direct map of RAM (0xFFFF_8000_0000_0000 + PA). */
  readonly kernelRoot: TableRoot;
  readonly directMap: DirectMapResult;
  /** The RAM asked for (-m); the PMM may hold a little less (at -m 4G the board keeps RAM's top for the CPU slot). */
  readonly ramAsked: number;

  constructor(ramSize: number, options: HostedKernelOptions = {}) {
    const make = options.machine ?? ((size, wallClock) => createMachine(options.arch ?? 'aarch64', size, wallClock));
    const m = (this.machine = make(ramSize, options.wallClock ?? false));
    this.phys = m.phys;
    this.ramAsked = ramSize;
    // The board's RAM, which may end a little below ramSize (its top taken by the CPU slot at -m 4G).
    const ram = this.phys.ramSize;
    this.mm = new MemoryManager({
      ram: this.phys,
      map: { ramBase: m.ramBase, ramSize: ram, reserved: [] },
      arch: m.mmu,
      tlb: m.tlb,
    });
    this.kernelRoot = this.mm.arch.createRoot();
    this.directMap = buildDirectMap(this.mm.arch, this.kernelRoot, m.ramBase, ram);
  }

  get arch(): ArchName {
    return this.machine.arch;
  }

  get timer(): KernelClock {
    return this.machine.clock;
  }

  get retired(): number {
    return this.machine.retired;
  }

  get interrupts(): Map<number, number> {
    return this.machine.interrupts;
  }

  /** Make userRoot the user half's translation. */
  switchTo(userRoot: TableRoot): void {
    this.machine.switchTo(userRoot, this.kernelRoot);
  }

  /** Runs ctx in user mode until a trap, the timer at `until` (ticks) or `budget` instructions. */
  runUser(ctx: UserContext, until: number, budget: number): Trap {
    return this.machine.runUser(ctx, until, budget);
  }

  /** Nothing can run before `until` (ticks): wait for the timer. */
  idleUntil(until: number): void {
    this.machine.idleUntil(until);
  }

  /** Total interrupts taken. */
  get interruptCount(): number {
    let n = 0;
    for (const c of this.machine.interrupts.values()) n += c;
    return n;
  }
}
