// Signal dispositions (shared by the threads of a process), queued signals
// and the default action of each signal.

import { SigSet } from './sigset';

export const SIG_DFL = 0;
export const SIG_IGN = 1;
export const SA_SIGINFO = 0x4;
export const SA_ONSTACK = 0x0800_0000;
export const SA_RESTART = 0x1000_0000;
export const SA_NODEFER = 0x4000_0000;
export const SA_RESETHAND = 0x8000_0000;
export const SA_RESTORER = 0x0400_0000;
export const NSIG = 64;

/** Never changed in place (SignalHandlers.set replaces it): copies of a table share their actions. */
export interface SigAction {
  readonly handler: number;
  /** sa_flags' low 32 bits, the ones with meaning. */
  readonly flags: number;
  /** sa_flags' high 32 bits, kept only to read back what was set (glibc sign-extends its int). */
  readonly flagsHigh?: number;
  readonly restorer: number;
  readonly mask: SigSet;
}

/** What a signal carries into the handler's siginfo. */
export interface SigInfo {
  readonly signo: number;
  readonly code: number;
  /** si_pid/si_uid for kill, si_addr for faults, si_status for SIGCHLD. */
  readonly pid?: number;
  readonly uid?: number;
  readonly addr?: number;
  readonly status?: number;
  readonly value?: number;
  /** si_band and si_fd of a SIGPOLL-style signal (F_SETSIG). */
  readonly band?: number;
  readonly fd?: number;
}

export const SI_USER = 0;
export const SI_TKILL = -6;
export const SEGV_MAPERR = 1;
export const SEGV_ACCERR = 2;
export const BUS_ADRALN = 1;
export const BUS_ADRERR = 2;
export const ILL_ILLOPC = 1;
export const TRAP_BRKPT = 1;
export const CLD_EXITED = 1;
export const CLD_KILLED = 2;
export const CLD_DUMPED = 3;
export const CLD_STOPPED = 5;
export const CLD_CONTINUED = 6;
export const SA_NOCLDSTOP = 1;

export type DefaultAction = 'term' | 'core' | 'ignore' | 'stop' | 'cont';

export function defaultAction(sig: number): DefaultAction {
  switch (sig) {
    case 3: case 4: case 5: case 6: case 7: case 8: case 11: case 24: case 25: case 31:
      return 'core';
    case 17: case 23: case 28:
      return 'ignore';
    case 18:
      return 'cont';
    case 19: case 20: case 21: case 22:
      return 'stop';
    default:
      return 'term';
  }
}

export class SignalHandlers {
  readonly actions: SigAction[];

  /** Every action the default, or (copy) the given ones. */
  constructor(actions?: SigAction[]) {
    if (actions !== undefined) {
      this.actions = actions;
      return;
    }
    this.actions = [];
    for (let i = 0; i <= NSIG; i++) this.actions.push({ handler: SIG_DFL, flags: 0, restorer: 0, mask: new SigSet() });
  }

  copy(): SignalHandlers {
    // Actions are replaced, never changed, so the copy shares them: every fork copies a table (a fork bomb thousands).
    return new SignalHandlers(this.actions.slice());
  }

  /** sig's action from now on, for every thread sharing this table. */
  set(sig: number, a: SigAction): void {
    this.actions[sig] = a;
  }

  /** execve: caught signals go back to their default, ignored ones stay ignored. */
  resetForExec(): void {
    this.actions.forEach((a, sig) => {
      if (a.handler !== SIG_IGN) this.set(sig, { handler: SIG_DFL, flags: 0, flagsHigh: 0, restorer: 0, mask: new SigSet() });
    });
  }

  /** Would delivering sig do nothing at all? */
  ignores(sig: number): boolean {
    const a = this.actions[sig];
    return a.handler === SIG_IGN || (a.handler === SIG_DFL && defaultAction(sig) === 'ignore');
  }
}

/** What a queue entry holds of guest memory and RLIMIT_SIGPENDING (signal-charges.ts): given back when the entry leaves the queue. */
export interface SignalCharge {
  release(): void;
}

/** Queued signals: a standard signal is queued at most once, real-time ones (>= 32) every time. */
export class PendingSignals {
  private readonly queue: SigInfo[] = [];
  /** Each entry's charge (none for one the sender holds, as a POSIX timer's). */
  private readonly charges: (SignalCharge | undefined)[] = [];

  add(info: SigInfo, charge?: SignalCharge): void {
    if (info.signo < 32 && this.has(info.signo)) {
      charge?.release();
      return;
    }
    this.queue.push(info);
    this.charges.push(charge);
  }

  /** Is a signal of this number queued? */
  has(signo: number): boolean {
    return this.queue.some((q) => q.signo === signo);
  }

  get set(): SigSet {
    const s = new SigSet();
    for (const q of this.queue) s.add(q.signo);
    return s;
  }

  /** Removes and returns the first pending signal not blocked by mask (lowest number first, as Linux). */
  take(mask: SigSet): SigInfo | undefined {
    let best = -1;
    for (let i = 0; i < this.queue.length; i++) {
      const s = this.queue[i].signo;
      if (mask.has(s) && s !== 9 && s !== 19) continue;
      if (best < 0 || s < this.queue[best].signo) best = i;
    }
    return best < 0 ? undefined : this.removeAt(best);
  }

  /** Is this very siginfo still queued (a timer's signal not yet delivered)? */
  holds(info: SigInfo): boolean {
    return this.queue.includes(info);
  }

  /** Signals queued (each one holds a sigqueue entry, counted against RLIMIT_SIGPENDING). */
  get size(): number {
    return this.queue.length;
  }

  hasUnblocked(mask: SigSet): boolean {
    return this.queue.some((q) => !mask.has(q.signo) || q.signo === 9);
  }

  discard(sig: number): void {
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i].signo === sig) this.removeAt(i);
  }

  /** Drops every entry, giving back their charges (the thread or process is gone). */
  clear(): void {
    for (const c of this.charges) c?.release();
    this.queue.length = 0;
    this.charges.length = 0;
  }

  private removeAt(i: number): SigInfo {
    const info = this.queue.splice(i, 1)[0];
    this.charges.splice(i, 1)[0]?.release();
    return info;
  }
}
