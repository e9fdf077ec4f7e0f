// Closure builders for the common operand shapes: an E operand (ModRM rm:
// register or memory) read, written or read-modify-written at widths 1/2/4
// (values zero-extended for 8/16 bits, int32 for 32) or 8 (lo/hi halves).
// Groups with hot paths write their own closures; these serve the rest.

import type { X86Cpu } from '../cpu';
import type { X86Insn, X86Op } from '../decoder';
import * as moperands from '../operands';

// Module-local bindings of imported functions and constants: test runners that
// turn imports into property reads (vitest) still call them directly.
const { effectiveAddress, getReg, load, reg8, setReg, store } = moperands;

export const MASKS = [0xff, 0xffff, -1, -1];

export function log2Size(size: number): number {
  return size === 1 ? 0 : size === 2 ? 1 : size === 4 ? 2 : 3;
}

/** The register slot/shift of ModRM.reg (G operand) at a width. */
export function gSlot(i: X86Insn, size: number): { slot: number; shift: number } {
  return size === 1 ? reg8(i.reg, i.rex) : { slot: 2 * i.reg, shift: 0 };
}

/** The register slot/shift of ModRM.rm (E operand, mod == 3) at a width. */
export function eSlot(i: X86Insn, size: number): { slot: number; shift: number } {
  return size === 1 ? reg8(i.rm, i.rex) : { slot: 2 * i.rm, shift: 0 };
}

/** The register in an opcode's low bits (+r forms) at a width. */
export function opRegSlot(i: X86Insn, size: number): { slot: number; shift: number } {
  return size === 1 ? reg8(i.opReg, i.rex) : { slot: 2 * i.opReg, shift: 0 };
}

/** E operand read-modify-write at width 1/2/4: e = fn(e). */
export function rmwE(cpu: X86Cpu, i: X86Insn, size: number, fn: (a: number) => number): X86Op {
  const r = cpu.r;
  if (!i.isMem) {
    const { slot, shift } = eSlot(i, size);
    return () => setReg(r, slot, shift, size, fn(getReg(r, slot, shift, size)));
  }
  const ea = effectiveAddress(i, cpu);
  return () => {
    const a = ea();
    cpu.mem.probeWrite(a, size);
    store(cpu, a, size, fn(load(cpu, a, size)));
  };
}

/** E operand read-modify-write at width 8: fn reads (lo, hi) and leaves the result in cpu.t[0..1]. */
export function rmwE64(cpu: X86Cpu, i: X86Insn, fn: (lo: number, hi: number) => void): X86Op {
  const r = cpu.r;
  const t = cpu.t;
  if (!i.isMem) {
    const s = 2 * i.rm;
    return () => {
      fn(r[s], r[s + 1]);
      r[s] = t[0];
      r[s + 1] = t[1];
    };
  }
  const ea = effectiveAddress(i, cpu);
  return () => {
    const a = ea();
    cpu.mem.probeWrite(a, 8);
    cpu.mem.read64(a, t, 2);
    fn(t[2], t[3]);
    cpu.mem.write64(a, t, 0);
  };
}

/** A reader of the E operand at width 1/2/4. */
export function readE(cpu: X86Cpu, i: X86Insn, size: number): () => number {
  const r = cpu.r;
  if (!i.isMem) {
    const { slot, shift } = eSlot(i, size);
    return () => getReg(r, slot, shift, size);
  }
  const ea = effectiveAddress(i, cpu);
  return () => load(cpu, ea(), size);
}

/** A reader of the E operand at width 8 into cpu.t[di], t[di+1]. */
export function readE64(cpu: X86Cpu, i: X86Insn, di: number): () => void {
  const r = cpu.r;
  const t = cpu.t;
  if (!i.isMem) {
    const s = 2 * i.rm;
    return () => {
      t[di] = r[s];
      t[di + 1] = r[s + 1];
    };
  }
  const ea = effectiveAddress(i, cpu);
  return () => cpu.mem.read64(ea(), t, di);
}

/** A writer of the E operand at width 1/2/4. */
export function writeE(cpu: X86Cpu, i: X86Insn, size: number): (v: number) => void {
  const r = cpu.r;
  if (!i.isMem) {
    const { slot, shift } = eSlot(i, size);
    return (v) => setReg(r, slot, shift, size, v);
  }
  const ea = effectiveAddress(i, cpu);
  return (v) => store(cpu, ea(), size, v);
}

/** A writer of the E operand at width 8. */
export function writeE64(cpu: X86Cpu, i: X86Insn): (lo: number, hi: number) => void {
  const r = cpu.r;
  if (!i.isMem) {
    const s = 2 * i.rm;
    return (lo, hi) => {
      r[s] = lo;
      r[s + 1] = hi;
    };
  }
  const ea = effectiveAddress(i, cpu);
  return (lo, hi) => cpu.mem.write64v(ea(), lo, hi);
}
