// One line describing where the CPU is, for `salty boot` when the host stops a
// guest (Ctrl-C, --timeout): PC, exception level and the last exception taken.

import type { Cpu } from '../aarch64/cpu';

const KINDS = ['sync', 'irq', 'fiq', 'serror'];

/** A signed-canonical 64-bit number (addresses, as the CPU keeps them) in hex. */
export function hex64(n: number): string {
  if (n !== n) return 'none';
  const hi = Math.floor(n / 4294967296);
  const lo = n - hi * 4294967296;
  const h = (hi >>> 0).toString(16);
  return '0x' + (hi === 0 ? lo.toString(16) : h + lo.toString(16).padStart(8, '0'));
}

export function cpuReport(cpu: Cpu): string {
  const where = `pc=${hex64(cpu.pc)} el=${cpu.el} retired=${cpu.retired}`;
  if (cpu.exceptionsTaken === 0) return `${where} last exception: none`;
  const kind = KINDS[cpu.lastException];
  let last = `last exception: ${kind} (${cpu.exceptionsTaken} taken) elr=${hex64(cpu.elr)}`;
  if (kind === 'sync') {
    const esr = cpu.sysregs.getLo('ESR_EL1') >>> 0;
    last += ` esr=0x${esr.toString(16).padStart(8, '0')} ec=0x${(esr >>> 26).toString(16)} far=${hex64(cpu.far)}`;
  }
  return `${where} ${last}`;
}

/** One line for an exception just taken (salty boot --trace-exceptions); an UNDEFINED one shows its encoding. */
export function exceptionLine(cpu: Cpu, kind: number, fromEl: number): string {
  let line = `exception ${KINDS[kind]} from el${fromEl} elr=${hex64(cpu.elr)}`;
  if (kind === 0) {
    const esr = cpu.sysregs.getLo('ESR_EL1') >>> 0;
    line += ` esr=0x${esr.toString(16).padStart(8, '0')} far=${hex64(cpu.far)}`;
    const u = cpu.lastUndefined;
    if (esr >>> 26 === 0 && u !== undefined && u.pc === cpu.elr) line += ` undefined insn=0x${(u.insn >>> 0).toString(16).padStart(8, '0')}`;
  }
  return line;
}
