// The PMUv3 system registers over the CPU's Pmu. EL0 reaches them as
// PMUSERENR_EL0 allows (EN for all, SW for PMSWINC, CR for reading the cycle
// counter, ER for reading event counters); a refused EL0 access traps with EC 0x18.

import type { Cpu } from './cpu';
import { PMCEID0, PMU_COUNTERS } from './pmu';
import type { SysRegDef } from './system-registers';

type Entry = readonly [number, number, number, number, number, SysRegDef];

const EN = 1;
const SW = 2;
const CR = 4;
const ER = 8;

const userAllows = (bits: number) => (cpu: Cpu) => (cpu.pmu.userEnable & (EN | bits)) !== 0;

function value(cpu: Cpu, lo: number, hi = 0): void {
  cpu.sysLo = lo | 0;
  cpu.sysHi = hi | 0;
}

function reg(name: string, el0Bits: number, read: (cpu: Cpu) => void, write?: (cpu: Cpu, lo: number, hi: number) => void): SysRegDef {
  return { name, el0: userAllows(el0Bits), el0Trap: true, read, write, endsBlock: true, readEndsBlock: true };
}

function mask(name: string, field: 'cntEnable' | 'intEnable' | 'overflow', set: boolean): SysRegDef {
  return reg(
    name,
    0,
    (cpu) => {
      cpu.pmu.sync(cpu);
      value(cpu, cpu.pmu[field]);
    },
    (cpu, lo) => cpu.pmu.setMask(field, cpu, lo, set),
  );
}

function readCounter(cpu: Cpu, i: number): void {
  cpu.pmu.sync(cpu);
  value(cpu, i < PMU_COUNTERS ? cpu.pmu.evcnt[i] : 0);
}

function writeCounter(cpu: Cpu, i: number, lo: number): void {
  cpu.pmu.sync(cpu);
  if (i < PMU_COUNTERS) cpu.pmu.evcnt[i] = lo >>> 0;
}

function eventCounter(i: number): SysRegDef {
  return reg(`PMEVCNTR${i}_EL0`, ER, (cpu) => readCounter(cpu, i), (cpu, lo) => writeCounter(cpu, i, lo));
}

function eventType(i: number): SysRegDef {
  return reg(`PMEVTYPER${i}_EL0`, 0, (cpu) => value(cpu, cpu.pmu.readEvtyper(i)), (cpu, lo) => {
    cpu.pmu.sync(cpu);
    cpu.pmu.writeEvtyper(i, lo);
  });
}

const selected = (cpu: Cpu) => cpu.pmu.selr & 0x1f;

export const PMU_REGISTERS: readonly Entry[] = [
  [3, 3, 9, 12, 0, reg('PMCR_EL0', 0, (cpu) => value(cpu, cpu.pmu.readPmcr()), (cpu, lo) => cpu.pmu.writePmcr(cpu, lo))],
  [3, 3, 9, 12, 1, mask('PMCNTENSET_EL0', 'cntEnable', true)],
  [3, 3, 9, 12, 2, mask('PMCNTENCLR_EL0', 'cntEnable', false)],
  [3, 3, 9, 12, 3, mask('PMOVSCLR_EL0', 'overflow', false)],
  [3, 3, 9, 14, 3, mask('PMOVSSET_EL0', 'overflow', true)],
  [3, 0, 9, 14, 1, { ...mask('PMINTENSET_EL1', 'intEnable', true), el0: false, el0Trap: false }],
  [3, 0, 9, 14, 2, { ...mask('PMINTENCLR_EL1', 'intEnable', false), el0: false, el0Trap: false }],
  [3, 3, 9, 12, 4, { ...reg('PMSWINC_EL0', SW, () => undefined, (cpu, lo) => cpu.pmu.softwareIncrement(cpu, lo)), writeOnly: true }],
  [3, 3, 9, 12, 5, reg('PMSELR_EL0', 0, (cpu) => value(cpu, cpu.pmu.selr), (cpu, lo) => (cpu.pmu.selr = lo & 0x1f))],
  [3, 3, 9, 12, 6, reg('PMCEID0_EL0', 0, (cpu) => value(cpu, PMCEID0))],
  [3, 3, 9, 12, 7, reg('PMCEID1_EL0', 0, (cpu) => value(cpu, 0))],
  [
    3, 3, 9, 13, 0,
    reg('PMCCNTR_EL0', CR, (cpu) => {
      cpu.pmu.sync(cpu);
      value(cpu, cpu.pmu.ccntLo, cpu.pmu.ccntHi);
    }, (cpu, lo, hi) => {
      cpu.pmu.sync(cpu);
      cpu.pmu.ccntLo = lo >>> 0;
      cpu.pmu.ccntHi = hi >>> 0;
    }),
  ],
  [3, 3, 9, 13, 1, reg('PMXEVTYPER_EL0', 0, (cpu) => value(cpu, cpu.pmu.readEvtyper(selected(cpu))), (cpu, lo) => {
    cpu.pmu.sync(cpu);
    cpu.pmu.writeEvtyper(selected(cpu), lo);
  })],
  [3, 3, 9, 13, 2, reg('PMXEVCNTR_EL0', ER, (cpu) => readCounter(cpu, selected(cpu)), (cpu, lo) => writeCounter(cpu, selected(cpu), lo))],
  // Readable at EL0; writable at EL1 only (the MSR decoder refuses EL0 writes of el0WriteForbidden registers).
  [3, 3, 9, 14, 0, { name: 'PMUSERENR_EL0', el0: true, el0Trap: true, el0ReadOnly: true, read: (cpu) => value(cpu, cpu.pmu.userEnable), write: (cpu, lo) => (cpu.pmu.userEnable = lo & 0xf) }],
  [3, 3, 14, 15, 7, eventType(31)],
  ...Array.from({ length: PMU_COUNTERS }, (_, i): Entry => [3, 3, 14, 8 + (i >> 3), i & 7, eventCounter(i)]),
  ...Array.from({ length: PMU_COUNTERS }, (_, i): Entry => [3, 3, 14, 12 + (i >> 3), i & 7, eventType(i)]),
];
