// A schedulable thread: its saved registers and whether it can run. A blocked
// thread holds a Wait: a retry the scheduler calls until it yields a result.

import type { UserContext } from '../arch/arch-cpu';

export const BLOCKED: unique symbol = Symbol('blocked');
export type Blocked = typeof BLOCKED;

export interface Wait {
  /** Returns the syscall's result once the thread can go on, BLOCKED while it cannot. */
  readonly retry: () => number | Blocked;
  /** Kernel time (ms on the generic timer's counter) after which retry is worth calling again without any event. */
  readonly deadline?: number;
  /** A signal ends the wait (the syscall answers EINTR or restarts). */
  readonly interruptible: boolean;
  /**
   * Called when a signal ends the wait early (leave any wait queue); a number
   * it returns replaces the interrupt result (a write of the remaining time
   * to a bad address makes it EFAULT).
   */
  readonly cancel?: () => number | undefined | void;
  /** x0 when a signal ends the wait (default: the scheduler's, which restarts or says EINTR). */
  readonly interruptResult?: number;
}

export type ThreadState = 'runnable' | 'blocked' | 'dead';

export class Thread {
  state: ThreadState = 'runnable';
  wait: Wait | undefined;
  /** Told when the thread blocks or wakes (the scheduler keeps its runnable queue by it). */
  onState: ((t: Thread) => void) | undefined;

  constructor(
    readonly tid: number,
    /** The user-mode registers, in the arch's layout. */
    readonly ctx: UserContext,
  ) {}

  block(wait: Wait): void {
    this.state = 'blocked';
    this.wait = wait;
    this.onState?.(this);
  }

  /** Ends a wait: the thread runs again with result in its result register. */
  wake(result: number): void {
    this.wait = undefined;
    this.state = 'runnable';
    this.ctx.setResult(result);
    this.onState?.(this);
  }
}
