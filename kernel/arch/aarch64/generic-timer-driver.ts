// The kernel's clock and preemption timer: the generic timer's virtual
// counter (CNTVCT_EL0) and EL1 virtual timer (CNTV_CVAL_EL0, CNTV_CTL_EL0),
// read and written as system registers. Kernel times are milliseconds on this
// counter, so what threads see through clock_gettime and CNTVCT_EL0 agree.

export type TimerRegisterName = 'CNTFRQ_EL0' | 'CNTVCT_EL0' | 'CNTV_CTL_EL0' | 'CNTV_CVAL_EL0';

/** MRS/MSR of the timer's system registers; 64-bit values as numbers (exact below 2^53). */
export interface TimerRegisters {
  read(name: TimerRegisterName): number;
  write(name: 'CNTV_CTL_EL0' | 'CNTV_CVAL_EL0', value: number): void;
}

const CTL_ENABLE = 1;

export class GenericTimerDriver {
  /** Counter ticks a second (CNTFRQ_EL0). */
  readonly frequency: number;
  readonly ticksPerMs: number;
  /** CNTV_CTL_EL0.ENABLE and CNTV_CVAL_EL0 as last written (the kernel is the timer's only writer). */
  private enabled = false;
  private armedAt = -1;

  constructor(private readonly regs: TimerRegisters) {
    this.frequency = regs.read('CNTFRQ_EL0');
    this.ticksPerMs = this.frequency / 1000;
  }

  /** The virtual count, in ticks. */
  ticks(): number {
    return this.regs.read('CNTVCT_EL0');
  }

  /** Milliseconds since the counter started. */
  nowMs(): number {
    return this.ticks() / this.ticksPerMs;
  }

  /** The first count at which nowMs() >= ms holds (rounded up past any float error). */
  ticksAt(ms: number): number {
    return Math.ceil(ms * this.ticksPerMs) + 1;
  }

  /** Fires the timer's interrupt when the count reaches `ticks`. */
  armAt(ticks: number): void {
    if (this.enabled && ticks === this.armedAt) return;
    this.regs.write('CNTV_CVAL_EL0', ticks);
    this.armedAt = ticks;
    if (!this.enabled) this.regs.write('CNTV_CTL_EL0', CTL_ENABLE);
    this.enabled = true;
  }

  /** Stops the timer: its interrupt line drops. */
  disarm(): void {
    this.regs.write('CNTV_CTL_EL0', 0);
    this.enabled = false;
  }
}
