// Load/store exclusive (LDXR/STXR and pairs, with acquire/release forms) and
// load-acquire/store-release (LDAR/STLR, LDLAR/STLLR). One exclusive monitor
// holds an address and a size; STXR succeeds only when both match.
//
// As in qemu-aarch64 7.2: a failing STXR makes no access (an unaligned one
// then fails quietly), and LDAR/STLR need natural alignment.

import type { Cpu } from '../../cpu';
import { zrDst, zrSrc } from '../../cpu-state';
import { bit, bits, Handler, Op } from '../../decoder';
import { toAddress } from '../../int64';
import { casPair, casSingle } from './compare-and-swap';
import { gprLoad, Transfer } from './register-transfer';

const T = new Int32Array(4);

function gprStore(cpu: Cpu, size: number, t: number): Transfer {
  const vm = cpu.vm;
  const x = cpu.x;
  switch (size) {
    case 0:
      return (a) => vm.write8(a, x[t] & 0xff);
    case 1:
      return (a) => vm.write16(a, x[t] & 0xffff);
    case 2:
      return (a) => vm.write32(a, x[t]);
    default:
      return (a) => vm.write64(a, x, t);
  }
}

function loadExclusive(cpu: Cpu, size: number, rn: number, rt: number): Op {
  const x = cpu.x;
  const vm = cpu.vm;
  const n = 2 * rn;
  const bytes = 1 << size;
  const load = gprLoad(vm, x, size, 2 * zrDst(rt), false, false);
  return () => {
    const a = toAddress(x[n], x[n + 1]);
    vm.checkAligned(a, bytes, false);
    load(a);
    cpu.exclusiveAddr = a;
    cpu.exclusiveSize = bytes;
  };
}

function storeExclusive(cpu: Cpu, size: number, rs: number, rn: number, rt: number): Op {
  return storeIfExclusive(cpu, 1 << size, rs, rn, gprStore(cpu, size, 2 * zrSrc(rt)));
}

/** STXR's rule: store only while the monitor holds this address and size; Rs gets 0 (stored) or 1; the monitor opens. */
function storeIfExclusive(cpu: Cpu, bytes: number, rs: number, rn: number, store: Transfer): Op {
  const x = cpu.x;
  const vm = cpu.vm;
  const n = 2 * rn;
  const s = 2 * zrDst(rs);
  return () => {
    const a = toAddress(x[n], x[n + 1]);
    let status = 1;
    if (cpu.exclusiveAddr === a && cpu.exclusiveSize === bytes) {
      vm.checkAligned(a, bytes, true);
      store(a);
      status = 0;
    }
    cpu.exclusiveAddr = NaN;
    x[s] = status;
    x[s + 1] = 0;
  };
}

/** LDXP/LDAXP: size 2 loads two W registers from 8 bytes, size 3 two X registers from 16. */
function loadExclusivePair(cpu: Cpu, size: number, rn: number, rt: number, rt2: number): Op {
  const x = cpu.x;
  const vm = cpu.vm;
  const n = 2 * rn;
  const t = 2 * zrDst(rt);
  const t2 = 2 * zrDst(rt2);
  const bytes = 2 << size;
  return size === 2
    ? () => {
        const a = toAddress(x[n], x[n + 1]);
        vm.checkAligned(a, bytes, false);
        vm.read64(a, T, 0);
        x[t2] = T[1];
        x[t2 + 1] = 0;
        x[t] = T[0];
        x[t + 1] = 0;
        cpu.exclusiveAddr = a;
        cpu.exclusiveSize = bytes;
      }
    : () => {
        const a = toAddress(x[n], x[n + 1]);
        vm.checkAligned(a, bytes, false);
        vm.read128(a, T, 0);
        x[t2] = T[2];
        x[t2 + 1] = T[3];
        x[t] = T[0];
        x[t + 1] = T[1];
        cpu.exclusiveAddr = a;
        cpu.exclusiveSize = bytes;
      };
}

function storeExclusivePair(cpu: Cpu, size: number, rs: number, rn: number, rt: number, rt2: number): Op {
  const x = cpu.x;
  const vm = cpu.vm;
  const t = 2 * zrSrc(rt);
  const t2 = 2 * zrSrc(rt2);
  const store: Transfer =
    size === 2
      ? (a) => {
          T[0] = x[t];
          T[1] = x[t2];
          vm.write64(a, T, 0);
        }
      : (a) => {
          T[0] = x[t];
          T[1] = x[t + 1];
          T[2] = x[t2];
          T[3] = x[t2 + 1];
          vm.write128(a, T, 0);
        };
  return storeIfExclusive(cpu, 2 << size, rs, rn, store);
}

/** LDAR/LDLAR and STLR/STLLR: ordinary accesses here (one CPU), with the alignment check. */
function ordered(cpu: Cpu, size: number, load: boolean, rn: number, rt: number): Op {
  const x = cpu.x;
  const vm = cpu.vm;
  const n = 2 * rn;
  const bytes = 1 << size;
  const xfer = load ? gprLoad(vm, x, size, 2 * zrDst(rt), false, false) : gprStore(cpu, size, 2 * zrSrc(rt));
  return () => {
    const a = toAddress(x[n], x[n + 1]);
    vm.checkAligned(a, bytes, !load);
    xfer(a);
  };
}

/** The whole "load/store exclusive" class: size 001000 o2 L o1 Rs o0 Rt2 Rn Rt. */
export const exclusiveClass: Handler = (insn, ctx) => {
  const cpu = ctx.cpu;
  const size = bits(insn, 31, 30);
  const o2 = bit(insn, 23);
  const load = bit(insn, 22) === 1;
  const o1 = bit(insn, 21);
  const rs = bits(insn, 20, 16);
  const rt2 = bits(insn, 14, 10);
  const rn = bits(insn, 9, 5);
  const rt = bits(insn, 4, 0);
  if (o2 === 0 && o1 === 0) return load ? loadExclusive(cpu, size, rn, rt) : storeExclusive(cpu, size, rs, rn, rt);
  if (o2 === 0) {
    if (size < 2) return casPair(cpu, size, rs, rn, rt);
    return load ? loadExclusivePair(cpu, size, rn, rt, rt2) : storeExclusivePair(cpu, size, rs, rn, rt, rt2);
  }
  if (o1 === 0) return ordered(cpu, size, load, rn, rt);
  return casSingle(cpu, size, rs, rn, rt);
};
