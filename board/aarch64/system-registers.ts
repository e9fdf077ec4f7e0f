// System registers reached by MRS/MSR, keyed by their encoding
// (op0, op1, CRn, CRm, op2). Each has a read and, if writable, a write; the
// 64-bit value moves as lo/hi halves through cpu.sysLo/cpu.sysHi.

import type { Cpu, TimerRegister } from './cpu';
import { undefinedInstruction } from './exception-syndrome';
import { ICC_REGISTERS, iccRegister } from './gic-system-registers';
import { PMU_REGISTERS } from './pmu-registers';
import { DEBUG_REGISTERS } from './debug-registers';
import { identificationSpace } from './id-registers';

export interface SysRegDef {
  readonly name: string;
  /** Accessible from EL0 (otherwise an EL0 access traps with EC 0x18). */
  readonly el0: boolean | ((cpu: Cpu) => boolean);
  /** Leaves the value in cpu.sysLo / cpu.sysHi. */
  readonly read: (cpu: Cpu) => void;
  readonly write?: (cpu: Cpu, lo: number, hi: number) => void;
  /** A write changes translation or exception state: the block must end after it. */
  readonly endsBlock?: boolean;
  /** A read counts time (PMU counters): it ends its block so that the next read sees later time. */
  readonly readEndsBlock?: boolean;
  /** A refused EL0 access traps to EL1 with EC 0x18 (as the PMU's do) instead of being UNDEFINED. */
  readonly el0Trap?: boolean;
  /** Readable at EL0 when el0 says so, but never writable there. */
  readonly el0ReadOnly?: boolean;
  /** MRS of it is UNDEFINED. */
  readonly writeOnly?: boolean;
}

export function sysRegKey(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

/** Plain storage for registers that only hold a value. */
export class SysRegStore {
  private readonly lo = new Map<string, number>();
  private readonly hi = new Map<string, number>();
  get(name: string, cpu: Cpu): void {
    cpu.sysLo = this.lo.get(name) ?? 0;
    cpu.sysHi = this.hi.get(name) ?? 0;
  }
  /** TPIDR_EL0 (lo, hi) also kept here, for compiled code (the block compiler's CPU slot). */
  tpidrMirror: Int32Array | undefined;
  set(name: string, lo: number, hi: number): void {
    this.lo.set(name, lo | 0);
    this.hi.set(name, hi | 0);
    if (name === 'TPIDR_EL0' && this.tpidrMirror !== undefined) {
      this.tpidrMirror[0] = lo;
      this.tpidrMirror[1] = hi;
    }
  }
  has(name: string): boolean {
    return this.lo.has(name);
  }
  getLo(name: string): number {
    return this.lo.get(name) ?? 0;
  }
  getHi(name: string): number {
    return this.hi.get(name) ?? 0;
  }
}

const table = new Map<number, SysRegDef>();

function def(op0: number, op1: number, crn: number, crm: number, op2: number, d: SysRegDef): void {
  const key = sysRegKey(op0, op1, crn, crm, op2);
  if (table.has(key)) throw new Error(`system register ${d.name} defined twice`);
  table.set(key, d);
}

/** A register that just stores what is written (optionally masked). */
function stored(name: string, el0: boolean, writeMaskLo = -1, writeMaskHi = -1): SysRegDef {
  return {
    name,
    el0,
    read: (cpu) => cpu.sysregs.get(name, cpu),
    write: (cpu, lo, hi) => cpu.sysregs.set(name, lo & writeMaskLo, hi & writeMaskHi),
  };
}

function constant(name: string, lo: number, hi = 0, el0: boolean | ((cpu: Cpu) => boolean) = false): SysRegDef {
  return {
    name,
    el0,
    read: (cpu) => {
      cpu.sysLo = lo | 0;
      cpu.sysHi = hi | 0;
    },
  };
}

export function lookupSysReg(key: number): SysRegDef | undefined {
  return table.get(key);
}

// ---- EL0-visible state ----
def(3, 3, 4, 2, 0, {
  name: 'NZCV',
  el0: true,
  read: (cpu) => {
    cpu.sysLo = cpu.state.nzcv | 0;
    cpu.sysHi = 0;
  },
  write: (cpu, lo) => {
    cpu.state.nzcv = lo & 0xf0000000;
  },
});
def(3, 3, 4, 2, 1, {
  name: 'DAIF',
  el0: (cpu) => (cpu.sctlrLo & (1 << 9)) !== 0, // SCTLR_EL1.UMA
  read: (cpu) => {
    cpu.sysLo = cpu.daif;
    cpu.sysHi = 0;
  },
  write: (cpu, lo) => {
    cpu.daif = lo & 0x3c0;
  },
  endsBlock: true,
});
def(3, 3, 4, 4, 0, {
  name: 'FPCR',
  el0: true,
  read: (cpu) => {
    cpu.sysLo = cpu.fpcr;
    cpu.sysHi = 0;
  },
  // AHP, DN, FZ, RMode, FZ16 and the trap enables QEMU keeps at zero for 'max'.
  write: (cpu, lo) => cpu.setFpcr(lo & 0x07f80000),
});
def(3, 3, 4, 4, 1, {
  name: 'FPSR',
  el0: true,
  read: (cpu) => {
    cpu.sysLo = cpu.fpsr;
    cpu.sysHi = 0;
  },
  write: (cpu, lo) => {
    cpu.fpsr = lo & 0xf800009f;
  },
});
def(3, 3, 13, 0, 2, stored('TPIDR_EL0', true));
def(3, 3, 13, 0, 3, {
  name: 'TPIDRRO_EL0',
  el0: true,
  read: (cpu) => cpu.sysregs.get('TPIDRRO_EL0', cpu),
  // Writable at EL1 only; the EL0 write is refused by the MSR decoder (el0Write below).
  write: (cpu, lo, hi) => cpu.sysregs.set('TPIDRRO_EL0', lo, hi),
});
// DCZID_EL0: DC ZVA block of 2^4 words = 64 bytes, DZP = 0 (DC ZVA permitted).
def(3, 3, 0, 0, 7, constant('DCZID_EL0', 4, 0, true));
// CTR_EL0 as QEMU's max CPU reports it (64-byte lines, IDC/DIC clear).
def(3, 3, 0, 0, 1, constant('CTR_EL0', 0x8444c004 | 0, 0, (cpu) => (cpu.sctlrLo & (1 << 15)) !== 0 || cpu.hosted));
// EL0 reaches the counters as CNTKCTL_EL1 allows (EL0PCTEN bit 0, EL0VCTEN bit 1; CNTFRQ with
// either), else the access traps to EL1 with EC 0x18. User programs under the hosted kernel always may.
const cntkctl = (cpu: Cpu, mask: number) => cpu.hosted || (cpu.sysregs.getLo('CNTKCTL_EL1') & mask) !== 0;
def(3, 3, 14, 0, 0, {
  name: 'CNTFRQ_EL0',
  el0: (cpu) => cntkctl(cpu, 3),
  el0Trap: true,
  read: (cpu) => {
    cpu.sysLo = cpu.timer.frequency;
    cpu.sysHi = 0;
  },
});
def(3, 3, 14, 0, 1, {
  name: 'CNTPCT_EL0',
  el0: (cpu) => cntkctl(cpu, 1),
  el0Trap: true,
  read: (cpu) => cpu.timer.readCounter(cpu),
});
def(3, 3, 14, 0, 2, {
  name: 'CNTVCT_EL0',
  el0: (cpu) => cntkctl(cpu, 2),
  el0Trap: true,
  read: (cpu) => cpu.timer.readCounter(cpu),
});
for (const [timer, crm, prefix, el0Bit] of [[0, 2, 'CNTP', 9], [1, 3, 'CNTV', 8]] as const) {
  for (const [op2, reg] of [[0, 'tval'], [1, 'ctl'], [2, 'cval']] as const) def(3, 3, 14, crm, op2, timerReg(`${prefix}_${reg.toUpperCase()}_EL0`, timer, reg, el0Bit));
}

// ---- EL1 state ----
def(3, 0, 4, 2, 2, {
  name: 'CurrentEL',
  el0: false,
  read: (cpu) => {
    cpu.sysLo = cpu.el << 2;
    cpu.sysHi = 0;
  },
});
def(3, 0, 4, 2, 0, {
  name: 'SPSel',
  el0: false,
  read: (cpu) => {
    cpu.sysLo = cpu.spsel;
    cpu.sysHi = 0;
  },
  write: (cpu, lo) => cpu.setSpSel(lo & 1),
});
def(3, 0, 1, 0, 0, {
  name: 'SCTLR_EL1',
  el0: false,
  read: (cpu) => {
    cpu.sysLo = cpu.sctlrLo;
    cpu.sysHi = 0;
  },
  write: (cpu, lo) => cpu.setTranslationReg('sctlr', lo, 0),
  endsBlock: true,
});
def(3, 0, 2, 0, 0, translationReg('TTBR0_EL1', 'ttbr0'));
def(3, 0, 2, 0, 1, translationReg('TTBR1_EL1', 'ttbr1'));
def(3, 0, 2, 0, 2, translationReg('TCR_EL1', 'tcr'));
def(3, 0, 10, 2, 0, translationReg('MAIR_EL1', 'mair'));
def(3, 0, 4, 0, 0, stored('SPSR_EL1', false));
def(3, 0, 4, 0, 1, {
  name: 'ELR_EL1',
  el0: false,
  read: (cpu) => splitInto(cpu, cpu.elr),
  write: (cpu, lo, hi) => {
    cpu.elr = joinAddress(lo, hi);
  },
});
def(3, 0, 4, 1, 0, {
  name: 'SP_EL0',
  el0: false,
  // With SPSel = 0 SP_EL0 is the current SP, and MRS/MSR of it are UNDEFINED (as in QEMU).
  read: (cpu) => {
    if (cpu.spsel === 0) throw undefinedInstruction();
    cpu.readSpEl0();
  },
  write: (cpu, lo, hi) => {
    if (cpu.spsel === 0) throw undefinedInstruction();
    cpu.writeSpEl0(lo, hi);
  },
});
def(3, 0, 5, 2, 0, stored('ESR_EL1', false, -1, 0));
def(3, 0, 5, 1, 0, stored('AFSR0_EL1', false));
def(3, 0, 5, 1, 1, stored('AFSR1_EL1', false));
def(3, 0, 6, 0, 0, {
  name: 'FAR_EL1',
  el0: false,
  read: (cpu) => splitInto(cpu, cpu.far),
  write: (cpu, lo, hi) => {
    cpu.far = joinAddress(lo, hi);
  },
});
def(3, 0, 7, 4, 0, stored('PAR_EL1', false));
def(3, 0, 10, 3, 0, stored('AMAIR_EL1', false));
def(3, 0, 12, 0, 0, {
  name: 'VBAR_EL1',
  el0: false,
  read: (cpu) => splitInto(cpu, cpu.vbar),
  write: (cpu, lo, hi) => {
    cpu.vbar = joinAddress(lo & ~0x7ff, hi);
  },
});
def(3, 0, 1, 0, 2, {
  name: 'CPACR_EL1',
  el0: false,
  read: (cpu) => {
    cpu.sysLo = cpu.cpacr;
    cpu.sysHi = 0;
  },
  write: (cpu, lo) => cpu.setCpacr(lo),
  endsBlock: true,
});
def(3, 0, 13, 0, 1, stored('CONTEXTIDR_EL1', false, -1, 0));
def(3, 0, 13, 0, 4, stored('TPIDR_EL1', false));
def(3, 0, 14, 1, 0, stored('CNTKCTL_EL1', false, 0x3ff, 0));
def(3, 0, 12, 1, 0, {
  name: 'ISR_EL1',
  el0: false,
  read: (cpu) => {
    cpu.sysLo = (cpu.irqLine ? 1 << 7 : 0) | (cpu.fiqLine ? 1 << 6 : 0);
    cpu.sysHi = 0;
  },
});

// ---- identification (the values of QEMU's cortex-a57) ----
def(3, 0, 0, 0, 0, constant('MIDR_EL1', 0x411fd070));
def(3, 0, 0, 0, 5, {
  name: 'MPIDR_EL1',
  el0: false,
  read: (cpu) => {
    cpu.sysLo = cpu.mpidr | 0;
    cpu.sysHi = 0;
  },
});
def(3, 0, 0, 0, 6, constant('REVIDR_EL1', 0));
// EL0 and EL1 AArch64+AArch32, no EL2 or EL3 (QEMU's virt without virtualization or secure).
// GIC = 1 when the board's GICv3 CPU interface is there (as QEMU computes it).
def(3, 0, 0, 4, 0, {
  name: 'ID_AA64PFR0_EL1',
  el0: false,
  read: (cpu) => {
    cpu.sysLo = 0x00000022 | (cpu.gicSystemRegisters !== undefined ? 1 << 24 : 0);
    cpu.sysHi = 0;
  },
});
for (const [reg, crn, crm, op2, access] of ICC_REGISTERS) def(3, 0, crn, crm, op2, iccRegister(reg, access));
for (const [op0, op1, crn, crm, op2, d] of [...PMU_REGISTERS, ...DEBUG_REGISTERS]) def(op0, op1, crn, crm, op2, d);
def(3, 0, 0, 4, 1, constant('ID_AA64PFR1_EL1', 0));
def(3, 0, 0, 5, 0, constant('ID_AA64DFR0_EL1', 0x10305106));
def(3, 0, 0, 5, 1, constant('ID_AA64DFR1_EL1', 0));
def(3, 0, 0, 6, 0, constant('ID_AA64ISAR0_EL1', 0x00011120));
def(3, 0, 0, 6, 1, constant('ID_AA64ISAR1_EL1', 0));
def(3, 0, 0, 7, 0, constant('ID_AA64MMFR0_EL1', 0x00001124));
def(3, 0, 0, 7, 1, constant('ID_AA64MMFR1_EL1', 0));
def(3, 0, 0, 7, 2, constant('ID_AA64MMFR2_EL1', 0));
for (const [crm, op2, name, v] of identificationSpace((crm, op2) => table.has(sysRegKey(3, 0, 0, crm, op2)))) def(3, 0, 0, crm, op2, constant(name, v));

/** A generic-timer register: the board's timer when it has one, else plain storage. EL0 access per CNTKCTL_EL1. */
function timerReg(name: string, timer: 0 | 1, reg: TimerRegister, el0Bit: number): SysRegDef {
  return {
    name,
    el0: (cpu) => ((cpu.sysregs.getLo('CNTKCTL_EL1') >>> el0Bit) & 1) !== 0,
    el0Trap: true,
    read: (cpu) => (cpu.timer.readTimerRegister ? cpu.timer.readTimerRegister(cpu, timer, reg) : cpu.sysregs.get(name, cpu)),
    write: (cpu, lo, hi) => (cpu.timer.writeTimerRegister ? cpu.timer.writeTimerRegister(cpu, timer, reg, lo, hi) : cpu.sysregs.set(name, lo, hi)),
    // The timer's output may change: the next block boundary takes the interrupt.
    endsBlock: true,
  };
}

function translationReg(name: string, field: 'ttbr0' | 'ttbr1' | 'tcr' | 'mair'): SysRegDef {
  return {
    name,
    el0: false,
    read: (cpu) => {
      const r = cpu.vm.regs;
      cpu.sysLo = r[`${field}Lo`] | 0;
      cpu.sysHi = r[`${field}Hi`] | 0;
    },
    write: (cpu, lo, hi) => cpu.setTranslationReg(field, lo, hi),
    endsBlock: true,
  };
}

const TWO32 = 4294967296;

/** A 64-bit value from halves (hi signed) as the signed-canonical number addresses use. */
export function joinAddress(lo: number, hi: number): number {
  return (hi | 0) * TWO32 + (lo >>> 0);
}

export function splitInto(cpu: Cpu, addr: number): void {
  cpu.sysLo = addr | 0;
  cpu.sysHi = Math.floor(addr / TWO32) | 0;
}
