// The local APIC as far as a one-CPU machine's kernel needs it: enable
// (spurious-vector register), the timer's LVT entry in one-shot or
// TSC-deadline mode, the initial/current count, IA32_TSC_DEADLINE, and
// in-service tracking ended by EOI. MMIO at 0xFEE0_0000 as on a PC.

import type { MmioDevice } from '../memory/physical-memory';
import type { TimeSource } from '../virt/time-source';

export const LAPIC_BASE = 0xfee0_0000;
export const LAPIC_SIZE = 0x1000;

/** Register offsets (SDM Vol. 3A, table 11-1). */
export const enum LapicReg {
  Id = 0x20,
  Version = 0x30,
  Tpr = 0x80,
  Eoi = 0xb0,
  Svr = 0xf0,
  LvtTimer = 0x320,
  TimerInitial = 0x380,
  TimerCurrent = 0x390,
  TimerDivide = 0x3e0,
}

export const SVR_ENABLE = 1 << 8;
export const LVT_MASKED = 1 << 16;
export const LVT_MODE_SHIFT = 17;
export const TIMER_ONE_SHOT = 0;
export const TIMER_PERIODIC = 1;
export const TIMER_TSC_DEADLINE = 2;
/** Version 0x14 with 6 LVT entries (max LVT index 5), as a plain xAPIC. */
const VERSION = 0x0005_0014;

export class LocalApic implements MmioDevice {
  readonly name = 'local APIC';
  private svr = 0xff;
  private lvtTimer = LVT_MASKED;
  private initialCount = 0;
  private divide = 0;
  /** The count at which the timer fires (time-source ticks); Infinity when idle. */
  private deadline = Infinity;
  /** The timer's interrupt waits for the CPU. */
  pending = false;
  /** The vector the CPU took and has not ended with EOI (-1: none). */
  inService = -1;

  constructor(private readonly time: TimeSource) {}

  get timerVector(): number {
    return this.lvtTimer & 0xff;
  }

  private get mode(): number {
    return (this.lvtTimer >>> LVT_MODE_SHIFT) & 3;
  }

  /** Ticks of the time source per timer count (the divide configuration). */
  private get divisor(): number {
    const d = (this.divide & 3) | ((this.divide >>> 1) & 4);
    return d === 7 ? 1 : 2 << d;
  }

  /** WRMSR IA32_TSC_DEADLINE: 0 disarms; only TSC-deadline mode uses it. */
  writeTscDeadline(ticks: number): void {
    if (this.mode !== TIMER_TSC_DEADLINE) return;
    this.deadline = ticks === 0 ? Infinity : ticks;
  }

  /** The time-source count of the next timer event (Infinity: none). */
  nextDeadline(): number {
    return this.deadline;
  }

  /** Fires the timer when its time has come; true when an interrupt is pending for the CPU. */
  update(): boolean {
    if (this.deadline !== Infinity && this.time.now() >= this.deadline) {
      if (this.mode === TIMER_PERIODIC && this.initialCount > 0) this.deadline += this.initialCount * this.divisor;
      else this.deadline = Infinity;
      if ((this.lvtTimer & LVT_MASKED) === 0 && (this.svr & SVR_ENABLE) !== 0) this.pending = true;
    }
    return this.pending && this.inService < 0;
  }

  /** The CPU took the pending interrupt. */
  accept(): void {
    this.pending = false;
    this.inService = this.timerVector;
  }

  read(offset: number): number {
    switch (offset) {
      case LapicReg.Id:
        return 0;
      case LapicReg.Version:
        return VERSION;
      case LapicReg.Svr:
        return this.svr;
      case LapicReg.LvtTimer:
        return this.lvtTimer;
      case LapicReg.TimerInitial:
        return this.initialCount;
      case LapicReg.TimerCurrent:
        if (this.mode === TIMER_TSC_DEADLINE || this.deadline === Infinity) return 0;
        return Math.max(0, Math.ceil((this.deadline - this.time.now()) / this.divisor)) >>> 0;
      case LapicReg.TimerDivide:
        return this.divide;
      default:
        return 0;
    }
  }

  write(offset: number, _size: number, value: number): void {
    switch (offset) {
      case LapicReg.Eoi:
        this.inService = -1;
        return;
      case LapicReg.Svr:
        this.svr = value & 0x1ff;
        return;
      case LapicReg.LvtTimer: {
        const before = this.mode;
        this.lvtTimer = value & (0xff | LVT_MASKED | (3 << LVT_MODE_SHIFT));
        if (this.mode !== before) this.deadline = Infinity;
        return;
      }
      case LapicReg.TimerInitial:
        if (this.mode === TIMER_TSC_DEADLINE) return;
        this.initialCount = value >>> 0;
        this.deadline = this.initialCount === 0 ? Infinity : this.time.now() + this.initialCount * this.divisor;
        return;
      case LapicReg.TimerDivide:
        this.divide = value & 0xb;
        return;
      default:
        return;
    }
  }
}
