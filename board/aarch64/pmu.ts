// PMUv3 as QEMU's TCG gives a cortex-a57: PMCR_EL0 with N = 6 event counters,
// the 64-bit cycle counter, and of the events only SW_INCR (0x00) and
// CPU_CYCLES (0x11), which are what PMCEID0 advertises (QEMU counts
// INST_RETIRED only under -icount). A cycle is one retired instruction, so
// counts are deterministic; counters are brought up to date lazily, when a PMU
// register is accessed.

import type { Cpu } from './cpu';

export const PMU_COUNTERS = 6;
const CYCLE_BIT = 31;
const PMCR_E = 1 << 0;
const PMCR_P = 1 << 1;
const PMCR_C = 1 << 2;
const PMCR_D = 1 << 3;
const PMCR_LC = 1 << 6;
/** IMP = 0x41 ('A'), IDCODE = 1, N = 6 (QEMU's cortex-a57). */
const PMCR_FIXED = 0x41013000;
/** E, D, X, DP, LC and bit 7, as QEMU keeps them (P and C act and read as zero). */
const PMCR_WRITABLE = 0xf9;
export const EVENT_SW_INCR = 0x00;
export const EVENT_CPU_CYCLES = 0x11;
export const PMCEID0 = (1 << EVENT_SW_INCR) | (1 << EVENT_CPU_CYCLES);
const COUNTER_MASK = 0x8000003f;
const EVTYPER_MASK = 0xfe00ffff;
const CCFILTR_MASK = 0xfc000000;
const TWO32 = 4294967296;

export class Pmu {
  pmcr = 0;
  cntEnable = 0;
  intEnable = 0;
  overflow = 0;
  selr = 0;
  userEnable = 0;
  ccfiltr = 0;
  readonly evtyper = new Uint32Array(PMU_COUNTERS);
  readonly evcnt = new Uint32Array(PMU_COUNTERS);
  /** The cycle counter as two 32-bit halves. */
  ccntLo = 0;
  ccntHi = 0;
  /** Retired-instruction count the counters were last brought up to. */
  private syncedAt = 0;
  /** Cycles not yet counted by a PMCR.D (every 64th cycle) cycle counter. */
  private divided = 0;
  /** Called when the overflow interrupt request (PMCR.E and an enabled overflow) changes. */
  onInterrupt: ((level: boolean) => void) | undefined;

  readPmcr(): number {
    return (PMCR_FIXED | (this.pmcr & PMCR_WRITABLE)) >>> 0;
  }

  /** Counts the cycles retired since the last access. */
  sync(cpu: Cpu): void {
    const delta = cpu.retired - this.syncedAt;
    this.syncedAt = cpu.retired;
    if (delta <= 0 || (this.pmcr & PMCR_E) === 0) return;
    if ((this.cntEnable >>> CYCLE_BIT) & 1) this.countCycles(delta);
    for (let i = 0; i < PMU_COUNTERS; i++) {
      if (((this.cntEnable >>> i) & 1) !== 0 && (this.evtyper[i] & 0xffff) === EVENT_CPU_CYCLES) this.addEvent(i, delta);
    }
    this.updateInterrupt();
  }

  private countCycles(delta: number): void {
    if (this.pmcr & PMCR_D) {
      this.divided += delta;
      delta = Math.floor(this.divided / 64);
      this.divided %= 64;
    }
    if (delta === 0) return;
    const lo = this.ccntLo + delta;
    const carry = Math.floor(lo / TWO32);
    this.ccntLo = lo % TWO32;
    const hi = this.ccntHi + carry;
    this.ccntHi = hi % TWO32;
    // Overflow from bit 63 with PMCR.LC, else from bit 31.
    if ((this.pmcr & PMCR_LC ? hi : carry) >= (this.pmcr & PMCR_LC ? TWO32 : 1)) this.overflow |= 1 << CYCLE_BIT;
  }

  private addEvent(i: number, n: number): void {
    const v = this.evcnt[i] + n;
    if (v >= TWO32) this.overflow |= 1 << i;
    this.evcnt[i] = v % TWO32;
  }

  writePmcr(cpu: Cpu, v: number): void {
    this.sync(cpu);
    if (v & PMCR_P) this.evcnt.fill(0);
    if (v & PMCR_C) this.ccntLo = this.ccntHi = 0;
    this.pmcr = v & PMCR_WRITABLE;
    this.updateInterrupt();
  }

  /** PMSWINC_EL0: each set bit adds one to an enabled counter counting SW_INCR. */
  softwareIncrement(cpu: Cpu, bits: number): void {
    this.sync(cpu);
    if ((this.pmcr & PMCR_E) === 0) return;
    for (let i = 0; i < PMU_COUNTERS; i++) {
      if (((bits & this.cntEnable) >>> i) & 1 && (this.evtyper[i] & 0xffff) === EVENT_SW_INCR) this.addEvent(i, 1);
    }
    this.updateInterrupt();
  }

  setMask(field: 'cntEnable' | 'intEnable' | 'overflow', cpu: Cpu, v: number, set: boolean): void {
    this.sync(cpu);
    const m = v & COUNTER_MASK;
    this[field] = (set ? this[field] | m : this[field] & ~m) >>> 0;
    this.updateInterrupt();
  }

  writeEvtyper(i: number, v: number): void {
    if (i === CYCLE_BIT) this.ccfiltr = (v & CCFILTR_MASK) >>> 0;
    else if (i < PMU_COUNTERS) this.evtyper[i] = v & EVTYPER_MASK;
  }

  readEvtyper(i: number): number {
    if (i === CYCLE_BIT) return this.ccfiltr;
    return i < PMU_COUNTERS ? this.evtyper[i] : 0;
  }

  private updateInterrupt(): void {
    this.onInterrupt?.((this.pmcr & PMCR_E) !== 0 && (this.overflow & this.intEnable) !== 0);
  }

  static readonly COUNTER_MASK = COUNTER_MASK;
}
