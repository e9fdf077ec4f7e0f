// The data transfer of one register (general or SIMD&FP) to or from an
// address, chosen once at decode time from size:V:opc. Every load reads
// memory completely before it writes its register, so a fault changes nothing.

import type { Cpu } from '../../cpu';
import { zrDst, zrSrc } from '../../cpu-state';
import type { VirtualMemory } from '../../virtual-memory';

export type Transfer = (addr: number) => void;

/** The memory accesses a transfer uses: the CPU's VirtualMemory, or the EL0 view of LDTR/STTR. */
export type Memory = Pick<VirtualMemory, 'read8' | 'read16' | 'read32' | 'read64' | 'write8' | 'write16' | 'write32' | 'write64'>;

/** LDTR/STTR: at EL1 the access is checked with EL0 permissions (through the slow paths). */
export class UnprivilegedMemory implements Memory {
  constructor(private readonly cpu: Cpu) {}

  read8(a: number): number {
    return this.cpu.el === 0 ? this.cpu.vm.read8(a) : this.cpu.vm.readSlow(a, 1, 0);
  }
  read16(a: number): number {
    return this.cpu.el === 0 ? this.cpu.vm.read16(a) : this.cpu.vm.readSlow(a, 2, 0);
  }
  read32(a: number): number {
    return this.cpu.el === 0 ? this.cpu.vm.read32(a) : this.cpu.vm.readSlow(a, 4, 0) | 0;
  }
  read64(a: number, dst: Int32Array, di: number): void {
    if (this.cpu.el === 0) this.cpu.vm.read64(a, dst, di);
    else this.cpu.vm.readWideSlow(a, 8, dst, di, 0);
  }
  write8(a: number, v: number): void {
    if (this.cpu.el === 0) this.cpu.vm.write8(a, v);
    else this.cpu.vm.writeSlow(a, 1, v, 0);
  }
  write16(a: number, v: number): void {
    if (this.cpu.el === 0) this.cpu.vm.write16(a, v);
    else this.cpu.vm.writeSlow(a, 2, v, 0);
  }
  write32(a: number, v: number): void {
    if (this.cpu.el === 0) this.cpu.vm.write32(a, v);
    else this.cpu.vm.writeSlow(a, 4, v, 0);
  }
  write64(a: number, src: Int32Array, si: number): void {
    if (this.cpu.el === 0) this.cpu.vm.write64(a, src, si);
    else this.cpu.vm.writeWideSlow(a, 8, src, si, 0);
  }
}

const noTransfer: Transfer = () => {};

/**
 * General-register transfer for size (0..3) and opc of the single-register
 * classes. Returns null for unallocated combinations; PRFM (size 3, opc 2) is
 * a no-op when `prefetch` allows it.
 */
export function gprTransfer(cpu: Cpu, mem: Memory, size: number, opc: number, rt: number, prefetch: boolean): Transfer | null {
  const x = cpu.x;
  if (opc === 0) return gprStore(mem, x, size, 2 * zrSrc(rt));
  const t = 2 * zrDst(rt);
  if (opc === 1) return gprLoad(mem, x, size, t, false, false);
  if (opc === 2) {
    if (size === 3) return prefetch ? noTransfer : null;
    return gprLoad(mem, x, size, t, true, true);
  }
  return size >= 2 ? null : gprLoad(mem, x, size, t, true, false);
}

function gprStore(mem: Memory, x: Int32Array, size: number, t: number): Transfer {
  switch (size) {
    case 0:
      return (a) => mem.write8(a, x[t] & 0xff);
    case 1:
      return (a) => mem.write16(a, x[t] & 0xffff);
    case 2:
      return (a) => mem.write32(a, x[t]);
    default:
      return (a) => mem.write64(a, x, t);
  }
}

/** A load of 1 << size bytes, zero- or sign-extended to 32 or 64 bits. */
export function gprLoad(mem: Memory, x: Int32Array, size: number, t: number, signed: boolean, to64: boolean): Transfer {
  if (!signed) {
    switch (size) {
      case 0:
        return (a) => {
          x[t] = mem.read8(a);
          x[t + 1] = 0;
        };
      case 1:
        return (a) => {
          x[t] = mem.read16(a);
          x[t + 1] = 0;
        };
      case 2:
        return (a) => {
          x[t] = mem.read32(a);
          x[t + 1] = 0;
        };
      default:
        return (a) => mem.read64(a, x, t);
    }
  }
  const bitsIn = 8 << size;
  const sh = 32 - bitsIn;
  const read = size === 0 ? (a: number) => mem.read8(a) : size === 1 ? (a: number) => mem.read16(a) : (a: number) => mem.read32(a);
  return to64
    ? (a) => {
        const v = (read(a) << sh) >> sh;
        x[t] = v;
        x[t + 1] = v >> 31;
      }
    : (a) => {
        x[t] = (read(a) << sh) >> sh;
        x[t + 1] = 0;
      };
}

/**
 * SIMD&FP register transfer: size:opc<1> selects B, H, S, D or Q (opc<1> = 1
 * only with size 0, for Q). Returns null for the unallocated ones.
 */
export function fpTransfer(cpu: Cpu, size: number, opc: number, rt: number): Transfer | null {
  const scale = (opc & 2) !== 0 ? (size === 0 ? 4 : -1) : size;
  if (scale < 0) return null;
  return (opc & 1) === 0 ? fpStore(cpu, scale, rt) : fpLoad(cpu, scale, rt);
}

export function fpStore(cpu: Cpu, scale: number, rt: number): Transfer {
  const vm = cpu.vm;
  const { vb, vh, vw } = cpu.state;
  switch (scale) {
    case 0:
      return (a) => vm.write8(a, vb[16 * rt]);
    case 1:
      return (a) => vm.write16(a, vh[8 * rt]);
    case 2:
      return (a) => vm.write32(a, vw[4 * rt]);
    case 3:
      return (a) => vm.write64(a, vw, 4 * rt);
    default:
      return (a) => vm.write128(a, vw, 4 * rt);
  }
}

/** Loads a scalar (B/H/S/D) or Q register; scalars zero the rest of the vector. */
export function fpLoad(cpu: Cpu, scale: number, rt: number): Transfer {
  const vm = cpu.vm;
  const vw = cpu.state.vw;
  const w = 4 * rt;
  switch (scale) {
    case 0:
      return (a) => setLow32(vw, w, vm.read8(a));
    case 1:
      return (a) => setLow32(vw, w, vm.read16(a));
    case 2:
      return (a) => setLow32(vw, w, vm.read32(a));
    case 3:
      return (a) => {
        vm.read64(a, vw, w);
        vw[w + 2] = 0;
        vw[w + 3] = 0;
      };
    default:
      return (a) => vm.read128(a, vw, w);
  }
}

function setLow32(vw: Int32Array, w: number, v: number): void {
  vw[w] = v;
  vw[w + 1] = 0;
  vw[w + 2] = 0;
  vw[w + 3] = 0;
}
