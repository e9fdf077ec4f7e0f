// Round-robin scheduling of threads in slices that the timer interrupt ends.
// Blocked threads are polled: each holds a retry the scheduler calls when
// looking for work, and a deadline when time alone can end its wait.

import { BLOCKED, type Thread } from './thread';

/** Counter ticks a thread runs before the timer's interrupt gives the next one the CPU (3.2 ms at 62.5 MHz). */
export const SLICE_TICKS = 200_000;

export type Pick<T extends Thread> = { readonly kind: 'run'; readonly thread: T } | { readonly kind: 'sleep'; readonly until: number } | { readonly kind: 'idle' };

export class Scheduler<T extends Thread> {
  private readonly threads: T[] = [];
  private cursor = 0;

  get all(): readonly T[] {
    return this.threads;
  }

  add(t: T): void {
    this.threads.push(t);
  }

  remove(t: T): void {
    const i = this.threads.indexOf(t);
    if (i < 0) return;
    this.threads.splice(i, 1);
    if (i < this.cursor) this.cursor--;
  }

  /**
   * The next thread to run after `current` (round robin), polling blocked
   * threads on the way. `interrupted(t)` says whether a blocked thread has a
   * signal that ends an interruptible wait; it then wakes with `interruptResult`.
   * `held(t)` keeps a runnable thread off the CPU (its process is stopped).
   */
  pick(interrupted: (t: T) => boolean, interruptResult: number, held: (t: T) => boolean = () => false): Pick<T> {
    const n = this.threads.length;
    let earliest = Infinity;
    for (let k = 0; k < n; k++) {
      const i = (this.cursor + k) % n;
      const t = this.threads[i];
      if (t.state === 'blocked') this.poll(t, interrupted, interruptResult);
      if (t.state === 'runnable' && !held(t)) {
        this.cursor = (i + 1) % n;
        return { kind: 'run', thread: t };
      }
      if (t.state === 'blocked' && t.wait?.deadline !== undefined) earliest = Math.min(earliest, t.wait.deadline);
    }
    return earliest < Infinity ? { kind: 'sleep', until: earliest } : { kind: 'idle' };
  }

  /** The earliest deadline of a blocked thread (kernel ms), Infinity when none has one. */
  nextDeadline(): number {
    let earliest = Infinity;
    for (const t of this.threads) {
      const d = t.state === 'blocked' ? t.wait?.deadline : undefined;
      if (d !== undefined && d < earliest) earliest = d;
    }
    return earliest;
  }

  private poll(t: T, interrupted: (t: T) => boolean, interruptResult: number): void {
    const w = t.wait!;
    const r = w.retry();
    if (r !== BLOCKED) t.wake(r);
    else if (w.interruptible && interrupted(t)) {
      const cancelled = w.cancel?.();
      t.wake(typeof cancelled === 'number' ? cancelled : (w.interruptResult ?? interruptResult));
    }
  }
}
