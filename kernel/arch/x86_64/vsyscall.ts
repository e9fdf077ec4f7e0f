// The legacy vsyscall page at 0xffffffffff600000, as Linux 6.1 keeps it by
// default (vsyscall=xonly): nothing is mapped there, an instruction fetch at
// one of its three entry points traps and the kernel emulates the call
// (gettimeofday at +0, time at +0x400, getcpu at +0x800) as the system call
// of that number, then returns to the caller's return address popped from
// the stack. Any other access there (a read, a fetch elsewhere in the page)
// stays a fault: SIGSEGV. Old static binaries (dietlibc's) still call it.
//
// This file decodes the trap; the Linux personality applies the rules of the
// emulation (kernel/linux/vsyscall-call.ts): a pointer argument outside user
// space is SIGSEGV before the call, a call that faults on one is SIGSEGV
// after it, both with rip left at the entry.

import type { X86Memory } from '../../../board/x86_64/x86-memory';
import { RDI, RSI, RSP } from '../../../board/x86_64/cpu-state';
import type { Trap } from '../arch-cpu';
import { PF_I, PF_U } from './fault';
import type { X86Context } from './user-context';

/** 0xffffffffff600000 as the signed value of its canonical form (kernel/arch/arch.ts). */
export const VSYSCALL_BASE = -0xa0_0000;

interface Entry {
  /** The x86_64 syscall number it stands for. */
  readonly nr: number;
  /** The sizes of what it writes through rdi and rsi (0: no such argument). */
  readonly sizes: readonly [number, number];
}

const ENTRIES = new Map<number, Entry>([
  [0x000, { nr: 96, sizes: [16, 8] }], // gettimeofday(struct timeval *, struct timezone *)
  [0x400, { nr: 201, sizes: [8, 0] }], // time(time_t *)
  [0x800, { nr: 309, sizes: [4, 4] }], // getcpu(unsigned *cpu, unsigned *node, cache): the cache is unused
]);
const TWO32 = 4294967296;

/**
 * A user fetch fault at cr2 that is a vsyscall entry: the vsyscall trap with
 * the call's number (the registers stay as they are; the return address is
 * read from [rsp]).
 * Null when it is no such fault, or when the return address cannot be read
 * (the fault then stands: SIGSEGV).
 */
export function decodeVsyscall(errorCode: number, cr2: number, ctx: X86Context, mem: X86Memory): Trap | null {
  if ((errorCode & (PF_I | PF_U)) !== (PF_I | PF_U)) return null;
  const entry = ENTRIES.get(cr2 - VSYSCALL_BASE);
  if (entry === undefined) return null;
  const word = new Int32Array(2);
  try {
    mem.read64(ctx.regU(RSP), word, 0);
  } catch {
    return null;
  }
  const pointers: Array<readonly [number, number]> = [];
  if (entry.sizes[0]) pointers.push([ctx.regU(RDI), entry.sizes[0]]);
  if (entry.sizes[1]) pointers.push([ctx.regU(RSI), entry.sizes[1]]);
  return { kind: 'vsyscall', nr: entry.nr, returnTo: (word[1] >>> 0) * TWO32 + (word[0] >>> 0), popBytes: 8, pointers };
}
