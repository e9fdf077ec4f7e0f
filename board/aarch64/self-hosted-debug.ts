// Breakpoint and software-step exceptions from the self-hosted debug registers
// (debug-registers.ts). While MDSCR_EL1.MDE or SS is set the CPU runs one
// instruction at a time and checks before each, so an exception is taken
// exactly before the instruction it concerns. Watchpoints: while one is armed,
// every data access takes the VM's slow path, which checks them.

import { StopReason, type Cpu } from './cpu';
import { BREAKPOINTS } from './debug-registers';
import { GuestFault } from './exception-syndrome';

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
  const host = cpu.hostDebug;
  if (host !== undefined && host.stepping) {
    if (host.beforeInstruction(pc)) {
      cpu.pc = pc;
      cpu.stop = StopReason.Debug;
      return 0;
    }
    if (!mdscrArmsDebug(mdscr)) return 1;
  }
  const enabled = debugEnabled(cpu, mdscr);
  const stepping = (mdscr & MDSCR_SS) !== 0;
  // Like QEMU, a stepped instruction that masks debug exceptions (MSR DAIFSet) still completes its step.
  if (stepping && cpu.pstateSs === 0 && (enabled || cpu.stepDone)) {
    // ISV (EX valid) only when an instruction was stepped; not when the step was pending from the start.
    const isv = cpu.stepDone ? 1 << 24 : 0;
    cpu.takeSyncException((stepSyndrome(cpu) & ~(1 << 24)) | isv, NaN, pc);
    return 0;
  }
  if (enabled && (mdscr & MDSCR_MDE) !== 0 && breakpointAt(cpu, pc)) {
    cpu.takeSyncException(breakpointSyndrome(cpu), NaN, pc);
    return 0;
  }
  cpu.stepDone = stepping && enabled && cpu.pstateSs === 1;
  // Any instruction may change PSTATE.D or the registers: one at a time while armed.
  return 1;
}

const WATCHPOINT_COUNT = 4;

function watchpointHit(cpu: Cpu, addr: number, size: number, write: boolean): boolean {
  const r = cpu.sysregs;
  for (let n = 0; n < WATCHPOINT_COUNT; n++) {
    const wcr = r.getLo(`DBGWCR${n}_EL1`);
    // E; PAC allows this EL (bit 1: EL1, bit 2: EL0); LSC bit 3 loads, bit 4 stores.
    if ((wcr & 1) === 0 || ((wcr >>> (cpu.el === 0 ? 2 : 1)) & 1) === 0 || ((wcr >>> (write ? 4 : 3)) & 1) === 0) continue;
    const base = (r.getHi(`DBGWVR${n}_EL1`) | 0) * 4294967296 + ((r.getLo(`DBGWVR${n}_EL1`) >>> 0) & ~7 >>> 0);
    const bas = (wcr >>> 5) & 0xff;
    for (let b = 0; b < 8; b++) if (((bas >>> b) & 1) !== 0 && base + b >= addr && base + b < addr + size) return true;
  }
  return false;
}

/** Data accesses go through the VM's slow path, which asks this, while MDSCR_EL1.MDE is set and a watchpoint is enabled. */
export function updateWatchpoints(cpu: Cpu): void {
  const mdscr = cpu.sysregs.getLo('MDSCR_EL1');
  let armed = (mdscr & MDSCR_MDE) !== 0;
  if (armed) {
    armed = false;
    for (let n = 0; n < WATCHPOINT_COUNT; n++) if ((cpu.sysregs.getLo(`DBGWCR${n}_EL1`) & 1) !== 0) armed = true;
  }
  const vm = cpu.vm;
  if (armed === (vm.watch !== undefined)) return;
  vm.watch = armed
    ? (addr, size, write) => {
        if (!debugEnabled(cpu, cpu.sysregs.getLo('MDSCR_EL1')) || !watchpointHit(cpu, addr, size, write)) return;
        const esr = (((cpu.el === 0 ? 0x34 : 0x35) << 26) | (1 << 25) | (write ? 1 << 6 : 0) | 0x22) >>> 0;
        throw new GuestFault(esr, addr);
      }
    : undefined;
  vm.flushAll();
}
