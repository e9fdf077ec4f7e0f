// The generic timer: the system counter and the EL1 physical and virtual timers
// (CNTP_*, CNTV_*), each a level-sensitive PPI. With no EL2, CNTVOFF is 0 and the
// virtual count equals the physical one.

import type { Cpu, CpuTimer, TimerRegister } from '../aarch64/cpu';
import { IrqLine, unconnected } from './irq-line';
import { TIMER_FREQUENCY } from './memory-map';
import type { TimeSource } from './time-source';

const TWO32 = 4294967296;
const CTL_ENABLE = 1;
const CTL_IMASK = 2;
const CTL_ISTATUS = 4;

class TimerChannel {
  ctl = 0;
  cvalLo = 0;
  cvalHi = 0;
  irq: IrqLine = unconnected;
  level = false;

  /** CVAL as a number; Infinity when it lies beyond any count this board reaches (2^53). */
  get deadline(): number {
    return this.cvalHi >>> 0 >= 0x200000 ? Infinity : (this.cvalHi >>> 0) * TWO32 + (this.cvalLo >>> 0);
  }

  fired(now: number): boolean {
    return now >= this.deadline;
  }
}

export class GenericTimer implements CpuTimer {
  readonly frequency = TIMER_FREQUENCY;
  readonly physical = new TimerChannel();
  readonly virtual = new TimerChannel();
  /** Both channels, allocated once: update() runs on every slice of the board. */
  private readonly channels: readonly TimerChannel[] = [this.physical, this.virtual];

  constructor(readonly time: TimeSource) {}

  readCounter(cpu: Cpu): void {
    const now = this.time.now();
    cpu.sysLo = now | 0;
    cpu.sysHi = Math.floor(now / TWO32) | 0;
  }

  readTimerRegister(cpu: Cpu, timer: 0 | 1, reg: TimerRegister): void {
    const t = timer === 0 ? this.physical : this.virtual;
    const now = this.time.now();
    cpu.sysHi = 0;
    // ISTATUS reads 0 while the timer is disabled, as on QEMU.
    if (reg === 'ctl') cpu.sysLo = t.ctl | ((t.ctl & CTL_ENABLE) !== 0 && t.fired(now) ? CTL_ISTATUS : 0);
    else if (reg === 'tval') cpu.sysLo = ((t.cvalLo >>> 0) - (now % TWO32)) | 0;
    else {
      cpu.sysLo = t.cvalLo;
      cpu.sysHi = t.cvalHi;
    }
  }

  writeTimerRegister(cpu: Cpu, timer: 0 | 1, reg: TimerRegister, lo: number, hi: number): void {
    const t = timer === 0 ? this.physical : this.virtual;
    if (reg === 'ctl') t.ctl = lo & (CTL_ENABLE | CTL_IMASK);
    else if (reg === 'cval') this.setCval(t, lo, hi);
    else this.setCval(t, ...addSigned32(this.time.now(), lo));
    this.update();
    // The next deadline moved: the board re-plans its slice.
    cpu.stop = 1; // StopReason.Budget
  }

  private setCval(t: TimerChannel, lo: number, hi: number): void {
    t.cvalLo = lo | 0;
    t.cvalHi = hi | 0;
  }

  /** Recomputes both outputs and drives the interrupt lines that changed. */
  update(): void {
    const now = this.time.now();
    for (const t of this.channels) {
      const level = (t.ctl & (CTL_ENABLE | CTL_IMASK)) === CTL_ENABLE && t.fired(now);
      if (level !== t.level) {
        t.level = level;
        t.irq(level);
      }
    }
  }

  /** The earliest count at which an enabled, unmasked timer that has not fired yet will fire. */
  nextDeadline(): number {
    const now = this.time.now();
    let next = Infinity;
    for (const t of this.channels) {
      if ((t.ctl & (CTL_ENABLE | CTL_IMASK)) !== CTL_ENABLE || t.fired(now)) continue;
      next = Math.min(next, t.deadline);
    }
    return next;
  }
}

/** now + sign-extended 32-bit delta, as 64-bit halves (TVAL writes). */
function addSigned32(now: number, delta: number): [number, number] {
  const sum = now + (delta | 0);
  if (sum >= 0) return [sum % TWO32 | 0, Math.floor(sum / TWO32) | 0];
  // Before the epoch of the counter: wraps to a huge unsigned value.
  return [sum | 0, -1];
}
