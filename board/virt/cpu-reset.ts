// The state PSCI CPU_ON gives the CPU it turns on, as QEMU's arm_set_cpu_on
// does after resetting it: AArch64 EL1h at the entry point with the MMU off,
// DAIF all masked, x0 = the context id, the other registers zero.

import type { Cpu } from '../aarch64/cpu';

export function cpuOnReset(cpu: Cpu, entry: number, context: { lo: number; hi: number }): void {
  cpu.state.x.fill(0);
  cpu.state.vb.fill(0);
  cpu.state.nzcv = 0;
  cpu.setEl(1);
  cpu.setSpSel(1);
  cpu.setStackPointers({ lo: 0, hi: 0 }, { lo: 0, hi: 0 });
  cpu.daif = 0x3c0;
  cpu.setTranslationReg('sctlr', 0, 0);
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
