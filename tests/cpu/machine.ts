// A bare CPU for instruction tests: RAM at 0x4000_0000, MMU off, hosted EL0,
// code at the start of RAM, stopped by the BRK the helper appends.

import { Cpu, StopReason } from '../../board/aarch64/cpu';
import { PhysicalMemory } from '../../board/memory/physical-memory';
import { asm } from './asm';

export const RAM_BASE = 0x4000_0000;
export const DATA = RAM_BASE + 0x10_0000;

export interface TestMachine {
  cpu: Cpu;
  phys: PhysicalMemory;
  /** Runs the program until its final BRK; returns the ESR's exception class it stopped with. */
  run(): number;
  x(n: number): bigint;
  w(n: number): number;
  nzcv(): string;
}

export function machine(source: string, init: (cpu: Cpu) => void = () => {}): TestMachine {
  const phys = new PhysicalMemory(RAM_BASE, 4 * 1024 * 1024);
  const cpu = new Cpu(phys, { hosted: true });
  const words = [...asm(source), 0xd4200000]; // brk #0
  const bytes = new Uint8Array(words.length * 4);
  new DataView(bytes.buffer).setUint32(0, 0);
  words.forEach((w, i) => new DataView(bytes.buffer).setUint32(i * 4, w, true));
  phys.writeBytes(RAM_BASE, bytes);
  cpu.setEl(0);
  cpu.pc = RAM_BASE;
  init(cpu);
  return {
    cpu,
    phys,
    run() {
      const why = cpu.run(1_000_000);
      if (why !== StopReason.Exception) throw new Error(`stopped with ${why}`);
      return cpu.sysregs.getLo('ESR_EL1') >>> 26;
    },
    x: (n) => cpu.state.getX(n),
    w: (n) => Number(cpu.state.getX(n) & 0xffffffffn),
    nzcv() {
      const f = cpu.f;
      return `${f[0] ? 'N' : '-'}${f[1] ? 'Z' : '-'}${f[2] ? 'C' : '-'}${f[3] ? 'V' : '-'}`;
    },
  };
}
