// Loads and stores of one register: literal, unsigned immediate offset,
// unscaled (LDUR/STUR), pre- and post-index, unprivileged (LDTR/STTR) and
// register offset, for general and SIMD&FP registers.

import { zrDst, zrSrc } from '../../cpu-state';
import { bit, bits, Encoding, Handler, Op, sbits } from '../../decoder';
import { toAddress } from '../../int64';
import { registerOffsetAddress, writeBack } from './addressing';
import { fpLoad, fpTransfer, gprLoad, gprTransfer, Transfer, UnprivilegedMemory } from './register-transfer';

/** size:V:opc -> transfer; `unpriv` selects the EL0 view (general registers only). */
function transferOf(insn: number, ctx: Parameters<Handler>[1], prefetch: boolean, unpriv = false): Transfer | null {
  const size = bits(insn, 31, 30);
  const opc = bits(insn, 23, 22);
  const rt = bits(insn, 4, 0);
  if (bit(insn, 26) === 1) return unpriv ? null : fpTransfer(ctx.cpu, size, opc, rt);
  const mem = unpriv ? new UnprivilegedMemory(ctx.cpu) : ctx.cpu.vm;
  return gprTransfer(ctx.cpu, mem, size, opc, rt, prefetch && !unpriv);
}

/** log2 of the access size, used to scale immediates and register offsets. */
function scaleOf(insn: number): number {
  return bit(insn, 26) === 1 && bit(insn, 23) === 1 ? 4 : bits(insn, 31, 30);
}

const literal: Handler = (insn, ctx) => {
  const cpu = ctx.cpu;
  const opc = bits(insn, 31, 30);
  const rt = bits(insn, 4, 0);
  const off = ctx.pageOff + sbits(insn, 23, 5) * 4;
  let xfer: Transfer | null;
  if (bit(insn, 26) === 1) xfer = opc === 3 ? null : fpLoad(cpu, opc + 2, rt);
  else if (opc === 3) return () => {}; // PRFM (literal)
  else xfer = gprTransfer(cpu, cpu.vm, opc === 2 ? 2 : opc + 2, opc === 2 ? 2 : 1, rt, false);
  if (xfer === null) return null;
  const t = xfer;
  return () => t(cpu.pageVa + off);
};

/** The most frequent forms (LDR/STR of W and X at base + offset) without the transfer indirection. */
function directWordAccess(insn: number, ctx: Parameters<Handler>[1], off: number): Op | null {
  const size = bits(insn, 31, 30);
  const opc = bits(insn, 23, 22);
  if (bit(insn, 26) === 1 || size < 2 || opc > 1) return null;
  const x = ctx.cpu.x;
  const vm = ctx.cpu.vm;
  const n = 2 * bits(insn, 9, 5);
  const rt = bits(insn, 4, 0);
  if (opc === 0) {
    const t = 2 * zrSrc(rt);
    return size === 3 ? () => vm.write64(toAddress(x[n], x[n + 1]) + off, x, t) : () => vm.write32(toAddress(x[n], x[n + 1]) + off, x[t]);
  }
  const t = 2 * zrDst(rt);
  return size === 3
    ? () => vm.read64(toAddress(x[n], x[n + 1]) + off, x, t)
    : () => {
        x[t] = vm.read32(toAddress(x[n], x[n + 1]) + off);
        x[t + 1] = 0;
      };
}

const unsignedOffset: Handler = (insn, ctx) => {
  const direct = directWordAccess(insn, ctx, bits(insn, 21, 10) * 2 ** scaleOf(insn));
  if (direct !== null) return direct;
  const xfer = transferOf(insn, ctx, true);
  if (xfer === null) return null;
  const x = ctx.cpu.x;
  const n = 2 * bits(insn, 9, 5);
  const off = bits(insn, 21, 10) * 2 ** scaleOf(insn);
  return () => xfer(toAddress(x[n], x[n + 1]) + off);
};

function immediateOffset(prefetch: boolean, unpriv: boolean): Handler {
  return (insn, ctx) => {
    const xfer = transferOf(insn, ctx, prefetch, unpriv);
    if (xfer === null) return null;
    const x = ctx.cpu.x;
    const n = 2 * bits(insn, 9, 5);
    const off = sbits(insn, 20, 12);
    return () => xfer(toAddress(x[n], x[n + 1]) + off);
  };
}

// With writeback, the transfer runs first and the base is written last, from
// the base read before the transfer: a load into Rt == Rn ends with the written-back
// address and a store of Rt == Rn stores the old base (as qemu does).
const preIndex: Handler = (insn, ctx) => {
  const xfer = transferOf(insn, ctx, false);
  if (xfer === null) return null;
  const x = ctx.cpu.x;
  const n = 2 * bits(insn, 9, 5);
  const off = sbits(insn, 20, 12);
  return () => {
    const lo = x[n];
    const hi = x[n + 1];
    xfer(toAddress(lo, hi) + off);
    writeBack(x, n, lo, hi, off);
  };
};

const postIndex: Handler = (insn, ctx) => {
  const xfer = transferOf(insn, ctx, false);
  if (xfer === null) return null;
  const x = ctx.cpu.x;
  const n = 2 * bits(insn, 9, 5);
  const off = sbits(insn, 20, 12);
  return () => {
    const lo = x[n];
    const hi = x[n + 1];
    xfer(toAddress(lo, hi));
    writeBack(x, n, lo, hi, off);
  };
};

const registerOffset: Handler = (insn, ctx) => {
  const xfer = transferOf(insn, ctx, true);
  if (xfer === null) return null;
  const shift = bit(insn, 12) * scaleOf(insn);
  const m = 2 * zrSrc(bits(insn, 20, 16));
  const address = registerOffsetAddress(ctx.cpu.x, 2 * bits(insn, 9, 5), m, bits(insn, 15, 13), shift);
  if (address === null) return null;
  const op: Op = () => xfer(address());
  return op;
};

export const singleRegister: Encoding[] = [
  { name: 'LDR (literal)', pattern: 'oo 011 v 00 iiiiiiiiiiiiiiiiiii ttttt', handler: literal },
  { name: 'LDR/STR (unsigned immediate)', pattern: 'ss 111 v 01 oo iiiiiiiiiiii nnnnn ttttt', handler: unsignedOffset },
  { name: 'LDUR/STUR (unscaled immediate)', pattern: 'ss 111 v 00 oo 0 iiiiiiiii 00 nnnnn ttttt', handler: immediateOffset(true, false) },
  { name: 'LDR/STR (immediate, post-index)', pattern: 'ss 111 v 00 oo 0 iiiiiiiii 01 nnnnn ttttt', handler: postIndex },
  { name: 'LDTR/STTR (unprivileged)', pattern: 'ss 111 v 00 oo 0 iiiiiiiii 10 nnnnn ttttt', handler: immediateOffset(false, true) },
  { name: 'LDR/STR (immediate, pre-index)', pattern: 'ss 111 v 00 oo 0 iiiiiiiii 11 nnnnn ttttt', handler: preIndex },
  { name: 'LDR/STR (register offset)', pattern: 'ss 111 v 00 oo 1 mmmmm xxx S 10 nnnnn ttttt', handler: registerOffset },
];
