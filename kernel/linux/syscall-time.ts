// What a syscall costs the guest's clock. On the instruction-counted clock
// the kernel's own work would otherwise take no time at all: a loop of
// syscalls then sees time crawl (a syscall moved the clock by the few user
// instructions around it) and makes millions of calls where Linux makes a
// few hundred thousand. Each syscall's entry therefore moves the clock on
// by SYSCALL_TICKS, as many ticks as that many instructions of the same CPU,
// and counts as the thread's system time (times, getrusage, /proc stat), as
// Linux accounts the time a task spends in the kernel. Under --wall-clock
// the host's time passes by itself and the clock is left alone.
// Why this cost: docs/linux-abi.md ("What a syscall costs").

import type { LinuxSystem } from './linux-system';
import type { LinuxThread } from './linux-thread';
import { chargeSystem, chargeTrap } from './process-usage';

/** Ticks (instructions of the guest's CPU) one syscall's kernel entry and exit take. */
export const SYSCALL_TICKS = 1000;

const spentBy = new WeakMap<LinuxSystem, number>();

/** A syscall trap of t: its kernel time on the clock and in t's system time. */
export function chargeSyscall(sys: LinuxSystem, t: LinuxThread): void {
  const spent = sys.kernel.machine.spendTicks(SYSCALL_TICKS);
  if (spent === 0) {
    chargeTrap(t);
    return;
  }
  chargeSystem(t, spent / sys.kernel.timer.ticksPerMs);
  spentBy.set(sys, (spentBy.get(sys) ?? 0) + spent);
}

/** The ticks syscalls have added to the clock so far (the system column of /proc/stat). */
export function syscallTicks(sys: LinuxSystem): number {
  return spentBy.get(sys) ?? 0;
}
