// Round-robin scheduling of threads in instruction-count slices. Blocked
// threads are polled: each holds a retry the scheduler calls when looking for
// work, and a deadline when time alone can end its wait.

import { BLOCKED, type Thread } from './thread';

/** Instructions a thread runs before the next one gets the CPU. */
export const SLICE = 200_000;

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

  private poll(t: T, interrupted: (t: T) => boolean, interruptResult: number): void {
    const w = t.wait!;
    const r = w.retry();
    if (r !== BLOCKED) t.wake(r);
    else if (w.interruptible && interrupted(t)) {
      w.cancel?.();
      t.wake(w.interruptResult ?? interruptResult);
    }
  }
}

/** Sleeps the host thread (no busy wait) for ms milliseconds. */
export function hostSleep(ms: number): void {
  if (ms <= 0) return;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(cell, 0, 0, Math.min(ms, 1000));
}
