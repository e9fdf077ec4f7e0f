// The state PSCI CPU_ON gives the CPU it turns on, as QEMU's arm_set_cpu_on
// does after resetting it: AArch64 EL1h at the entry point with the MMU off,
// DAIF all masked, x0 = the context id, the other registers zero.

import type { Cpu } from '../aarch64/cpu';

/** SCTLR_EL1 after QEMU's reset of a cortex-a57 (RES1 bits, SA, SA0, nTWI, nTWE, EIS, SPAN); the MMU is off. */
const RESET_SCTLR = 0x00c50838;
/** QEMU's reset zeroes its Z-flag field, which stores Z inverted: PSTATE.Z reads 1 (gdb shows cpsr 0x400003c5). */
const RESET_NZCV = 0x40000000;

/** The register values QEMU's reset leaves that differ from a new Cpu's. */
export function resetAsQemu(cpu: Cpu): void {
  cpu.setTranslationReg('sctlr', RESET_SCTLR, 0);
  cpu.state.nzcv = RESET_NZCV;
}

export function cpuOnReset(cpu: Cpu, entry: number, context: { lo: number; hi: number }): void {
  cpu.state.x.fill(0);
  cpu.state.vb.fill(0);
  cpu.state.nzcv = RESET_NZCV;
  cpu.setEl(1);
  cpu.setSpSel(1);
  cpu.setStackPointers({ lo: 0, hi: 0 }, { lo: 0, hi: 0 });
  cpu.daif = 0x3c0;
  cpu.setTranslationReg('sctlr', RESET_SCTLR, 0);
  // QEMU's reset leaves CPACR_EL1 at 0: FP/AdvSIMD traps until the image enables them.
  cpu.setCpacr(0);
  cpu.vbar = 0;
  cpu.clearExclusive();
  cpu.eventRegister = false;
  cpu.waitingForEvent = false;
  cpu.pstateSs = 0;
  cpu.x[0] = context.lo;
  cpu.x[1] = context.hi;
  cpu.pc = entry;
}
