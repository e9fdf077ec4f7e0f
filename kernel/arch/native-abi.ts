// The native SaltyOS ABI's registers on each arch (docs/native-abi.md): the
// native code speaks of registers n0..n7 (n0 slot and error, n1 label and
// value, n2..n7 arguments and message words); each arch says which of its
// registers those are and how a thread enters a function. The trap itself is
// decoded by the arch's hosted machine (Trap { kind: 'syscall', native: true }).

import type { ArchName } from './arch';
import type { UserContext } from './arch-cpu';
import { A64_NATIVE_ABI } from './aarch64/native-abi';
import { X86_NATIVE_ABI } from './x86_64/native-abi';

export interface NativeArchAbi {
  /** The arch register of n0..n7 (UserContext.reg numbering). */
  readonly regs: readonly number[];
  /** Bytes of the trap instruction (the one before pc after a system-call trap). */
  readonly trapBytes: number;
  /** How the arch's Linux system call instruction is written, for messages. */
  readonly linuxTrap: string;
  /**
   * A thread's start: every register zero, then pc, the stack pointer and n0,
   * n1 set so that pc runs as a function called with (a0, a1) on a stack whose
   * top is sp (16-byte aligned).
   */
  enter(ctx: UserContext, pc: number, sp: number, a0: number, a1: number): void;
}

const ABIS: Record<ArchName, NativeArchAbi> = { aarch64: A64_NATIVE_ABI, x86_64: X86_NATIVE_ABI };

export function nativeArchAbi(arch: ArchName): NativeArchAbi {
  return ABIS[arch];
}

const TWO64 = 2 ** 64;

/** Native register n of ctx, unsigned (exact below 2^53). */
export function readNative(ctx: UserContext, n: number): number {
  const v = ctx.reg(ABIS[ctx.arch].regs[n]);
  return v < 0 ? v + TWO64 : v;
}

export function writeNative(ctx: UserContext, n: number, value: number): void {
  ctx.setReg(ABIS[ctx.arch].regs[n], value);
}
