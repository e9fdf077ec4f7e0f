// Handler builders that bind the SSE semantic functions to decoded
// instructions: XMM destination in ModRM.reg, XMM or memory source in
// ModRM.rm (loaded into one shared 16-byte temporary before anything is
// written, so a fault leaves the registers as they were), and the GPR forms.

import type { X86Cpu } from '../cpu';
import type { X86CpuState } from '../cpu-state';
import type { X86Handler, X86Insn } from '../decoder';
import { effectiveAddress } from '../operands';
import { simdError } from '../x86-fault';
import { XmmTemp, type XmmFile } from './sse-operands';

/** The memory temporary every SSE instruction loads its memory source into. */
export const TEMP = new XmmTemp();

/** A semantic function: returns a vector (19 = #XM) or 0/undefined. */
export type XmmFn = (s: X86CpuState, d: number, src: XmmFile, si: number, imm: number, isMem: boolean) => number | void;

/** Memory operand widths; 16 with `aligned` checks 16-byte alignment (#GP). */
export type MemSize = 2 | 4 | 8 | 16;

export function loadTemp(cpu: X86Cpu, addr: number, bytes: MemSize): void {
  const w = TEMP.xw;
  if (bytes === 16) cpu.mem.read128(addr, w, 0);
  else if (bytes === 8) cpu.mem.read64(addr, w, 0);
  else if (bytes === 4) w[0] = cpu.mem.read32(addr);
  else TEMP.xh[0] = cpu.mem.read16(addr);
}

/** XMM reg <- fn(XMM reg, XMM/m `bytes`). */
export function xmmForm(fn: XmmFn, bytes: MemSize, aligned = bytes === 16): X86Handler {
  return (i, cpu) => {
    const s = cpu.state;
    const d = i.reg;
    const imm = i.imm & 0xff;
    if (!i.isMem) {
      const si = i.rm;
      return () => {
        if (fn(s, d, s, si, imm, false)) throw simdError();
      };
    }
    const ea = effectiveAddress(i, cpu);
    return () => {
      const a = ea();
      if (aligned) cpu.mem.checkAligned16(a);
      loadTemp(cpu, a, bytes);
      if (fn(s, d, TEMP, 0, imm, true)) throw simdError();
    };
  };
}

/** Register-only forms (ModRM.mod = 3): the memory form is #UD. */
export function xmmRegOnly(fn: XmmFn): X86Handler {
  return (i, cpu) => {
    if (i.isMem) return null;
    const s = cpu.state;
    const d = i.reg;
    const si = i.rm;
    const imm = i.imm & 0xff;
    return () => {
      if (fn(s, d, s, si, imm, false)) throw simdError();
    };
  };
}

/** Reads the E operand (GPR or memory) of 32 or 64 bits into `out` (lo, hi). */
export function gprOrMem(i: X86Insn, cpu: X86Cpu, width: 32 | 64): (out: Int32Array) => void {
  const r = cpu.r;
  if (!i.isMem) {
    const g = 2 * i.rm;
    return width === 64
      ? (out) => {
          out[0] = r[g];
          out[1] = r[g + 1];
        }
      : (out) => {
          out[0] = r[g];
          out[1] = 0;
        };
  }
  const ea = effectiveAddress(i, cpu);
  return width === 64
    ? (out) => cpu.mem.read64(ea(), out, 0)
    : (out) => {
        out[0] = cpu.mem.read32(ea());
        out[1] = 0;
      };
}

/** Writes a 32-bit result (zero-extended) or a 64-bit one to GPR n. */
export function setGpr(r: Int32Array, n: number, lo: number, hi: number, width: 32 | 64): void {
  r[2 * n] = lo;
  r[2 * n + 1] = width === 64 ? hi : 0;
}
