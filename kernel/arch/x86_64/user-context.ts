// An x86_64 thread's CPL3 registers while it is off the CPU: the CPU's whole
// register file buffer (GPRs, lazy flags, FS/GS bases, MXCSR, x87 and XMM
// state, board/x86_64/cpu-state.ts) and RIP. Saving copies the buffer, so
// the lazy flags travel as they are, never recomputed.

import type { X86Cpu } from '../../../board/x86_64/cpu';
import { Misc, RAX, RDI, RDX, RSI, RSP, STATE_BYTES, X86CpuState } from '../../../board/x86_64/cpu-state';
import { ARITH_FLAGS, getArithFlags, setArithFlags } from '../../../board/x86_64/flags';
import type { UserContext } from '../arch-cpu';

const TWO32 = 4294967296;
const R8 = 8;
const R9 = 9;
const R10 = 10;
/** Linux's syscall argument registers, in order. */
const ARG_REGS = [RDI, RSI, RDX, R10, R8, R9];
/** SYSCALL is 2 bytes (0F 05). */
const SYSCALL_SIZE = 2;
/** RFLAGS at entry to user mode: IF and the always-one bit 1. */
export const USER_RFLAGS = 0x202;
/** RFLAGS bits kept outside the lazy arithmetic flags (TF, IF, DF, IOPL, NT, RF, AC, ID...). */
const OTHER_FLAGS = 0x3d7700;

/** The register file of a freshly reset CPU (FCW 0x37F, MXCSR 0x1F80, x87 empty). */
const RESET_BYTES = new Uint8Array(new X86CpuState().buffer);

export class X86Context implements UserContext {
  readonly arch = 'x86_64' as const;
  /** A detached X86CpuState: the same layout as the CPU's. */
  readonly state = new X86CpuState();
  private readonly bytes = new Uint8Array(this.state.buffer);
  pc = 0;

  constructor() {
    this.reset(0, 0);
  }

  save(cpu: X86Cpu): void {
    this.bytes.set(new Uint8Array(cpu.state.buffer, 0, STATE_BYTES));
    this.pc = cpu.rip;
  }

  load(cpu: X86Cpu): void {
    new Uint8Array(cpu.state.buffer, 0, STATE_BYTES).set(this.bytes);
    cpu.rip = this.pc;
  }

  copyFrom(other: UserContext): void {
    const o = other as X86Context;
    this.bytes.set(o.bytes);
    this.pc = o.pc;
  }

  reset(entry: number, sp: number): void {
    this.bytes.set(RESET_BYTES);
    this.state.misc[Misc.FlagsOther] = USER_RFLAGS;
    this.pc = entry;
    this.setReg(RSP, sp);
  }

  /** GPR n signed (exact below 2^53 in magnitude). */
  reg(n: number): number {
    const r = this.state.r;
    return r[2 * n + 1] * TWO32 + (r[2 * n] >>> 0);
  }

  /** GPR n unsigned (exact below 2^53). */
  regU(n: number): number {
    const r = this.state.r;
    return (r[2 * n + 1] >>> 0) * TWO32 + (r[2 * n] >>> 0);
  }

  setReg(n: number, value: number): void {
    const r = this.state.r;
    r[2 * n] = value % TWO32 | 0;
    r[2 * n + 1] = Math.floor(value / TWO32) | 0;
  }

  /** RFLAGS as the CPU would read it from this state. */
  get rflags(): number {
    return (getArithFlags(this.state.lazy) | (this.state.misc[Misc.FlagsOther] & OTHER_FLAGS) | 2) >>> 0;
  }

  set rflags(v: number) {
    setArithFlags(this.state.lazy, v & ARITH_FLAGS);
    this.state.misc[Misc.FlagsOther] = (v & OTHER_FLAGS) | 2;
  }

  get sp(): number {
    return this.regU(RSP);
  }

  set sp(value: number) {
    this.setReg(RSP, value);
  }

  get threadPointer(): number {
    return this.base(Misc.FsBaseLo);
  }

  set threadPointer(value: number) {
    this.setBase(Misc.FsBaseLo, value);
  }

  get gsBase(): number {
    return this.base(Misc.GsBaseLo);
  }

  set gsBase(value: number) {
    this.setBase(Misc.GsBaseLo, value);
  }

  private base(lo: number): number {
    const m = this.state.misc;
    return (m[lo + 1] >>> 0) * TWO32 + (m[lo] >>> 0);
  }

  private setBase(lo: number, value: number): void {
    const m = this.state.misc;
    m[lo] = value % TWO32 | 0;
    m[lo + 1] = Math.floor(value / TWO32) | 0;
  }

  syscallNumber(): number {
    // The number is rax; a value that does not fit 32 bits names no call.
    const r = this.state.r;
    return r[2 * RAX + 1] === 0 && r[2 * RAX] >= 0 ? r[2 * RAX] : -1;
  }

  syscallArg(i: number): number {
    return this.reg(ARG_REGS[i]);
  }

  loadSyscall(nr: number, args: readonly number[]): void {
    this.setReg(RAX, nr);
    ARG_REGS.forEach((r, i) => this.setReg(r, args[i] ?? 0));
  }

  result(): number {
    return this.reg(RAX);
  }

  setResult(value: number): void {
    this.setReg(RAX, value);
  }

  /** Linux keeps orig_ax (the number) to put back in rax on a restart. */
  restartToken(): number {
    return this.reg(RAX);
  }

  restartSyscall(token: number): void {
    this.pc -= SYSCALL_SIZE;
    this.setReg(RAX, token);
  }
}
