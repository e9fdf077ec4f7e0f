// Entry of every SVC: decode the number and arguments, run the handler,
// and put the result in x0 (unless the thread blocked or the handler set
// the registers itself).

import { UserFault } from '../process/user-memory';
import { BLOCKED } from '../sched/thread';
import { EFAULT, ENOSYS } from './errno';
import type { LinuxSystem } from './linux-system';
import type { LinuxThread } from './linux-thread';
import { formatSyscall } from './strace';
import { Call, NO_RESULT, type SyscallResult } from './syscall-context';
import { syscallName } from './syscall-names';
import { SYSCALLS } from './syscall-table';

export function runSyscall(sys: LinuxSystem, t: LinuxThread): void {
  const ctx = t.ctx;
  const nr = ctx.x[16];
  const args = [0, 1, 2, 3, 4, 5].map((i) => ctx.getX(i));
  t.origX0 = args[0];
  sys.currentProcess = t.proc;
  sys.syscallCount++;
  const entry = SYSCALLS.get(nr);
  let result: SyscallResult;
  try {
    result = entry ? entry(new Call(sys, t, args)) : -ENOSYS;
  } catch (e) {
    if (!(e instanceof UserFault)) throw e;
    result = -EFAULT;
  }
  if (sys.options.strace) {
    const shown = result === BLOCKED ? -1e9 : result === NO_RESULT ? 0 : result;
    const line = formatSyscall(syscallName(nr), args, shown, entry === undefined);
    sys.io.writeErr(Buffer.from(`${t.tid} ${result === BLOCKED ? line.replace(/= .*$/, '= ? (blocked)') : line}\n`));
  }
  if (result === BLOCKED || result === NO_RESULT || t.state === 'dead') return;
  ctx.setX(0, result);
}
