// Entry of every SVC: decode the number and arguments, run the handler,
// and put the result in x0 (unless the thread blocked or the handler set
// the registers itself).

import { UserFault } from '../process/user-memory';
import { BLOCKED } from '../sched/thread';
import { EFAULT, ENOSYS } from './errno';
import type { LinuxSystem } from './linux-system';
import type { LinuxThread } from './linux-thread';
import type { ArchName } from '../arch/arch';
import { openFlagsFromUser } from './arch-abi';
import { formatCall, formatResult } from './strace';
import { Call, NO_RESULT, SyscallError, type SyscallResult } from './syscall-context';
import { syscallTable } from './syscall-table';

export function runSyscall(sys: LinuxSystem, t: LinuxThread): void {
  const ctx = t.ctx;
  const nr = ctx.syscallNumber();
  const args = [0, 1, 2, 3, 4, 5].map((i) => ctx.syscallArg(i));
  t.restartToken = ctx.restartToken();
  sys.currentProcess = t.proc;
  sys.syscallCount++;
  const table = syscallTable(sys.kernel.arch);
  const entry = table.handler(nr);
  const name = table.name(nr);
  const call = sys.options.strace ? formatCall(name, traced(sys.kernel.arch, name, args), t.proc.mem.user) : '';
  let result: SyscallResult;
  try {
    result = entry ? entry(new Call(sys, t, args)) : -ENOSYS;
  } catch (e) {
    if (e instanceof SyscallError) result = -e.errno;
    else if (e instanceof UserFault) result = -EFAULT;
    else throw e;
  }
  if (sys.options.strace) traceResult(sys, t, name, call, args, result);
  if (result === BLOCKED || result === NO_RESULT || t.state === 'dead') return;
  ctx.setResult(result);
}

/** The arguments --strace names: open flags in the kernel's (arm64) values, which the flag table names. */
function traced(arch: ArchName, name: string, args: number[]): readonly number[] {
  const at = name === 'openat' ? 2 : name === 'open' ? 1 : -1;
  if (at < 0 || arch === 'aarch64') return args;
  const out = args.slice();
  out[at] = openFlagsFromUser(arch, args[at]);
  return out;
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
