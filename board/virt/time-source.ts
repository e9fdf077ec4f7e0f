// Where the board's time comes from: retired guest instructions (deterministic,
// one counter tick per instruction) plus the ticks skipped while the CPU waited,
// or the host's clock.

export interface TimeSource {
  /** The system counter (CNTPCT), in ticks of the counter frequency; exact below 2^53. */
  now(): number;
  /** The CPU is idle until `ticks`: a deterministic source jumps there. */
  skipTo(ticks: number): void;
  readonly deterministic: boolean;
}

export class InstructionTime implements TimeSource {
  readonly deterministic = true;
  private skipped = 0;

  constructor(private readonly retired: () => number) {}

  now(): number {
    return this.retired() + this.skipped;
  }

  skipTo(ticks: number): void {
    const now = this.now();
    if (ticks > now) this.skipped += ticks - now;
  }
}

export class HostTime implements TimeSource {
  readonly deterministic = false;
  private readonly start = performance.now();

  constructor(private readonly frequency: number) {}

  now(): number {
    return Math.floor((performance.now() - this.start) * (this.frequency / 1000));
  }

  skipTo(): void {}
}
