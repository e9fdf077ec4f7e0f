// CAS and CASP (ARMv8.1 LSE), in every size and ordering variant. Memory is
// read, compared and written back even when the comparison fails (the old
// value is stored again): like qemu's host atomics, a read-only page faults
// either way. Registers change only after both accesses succeeded.

import type { Cpu } from '../../cpu';
import { zrDst, zrSrc } from '../../cpu-state';
import type { Op } from '../../decoder';
import { toAddress } from '../../int64';

const T = new Int32Array(4);

export function casSingle(cpu: Cpu, size: number, rs: number, rn: number, rt: number): Op {
  const x = cpu.x;
  const vm = cpu.vm;
  const n = 2 * rn;
  const cmp = 2 * zrSrc(rs);
  const s = 2 * zrDst(rs);
  const t = 2 * zrSrc(rt);
  const bytes = 1 << size;
  if (size === 3) {
    return () => {
      const a = toAddress(x[n], x[n + 1]);
      vm.checkAligned(a, 8, true);
      vm.read64(a, T, 0);
      if (T[0] === x[cmp] && T[1] === x[cmp + 1]) vm.write64(a, x, t);
      else vm.write64(a, T, 0);
      x[s] = T[0];
      x[s + 1] = T[1];
    };
  }
  const mask = size === 0 ? 0xff : size === 1 ? 0xffff : -1;
  const read = size === 0 ? (a: number) => vm.read8(a) : size === 1 ? (a: number) => vm.read16(a) : (a: number) => vm.read32(a);
  const write =
    size === 0 ? (a: number, v: number) => vm.write8(a, v & 0xff) : size === 1 ? (a: number, v: number) => vm.write16(a, v & 0xffff) : (a: number, v: number) => vm.write32(a, v);
  return () => {
    const a = toAddress(x[n], x[n + 1]);
    vm.checkAligned(a, bytes, true);
    const old = read(a);
    write(a, old === (x[cmp] & mask) ? x[t] : old);
    x[s] = old;
    x[s + 1] = 0;
  };
}

/** CASP: sz 0 compares and swaps two W registers (8 bytes), sz 1 two X registers (16 bytes). */
export function casPair(cpu: Cpu, sz: number, rs: number, rn: number, rt: number): Op | null {
  if ((rs & 1) !== 0 || (rt & 1) !== 0) return null;
  const x = cpu.x;
  const vm = cpu.vm;
  const n = 2 * rn;
  const c1 = 2 * zrSrc(rs);
  const c2 = 2 * zrSrc(rs + 1);
  const s1 = 2 * zrDst(rs);
  const s2 = 2 * zrDst(rs + 1);
  const t1 = 2 * zrSrc(rt);
  const t2 = 2 * zrSrc(rt + 1);
  const N = new Int32Array(4);
  if (sz === 0) {
    return () => {
      const a = toAddress(x[n], x[n + 1]);
      vm.checkAligned(a, 8, true);
      vm.read64(a, T, 0);
      const old0 = T[0];
      const old1 = T[1];
      if (old0 === x[c1] && old1 === x[c2]) {
        N[0] = x[t1];
        N[1] = x[t2];
        vm.write64(a, N, 0);
      } else vm.write64(a, T, 0);
      x[s2] = old1;
      x[s2 + 1] = 0;
      x[s1] = old0;
      x[s1 + 1] = 0;
    };
  }
  return () => {
    const a = toAddress(x[n], x[n + 1]);
    vm.checkAligned(a, 16, true);
    vm.read128(a, T, 0);
    const o0 = T[0];
    const o1 = T[1];
    const o2 = T[2];
    const o3 = T[3];
    if (o0 === x[c1] && o1 === x[c1 + 1] && o2 === x[c2] && o3 === x[c2 + 1]) {
      N[0] = x[t1];
      N[1] = x[t1 + 1];
      N[2] = x[t2];
      N[3] = x[t2 + 1];
      vm.write128(a, N, 0);
    } else vm.write128(a, T, 0);
    x[s2] = o2;
    x[s2 + 1] = o3;
    x[s1] = o0;
    x[s1 + 1] = o1;
  };
}
