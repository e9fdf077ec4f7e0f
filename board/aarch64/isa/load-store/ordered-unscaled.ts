// LDAPUR/STLUR and the sign-extending LDAPURS* (v8.4 LRCPC2): unscaled
// signed offset, naturally aligned (qemu 7.2 checks alignment).

import { bits, Handler, sbits } from '../../decoder';
import { toAddress } from '../../int64';
import { gprTransfer } from './register-transfer';

export const orderedUnscaled: Handler = (insn, ctx) => {
  const cpu = ctx.cpu;
  const size = bits(insn, 31, 30);
  const opc = bits(insn, 23, 22);
  const xfer = gprTransfer(cpu, cpu.vm, size, opc, bits(insn, 4, 0), false);
  if (xfer === null) return null;
  const x = cpu.x;
  const vm = cpu.vm;
  const n = 2 * bits(insn, 9, 5);
  const off = sbits(insn, 20, 12);
  const bytes = 1 << size;
  const isStore = opc === 0;
  return () => {
    const a = toAddress(x[n], x[n + 1]) + off;
    vm.checkAligned(a, bytes, isStore);
    xfer(a);
  };
};
