// A minimal PC for the hosted kernel: RAM, one X86Cpu in hosted mode and its
// local APIC, whose timer preempts user code as the generic timer does on the
// virt board. Time is retired instructions (plus the ticks skipped while the
// CPU idled) or the host's clock; the TSC reads the same count.

import { PhysicalMemory } from '../memory/physical-memory';
import { HostTime, InstructionTime, type TimeSource } from '../virt/time-source';
import { StopReason, X86Cpu } from './cpu';
import { LAPIC_BASE, LAPIC_SIZE, LocalApic } from './lapic';

/** The counter's frequency: the virt board's, so a slice is as long on both machines. */
export const PC_TSC_FREQUENCY = 62_500_000;
/** Longest run between two looks at the timer in host-time mode. */
const MAX_SLICE = 100_000;

export interface PcBoardOptions {
  readonly ramBase: number;
  readonly ramSize: number;
  readonly wallClock?: boolean;
}

export class PcBoard {
  readonly phys: PhysicalMemory;
  readonly cpu: X86Cpu;
  readonly lapic: LocalApic;
  readonly time: TimeSource;

  constructor(options: PcBoardOptions) {
    // The x86_64 CPU keeps its state on the host's heap: no CPU slot beside RAM.
    this.phys = new PhysicalMemory(options.ramBase, options.ramSize, 0, 0);
    let cpu: X86Cpu | undefined;
    this.time = options.wallClock ? new HostTime(PC_TSC_FREQUENCY) : new InstructionTime(() => cpu!.retired);
    const time = this.time;
    cpu = new X86Cpu(this.phys, {
      hosted: true,
      timer: {
        frequency: PC_TSC_FREQUENCY,
        readTsc(c) {
          const t = time.now();
          c.tscLo = t | 0;
          c.tscHi = Math.floor(t / 4294967296) | 0;
        },
      },
    });
    this.cpu = cpu;
    this.lapic = new LocalApic(time);
    this.phys.addDevice(LAPIC_BASE, LAPIC_SIZE, this.lapic);
  }

  /**
   * Runs up to `budget` instructions in slices that end at the timer's
   * deadline; the timer's interrupt is raised on the CPU's line then.
   * Returns Exception when the CPU trapped (cpu.lastTrap), else Budget.
   */
  run(budget: number): StopReason {
    const cpu = this.cpu;
    const end = cpu.retired + budget;
    while (cpu.retired < end) {
      this.updateLine();
      const toDeadline = this.lapic.nextDeadline() - this.time.now();
      const slice = Math.max(1, Math.min(end - cpu.retired, toDeadline, this.time.deterministic ? Infinity : MAX_SLICE));
      const why = cpu.run(slice);
      if (why === StopReason.Exception) {
        if (cpu.lastTrap?.kind === 'interrupt') this.lapic.accept();
        return why;
      }
      if (why !== StopReason.Budget) return why;
    }
    return StopReason.Budget;
  }

  /** Raises the CPU's line while the local APIC has an interrupt for it. */
  private updateLine(): void {
    if (this.lapic.update()) this.cpu.raiseInterrupt(this.lapic.timerVector);
  }

  /**
   * The CPU waits (HLT with IF = 1): true when the timer's interrupt is due,
   * skipping deterministic time to it; false when host time must pass first
   * or nothing is armed.
   */
  waitForInterrupt(): boolean {
    if (this.lapic.update()) return true;
    const next = this.lapic.nextDeadline();
    if (next === Infinity || !this.time.deterministic) return false;
    this.time.skipTo(next);
    return this.lapic.update();
  }

  /** Ticks until the timer fires (Infinity when it is not armed). */
  ticksToNextEvent(): number {
    return this.lapic.nextDeadline() - this.time.now();
  }
}
