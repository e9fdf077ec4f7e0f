// Load/store pair (LDP, STP, LDPSW, LDNP, STNP) of general and SIMD&FP
// registers: signed offset, pre-index and post-index. Loads read both
// elements into scratch before writing any register (precise faults).

import type { Cpu } from '../../cpu';
import { zrDst, zrSrc } from '../../cpu-state';
import { bit, bits, Encoding, Handler, Op, sbits } from '../../decoder';
import { toAddress } from '../../int64';
import { writeBack } from './addressing';
import type { Transfer } from './register-transfer';

const T = new Int32Array(8);

function gprPair(cpu: Cpu, load: boolean, opc: number, rt: number, rt2: number): Transfer {
  const vm = cpu.vm;
  const x = cpu.x;
  if (!load) {
    const t = 2 * zrSrc(rt);
    const t2 = 2 * zrSrc(rt2);
    return opc === 0
      ? (a) => {
          vm.write32(a, x[t]);
          vm.write32(a + 4, x[t2]);
        }
      : (a) => {
          vm.write64(a, x, t);
          vm.write64(a + 8, x, t2);
        };
  }
  const t = 2 * zrDst(rt);
  const t2 = 2 * zrDst(rt2);
  // Rt2 is written before Rt, so LDP with Rt == Rt2 keeps the first element (as qemu does).
  switch (opc) {
    case 0:
      return (a) => {
        const v1 = vm.read32(a);
        const v2 = vm.read32(a + 4);
        x[t2] = v2;
        x[t2 + 1] = 0;
        x[t] = v1;
        x[t + 1] = 0;
      };
    case 1: // LDPSW
      return (a) => {
        const v1 = vm.read32(a);
        const v2 = vm.read32(a + 4);
        x[t2] = v2;
        x[t2 + 1] = v2 >> 31;
        x[t] = v1;
        x[t + 1] = v1 >> 31;
      };
    default:
      return (a) => {
        vm.read64(a, T, 0);
        vm.read64(a + 8, T, 2);
        x[t2] = T[2];
        x[t2 + 1] = T[3];
        x[t] = T[0];
        x[t + 1] = T[1];
      };
  }
}

function fpPair(cpu: Cpu, load: boolean, scale: number, rt: number, rt2: number): Transfer {
  const vm = cpu.vm;
  const vw = cpu.state.vw;
  const w = 4 * rt;
  const w2 = 4 * rt2;
  if (!load) {
    switch (scale) {
      case 2:
        return (a) => {
          vm.write32(a, vw[w]);
          vm.write32(a + 4, vw[w2]);
        };
      case 3:
        return (a) => {
          vm.write64(a, vw, w);
          vm.write64(a + 8, vw, w2);
        };
      default:
        return (a) => {
          vm.write128(a, vw, w);
          vm.write128(a + 16, vw, w2);
        };
    }
  }
  const words = 1 << (scale - 2);
  const read: Transfer =
    scale === 2
      ? (a) => {
          T[0] = vm.read32(a);
          T[4] = vm.read32(a + 4);
        }
      : scale === 3
        ? (a) => {
            vm.read64(a, T, 0);
            vm.read64(a + 8, T, 4);
          }
        : (a) => {
            vm.read128(a, T, 0);
            vm.read128(a + 16, T, 4);
          };
  return (a) => {
    read(a);
    for (let i = 0; i < 4; i++) {
      vw[w2 + i] = i < words ? T[4 + i] : 0;
      vw[w + i] = i < words ? T[i] : 0;
    }
  };
}

/** LDP/STP of X registers at base + offset (function prologues and epilogues), without the transfer indirection. */
function xPairAtOffset(cpu: Cpu, load: boolean, n: number, off: number, rt: number, rt2: number): Op {
  const vm = cpu.vm;
  const x = cpu.x;
  if (!load) {
    const t = 2 * zrSrc(rt);
    const t2 = 2 * zrSrc(rt2);
    return () => {
      const a = toAddress(x[n], x[n + 1]) + off;
      vm.write64(a, x, t);
      vm.write64(a + 8, x, t2);
    };
  }
  const t = 2 * zrDst(rt);
  const t2 = 2 * zrDst(rt2);
  return () => {
    const a = toAddress(x[n], x[n + 1]) + off;
    vm.read64(a, T, 0);
    vm.read64(a + 8, T, 2);
    x[t2] = T[2];
    x[t2 + 1] = T[3];
    x[t] = T[0];
    x[t + 1] = T[1];
  };
}

/** index: 0 no-allocate offset, 1 post-index, 2 signed offset, 3 pre-index. */
function pair(index: number): Handler {
  return (insn, ctx) => {
    const opc = bits(insn, 31, 30);
    const vector = bit(insn, 26) === 1;
    const load = bit(insn, 22) === 1;
    if (opc === 3) return null;
    // LDPSW needs L = 1 and no no-allocate form; its store slot is STGP (MTE), not provided.
    if (!vector && opc === 1 && (!load || index === 0)) return null;
    const scale = vector ? 2 + opc : 2 + (opc >> 1);
    const rt = bits(insn, 4, 0);
    const rt2 = bits(insn, 14, 10);
    const xfer = vector ? fpPair(ctx.cpu, load, scale, rt, rt2) : gprPair(ctx.cpu, load, opc, rt, rt2);
    const x = ctx.cpu.x;
    const n = 2 * bits(insn, 9, 5);
    const off = sbits(insn, 21, 15) * 2 ** scale;
    if ((index === 0 || index === 2) && !vector && opc === 2) return xPairAtOffset(ctx.cpu, load, n, off, rt, rt2);
    if (index === 0 || index === 2) return () => xfer(toAddress(x[n], x[n + 1]) + off);
    const pre = index === 3 ? off : 0;
    return () => {
      const lo = x[n];
      const hi = x[n + 1];
      xfer(toAddress(lo, hi) + pre);
      writeBack(x, n, lo, hi, off);
    };
  };
}

export const pairs: Encoding[] = [
  { name: 'LDNP/STNP', pattern: 'oo 101 v 0 00 L iiiiiii uuuuu nnnnn ttttt', handler: pair(0) },
  { name: 'LDP/STP (post-index)', pattern: 'oo 101 v 0 01 L iiiiiii uuuuu nnnnn ttttt', handler: pair(1) },
  { name: 'LDP/STP (signed offset)', pattern: 'oo 101 v 0 10 L iiiiiii uuuuu nnnnn ttttt', handler: pair(2) },
  { name: 'LDP/STP (pre-index)', pattern: 'oo 101 v 0 11 L iiiiiii uuuuu nnnnn ttttt', handler: pair(3) },
];
