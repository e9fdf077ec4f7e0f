// The last line of defence around a syscall's kernel work, run at entry or
// later when the scheduler retries or cancels a blocked call: a fault on
// user memory is the call's EFAULT, wherever it happens. Anything else that
// escapes is a bug in salty: it is reported with the call and its
// arguments, counted on the system (the syscall fuzzer fails on it), and the
// call answers EINVAL so the guest goes on.

import { OutOfFrames } from '../mm/pmm';
import { NoRoomForTable } from '../mm/untyped-tables';
import { UserFault } from '../process/user-memory';
import type { Blocked } from '../sched/thread';
import { EFAULT, EINVAL, ENOMEM } from './errno';
import type { LinuxSystem } from './linux-system';
import type { LinuxThread } from './linux-thread';

/** Running out of guest RAM: the run loop kills the process as Linux's OOM killer would. */
export function isOutOfMemory(e: unknown): boolean {
  return e instanceof OutOfFrames || e instanceof NoRoomForTable;
}

/** A syscall and its arguments as the internal-error line names them. */
export function describeCall(name: string, args: readonly number[]): string {
  const hex = (n: number): string => (n < 0 ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`);
  return `${name}(${args.map(hex).join(', ')})`;
}

/** Records a host exception that escaped a syscall's work and says so on stderr. */
export function reportInternalError(sys: LinuxSystem, t: LinuxThread, call: string, where: string, e: unknown): void {
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const line = `salty: internal error in ${call} (${where}, pid ${t.proc.pid} tid ${t.tid}): ${what}`;
  sys.internalErrors.push(e instanceof Error && e.stack ? `${line}\n${e.stack}` : line);
  sys.io.writeErr(Buffer.from(`${line}\n`));
}

/**
 * Wraps the retry or cancel of a blocked call, which the scheduler runs
 * outside the dispatcher: a UserFault answers EFAULT, running out of guest
 * RAM ENOMEM (the scheduler is no place to kill a process), anything else is
 * an internal error answered with EINVAL.
 */
export function guardLater<R>(sys: LinuxSystem, t: LinuxThread, call: string, where: string, work: () => R): () => R | number {
  return () => {
    try {
      return work();
    } catch (e) {
      if (e instanceof UserFault) return -EFAULT;
      if (isOutOfMemory(e)) return -ENOMEM;
      reportInternalError(sys, t, call, where, e);
      return -EINVAL;
    }
  };
}
