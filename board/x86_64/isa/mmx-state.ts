// The MMX register file and the handler builders of the MMX instructions.
//
// MM0-7 are the significands (bits 0..63) of the eight x87 physical
// registers R0-R7, not ST(i). As the SDM says, every MMX instruction but
// EMMS first raises #MF when an unmasked x87 exception is pending, then sets
// TOP to 0 and every tag to valid; a write to MMn also sets the register's
// sign and exponent (bits 64..79) to all ones. REX.R/REX.B do not extend MMX
// register numbers.
//
// The integer semantics are the SSE ones (sse-int-*.ts, sse-shuffle.ts) run
// on a scratch register file: the destination MM register goes to the low
// quadword of scratch XMM0, the source (MM register or memory) to the low
// quadword of scratch XMM1, and the result comes back from XMM0's low
// quadword. Forms whose 64-bit result is not the low half of the 128-bit one
// (packs, horizontal adds, high unpacks) lay their operands out differently.

import type { X86Cpu } from '../cpu';
import { Misc, X86CpuState } from '../cpu-state';
import type { X86Handler, X86Insn } from '../decoder';
import { effectiveAddress } from '../operands';
import { x87Error } from '../x86-fault';

/** FSW.ES: an unmasked x87 exception is pending. */
const ES = 0x80;

/** The scratch register file the SSE semantic functions run on for MMX. */
export const MS = new X86CpuState();

/** #MF when an x87 exception is pending: every MMX instruction but EMMS checks first. */
export function mmxBegin(s: X86CpuState): void {
  if (s.misc[Misc.Fsw] & ES) throw x87Error();
}

/** The x87 state after an MMX instruction: TOP = 0, every register valid. */
export function mmxEnd(s: X86CpuState): void {
  s.misc[Misc.FpuTop] = 0;
  s.misc[Misc.FpuEmpty] = 0;
}

/** Copies MM n into the scratch words w[at], w[at + 1]. */
export function readMm(s: X86CpuState, n: number, w: Int32Array, at: number): void {
  w[at] = s.stl[4 * n];
  w[at + 1] = s.stl[4 * n + 1];
}

/** MM n <- (lo, hi), its exponent field set to all ones. */
export function writeMm(s: X86CpuState, n: number, lo: number, hi: number): void {
  s.stl[4 * n] = lo;
  s.stl[4 * n + 1] = hi;
  s.stw[8 * n + 4] = 0xffff;
}

/** How an operation leaves its 64-bit result in the scratch file. */
export const enum Layout {
  /** dst in XMM0 low, src in XMM1 low; the result in XMM0 low. */
  Lanes = 0,
  /** dst and src side by side in XMM0 (dst low); the result in XMM0 low (packs, PHADD/PHSUB). */
  Joined = 1,
  /** As Lanes, the result in XMM0's high quadword (PUNPCKH* through the low unpack). */
  HighResult = 2,
}

/** A semantic function on the scratch file (XMM0 destination, source XMM1 or XMM0 by layout). */
export type MmxFn = (ms: X86CpuState, imm: number) => void;

/** Loads the source (MM ModRM.rm or `bytes` of memory, zero-extended) into scratch words w[at], w[at + 1]. */
function sourceLoader(i: X86Insn, cpu: X86Cpu, bytes: 2 | 4 | 8): (w: Int32Array, at: number) => void {
  const s = cpu.state;
  if (!i.isMem) {
    const n = i.rm & 7;
    return (w, at) => readMm(s, n, w, at);
  }
  const ea = effectiveAddress(i, cpu);
  if (bytes === 8) return (w, at) => cpu.mem.read64(ea(), w, at);
  return (w, at) => {
    w[at] = bytes === 4 ? cpu.mem.read32(ea()) : cpu.mem.read16(ea());
    w[at + 1] = 0;
  };
}

/** MM reg <- fn(MM reg, MM/m`bytes`). */
export function mmxForm(fn: MmxFn, bytes: 4 | 8 = 8, layout = Layout.Lanes): X86Handler {
  return (i, cpu) => {
    const s = cpu.state;
    const d = i.reg & 7;
    const imm = i.imm & 0xff;
    const load = sourceLoader(i, cpu, bytes);
    const w = MS.xw;
    return () => {
      mmxBegin(s);
      load(w, layout === Layout.Joined ? 2 : 4);
      readMm(s, d, w, 0);
      fn(MS, imm);
      const at = layout === Layout.HighResult ? 2 : 0;
      writeMm(s, d, w[at], w[at + 1]);
      mmxEnd(s);
    };
  };
}

/** Shifts by an immediate: MM ModRM.rm <- fn(MM rm) (register form only). */
export function mmxShiftImm(fn: MmxFn): X86Handler {
  return (i, cpu) => {
    if (i.isMem) return null;
    const s = cpu.state;
    const n = i.rm & 7;
    const imm = i.imm & 0xff;
    const w = MS.xw;
    return () => {
      mmxBegin(s);
      readMm(s, n, w, 0);
      fn(MS, imm);
      writeMm(s, n, w[0], w[1]);
      mmxEnd(s);
    };
  };
}
