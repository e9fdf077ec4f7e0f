// The x86_64 machine under the hosted kernel: the PC board's CPU with the
// kernel as CPL0, paging with PCIDs (CR3 = root | PCID, no-flush: the MMU
// backend's TLB hooks do the invalidations with INVLPG and per-PCID flushes),
// the local APIC timer in TSC-deadline mode for preemption. It enters CPL3
// with a thread's context and decodes the CPU's trap (vector, error code, CR2)
// into the arch interface's Trap.
//
// The user root carries the user half only: in hosted mode the CPU never runs
// kernel code, so the kernel half (the direct map in the kernel root) is not
// copied into every PML4.

import { CR0_PE, CR0_PG, CR0_WP, CR4_OSFXSR, CR4_OSXMMEXCPT, CR4_PAE, CR4_PCIDE, StopReason, type X86Cpu, type X86Trap } from '../../../board/x86_64/cpu';
import { Misc } from '../../../board/x86_64/cpu-state';
import { LAPIC_BASE, LapicReg, LVT_MODE_SHIFT, SVR_ENABLE, TIMER_TSC_DEADLINE } from '../../../board/x86_64/lapic';
import { PcBoard, PC_TSC_FREQUENCY } from '../../../board/x86_64/pc-board';
import { Vector } from '../../../board/x86_64/x86-fault';
import type { PhysicalMemory } from '../../../board/memory/physical-memory';
import { sleepHost } from '../host-sleep';
import type { TableRoot, TlbHooks } from '../arch';
import type { HostedMachine, HostedMachineOptions, KernelClock, Trap, UserContext } from '../arch-cpu';
import { archPrctl } from './arch-prctl';
import { createX86Mmu } from './mmu';
import { X86_SIGNALS } from './signal-frame';
import { NATIVE_SYSCALL_RAX } from './native-abi';
import { X86Context } from './user-context';
import { X86_VDSO_IMAGE } from './vdso/vdso-image';
import { decodeVsyscall } from './vsyscall';

/** RAM starts at 2 MiB, so physical page 0 is never a frame and the direct map starts on a large page. */
export const X86_RAM_BASE = 0x20_0000;
/** Linux's LOCAL_TIMER_VECTOR. */
export const TIMER_VECTOR = 0xec;
const RFLAGS_IF = 1 << 9;
/** CR3 bit 63 (bit 31 of the high word): keep the PCID's cached translations. */
const CR3_NOFLUSH = 0x80000000;
/** si_code values x86_64 Linux gives. */
const ILL_ILLOPN = 2;
const FPE_INTDIV = 1;
const FPE_FLTDIV = 3;
const FPE_FLTOVF = 4;
const FPE_FLTUND = 5;
const FPE_FLTRES = 6;
const FPE_FLTINV = 7;
const SI_KERNEL = 0x80;
const TRAP_TRACE = 2;

const NATIVE_TRAP: Trap = { kind: 'syscall', native: true };
const LINUX_SYSCALL: Trap = { kind: 'syscall' };

const hex = (n: number): string => `0x${n.toString(16)}`;
const hexBytes = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

class TscClock implements KernelClock {
  readonly ticksPerMs = PC_TSC_FREQUENCY / 1000;

  constructor(private readonly board: PcBoard) {}

  ticks(): number {
    return this.board.time.now();
  }

  nowMs(): number {
    return this.ticks() / this.ticksPerMs;
  }

  ticksAt(ms: number): number {
    return Math.ceil(ms * this.ticksPerMs) + 1;
  }
}

export class X86HostedMachine implements HostedMachine {
  readonly arch = 'x86_64' as const;
  readonly board: PcBoard;
  readonly phys: PhysicalMemory;
  readonly cpu: X86Cpu;
  readonly ramBase = X86_RAM_BASE;
  readonly mmu = createX86Mmu;
  readonly tlb: TlbHooks;
  readonly clock: TscClock;
  readonly signals = X86_SIGNALS;
  readonly interrupts = new Map<number, number>();
  readonly timerVector = TIMER_VECTOR;
  /** AT_HWCAP on x86_64 is CPUID.1:EDX. */
  readonly hwcap: number;
  /** Linux's TASK_SIZE on x86_64 with 4-level paging: 2^47 minus a guard page. */
  readonly userStackTop = 0x7fff_ffff_f000;
  readonly vdso = X86_VDSO_IMAGE;

  constructor(ramSize: number, options: HostedMachineOptions = {}) {
    this.board = new PcBoard({ ramBase: X86_RAM_BASE, ramSize, wallClock: options.wallClock });
    this.phys = this.board.phys;
    const cpu = (this.cpu = this.board.cpu);
    cpu.setCr4(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_PCIDE);
    cpu.setCr0(CR0_PE | CR0_WP | CR0_PG);
    this.tlb = {
      invalidatePage: (_pcid, va) => cpu.flushPage(va),
      invalidateAsid: (pcid) => cpu.flushPcid(pcid),
      invalidateAll: () => cpu.flushAll(),
    };
    this.clock = new TscClock(this.board);
    this.hwcap = cpu.cpuid(1, 0)[3] >>> 0;
    this.lapicWrite(LapicReg.Svr, SVR_ENABLE | 0xff);
    this.lapicWrite(LapicReg.LvtTimer, TIMER_VECTOR | (TIMER_TSC_DEADLINE << LVT_MODE_SHIFT));
  }

  get retired(): number {
    return this.cpu.retired;
  }

  get pc(): number {
    return this.cpu.rip;
  }

  newContext(): X86Context {
    return new X86Context();
  }

  /** CR3 = the user root with its PCID; cached translations stay (the MMU backend invalidates what it changes). */
  switchTo(userRoot: TableRoot): void {
    const pa = userRoot.pa;
    this.cpu.setCr3(((pa % 4294967296) | (userRoot.asid & 0xfff)) >>> 0, (Math.floor(pa / 4294967296) | CR3_NOFLUSH) >>> 0);
  }

  runUser(c: UserContext, until: number, budget: number): Trap {
    const ctx = c as X86Context;
    const cpu = this.cpu;
    ctx.load(cpu);
    cpu.misc[Misc.FlagsOther] |= RFLAGS_IF;
    cpu.cpl = 3;
    this.board.lapic.writeTscDeadline(until);
    const why = this.board.run(budget);
    ctx.save(cpu);
    cpu.cpl = 0;
    if (why === StopReason.Budget) return { kind: 'budget' };
    if (why !== StopReason.Exception || cpu.lastTrap === undefined) throw new Error(`the hosted PC stopped: ${why}`);
    return this.decode(cpu.lastTrap, ctx);
  }

  private decode(t: X86Trap, ctx: X86Context): Trap {
    // rax = NATIVE_SYSCALL_RAX marks the native SaltyOS trap (native-abi.ts); the Linux personality ignores the mark.
    if (t.kind === 'syscall') return ctx.syscallNumber() === NATIVE_SYSCALL_RAX ? NATIVE_TRAP : LINUX_SYSCALL;
    if (t.kind === 'interrupt') {
      this.endInterrupt(t.vector);
      return { kind: 'interrupt' };
    }
    const at = `at rip ${hex(t.insnRip)}`;
    switch (t.vector) {
      case Vector.PF: {
        const cr2 = t.cr2;
        const vsyscall = decodeVsyscall(t.errorCode, cr2, ctx, this.cpu.mem);
        if (vsyscall) return vsyscall;
        return { kind: 'page-fault', raw: { syndrome: t.errorCode, addressLo: cr2 >>> 0, addressHi: Math.floor(cr2 / 4294967296) >>> 0 }, address: cr2 };
      }
      case Vector.UD:
        return { kind: 'undefined', pc: t.insnRip, code: ILL_ILLOPN, detail: `invalid opcode (#UD) ${at}: ${hexBytes(t.bytes)}` };
      case Vector.BP:
        return { kind: 'breakpoint', pc: t.rip, code: SI_KERNEL, detail: `INT3 ${at}` };
      case Vector.DB:
        return { kind: 'breakpoint', pc: t.rip, code: TRAP_TRACE, detail: `debug trap ${at}` };
      case Vector.DE:
        return { kind: 'arithmetic', pc: t.insnRip, code: FPE_INTDIV, detail: `divide error (#DE) ${at}` };
      case Vector.MF:
        return { kind: 'arithmetic', pc: t.insnRip, code: fpCode(ctx.state.misc[Misc.Fsw] & ~ctx.state.misc[Misc.Fcw]), detail: `x87 floating-point error (#MF) ${at}` };
      case Vector.XM: {
        const mxcsr = ctx.state.misc[Misc.Mxcsr];
        return { kind: 'arithmetic', pc: t.insnRip, code: fpCode(mxcsr & ~(mxcsr >>> 7)), detail: `SIMD floating-point exception (#XM) ${at}` };
      }
      case Vector.AC:
        return { kind: 'alignment', address: t.insnRip, detail: `alignment check (#AC) ${at}` };
      case Vector.GP:
      case Vector.SS:
        return { kind: 'protection', pc: t.insnRip, detail: `general protection (${t.vector === Vector.SS ? '#SS' : '#GP'}, error code ${t.errorCode}) ${at}: ${hexBytes(t.bytes)}` };
      default:
        return { kind: 'undefined', pc: t.insnRip, code: ILL_ILLOPN, detail: `exception vector ${t.vector} ${at}` };
    }
  }

  /** EOI at the local APIC; the timer stays disarmed until the next runUser or idleUntil. */
  private endInterrupt(vector: number): void {
    if (vector === TIMER_VECTOR) this.board.lapic.writeTscDeadline(0);
    this.interrupts.set(vector, (this.interrupts.get(vector) ?? 0) + 1);
    this.lapicWrite(LapicReg.Eoi, 0);
  }

  spendTicks(ticks: number): number {
    const time = this.board.time;
    if (!time.deterministic || ticks <= 0) return 0;
    time.skipTo(time.now() + ticks);
    return ticks;
  }

  idleUntil(until: number): void {
    const board = this.board;
    board.lapic.writeTscDeadline(until);
    while (!board.waitForInterrupt()) {
      const ticks = board.ticksToNextEvent();
      // Under host time the event may come due between the two looks: look again before calling it lost.
      if (board.time.deterministic || (ticks === Infinity && !board.waitForInterrupt())) throw new Error('the hosted PC cannot wait for its timer');
      if (ticks === Infinity) break;
      sleepHost(ticks / this.clock.ticksPerMs);
    }
    board.lapic.accept();
    this.endInterrupt(board.lapic.timerVector);
  }

  archPrctl(ctx: UserContext, code: number, addr: number, write: (addr: number, bytes: Uint8Array) => void): number {
    return archPrctl(ctx as X86Context, code, addr, write);
  }

  private lapicWrite(reg: LapicReg, value: number): void {
    this.phys.findDevice(LAPIC_BASE + reg)!.device.write(reg, 4, value);
  }
}

/** The si_code of the first unmasked FP exception in flags (IE, DE, ZE, OE, UE, PE order of precedence as Linux checks). */
function fpCode(flags: number): number {
  if (flags & 0x1) return FPE_FLTINV;
  if (flags & 0x2) return FPE_FLTUND;
  if (flags & 0x4) return FPE_FLTDIV;
  if (flags & 0x8) return FPE_FLTOVF;
  if (flags & 0x10) return FPE_FLTUND;
  if (flags & 0x20) return FPE_FLTRES;
  return 0;
}
