// Breakpoint and software-step exceptions from the self-hosted debug registers
// (debug-registers.ts). While MDSCR_EL1.MDE or SS is set the CPU runs one
// instruction at a time and checks before each, so an exception is taken
// exactly before the instruction it concerns. Watchpoints are not generated.

import type { Cpu } from './cpu';
import { BREAKPOINTS } from './debug-registers';

const MDSCR_SS = 1 << 0;
const MDSCR_KDE = 1 << 13;
const MDSCR_MDE = 1 << 15;
const DAIF_D = 1 << 9;
/** EC 0x30 / 0x32 from EL0, one more from EL1; IL = 1, IFSC = 0x22 (debug event); a step also has ISV = 1, EX = 0. */
const breakpointSyndrome = (cpu: Cpu) => (((cpu.el === 0 ? 0x30 : 0x31) << 26) | (1 << 25) | 0x22) >>> 0;
const stepSyndrome = (cpu: Cpu) => (((cpu.el === 0 ? 0x32 : 0x33) << 26) | (1 << 25) | (1 << 24) | 0x22) >>> 0;

export function mdscrArmsDebug(mdscr: number): boolean {
  return (mdscr & (MDSCR_SS | MDSCR_MDE)) !== 0;
}

/** Debug exceptions can be taken at the current EL (EL0 or EL1; the target is EL1). */
function debugEnabled(cpu: Cpu, mdscr: number): boolean {
  const r = cpu.sysregs;
  if ((r.has('OSLSR_EL1.OSLK') ? r.getLo('OSLSR_EL1.OSLK') : 1) !== 0 || r.getLo('OSDLR_EL1') !== 0) return false;
  if (cpu.el === 0) return true;
  return (mdscr & MDSCR_KDE) !== 0 && (cpu.daif & DAIF_D) === 0;
}

function breakpointAt(cpu: Cpu, addr: number): boolean {
  const r = cpu.sysregs;
  for (let n = 0; n < BREAKPOINTS; n++) {
    const bcr = r.getLo(`DBGBCR${n}_EL1`);
    // E, and PMC allows this EL (bit 1: EL1, bit 2: EL0); BT = 0 (address match) only.
    if ((bcr & 1) === 0 || ((bcr >>> (cpu.el === 0 ? 2 : 1)) & 1) === 0 || ((bcr >>> 20) & 0xf) !== 0) continue;
    const bvrLo = r.getLo(`DBGBVR${n}_EL1`) >>> 0;
    const bvrHi = r.getHi(`DBGBVR${n}_EL1`) | 0;
    if ((bvrLo & ~3) >>> 0 === addr % 4294967296 >>> 0 && bvrHi === (Math.floor(addr / 4294967296) | 0)) return true;
  }
  return false;
}

/**
 * Called before the instruction at `pc` runs while debug is armed: takes a
 * breakpoint or step exception due now and returns 0, or returns 1, the
 * number of instructions that may run before the next check.
 */
export function debugBeforeBlock(cpu: Cpu, pc: number): number {
  const mdscr = cpu.sysregs.getLo('MDSCR_EL1');
  if (debugEnabled(cpu, mdscr)) {
    if ((mdscr & MDSCR_SS) !== 0 && cpu.pstateSs === 0) {
      cpu.takeSyncException(stepSyndrome(cpu), NaN, pc);
      return 0;
    }
    if ((mdscr & MDSCR_MDE) !== 0 && breakpointAt(cpu, pc)) {
      cpu.takeSyncException(breakpointSyndrome(cpu), NaN, pc);
      return 0;
    }
  }
  // Any instruction may change PSTATE.D or the registers: one at a time while armed.
  return 1;
}
