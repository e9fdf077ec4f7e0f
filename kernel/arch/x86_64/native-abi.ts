// The native SaltyOS ABI on x86_64 (docs/native-abi.md): `syscall` with rax =
// NATIVE_SYSCALL_RAX (decoded in hosted-machine.ts; Linux has no system call
// of that number, so on Linux it is ENOSYS). n0..n5 are Linux's six argument
// registers (rdi, rsi, rdx, r10, r8, r9), n6 = r12, n7 = r13: SYSCALL itself
// overwrites rcx and r11, and rax holds the marker. rdi, rsi are also the
// first two SysV argument registers, so a thread enters its function with
// (n0, n1) as its arguments.

import { RDI, RDX, RSI } from '../../../board/x86_64/cpu-state';
import type { NativeArchAbi } from '../native-abi';

/** rax at a `syscall` that is the native trap. */
export const NATIVE_SYSCALL_RAX = 0x5a17;

const R8 = 8;
const R9 = 9;
const R10 = 10;
const R12 = 12;
const R13 = 13;

export const X86_NATIVE_ABI: NativeArchAbi = {
  regs: [RDI, RSI, RDX, R10, R8, R9, R12, R13],
  trapBytes: 2,
  linuxTrap: 'syscall',
  enter(ctx, pc, sp, a0, a1) {
    // As if called: the SysV ABI has rsp + 8 16-byte aligned at a function's
    // first instruction (the return address's slot is left unwritten).
    ctx.reset(pc, sp - 8);
    ctx.setReg(RDI, a0);
    ctx.setReg(RSI, a1);
  },
};
