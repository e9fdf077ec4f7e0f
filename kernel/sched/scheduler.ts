// Round-robin scheduling of threads in slices that the timer interrupt ends.
// Blocked threads are polled: each holds a retry the scheduler calls when
// looking for work, and a deadline when time alone can end its wait.

import { BLOCKED, type Thread } from './thread';

/** Counter ticks a thread runs before the timer's interrupt gives the next one the CPU (3.2 ms at 62.5 MHz). */
export const SLICE_TICKS = 200_000;

export type Pick<T extends Thread> = { readonly kind: 'run'; readonly thread: T } | { readonly kind: 'sleep'; readonly until: number } | { readonly kind: 'idle' };

/**
 * With more threads than this, blocked threads are polled once per
 * SWEEP_MS of kernel time (or when nothing is runnable) rather than on every
 * pick, so that thousands of sleeping processes cost a pick little.
 */
const POLL_EVERY_PICK = 64;
const SWEEP_MS = 1;

export class Scheduler<T extends Thread> {
  private readonly threads: T[] = [];
  private cursor = 0;
  /** The kernel's clock in ms (set by the kernel that runs this scheduler); without it every pick polls. */
  clock: (() => number) | undefined;
  private lastSweep = -Infinity;
  /** nextDeadline's last scan (and when it ran), lowered by threads that blocked since. */
  private deadlineCache = Infinity;
  private deadlineAt = -Infinity;
  /** The runnable threads, least recently picked first (kept by the threads' onState). */
  private readonly runnable = new Set<T>();
  /** Dead threads still in the list (see remove). */
  private readonly removed = new Set<T>();

  get all(): readonly T[] {
    this.compact();
    return this.threads;
  }

  /** Threads scheduled (without building the list). */
  get count(): number {
    return this.threads.length - this.removed.size;
  }

  add(t: T): void {
    this.threads.push(t);
    t.onState = this.noteState;
    this.noteState(t);
  }

  remove(t: T): void {
    this.runnable.delete(t);
    t.onState = undefined;
    // Past many threads removals are batched: a dead thread in the list is skipped until the next compaction.
    if (this.threads.length > POLL_EVERY_PICK && t.state === 'dead') {
      this.removed.add(t);
      if (this.removed.size * 8 > this.threads.length) this.compact();
      return;
    }
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
    const now = n > POLL_EVERY_PICK && this.clock ? this.clock() : undefined;
    if (now !== undefined && now - this.lastSweep < SWEEP_MS && this.deadlineCache > now) {
      const runnable = this.nextRunnable(held);
      if (runnable) return runnable;
    }
    if (now !== undefined) this.lastSweep = now;
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

  private compact(): void {
    if (this.removed.size === 0) return;
    const current = this.threads[this.cursor];
    const kept = this.threads.filter((t) => !this.removed.has(t));
    this.removed.clear();
    const at = current ? kept.indexOf(current) : -1;
    this.threads.length = 0;
    for (const t of kept) this.threads.push(t);
    this.cursor = at >= 0 ? at : 0;
  }

  /** The runnable thread that waited longest, without polling the blocked ones; it goes to the back of the queue. */
  private nextRunnable(held: (t: T) => boolean): Pick<T> | undefined {
    for (const t of this.runnable) {
      if (t.state !== 'runnable') {
        this.runnable.delete(t);
        continue;
      }
      if (held(t)) continue;
      this.runnable.delete(t);
      this.runnable.add(t);
      return { kind: 'run', thread: t };
    }
    return undefined;
  }

  private readonly noteState = (t: Thread): void => {
    if (t.state === 'runnable') this.runnable.add(t as T);
    else this.runnable.delete(t as T);
    const d = t.state === 'blocked' ? t.wait?.deadline : undefined;
    if (d !== undefined && d < this.deadlineCache) this.deadlineCache = d;
  };

  /** The earliest deadline of a blocked thread (kernel ms), Infinity when none has one. */
  nextDeadline(): number {
    const now = this.threads.length > POLL_EVERY_PICK && this.clock ? this.clock() : undefined;
    // Past many threads the scan is cached for SWEEP_MS; threads that block meanwhile lower it (noteState).
    if (now !== undefined && now - this.deadlineAt < SWEEP_MS && this.deadlineCache > now) return this.deadlineCache;
    let earliest = Infinity;
    for (const t of this.threads) {
      const d = t.state === 'blocked' ? t.wait?.deadline : undefined;
      if (d !== undefined && d < earliest) earliest = d;
    }
    if (now !== undefined) {
      this.deadlineAt = now;
      this.deadlineCache = earliest;
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
