// Entry of every SVC: decode the number and arguments, run the handler,
// and put the result in x0 (unless the thread blocked or the handler set
// the registers itself).

import { StringTooLong, UserFault } from '../process/user-memory';
import { BLOCKED } from '../sched/thread';
import { EFAULT, EINVAL, ENAMETOOLONG, ENOSYS } from './errno';
import type { LinuxSystem } from './linux-system';
import type { LinuxThread } from './linux-thread';
import { formatCall, formatResult } from './strace';
import { Call, NO_RESULT, SyscallError, type SyscallResult } from './syscall-context';
import { syscallTable } from './syscall-table';
import { describeCall, isOutOfMemory, reportInternalError } from './syscall-guard';

export function runSyscall(sys: LinuxSystem, t: LinuxThread, nr = t.ctx.syscallNumber()): void {
  const ctx = t.ctx;
  const args = [ctx.syscallArg(0), ctx.syscallArg(1), ctx.syscallArg(2), ctx.syscallArg(3), ctx.syscallArg(4), ctx.syscallArg(5)];
  t.restartToken = ctx.restartToken();
  sys.currentProcess = t.proc;
  sys.syscallCount++;
  const table = syscallTable(sys.kernel.arch);
  const row = table.row(nr);
  const entry = row?.handler;
  const name = row?.name ?? table.name(nr);
  const call = sys.options.strace ? formatCall(name, args, t.proc.mem.user, sys.kernel.arch) : '';
  let result: SyscallResult;
  try {
    result = entry ? entry(new Call(sys, t, args, name)) : -ENOSYS;
  } catch (e) {
    if (isOutOfMemory(e)) throw e;
    if (e instanceof SyscallError) result = -e.errno;
    else if (e instanceof UserFault) result = e instanceof StringTooLong ? -ENAMETOOLONG : -EFAULT;
    else {
      reportInternalError(sys, t, describeCall(name, args), 'syscall', e);
      result = -EINVAL;
    }
  }
  if (sys.options.strace) traceResult(sys, t, name, call, args, result);
  if (result === BLOCKED || result === NO_RESULT || t.state === 'dead') return;
  ctx.setResult(result);
}

/** Writes the --strace line; a blocked call's line waits for the result it wakes with. */
function traceResult(sys: LinuxSystem, t: LinuxThread, name: string, call: string, args: readonly number[], result: SyscallResult): void {
  const emit = (r: number | string): void => {
    const tail = typeof r === 'string' ? r : t.proc.mem.users > 0 ? formatResult(name, r, t.proc.mem.user, args) : ` = ${r}`;
    sys.io.writeErr(Buffer.from(`${t.tid} ${call}${tail}\n`));
  };
  if (result === BLOCKED) t.onWake = emit;
  else if (result !== NO_RESULT) emit(result);
  else if (name === 'rt_sigreturn') emit(' = -1 errno=513 (Successful exit from sigreturn)');
  else if (name === 'execve') emit(' = 0');
  else emit('');
}
