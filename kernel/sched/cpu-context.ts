// A thread's user-mode register context: what the CPU holds for a thread at
// EL0 and what the scheduler saves and restores on a switch.

import type { Cpu } from '../../board/aarch64/cpu';

const X_WORDS = 64; // X0-X30 and SP_EL0 as int32 halves
const V_BYTES = 512;

export class CpuContext {
  readonly x = new Int32Array(X_WORDS);
  readonly v = new Uint8Array(V_BYTES);
  pc = 0;
  nzcv = 0;
  fpcr = 0;
  fpsr = 0;
  tpidrLo = 0;
  tpidrHi = 0;

  save(cpu: Cpu): void {
    this.x.set(cpu.x.subarray(0, X_WORDS));
    this.v.set(cpu.state.vb);
    this.pc = cpu.pc;
    this.nzcv = cpu.state.nzcv;
    this.fpcr = cpu.fpcr;
    this.fpsr = cpu.fpsr;
    this.tpidrLo = cpu.sysregs.getLo('TPIDR_EL0');
    this.tpidrHi = cpu.sysregs.getHi('TPIDR_EL0');
  }

  load(cpu: Cpu): void {
    cpu.x.set(this.x);
    cpu.state.vb.set(this.v);
    cpu.pc = this.pc;
    cpu.state.nzcv = this.nzcv;
    cpu.setFpcr(this.fpcr);
    cpu.fpsr = this.fpsr;
    cpu.sysregs.set('TPIDR_EL0', this.tpidrLo, this.tpidrHi);
    cpu.clearExclusive();
  }

  copyFrom(other: CpuContext): void {
    this.x.set(other.x);
    this.v.set(other.v);
    this.pc = other.pc;
    this.nzcv = other.nzcv;
    this.fpcr = other.fpcr;
    this.fpsr = other.fpsr;
    this.tpidrLo = other.tpidrLo;
    this.tpidrHi = other.tpidrHi;
  }

  getX(n: number): number {
    return this.x[2 * n + 1] * 4294967296 + (this.x[2 * n] >>> 0);
  }

  /** Xn as an unsigned number (exact below 2^53). */
  getU(n: number): number {
    return (this.x[2 * n + 1] >>> 0) * 4294967296 + (this.x[2 * n] >>> 0);
  }

  setX(n: number, value: number): void {
    this.x[2 * n] = value % 4294967296 | 0;
    this.x[2 * n + 1] = Math.floor(value / 4294967296) | 0;
  }
}
