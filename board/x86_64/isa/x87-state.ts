// The x87 register stack on the CPU state (cpu-state.ts): TOP, the empty
// bits, ST(i) as physical registers, the status word with its exception
// summary, stack faults, the last-instruction pointers, and #MF.

import type { X86Cpu } from '../cpu';
import { Misc } from '../cpu-state';
import type { X86Insn } from '../decoder';
import { x87Error } from '../x86-fault';
import { C1, EXCEPTIONS, ES, IE, R80, SF, X87Env } from '../../fp80';

const TWO32 = 4294967296;
/** FSW bit 15 (busy) mirrors ES. */
export const FSW_B = 0x8000;

/** The library's control/status words for one instruction, synced with cpu.misc. */
export class X87 {
  readonly env: X87Env = { fcw: 0x37f, fsw: 0 };
  readonly misc: Int32Array;
  readonly stl: Int32Array;
  readonly stw: Uint16Array;
  /** Scratch operands: A/B = [lo, hi, se]. */
  readonly a = new Int32Array(3);
  readonly b = new Int32Array(3);

  constructor(readonly cpu: X86Cpu) {
    this.misc = cpu.state.misc;
    this.stl = cpu.state.stl;
    this.stw = cpu.state.stw;
  }

  /** A waiting instruction starts: #MF if an unmasked exception is pending; env loaded. */
  begin(): void {
    const m = this.misc;
    if (m[Misc.Fsw] & ES) throw x87Error();
    this.env.fcw = m[Misc.Fcw];
    this.env.fsw = m[Misc.Fsw];
  }

  /**
   * Stores env.fsw with its summary bits (ES and B follow the unmasked
   * flags). As on current Intel parts, FOP and FDP are recorded only when the
   * instruction raised an unmasked exception.
   */
  end(): void {
    let fsw = this.env.fsw & ~(ES | FSW_B | 0x3800);
    if (fsw & ~this.env.fcw & EXCEPTIONS) {
      fsw |= ES | FSW_B;
      const m = this.misc;
      m[Misc.Fop] = this.fop;
      if (this.ea !== -1) {
        m[Misc.FdpLo] = this.ea | 0;
        m[Misc.FdpHi] = Math.floor(this.ea / TWO32) | 0;
      }
    }
    this.misc[Misc.Fsw] = fsw;
  }

  phys(i: number): number {
    return (this.misc[Misc.FpuTop] + i) & 7;
  }

  isEmpty(i: number): boolean {
    return ((this.misc[Misc.FpuEmpty] >>> this.phys(i)) & 1) !== 0;
  }

  /** ST(i) into dst ([lo, hi, se]). */
  read(i: number, dst: Int32Array): void {
    const p = this.phys(i);
    dst[0] = this.stl[4 * p];
    dst[1] = this.stl[4 * p + 1];
    dst[2] = this.stw[8 * p + 4];
  }

  write(i: number, lo: number, hi: number, se: number): void {
    const p = this.phys(i);
    this.stl[4 * p] = lo;
    this.stl[4 * p + 1] = hi;
    this.stw[8 * p + 4] = se;
    this.misc[Misc.FpuEmpty] &= ~(1 << p);
  }

  writeR80(i: number): void {
    this.write(i, R80[0], R80[1], R80[2]);
  }

  pop(): void {
    const m = this.misc;
    m[Misc.FpuEmpty] |= 1 << (m[Misc.FpuTop] & 7);
    m[Misc.FpuTop] = (m[Misc.FpuTop] + 1) & 7;
  }

  /** Pushes (lo, hi, se); on a full stack raises the overflow fault instead (masked: pushes the indefinite). */
  push(lo: number, hi: number, se: number): void {
    if (!this.isEmpty(7)) {
      if (!this.stackFault(true)) return;
      lo = 0;
      hi = 0xc0000000 | 0;
      se = 0xffff;
    }
    const m = this.misc;
    m[Misc.FpuTop] = (m[Misc.FpuTop] + 7) & 7;
    this.write(0, lo, hi, se);
  }

  /**
   * Raises a stack fault: IE and SF, C1 = 1 for overflow, 0 for underflow.
   * Returns true when IE is masked (the caller then writes the indefinite).
   */
  stackFault(overflow: boolean): boolean {
    const env = this.env;
    env.fsw = (env.fsw | IE | SF) & ~C1;
    if (overflow) env.fsw |= C1;
    return (env.fcw & IE) !== 0;
  }

  private fop = 0;
  private ea = -1;

  /** Records FIP as a non-control instruction does; FOP and the operand address (-1: none) wait for end(). */
  record(fop: number, rip: number, ea: number): void {
    const m = this.misc;
    m[Misc.FipLo] = rip | 0;
    m[Misc.FipHi] = Math.floor(rip / TWO32) | 0;
    this.fop = fop;
    this.ea = ea;
  }

  setIndefiniteR80(): void {
    R80[0] = 0;
    R80[1] = 0xc0000000 | 0;
    R80[2] = 0xffff;
  }
}

/** The 11-bit FOP of a decoded x87 instruction: the opcode's low 3 bits and the ModRM byte. */
export function fopOf(i: X86Insn): number {
  return ((i.opcode & 7) << 8) | (i.mod << 6) | ((i.reg & 7) << 3) | (i.rm & 7);
}

const units = new WeakMap<X86Cpu, X87>();

/** The x87 unit of a CPU (one per CPU, shared by all its decoded instructions). */
export function x87Of(cpu: X86Cpu): X87 {
  let u = units.get(cpu);
  if (!u) {
    u = new X87(cpu);
    units.set(cpu, u);
  }
  return u;
}
