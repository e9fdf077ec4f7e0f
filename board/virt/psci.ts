// PSCI firmware behind HVC, answering as QEMU 7.2 does for a one-CPU virt board.

import type { Cpu } from '../aarch64/cpu';

export const enum PsciFunction {
  Version = 0x8400_0000,
  CpuSuspend = 0x8400_0001,
  CpuOff = 0x8400_0002,
  CpuOn = 0x8400_0003,
  AffinityInfo = 0x8400_0004,
  Migrate = 0x8400_0005,
  MigrateInfoType = 0x8400_0006,
  SystemOff = 0x8400_0008,
  SystemReset = 0x8400_0009,
  Features = 0x8400_000a,
}

const SMC64 = 0x4000_0000;
const VERSION_1_1 = 0x10001;
const NOT_SUPPORTED = -1;
const INVALID_PARAMETERS = -2;
const ALREADY_ON = -4;
const MIGRATION_NOT_REQUIRED = 2;

/** What the board does when the guest asks to power off, reset, turn its CPU off or wait. */
export interface PowerControl {
  systemOff(): void;
  systemReset(): void;
  /** The calling CPU turns itself off. */
  cpuOff(cpu: Cpu): void;
  /** CPU_SUSPEND is a WFI on QEMU. */
  waitForInterrupt(cpu: Cpu): void;
  /** A board with more than one CPU: the other CPUs' power (see CpuPower); without it only CPU 0 exists. */
  readonly cpus?: CpuPower;
}

/** PSCI's view of a set of CPUs, each named by its MPIDR affinity (lo = Aff2.Aff1.Aff0, hi = Aff3). */
export interface CpuPower {
  /** CPU_ON's result: 0, ALREADY_ON (-4), or INVALID_PARAMETERS (-2) for an affinity that is not a CPU. */
  cpuOn(affLo: number, affHi: number, entry: number, context: { lo: number; hi: number }): number;
  /** AFFINITY_INFO at level 0: 0 (on), 1 (off), or -2 for an affinity that is not a CPU. */
  affinityInfo(affLo: number, affHi: number): number;
}

/** Functions PSCI_FEATURES reports as implemented (with their SMC64 forms where they have one). */
const IMPLEMENTED = new Set<number>([
  PsciFunction.Version,
  PsciFunction.MigrateInfoType,
  PsciFunction.AffinityInfo,
  PsciFunction.AffinityInfo + SMC64,
  PsciFunction.SystemReset,
  PsciFunction.SystemOff,
  PsciFunction.CpuOn,
  PsciFunction.CpuOn + SMC64,
  PsciFunction.CpuOff,
  PsciFunction.CpuSuspend,
  PsciFunction.CpuSuspend + SMC64,
  PsciFunction.Features,
]);

export class Psci {
  constructor(private readonly power: PowerControl) {}

  /** The CPU's hypervisorCall hook: every HVC is a PSCI call on this board. */
  readonly call = (cpu: Cpu): boolean => {
    const x = cpu.x;
    const fn = x[0] >>> 0;
    const result = this.dispatch(fn, x, cpu);
    if (result !== undefined) {
      x[0] = result;
      x[1] = result < 0 ? -1 : 0;
    }
    return true;
  };

  /** The value for x0, or undefined when the call does not return. */
  private dispatch(fn: number, x: Int32Array, cpu: Cpu): number | undefined {
    // The 32-bit calling convention ignores the upper halves of the arguments.
    const arg1Lo = x[2] >>> 0;
    const arg1Hi = fn >= 0xc400_0000 ? x[3] >>> 0 : 0;
    switch (fn) {
      case PsciFunction.Version:
        return VERSION_1_1;
      case PsciFunction.MigrateInfoType:
        return MIGRATION_NOT_REQUIRED;
      case PsciFunction.Features:
        return IMPLEMENTED.has(arg1Lo) ? 0 : NOT_SUPPORTED;
      case PsciFunction.AffinityInfo:
      case PsciFunction.AffinityInfo + SMC64: {
        if ((x[4] | x[5]) !== 0) return INVALID_PARAMETERS;
        const cpus = this.power.cpus;
        // One CPU: level 0 of CPU 0 (MPIDR affinity 0) is on; anything else is not a CPU.
        if (cpus === undefined) return isCpu0(arg1Lo, arg1Hi) ? 0 : INVALID_PARAMETERS;
        return cpus.affinityInfo(arg1Lo & 0xffffff, arg1Hi & 0xff);
      }
      case PsciFunction.CpuOn:
      case PsciFunction.CpuOn + SMC64: {
        const cpus = this.power.cpus;
        if (cpus === undefined) return isCpu0(arg1Lo, arg1Hi) ? ALREADY_ON : INVALID_PARAMETERS;
        // SMC32: the entry point and context are the low halves of x2 and x3.
        const wide = fn >= 0xc400_0000;
        const entry = wide ? (x[5] | 0) * 4294967296 + (x[4] >>> 0) : x[4] >>> 0;
        return cpus.cpuOn(arg1Lo & 0xffffff, arg1Hi & 0xff, entry, { lo: x[6], hi: wide ? x[7] : 0 });
      }
      case PsciFunction.CpuSuspend:
      case PsciFunction.CpuSuspend + SMC64:
        if ((arg1Lo & 0xfffe0000) !== 0) return INVALID_PARAMETERS;
        this.power.waitForInterrupt(cpu);
        return 0;
      case PsciFunction.CpuOff:
        this.power.cpuOff(cpu);
        return undefined;
      case PsciFunction.SystemOff:
        this.power.systemOff();
        return undefined;
      case PsciFunction.SystemReset:
        this.power.systemReset();
        return undefined;
    }
    return NOT_SUPPORTED;
  }
}

function isCpu0(lo: number, hi: number): boolean {
  return (lo & 0xffffff) === 0 && (hi & 0xff) === 0;
}
