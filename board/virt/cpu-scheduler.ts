// The CPUs of a board with -smp N above 1, taking turns on one host thread:
// each runnable CPU in index order runs one slice of a fixed number of
// instructions (shorter when a timer fires sooner), as QEMU's single-threaded
// TCG takes its CPUs round robin. Runs are deterministic: the order, the
// slices and the time (every retired instruction of any CPU is one tick) only
// depend on the guest.
//
// Secondary CPUs start powered off and wait for PSCI CPU_ON. A CPU that
// executed WFI sleeps until an interrupt is pending for it; after WFE also
// until an event (SEV, or its exclusive monitor cleared). When every CPU
// that is on sleeps, time skips to the next timer event.
//
// Exclusive monitors: a CPU's monitor is cleared whenever it stops for
// another CPU to run. Another CPU's store can only come between its LDXR and
// STXR across such a switch, so STXR never succeeds over a store by another
// CPU (it fails spuriously instead, which the architecture allows); the
// switch costs nothing per instruction.

import { Cpu, exceptionBudget, StopReason } from '../aarch64/cpu';
import type { CpuPower } from './psci';
import { cpuOnReset } from './cpu-reset';

/** Instructions a CPU runs before the next one takes its turn. */
export const SMP_SLICE = 10_000;
/**
 * A CPU that is the only runnable one runs longer slices (fewer device
 * updates); whatever wakes another CPU (an interrupt raised for it, SEV,
 * CPU_ON) ends the slice at the next block (wake()).
 */
export const LONE_SLICE = 200_000;

const PSCI_ALREADY_ON = -4;
const PSCI_INVALID_PARAMETERS = -2;

export const enum Power {
  Off = 0,
  On = 1,
}

/** What the scheduler needs from the board around the CPUs. */
export interface SchedulerHost {
  /** Timers, RTC, UART input: brought up to date before every slice. */
  updateDevices(): void;
  /** The next count at which a device raises an interrupt (Infinity: none armed). */
  nextDeadline(): number;
  now(): number;
  /** A deterministic clock jumps to `ticks` while every CPU sleeps; host time cannot. */
  skipTo(ticks: number): boolean;
  /** The board left the running state (power off, reset, exit). */
  halted(): boolean;
}

/** 'debug': a CPU stopped for the host's debugger (cpu.hostDebug.stop). */
export type SchedulerResult = 'budget' | 'idle' | 'all-off' | 'debug';

export class CpuScheduler implements CpuPower {
  readonly power: Power[];
  /** A CPU that stopped at WFI or WFE and has not been woken. */
  private readonly asleep: boolean[];
  /** ...at WFE: an event wakes it too. */
  private readonly inWfe: boolean[];
  /** When the generic timer's event stream (CNTKCTL_EL1.EVNTEN) next wakes a CPU waiting at WFE; Infinity when off. */
  private readonly eventStreamAt: number[];
  /** The CPU running now (or last), whose MMIO accesses the GIC banks by. */
  current = 0;

  constructor(
    readonly cpus: readonly Cpu[],
    private readonly host: SchedulerHost,
  ) {
    this.power = cpus.map((_, i) => (i === 0 ? Power.On : Power.Off));
    this.asleep = cpus.map(() => false);
    this.inWfe = cpus.map(() => false);
    this.eventStreamAt = cpus.map(() => Infinity);
  }

  /** Instructions retired by all CPUs: the deterministic clock. */
  retired(): number {
    let n = 0;
    for (const c of this.cpus) n += c.retired;
    return n;
  }

  private exceptionsTaken(): number {
    let n = 0;
    for (const c of this.cpus) n += c.exceptionsTaken;
    return n;
  }

  /** The CPU with MPIDR affinity lo/hi (Aff0 = index on this board), or -1. */
  private indexOf(affLo: number, affHi: number): number {
    if (affHi !== 0 || (affLo & 0xffff00) !== 0) return -1;
    return affLo < this.cpus.length ? affLo : -1;
  }

  cpuOn(affLo: number, affHi: number, entry: number, context: { lo: number; hi: number }): number {
    const k = this.indexOf(affLo, affHi);
    if (k < 0) return PSCI_INVALID_PARAMETERS;
    if (this.power[k] === Power.On) return PSCI_ALREADY_ON;
    cpuOnReset(this.cpus[k], entry, context);
    this.power[k] = Power.On;
    this.asleep[k] = false;
    this.wake(k);
    return 0;
  }

  affinityInfo(affLo: number, affHi: number): number {
    const k = this.indexOf(affLo, affHi);
    if (k < 0) return PSCI_INVALID_PARAMETERS;
    return this.power[k] === Power.On ? 0 : 1;
  }

  /** PSCI CPU_OFF from `cpu`: it stops at once. */
  cpuOff(cpu: Cpu): void {
    const k = this.cpus.indexOf(cpu);
    this.power[k] = Power.Off;
    cpu.stop = StopReason.Halt;
  }

  /** CPU `k` may have become runnable: a lone CPU's long slice ends so that it gets its turn. */
  wake(k: number): void {
    if (k !== this.current) this.cpus[this.current].stop = StopReason.Budget;
  }

  private runnable(k: number): boolean {
    if (this.power[k] !== Power.On) return false;
    if (!this.asleep[k]) return true;
    const c = this.cpus[k];
    // WFI and WFE end on a pending interrupt whatever PSTATE masks; WFE also on an event.
    if (c.irqLine || c.fiqLine || (this.inWfe[k] && (!c.waitingForEvent || this.host.now() >= this.eventStreamAt[k]))) {
      this.asleep[k] = false;
      return true;
    }
    return false;
  }

  /** The next runnable CPU after the current one, or -1; `lone` says whether it is the only one. */
  private pick(): number {
    const n = this.cpus.length;
    let first = -1;
    this.lone = false;
    for (let i = 1; i <= n; i++) {
      const k = (this.current + i) % n;
      if (!this.runnable(k)) continue;
      if (first >= 0) return first;
      first = k;
    }
    this.lone = first >= 0;
    return first;
  }

  private lone = false;

  /** Runs the CPUs for up to `budget` instructions in all (or as many exceptions taken, so fault loops end). */
  run(budget: number): SchedulerResult {
    const end = this.retired() + budget;
    const exceptionEnd = this.exceptionsTaken() + exceptionBudget(budget);
    const host = this.host;
    while (!host.halted()) {
      const total = this.retired();
      if (total >= end || this.exceptionsTaken() >= exceptionEnd) return 'budget';
      host.updateDevices();
      const k = this.pick();
      if (k < 0) {
        if (!this.power.includes(Power.On)) return 'all-off';
        const next = host.nextDeadline();
        const wake = Math.min(next, this.nextEventStream());
        if (wake === Infinity || !host.skipTo(wake)) return 'idle';
        continue;
      }
      this.switchTo(k);
      const cpu = this.cpus[k];
      const deadline = Math.min(host.nextDeadline(), this.nextEventStream());
      const slice = Math.max(1, Math.min(this.lone ? LONE_SLICE : SMP_SLICE, end - total, deadline - host.now()));
      const why = cpu.run(slice);
      if (why === StopReason.Debug) return 'debug';
      if (why === StopReason.WaitForInterrupt) {
        // WFI/WFE stop with the wait condition unmet; CPU_SUSPEND is a WFI with no event wake-up.
        this.asleep[k] = true;
        this.inWfe[k] = cpu.waitingForEvent;
        this.eventStreamAt[k] = cpu.waitingForEvent ? eventStreamTick(cpu, host.now()) : Infinity;
      }
    }
    return 'budget';
  }

  /** The earliest event-stream tick of a CPU waiting at WFE. */
  private nextEventStream(): number {
    let t = Infinity;
    for (let k = 0; k < this.cpus.length; k++) if (this.asleep[k] && this.inWfe[k] && this.eventStreamAt[k] < t) t = this.eventStreamAt[k];
    return t;
  }

  /** The CPU that ran before loses its exclusive reservation (see the top of this file). */
  private switchTo(k: number): void {
    if (k !== this.current) {
      const prev = this.cpus[this.current];
      if (prev.exclusiveAddr === prev.exclusiveAddr) {
        prev.clearExclusive();
        prev.signalEvent();
        // A CPU waiting at WFE on that reservation wakes: the next one no longer runs alone.
        this.lone = false;
      }
    }
    this.current = k;
  }
}

const CNTKCTL_EVNTEN = 1 << 2;

/**
 * The next count after `now` at which the event stream of `cpu`'s generic
 * timer fires: counter bit EVNTI (CNTKCTL_EL1[7:4]) changing in the direction
 * EVNTDIR picks, which happens every 2^(EVNTI+1) ticks; Infinity when disabled.
 */
function eventStreamTick(cpu: Cpu, now: number): number {
  const ctl = cpu.sysregs.getLo('CNTKCTL_EL1');
  if ((ctl & CNTKCTL_EVNTEN) === 0) return Infinity;
  const period = 2 ** (((ctl >>> 4) & 0xf) + 1);
  return (Math.floor(now / period) + 1) * period;
}
