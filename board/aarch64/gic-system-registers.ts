// The GICv3 CPU interface's system registers (ICC_*_EL1) as the CPU reaches
// them: the board's interrupt controller implements them; without one (GICv2)
// they are UNDEFINED, as on QEMU's virt with gic-version=2.

import type { Cpu } from './cpu';
import { undefinedInstruction } from './exception-syndrome';
import type { SysRegDef } from './system-registers';

export type IccRegister =
  | 'PMR' | 'IAR0' | 'EOIR0' | 'HPPIR0' | 'BPR0' | 'AP0R0' | 'AP1R0' | 'DIR' | 'RPR' | 'SGI1R' | 'ASGI1R' | 'SGI0R'
  | 'IAR1' | 'EOIR1' | 'HPPIR1' | 'BPR1' | 'CTLR' | 'SRE' | 'IGRPEN0' | 'IGRPEN1';

export interface GicSystemRegisters {
  read(reg: IccRegister): number;
  write(reg: IccRegister, lo: number, hi: number): void;
}

/** [name, CRn, CRm, op2, access] with op0 = 3, op1 = 0. */
export const ICC_REGISTERS: ReadonlyArray<readonly [IccRegister, number, number, number, 'rw' | 'ro' | 'wo']> = [
  ['PMR', 4, 6, 0, 'rw'],
  ['IAR0', 12, 8, 0, 'ro'],
  ['EOIR0', 12, 8, 1, 'wo'],
  ['HPPIR0', 12, 8, 2, 'ro'],
  ['BPR0', 12, 8, 3, 'rw'],
  ['AP0R0', 12, 8, 4, 'rw'],
  ['AP1R0', 12, 9, 0, 'rw'],
  ['DIR', 12, 11, 1, 'wo'],
  ['RPR', 12, 11, 3, 'ro'],
  ['SGI1R', 12, 11, 5, 'wo'],
  ['ASGI1R', 12, 11, 6, 'wo'],
  ['SGI0R', 12, 11, 7, 'wo'],
  ['IAR1', 12, 12, 0, 'ro'],
  ['EOIR1', 12, 12, 1, 'wo'],
  ['HPPIR1', 12, 12, 2, 'ro'],
  ['BPR1', 12, 12, 3, 'rw'],
  ['CTLR', 12, 12, 4, 'rw'],
  ['SRE', 12, 12, 5, 'rw'],
  ['IGRPEN0', 12, 12, 6, 'rw'],
  ['IGRPEN1', 12, 12, 7, 'rw'],
];

function present(cpu: Cpu): GicSystemRegisters {
  const gic = cpu.gicSystemRegisters;
  if (gic === undefined) throw undefinedInstruction();
  return gic;
}

export function iccRegister(reg: IccRegister, access: 'rw' | 'ro' | 'wo'): SysRegDef {
  return {
    name: `ICC_${reg}_EL1`,
    el0: false,
    read: (cpu) => {
      const gic = present(cpu);
      if (access === 'wo') throw undefinedInstruction();
      cpu.sysLo = gic.read(reg) | 0;
      cpu.sysHi = 0;
    },
    write: access === 'ro' ? undefined : (cpu, lo, hi) => present(cpu).write(reg, lo >>> 0, hi >>> 0),
    // Interrupt state may change: the next block boundary takes what is now signalled.
    endsBlock: true,
  };
}
