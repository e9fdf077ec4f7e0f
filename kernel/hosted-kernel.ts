// The kernel as EL1 in TypeScript, on the virt board: it owns the board's RAM
// through the memory tiers, programs the GIC and the generic timer as a
// bare-metal kernel would, and drives the CPU at EL0, taking every exception
// (synchronous, or the timer's IRQ that ends a slice) the board hands back.

import { Cpu, ExceptionKind } from '../board/aarch64/cpu';
import { lookupSysReg, sysRegKey, type SysRegDef } from '../board/aarch64/system-registers';
import type { PhysicalMemory } from '../board/memory/physical-memory';
import { GIC_CPU_BASE, GIC_DIST_BASE, RAM_BASE as BOARD_RAM_BASE, VIRT_TIMER_INTID } from '../board/virt/memory-map';
import { VirtBoard, type BoardConsole } from '../board/virt/virt-board';
import type { TableRoot, TlbHooks } from './arch/arch';
import { createAarch64Mmu } from './arch/aarch64/mmu';
import { stage1Regs } from './arch/aarch64/translation-regime';
import { buildDirectMap, type DirectMapResult } from './mm/direct-map';
import { MemoryManager } from './mm/memory-manager';
import { GenericTimerDriver, type TimerRegisterName, type TimerRegisters } from './sched/generic-timer-driver';
import { GicV2Driver, SPURIOUS_INTID, type Mmio } from './sched/gic-v2-driver';
import { sleepHost } from './sched/host-sleep';

export const RAM_BASE = BOARD_RAM_BASE;

/** CPACR_EL1.FPEN = 0b11: EL0 and EL1 use FP/AdvSIMD without trapping. */
const CPACR_FP_ENABLED = 3 << 20;
const TIMER_PRIORITY = 0xa0;

/** How a return to EL0 ended. */
export const enum UserExit {
  /** A synchronous exception (ESR_EL1 says which). */
  Sync,
  /** An interrupt, already acknowledged and ended at the GIC. */
  Irq,
  /** The instruction budget ran out. */
  Budget,
}

export interface HostedKernelOptions {
  /** The counter follows the host's clock (62.5 MHz of real time since boot) and idle waits really wait; default: retired instructions. */
  readonly wallClock?: boolean;
}

/** The guest's programs write through syscalls: the UART has nothing to say in hosted mode. */
const silentConsole: BoardConsole = { write: () => {}, writeErr: () => {}, readChar: () => -1 };

export class HostedKernel {
  readonly board: VirtBoard;
  readonly phys: PhysicalMemory;
  readonly cpu: Cpu;
  readonly mm: MemoryManager;
  /** TTBR1's root: the kernel half, holding the direct map of RAM (0xFFFF_8000_0000_0000 + PA). */
  readonly kernelRoot: TableRoot;
  readonly directMap: DirectMapResult;
  readonly gic: GicV2Driver;
  readonly timer: GenericTimerDriver;
  /** Interrupts taken, by INTID. */
  readonly interrupts = new Map<number, number>();

  constructor(ramSize: number, options: HostedKernelOptions = {}) {
    this.board = new VirtBoard({ ramSize, console: silentConsole, hosted: true, wallClock: options.wallClock, rtcStartSeconds: Math.floor(Date.now() / 1000) });
    this.phys = this.board.phys;
    this.cpu = this.board.cpu;
    this.msr(lookupSysReg(sysRegKey(3, 0, 1, 0, 2))!, CPACR_FP_ENABLED);
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
    this.gic = new GicV2Driver(this.mmio(), GIC_DIST_BASE, GIC_CPU_BASE);
    this.gic.init();
    this.gic.enable(VIRT_TIMER_INTID, TIMER_PRIORITY);
    this.timer = new GenericTimerDriver(this.timerRegisters());
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

  /**
   * Returns to the EL0 context loaded in the CPU with IRQs unmasked and the
   * timer armed for `until` (counter ticks); runs until an exception or
   * `budget` instructions. An IRQ is acknowledged and ended here.
   */
  runUser(until: number, budget: number): UserExit {
    const cpu = this.cpu;
    if (cpu.el !== 0) cpu.setEl(0);
    cpu.daif = 0;
    this.timer.armAt(until);
    const state = this.board.run(budget);
    if (state.kind !== 'exception') {
      if (state.kind !== 'running') throw new Error(`the hosted board stopped: ${state.kind}`);
      return UserExit.Budget;
    }
    if (cpu.lastException === ExceptionKind.Sync) return UserExit.Sync;
    this.takeInterrupts();
    return UserExit.Irq;
  }

  /**
   * Nothing can run before `until` (counter ticks): the CPU waits for the
   * timer. Instruction time skips ahead to it; host time is slept through.
   */
  idleUntil(until: number): void {
    this.timer.armAt(until);
    const board = this.board;
    while (!board.waitForInterrupt()) {
      const ticks = board.ticksToNextEvent();
      if (board.time.deterministic || ticks === Infinity) throw new Error('the hosted board cannot wait for its timer');
      sleepHost(ticks / this.timer.ticksPerMs);
    }
    this.takeInterrupts();
  }

  /** Acknowledges and ends every pending interrupt; the timer's is stopped until the next armAt. */
  private takeInterrupts(): void {
    for (;;) {
      const iar = this.gic.acknowledge();
      const intid = iar & 0x3ff;
      if (intid === SPURIOUS_INTID) return;
      if (intid === VIRT_TIMER_INTID) this.timer.disarm();
      this.interrupts.set(intid, (this.interrupts.get(intid) ?? 0) + 1);
      this.gic.end(iar);
    }
  }

  /** Total interrupts taken. */
  get interruptCount(): number {
    let n = 0;
    for (const c of this.interrupts.values()) n += c;
    return n;
  }

  private mmio(): Mmio {
    const phys = this.phys;
    const device = (pa: number) => {
      const r = phys.findDevice(pa);
      if (r === undefined) throw new Error(`no device at physical address 0x${pa.toString(16)}`);
      return { device: r.device, offset: pa - r.base };
    };
    return {
      read32: (pa) => {
        const d = device(pa);
        return d.device.read(d.offset, 4) >>> 0;
      },
      write32: (pa, value) => {
        const d = device(pa);
        d.device.write(d.offset, 4, value >>> 0);
      },
    };
  }

  private timerRegisters(): TimerRegisters {
    const defs: Record<TimerRegisterName, SysRegDef> = {
      CNTFRQ_EL0: lookupSysReg(sysRegKey(3, 3, 14, 0, 0))!,
      CNTVCT_EL0: lookupSysReg(sysRegKey(3, 3, 14, 0, 2))!,
      CNTV_CTL_EL0: lookupSysReg(sysRegKey(3, 3, 14, 3, 1))!,
      CNTV_CVAL_EL0: lookupSysReg(sysRegKey(3, 3, 14, 3, 2))!,
    };
    return {
      read: (name) => this.mrs(defs[name]),
      write: (name, value) => this.msr(defs[name], value),
    };
  }

  /** MRS at EL1: the register's value as a number (exact below 2^53). */
  private mrs(reg: SysRegDef): number {
    const cpu = this.cpu;
    reg.read(cpu);
    return (cpu.sysHi >>> 0) * 4294967296 + (cpu.sysLo >>> 0);
  }

  /** MSR at EL1. */
  private msr(reg: SysRegDef, value: number): void {
    reg.write!(this.cpu, value % 4294967296 | 0, Math.floor(value / 4294967296) | 0);
  }
}
