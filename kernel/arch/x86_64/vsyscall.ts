// The legacy vsyscall page at 0xffffffffff600000, as Linux 6.1 keeps it by
// default (vsyscall=xonly): nothing is mapped there, an instruction fetch at
// one of its three entry points traps and the kernel emulates the call
// (gettimeofday at +0, time at +0x400, getcpu at +0x800) as the system call
// of that number, then returns to the caller's return address popped from
// the stack. Any other access there (a read, a fetch elsewhere in the page)
// stays a fault: SIGSEGV. Old static binaries (dietlibc's) still call it.

import type { X86Memory } from '../../../board/x86_64/x86-memory';
import { RAX, RSP } from '../../../board/x86_64/cpu-state';
import { PF_I, PF_U } from './fault';
import type { X86Context } from './user-context';

/** 0xffffffffff600000 as the signed value of its canonical form (kernel/arch/arch.ts). */
export const VSYSCALL_BASE = -0xa0_0000;
/** Entry offset in the page: the x86_64 syscall number it stands for. */
const ENTRIES = new Map<number, number>([
  [0x000, 96], // gettimeofday
  [0x400, 201], // time
  [0x800, 309], // getcpu
]);
const TWO32 = 4294967296;

/**
 * A user fetch fault at cr2 that is a vsyscall entry: turns ctx into the
 * state after the call's RET (rip = the popped return address, rsp + 8) with
 * rax = the call's number, and returns true; the kernel then runs it as a
 * syscall whose result lands in rax. False when it is no such fault or the
 * return address cannot be read (the fault then stands, as on Linux).
 */
export function emulateVsyscall(errorCode: number, cr2: number, ctx: X86Context, mem: X86Memory): boolean {
  if ((errorCode & (PF_I | PF_U)) !== (PF_I | PF_U)) return false;
  const nr = ENTRIES.get(cr2 - VSYSCALL_BASE);
  if (nr === undefined) return false;
  const sp = ctx.regU(RSP);
  const word = new Int32Array(2);
  try {
    mem.read64(sp, word, 0);
  } catch {
    return false;
  }
  ctx.pc = (word[1] >>> 0) * TWO32 + (word[0] >>> 0);
  ctx.setReg(RSP, sp + 8);
  ctx.setReg(RAX, nr);
  return true;
}
