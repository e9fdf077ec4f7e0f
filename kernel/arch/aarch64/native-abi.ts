// The native SaltyOS ABI on aarch64 (docs/native-abi.md): `svc #0x5a17`
// (decoded in hosted-machine.ts), n0..n7 = x0..x7.

import type { NativeArchAbi } from '../native-abi';

export const A64_NATIVE_ABI: NativeArchAbi = {
  regs: [0, 1, 2, 3, 4, 5, 6, 7],
  trapBytes: 4,
  linuxTrap: 'svc #0',
  enter(ctx, pc, sp, a0, a1) {
    ctx.reset(pc, sp);
    ctx.setReg(0, a0);
    ctx.setReg(1, a1);
  },
};
