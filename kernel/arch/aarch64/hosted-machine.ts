// The aarch64 machine under the hosted kernel: the virt board's CPU with the
// kernel as EL1, the GIC and the generic timer programmed as a bare-metal
// kernel would. It enters EL0 with a thread's context, takes every exception
// (synchronous, or the timer's IRQ that ends a slice) and decodes ESR_EL1 into
// the arch interface's Trap.

import { Cpu, ExceptionKind } from '../../../board/aarch64/cpu';
import { Ec } from '../../../board/aarch64/exception-syndrome';
import { jitReport } from '../../../board/aarch64/jit/jit-report';
import { lookupSysReg, sysRegKey, type SysRegDef } from '../../../board/aarch64/system-registers';
import type { PhysicalMemory } from '../../../board/memory/physical-memory';
import { GIC_CPU_BASE, GIC_DIST_BASE, RAM_BASE, VIRT_TIMER_INTID } from '../../../board/virt/memory-map';
import { VirtBoard, type BoardConsole } from '../../../board/virt/virt-board';
import { GenericTimerDriver, type TimerRegisterName, type TimerRegisters } from './generic-timer-driver';
import { GicV2Driver, SPURIOUS_INTID, type Mmio } from './gic-v2-driver';
import { sleepHost } from '../host-sleep';
import type { TableRoot, TlbHooks } from '../arch';
import type { HostedMachine, HostedMachineOptions, Trap, UserContext } from '../arch-cpu';
import { idRegisterValue } from './id-registers';
import { createAarch64Mmu } from './mmu';
import { A64_SIGNALS } from './signal-frame';
import { stage1Regs } from './translation-regime';
import { A64Context } from './user-context';
import { A64_DEBUG_REGISTERS } from './gdb-context-registers';
import type { MachineDebug } from '../machine-debug';

/** CPACR_EL1.FPEN = 0b11: EL0 and EL1 use FP/AdvSIMD without trapping. */
const CPACR_FP_ENABLED = 3 << 20;
const TIMER_PRIORITY = 0xa0;
/** AT_HWCAP: HWCAP_FP | HWCAP_ASIMD, what this CPU implements of arm64's list. */
const HWCAP_FP_ASIMD = 0x3;
/** si_code values arm64 Linux gives. */
const ILL_ILLOPC = 1;
const TRAP_BRKPT = 1;

/** The guest's programs write through syscalls: the UART has nothing to say in hosted mode. */
const silentConsole: BoardConsole = { write: () => {}, writeErr: () => {}, readChar: () => -1 };

/** The native ABI's trap is `svc #NATIVE_SVC_IMM`; every other SVC immediate is a Linux system call (docs/native-abi.md). */
export const NATIVE_SVC_IMM = 0x5a17;
const NATIVE_TRAP: Trap = { kind: 'syscall', native: true };
const LINUX_SYSCALL: Trap = { kind: 'syscall' };

const hex = (n: number): string => `0x${n.toString(16)}`;

export class A64HostedMachine implements HostedMachine {
  readonly arch = 'aarch64' as const;
  readonly board: VirtBoard;
  readonly phys: PhysicalMemory;
  readonly cpu: Cpu;
  readonly ramBase = RAM_BASE;
  readonly mmu = createAarch64Mmu;
  readonly tlb: TlbHooks;
  readonly gic: GicV2Driver;
  readonly timer: GenericTimerDriver;
  readonly signals = A64_SIGNALS;
  readonly interrupts = new Map<number, number>();
  readonly timerVector = VIRT_TIMER_INTID;
  readonly hwcap = HWCAP_FP_ASIMD;
  readonly debugRegisters = A64_DEBUG_REGISTERS;
  /** Linux puts the stack just under 2^48 on a 48-bit arm64 task. */
  readonly userStackTop = 0x0000_ffff_ffff_0000;

  setJitMode(mode: 'off' | 'on' | 'always'): void {
    if (this.cpu.jit !== undefined) this.cpu.jit.mode = mode;
  }

  cpuReport(): string[] {
    return this.cpu.jit === undefined ? ['block compiler: unavailable (the register file is not in the board memory)'] : jitReport(this.cpu.jit);
  }

  constructor(ramSize: number, options: HostedMachineOptions = {}) {
    this.board = new VirtBoard({ ramSize, console: silentConsole, hosted: true, wallClock: options.wallClock, rtcStartSeconds: Math.floor(Date.now() / 1000) });
    this.phys = this.board.phys;
    this.cpu = this.board.cpu;
    this.msr(lookupSysReg(sysRegKey(3, 0, 1, 0, 2))!, CPACR_FP_ENABLED);
    const vm = this.cpu.vm;
    this.tlb = {
      invalidatePage: (_asid, va) => vm.flushVa(va),
      invalidateAsid: (asid) => vm.flushAsid(asid),
      invalidateAll: () => vm.flushAll(),
    };
    this.gic = new GicV2Driver(this.mmio(), GIC_DIST_BASE, GIC_CPU_BASE);
    this.gic.init();
    this.gic.enable(VIRT_TIMER_INTID, TIMER_PRIORITY);
    this.timer = new GenericTimerDriver(this.timerRegisters());
  }

  get clock(): GenericTimerDriver {
    return this.timer;
  }

  get retired(): number {
    return this.cpu.retired;
  }

  get pc(): number {
    return this.cpu.pc;
  }

  debug(): MachineDebug {
    return this.cpu.enableHostDebug();
  }

  newContext(): A64Context {
    return new A64Context();
  }

  /** Point TTBR0 at a user root (with its ASID) and turn the MMU on. */
  switchTo(userRoot: TableRoot, kernelRoot: TableRoot): void {
    const regs = stage1Regs(userRoot, kernelRoot);
    const cpu = this.cpu;
    // Only TTBR0 differs between processes: the registers already holding their value are not written again (each write costs the CPU a recomputation).
    const now = cpu.vm.regs;
    if (now.mairLo !== regs.mairLo >>> 0 || now.mairHi !== regs.mairHi >>> 0) cpu.setTranslationReg('mair', regs.mairLo, regs.mairHi);
    if (now.tcrLo !== regs.tcrLo >>> 0 || now.tcrHi !== regs.tcrHi >>> 0) cpu.setTranslationReg('tcr', regs.tcrLo, regs.tcrHi);
    if (now.ttbr1Lo !== regs.ttbr1Lo >>> 0 || now.ttbr1Hi !== regs.ttbr1Hi >>> 0) cpu.setTranslationReg('ttbr1', regs.ttbr1Lo, regs.ttbr1Hi);
    cpu.setTranslationReg('ttbr0', regs.ttbr0Lo, regs.ttbr0Hi);
    if (cpu.sctlrLo !== regs.sctlrLo) cpu.setTranslationReg('sctlr', regs.sctlrLo, 0);
  }

  /**
   * Returns to EL0 with ctx, IRQs unmasked and the timer armed for `until`
   * (counter ticks); runs until an exception or `budget` instructions. An IRQ
   * is acknowledged and ended here.
   */
  runUser(c: UserContext, until: number, budget: number): Trap {
    const ctx = c as A64Context;
    const cpu = this.cpu;
    // EL0's stack pointer is the live one before the context is loaded into it.
    if (cpu.el !== 0) cpu.setEl(0);
    ctx.load(cpu);
    cpu.daif = 0;
    this.timer.armAt(until);
    const state = this.board.run(budget);
    ctx.save(cpu);
    if (state.kind === 'debug') return { kind: 'debug' };
    if (state.kind !== 'exception') {
      if (state.kind !== 'running') throw new Error(`the hosted board stopped: ${state.kind}`);
      return { kind: 'budget' };
    }
    if (cpu.lastException === ExceptionKind.Sync) return this.decodeSync(ctx);
    this.takeInterrupts();
    return { kind: 'interrupt' };
  }

  /** ESR_EL1 (and FAR_EL1) of a synchronous exception from EL0, as a Trap. */
  private decodeSync(ctx: A64Context): Trap {
    const cpu = this.cpu;
    const esr = cpu.sysregs.getLo('ESR_EL1') >>> 0;
    const ec = esr >>> 26;
    const pc = ctx.pc;
    switch (ec) {
      case Ec.Svc64:
        return (esr & 0xffff) === NATIVE_SVC_IMM ? NATIVE_TRAP : LINUX_SYSCALL;
      case Ec.DataAbortLower:
      case Ec.InsnAbortLower: {
        const far = cpu.far;
        if ((esr & 0x3f) === 0x21) return { kind: 'alignment', address: far, detail: `misaligned access at ${hex(far)} (pc ${hex(pc)})` };
        return { kind: 'page-fault', raw: { syndrome: esr, addressLo: far >>> 0, addressHi: Math.floor(far / 4294967296) >>> 0 }, address: far };
      }
      case Ec.Unknown: {
        const u = cpu.lastUndefined;
        const detail = u ? `UNDEFINED instruction 0x${(u.insn >>> 0).toString(16).padStart(8, '0')} at pc ${hex(u.pc)}` : `UNDEFINED instruction at pc ${hex(pc)}`;
        return { kind: 'undefined', pc, code: ILL_ILLOPC, detail };
      }
      case Ec.SysRegTrap:
        if (emulateMrs(ctx, esr)) return { kind: 'resumed' };
        return { kind: 'undefined', pc, code: ILL_ILLOPC, detail: `trapped system register access (ESR ${hex(esr)}) at pc ${hex(pc)}` };
      case Ec.Brk:
        return { kind: 'breakpoint', pc, code: TRAP_BRKPT, detail: `BRK #${hex(esr & 0xffff)} at pc ${hex(pc)}` };
      case Ec.PcAlignment:
        return { kind: 'alignment', address: pc, detail: `misaligned pc at pc ${hex(pc)}` };
      case Ec.SpAlignment:
        return { kind: 'alignment', address: ctx.getX(31), detail: `misaligned sp at pc ${hex(pc)}` };
      default:
        return { kind: 'undefined', pc, code: ILL_ILLOPC, detail: `exception class ${hex(ec)} (ESR ${hex(esr)}) at pc ${hex(pc)}` };
    }
  }

  spendTicks(ticks: number): number {
    const time = this.board.time;
    if (!time.deterministic || ticks <= 0) return 0;
    time.skipTo(time.now() + ticks);
    return ticks;
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
      // Under host time the event may come due between the two looks: look again before calling it lost.
      if (board.time.deterministic || (ticks === Infinity && !board.waitForInterrupt())) throw new Error('the hosted board cannot wait for its timer');
      if (ticks === Infinity) break;
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

/** An EL0 MRS of an ID register, answered as Linux answers it; false for anything else. */
function emulateMrs(ctx: A64Context, esr: number): boolean {
  const read = (esr & 1) === 1;
  const value = idRegisterValue((esr >>> 20) & 3, (esr >>> 14) & 7, (esr >>> 10) & 15, (esr >>> 1) & 15, (esr >>> 17) & 7);
  if (!read || value === undefined) return false;
  const rt = (esr >>> 5) & 31;
  if (rt !== 31) {
    ctx.x[2 * rt] = value[0];
    ctx.x[2 * rt + 1] = value[1];
  }
  ctx.pc += 4;
  return true;
}
