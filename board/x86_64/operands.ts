// Operand access shared by the instruction groups: effective addresses
// (ModRM/SIB/RIP-relative, FS/GS bases, 32-bit address size), and register
// reads/writes of every width on the int32-halves register file.
//
// Register "slots": GPR n's low half is r[2n]. An 8-bit register is a slot and
// a shift: AH/CH/DH/BH (ModRM 4..7 without REX) are bits 8..15 of slot 2*(n-4).

import type { X86Cpu } from './cpu';
import { Misc } from './cpu-state';
import { Seg, X86Insn } from './decoder';

const TWO32 = 4294967296;

/** The slot and bit shift of an 8-bit register operand. */
export function reg8(n: number, rex: number): { slot: number; shift: number } {
  if (rex === 0 && n >= 4 && n < 8) return { slot: 2 * (n - 4), shift: 8 };
  return { slot: 2 * n, shift: 0 };
}

/** Reads a register of 1/2/4 bytes: 8/16-bit values zero-extended, 32-bit as int32. */
export function getReg(r: Int32Array, slot: number, shift: number, size: number): number {
  if (size === 4) return r[slot];
  if (size === 1) return (r[slot] >> shift) & 0xff;
  return r[slot] & 0xffff;
}

/** Writes a register of 1/2/4 bytes with the architecture's rules: 8/16-bit merge, 32-bit zero-extends. */
export function setReg(r: Int32Array, slot: number, shift: number, size: number, v: number): void {
  if (size === 4) {
    r[slot] = v;
    r[slot + 1] = 0;
  } else if (size === 1) {
    r[slot] = (r[slot] & ~(0xff << shift)) | ((v & 0xff) << shift);
  } else {
    r[slot] = (r[slot] & ~0xffff) | (v & 0xffff);
  }
}

/** Loads 1/2/4 bytes (8/16-bit zero-extended, 32-bit as int32). */
export function load(cpu: X86Cpu, addr: number, size: number): number {
  const m = cpu.mem;
  if (size === 4) return m.read32(addr);
  if (size === 1) return m.read8(addr);
  return m.read16(addr);
}

export function store(cpu: X86Cpu, addr: number, size: number, v: number): void {
  const m = cpu.mem;
  if (size === 4) m.write32(addr, v);
  else if (size === 1) m.write8(addr, v);
  else m.write16(addr, v);
}

/** The value of a 64-bit register as a signed number (exact within +-2^53, which covers canonical addresses). */
export function regAddr(r: Int32Array, n: number): number {
  return r[2 * n + 1] * TWO32 + (r[2 * n] >>> 0);
}

export type EaFn = () => number;

/**
 * The effective (linear) address of a memory operand as a closure, with the
 * FS/GS base added for segment-prefixed operands. The result is the
 * signed-canonical number of the 64-bit address, or a number outside
 * [-2^47, 2^47) for a non-canonical one (the access then raises #GP).
 * `extra` is added to the displacement (the second half of a wide operand).
 */
export function effectiveAddress(i: X86Insn, cpu: X86Cpu, extra = 0): EaFn {
  const ea = i.addr32 ? ea32(i, cpu, extra) : ea64(i, cpu, extra);
  if (i.seg === Seg.None) return ea;
  const misc = cpu.state.misc;
  const lo = i.seg === Seg.Fs ? Misc.FsBaseLo : Misc.GsBaseLo;
  return () => wrap64(ea() + misc[lo + 1] * TWO32 + (misc[lo] >>> 0));
}

/** Folds a sum of signed 64-bit numbers back into the signed 64-bit range. */
function wrap64(v: number): number {
  if (v >= 2 ** 63) return v - 2 ** 64;
  if (v < -(2 ** 63)) return v + 2 ** 64;
  return v;
}

function ea64(i: X86Insn, cpu: X86Cpu, extra: number): EaFn {
  const r = cpu.state.r;
  const disp = i.disp + extra;
  const scale = 1 << i.scale;
  if (i.base === 16) {
    const off = i.nextOff + disp;
    return () => cpu.pageVa + off;
  }
  const b = 2 * i.base;
  const x = 2 * i.index;
  // base + disp32 cannot wrap from a non-canonical base into the canonical range: no wrap64 needed.
  if (i.base >= 0 && i.index < 0) return () => r[b + 1] * TWO32 + (r[b] >>> 0) + disp;
  if (i.base >= 0) return () => wrap64(r[b + 1] * TWO32 + (r[b] >>> 0) + (r[x + 1] * TWO32 + (r[x] >>> 0)) * scale + disp);
  if (i.index >= 0) return () => wrap64((r[x + 1] * TWO32 + (r[x] >>> 0)) * scale + disp);
  return () => disp;
}

/** 67-prefixed addressing: the sum is computed in 32 bits and zero-extended. */
function ea32(i: X86Insn, cpu: X86Cpu, extra: number): EaFn {
  const r = cpu.state.r;
  const disp = (i.disp + extra) | 0;
  const sh = i.scale;
  if (i.base === 16) {
    const off = i.nextOff + disp;
    return () => (cpu.pageVa + off) % TWO32 >>> 0;
  }
  const b = 2 * i.base;
  const x = 2 * i.index;
  if (i.base >= 0 && i.index < 0) return () => (r[b] + disp) >>> 0;
  if (i.base >= 0) return () => (r[b] + (r[x] << sh) + disp) >>> 0;
  if (i.index >= 0) return () => ((r[x] << sh) + disp) >>> 0;
  return () => disp >>> 0;
}

/** The RIP of the instruction after i, as a closure-time value: cpu.pageVa + i.nextOff. */
export function nextRip(cpu: X86Cpu, i: X86Insn): number {
  return cpu.pageVa + i.nextOff;
}

/** Writes a linear-address number into GPR n as two halves. */
export function setRegAddr(r: Int32Array, n: number, v: number): void {
  r[2 * n] = v | 0;
  r[2 * n + 1] = Math.floor(v / TWO32) | 0;
}

/**
 * The base register slot and displacement of a plain [base + disp] operand
 * (no index, no FS/GS, 64-bit addressing), for closures that compute the
 * address inline; undefined for any other shape.
 */
export function baseDisp(i: X86Insn): { slot: number; disp: number } | undefined {
  if (!i.isMem || i.addr32 || i.seg !== Seg.None || i.index >= 0 || i.base < 0 || i.base > 15) return undefined;
  return { slot: 2 * i.base, disp: i.disp };
}
