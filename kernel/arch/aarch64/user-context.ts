// An aarch64 thread's EL0 registers while it is off the CPU: X0-X30 and SP_EL0,
// the 32 vector registers, NZCV, FPCR/FPSR and TPIDR_EL0.

import type { Cpu } from '../../../board/aarch64/cpu';
import type { UserContext } from '../arch-cpu';

const X_WORDS = 64; // X0-X30 and SP_EL0 as int32 halves
const V_BYTES = 512;
const TWO32 = 4294967296;
const SP = 31;
/** SVC is 4 bytes. */
const SVC_SIZE = 4;

export class A64Context implements UserContext {
  readonly arch = 'aarch64' as const;
  readonly x = new Int32Array(X_WORDS);
  readonly v = new Uint8Array(V_BYTES);
  pc = 0;
  nzcv = 0;
  fpcr = 0;
  fpsr = 0;
  tpidrLo = 0;
  tpidrHi = 0;

  save(cpu: Cpu): void {
    // Word by word: a subarray view of the CPU's registers would be an allocation on every trap.
    const x = this.x;
    const cx = cpu.x;
    for (let i = 0; i < X_WORDS; i++) x[i] = cx[i];
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

  copyFrom(other: UserContext): void {
    const o = other as A64Context;
    this.x.set(o.x);
    this.v.set(o.v);
    this.pc = o.pc;
    this.nzcv = o.nzcv;
    this.fpcr = o.fpcr;
    this.fpsr = o.fpsr;
    this.tpidrLo = o.tpidrLo;
    this.tpidrHi = o.tpidrHi;
  }

  reset(entry: number, sp: number): void {
    this.x.fill(0);
    this.v.fill(0);
    this.nzcv = 0;
    this.fpcr = 0;
    this.fpsr = 0;
    this.tpidrLo = 0;
    this.tpidrHi = 0;
    this.pc = entry;
    this.setX(SP, sp);
  }

  /** Xn signed (exact below 2^53 in magnitude). */
  getX(n: number): number {
    return this.x[2 * n + 1] * TWO32 + (this.x[2 * n] >>> 0);
  }

  /** Xn as an unsigned number (exact below 2^53). */
  getU(n: number): number {
    return (this.x[2 * n + 1] >>> 0) * TWO32 + (this.x[2 * n] >>> 0);
  }

  setX(n: number, value: number): void {
    this.x[2 * n] = value % TWO32 | 0;
    this.x[2 * n + 1] = Math.floor(value / TWO32) | 0;
  }

  get sp(): number {
    return this.getU(SP);
  }

  set sp(value: number) {
    this.setX(SP, value);
  }

  get threadPointer(): number {
    return (this.tpidrHi >>> 0) * TWO32 + (this.tpidrLo >>> 0);
  }

  set threadPointer(value: number) {
    this.tpidrLo = value % TWO32 | 0;
    this.tpidrHi = Math.floor(value / TWO32) | 0;
  }

  syscallNumber(): number {
    return this.x[16];
  }

  syscallArg(i: number): number {
    return this.getX(i);
  }

  loadSyscall(nr: number, args: readonly number[]): void {
    this.setX(8, nr);
    for (let i = 0; i < 6; i++) this.setX(i, args[i] ?? 0);
  }

  result(): number {
    return this.getX(0);
  }

  setResult(value: number): void {
    this.setX(0, value);
  }

  restartToken(): number {
    return this.getX(0);
  }

  restartSyscall(token: number): void {
    this.pc -= SVC_SIZE;
    this.setX(0, token);
  }

  reg(n: number): number {
    return this.getX(n);
  }

  setReg(n: number, value: number): void {
    this.setX(n, value);
  }
}
