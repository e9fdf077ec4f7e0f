// A call through x86_64's vsyscall page, with the rules of Linux's
// emulation (vsyscall=xonly): a pointer argument outside user space is
// SIGSEGV (SEGV_MAPERR at the pointer) before the call; a call that faults
// on a pointer is a plain SIGSEGV (SI_KERNEL, no address, rax -ENOSYS) after
// it, as the host's 6.18 kernel reports it (kernels before the removal of
// sig_on_uaccess_err reported SEGV_MAPERR at the faulting address); either
// way the thread stays at the entry, no return is emulated.
// Otherwise the result lands in rax and the caller's RET is emulated.

import type { Trap } from '../arch/arch-cpu';
import { EFAULT, ENOSYS } from './errno';
import type { LinuxThread } from './linux-thread';
import type { LinuxSystem } from './linux-system';
import { runSyscall } from './syscall-dispatch';

const SEGV_MAPERR = 1;
const SI_KERNEL = 0x80;

type VsyscallTrap = Extract<Trap, { kind: 'vsyscall' }>;
export type FaultSender = (info: { signo: number; code: number; addr: number }, detail: string) => void;

export function runVsyscall(sys: LinuxSystem, t: LinuxThread, trap: VsyscallTrap, fault: FaultSender): void {
  const userTop = sys.kernel.machine.userStackTop;
  const at = `vsyscall ${trap.nr} at pc 0x${t.ctx.pc.toString(16)}`;
  for (const [addr, size] of trap.pointers) {
    if (addr !== 0 && (addr < 0 || addr + size > userTop)) {
      fault({ signo: 11, code: SEGV_MAPERR, addr }, `${at}: pointer 0x${addr.toString(16)} outside user space`);
      return;
    }
  }
  runSyscall(sys, t, trap.nr);
  if (t.state === 'dead') return;
  if (t.ctx.result() === -EFAULT) {
    t.ctx.setResult(-ENOSYS);
    fault({ signo: 11, code: SI_KERNEL, addr: 0 }, `${at}: the call faulted on a pointer argument`);
    return;
  }
  t.ctx.pc = trap.returnTo;
  t.ctx.sp += trap.popBytes;
}
