// Self-hosted debug registers (the OS lock, OS double lock, MDSCR_EL1 and
// cortex-a57's 6 breakpoint and 4 watchpoint register pairs) and the cache
// identification registers, with the values and write masks QEMU gives a
// cortex-a57. Breakpoint, watchpoint and software-step exceptions come from
// them in self-hosted-debug.ts.

import type { Cpu } from './cpu';
import { updateWatchpoints } from './self-hosted-debug';
import type { SysRegDef } from './system-registers';

type Entry = readonly [number, number, number, number, number, SysRegDef];

export const BREAKPOINTS = 6;
export const WATCHPOINTS = 4;

function value(cpu: Cpu, lo: number, hi = 0): void {
  cpu.sysLo = lo | 0;
  cpu.sysHi = hi | 0;
}

function stored(name: string, maskLo = -1, maskHi = -1, reset = 0): SysRegDef {
  return {
    name,
    el0: false,
    read: (cpu) => {
      if (reset !== 0 && !cpu.sysregs.has(name)) return value(cpu, reset);
      cpu.sysregs.get(name, cpu);
    },
    write: (cpu, lo, hi) => cpu.sysregs.set(name, lo & maskLo, hi & maskHi),
  };
}

/** OSLSR_EL1: OSLM = 0b10 (bit 3), OSLK (bit 1) as OSLAR_EL1 last wrote it; locked at reset. */
const OSLOCK = 'OSLSR_EL1.OSLK';
const osLocked = (cpu: Cpu) => !cpu.sysregs.has(OSLOCK) || cpu.sysregs.getLo(OSLOCK) !== 0;

// CLIDR_EL1: L1 separate I and D, L2 unified, LoUU = 1, LoC = 2, LoUIS = 1.
const CLIDR = 0x0a200023;
/** CCSIDR_EL1 by CSSELR_EL1: L1 D 32 KiB 2-way, L1 I 48 KiB 3-way, L2 2 MiB 16-way, 64-byte lines. */
const CCSIDR: Record<number, number> = { 0: 0x701fe00a, 1: 0x201fe012, 2: 0x70ffe07a };

export const DEBUG_REGISTERS: readonly Entry[] = [
  [2, 0, 1, 0, 4, { name: 'OSLAR_EL1', el0: false, writeOnly: true, read: () => undefined, write: (cpu, lo) => cpu.sysregs.set(OSLOCK, lo & 1, 0) }],
  [2, 0, 1, 1, 4, { name: 'OSLSR_EL1', el0: false, read: (cpu) => value(cpu, 0x8 | (osLocked(cpu) ? 2 : 0)) }],
  [2, 0, 1, 3, 4, stored('OSDLR_EL1', 1, 0)],
  [2, 0, 0, 2, 2, { ...stored('MDSCR_EL1', -1, 0), write: (cpu, lo) => {
    cpu.sysregs.set('MDSCR_EL1', lo, 0);
    cpu.rearmDebug();
    updateWatchpoints(cpu);
  }, endsBlock: true }],
  [2, 0, 1, 0, 0, { name: 'MDRAR_EL1', el0: false, read: (cpu) => value(cpu, 0) }],
  [2, 3, 0, 1, 0, { name: 'MDCCSR_EL0', el0: false, read: (cpu) => value(cpu, 0) }],
  ...Array.from({ length: BREAKPOINTS }, (_, n): Entry[] => [
    [2, 0, 0, n, 4, stored(`DBGBVR${n}_EL1`)],
    [2, 0, 0, n, 5, stored(`DBGBCR${n}_EL1`, -1, 0)],
  ]).flat(),
  ...Array.from({ length: WATCHPOINTS }, (_, n): Entry[] => [
    [2, 0, 0, n, 6, stored(`DBGWVR${n}_EL1`, ~3)],
    [2, 0, 0, n, 7, { ...stored(`DBGWCR${n}_EL1`, -1, 0), write: (cpu, lo) => {
      cpu.sysregs.set(`DBGWCR${n}_EL1`, lo, 0);
      updateWatchpoints(cpu);
    }, endsBlock: true }],
  ]).flat(),
  [3, 1, 0, 0, 1, { name: 'CLIDR_EL1', el0: false, read: (cpu) => value(cpu, CLIDR) }],
  [3, 2, 0, 0, 0, stored('CSSELR_EL1', 0xf, 0)],
  [3, 1, 0, 0, 0, { name: 'CCSIDR_EL1', el0: false, read: (cpu) => value(cpu, CCSIDR[cpu.sysregs.getLo('CSSELR_EL1')] ?? 0) }],
];
