// A Linux thread: a schedulable thread of a process, with its signal mask,
// its own pending signals, and the addresses set_tid_address and clone gave it.

import type { UserContext } from '../arch/arch-cpu';
import { Thread } from '../sched/thread';
import type { LinuxProcess } from './linux-process';
import { PendingSignals } from './signal-state';
import { SigSet } from './sigset';

export const SS_ONSTACK = 1;
export const SS_DISABLE = 2;

export class LinuxThread extends Thread {
  sigmask = new SigSet();
  readonly pending = new PendingSignals();
  /** CLONE_CHILD_CLEARTID / set_tid_address: zeroed and futex-woken at exit. */
  clearChildTid = 0;
  altStack = { sp: 0, size: 0, flags: SS_DISABLE };
  /** The mask to restore after a ppoll/pselect6/rt_sigsuspend that replaced it. */
  savedMask: SigSet | undefined;
  /** The registers' restart token at syscall entry (x0; x86's rax), for restarting an interrupted syscall. */
  restartToken = 0;
  robustList = 0;
  /** --strace: prints the result of the syscall this thread is blocked in, when it ends. */
  onWake: ((result: number) => void) | undefined;

  constructor(
    tid: number,
    public proc: LinuxProcess,
    ctx: UserContext,
  ) {
    super(tid, ctx);
  }

  override wake(result: number): void {
    super.wake(result);
    const report = this.onWake;
    this.onWake = undefined;
    report?.(result);
  }

  /** Is sp on the alternate signal stack? */
  onAltStack(sp: number): boolean {
    const a = this.altStack;
    return (a.flags & SS_DISABLE) === 0 && sp > a.sp && sp <= a.sp + a.size;
  }
}
