// Timers that send signals: POSIX timers (timer_create) and the three
// itimers (setitimer, alarm), one model for both. A timer counts on its clock
// (clocks.ts); the run loop calls fireTimers before it picks a thread, and
// bounds the next slice or idle wait by the deadline it answers.
//
// A POSIX timer whose signal is still queued when it expires again counts an
// overrun instead of queueing another; the overrun reaches the handler as
// si_overrun and timer_getoverrun (capped at INT_MAX) when the signal is
// delivered. Clocks of kernel time give exact deadlines; CPU clocks cannot
// run faster than kernel time, so their deadline is the soonest the CPU time
// could get there, counted only while a thread that would spend it can run.

import { readClock, followsKernelTime, type Clock } from './clocks';
import { checkCpuLimits } from './cpu-limit';
import type { LinuxProcess } from './linux-process';
import type { LinuxSystem } from './linux-system';
import type { LinuxThread } from './linux-thread';
import { sendToProcess, sendToThread } from './signal-delivery';
import type { SigInfo, SignalCharge } from './signal-state';

export const SI_TIMER = -2;
const SI_KERNEL = 0x80;
const INT_MAX = 0x7fffffff;

/** Where a timer's expiry goes: nowhere (SIGEV_NONE), the process, or one thread. */
export type Notify = { readonly kind: 'none' } | { readonly kind: 'process'; readonly signo: number } | { readonly kind: 'thread'; readonly signo: number; readonly thread: LinuxThread };

export class IntervalTimer {
  /** Next expiry on the clock (ms), 0 when disarmed. */
  next = 0;
  interval = 0;
  /** Expirations while the queued signal waited (si_overrun when it is delivered). */
  overrun = 0;
  /** The overrun of the last signal delivered (timer_getoverrun). */
  lastOverrun = 0;
  private queued: SigInfo | null = null;

  constructor(
    readonly clock: Clock,
    readonly notify: Notify,
    /** POSIX timers: the id and sigev_value their siginfo carries; itimers: undefined. */
    readonly posix?: { readonly id: number; readonly value: number },
  ) {}

  get armed(): boolean {
    return this.next !== 0;
  }

  /** Arms at a clock time (0 disarms) with a reload interval, as timer_settime and setitimer do. */
  arm(at: number, interval: number): void {
    this.next = at;
    this.interval = at === 0 ? 0 : interval;
    this.overrun = 0;
  }

  /** Time left to the next expiry (0: disarmed). */
  remaining(sys: LinuxSystem): number {
    return this.next === 0 ? 0 : Math.max(0, this.next - readClock(sys, this.clock));
  }

  /** Expires the timer if its time has come: sends its signal or counts an overrun, and reloads it. */
  check(sys: LinuxSystem, owner: LinuxProcess): void {
    if (this.next === 0) return;
    const now = readClock(sys, this.clock);
    if (now < this.next) return;
    let n = 1;
    if (this.interval > 0) {
      n = Math.floor((now - this.next) / this.interval) + 1;
      const reload = this.next + n * this.interval;
      // An interval below the clock's float precision (1 ns against the wall clock's ms) still moves on.
      this.next = reload > now ? reload : now + this.interval;
    } else {
      this.next = 0;
    }
    this.expire(sys, owner, n);
  }

  private expire(sys: LinuxSystem, owner: LinuxProcess, n: number): void {
    const notify = this.notify;
    if (notify.kind === 'none') return;
    const target = notify.kind === 'thread' ? notify.thread : owner;
    if (this.queued && target.pending.holds(this.queued)) {
      this.overrun = Math.min(INT_MAX, this.overrun + n);
      return;
    }
    this.overrun = Math.min(INT_MAX, n - 1);
    const info = this.signalInfo(notify.signo);
    this.queued = info;
    if (notify.kind === 'thread') sendToThread(sys, notify.thread, info);
    else sendToProcess(sys, owner, info);
  }

  /** The siginfo: an itimer's is the kernel's; a POSIX timer's carries si_tid, si_overrun and sigev_value. */
  private signalInfo(signo: number): SigInfo {
    const posix = this.posix;
    if (!posix) return { signo, code: SI_KERNEL, pid: 0, uid: 0 };
    // si_tid and si_overrun sit where kill's si_pid and si_uid do; the overrun is read when the signal is delivered.
    const timer = this;
    return {
      signo,
      code: SI_TIMER,
      pid: posix.id,
      get uid(): number {
        timer.lastOverrun = timer.overrun;
        timer.overrun = 0;
        return timer.lastOverrun;
      },
      value: posix.value,
    };
  }

  /** The soonest kernel time (ms) this timer can expire; Infinity when it cannot without something else happening. */
  deadline(sys: LinuxSystem, owner: LinuxProcess): number {
    if (this.next === 0) return Infinity;
    const left = this.next - readClock(sys, this.clock);
    if (followsKernelTime(this.clock)) return sys.now() + Math.max(0, left);
    const runnable = this.clock.kind === 'thread-cpu' ? this.clock.thread.state === 'runnable' : [...owner.threads].some((t) => t.state === 'runnable');
    return runnable ? sys.now() + Math.max(0, left) : Infinity;
  }
}

export const ITIMER_REAL = 0;
export const ITIMER_VIRTUAL = 1;
export const ITIMER_PROF = 2;

/** A process's timers: POSIX timers by id, and the three itimers. */
export class ProcessTimers {
  readonly posix = new Map<number, IntervalTimer>();
  /** What each POSIX timer holds of RLIMIT_SIGPENDING and guest memory (signal-charges.ts). */
  readonly charges = new Map<number, SignalCharge>();
  /** The POSIX timers armed since the last walk (a disarmed one leaves at the next): the walk before each slice skips the idle ones. */
  readonly armedPosix = new Set<IntervalTimer>();
  readonly itimers: (IntervalTimer | undefined)[] = [undefined, undefined, undefined];

  /** The next id to try: Linux (6.x) hands ids out in turn from 0, skipping those in use, wrapping past INT_MAX. */
  private nextId = 0;

  /** A free POSIX timer id, in turn as Linux's posix_timer_add gives them (a deleted id is not reused at once). */
  freeId(): number {
    for (;;) {
      const id = this.nextId;
      this.nextId = id === 0x7fffffff ? 0 : id + 1;
      if (!this.posix.has(id)) return id;
    }
  }

  all(): IntervalTimer[] {
    const out = [...this.posix.values()];
    for (const t of this.itimers) if (t) out.push(t);
    return out;
  }
}

const tables = new WeakMap<LinuxProcess, ProcessTimers>();

export function timersOf(p: LinuxProcess): ProcessTimers {
  let t = tables.get(p);
  if (!t) {
    t = new ProcessTimers();
    tables.set(p, t);
  }
  return t;
}

/** Deletes one POSIX timer; false when there is none of that id. */
export function deletePosixTimer(table: ProcessTimers, id: number): boolean {
  const timer = table.posix.get(id);
  if (!timer || !table.posix.delete(id)) return false;
  table.armedPosix.delete(timer);
  table.charges.get(id)?.release();
  table.charges.delete(id);
  return true;
}

/** execve and exit: POSIX timers are deleted, the itimers go on. */
export function deletePosixTimers(p: LinuxProcess): void {
  const table = tables.get(p);
  if (!table) return;
  for (const c of table.charges.values()) c.release();
  table.charges.clear();
  table.posix.clear();
  table.armedPosix.clear();
}

/** Expires every due timer of every live process; answers the next kernel-time deadline (Infinity: none). */
function fireOne(sys: LinuxSystem, p: LinuxProcess, timer: IntervalTimer, next: number): number {
  if (!timer.armed) return next;
  timer.check(sys, p);
  return Math.min(next, timer.deadline(sys, p));
}

/** The armed POSIX timers in creation order (the order timers due together queue their signals), dropping the disarmed from the set. */
function armedInOrder(table: ProcessTimers): Iterable<IntervalTimer> {
  for (const timer of table.armedPosix) if (!timer.armed) table.armedPosix.delete(timer);
  // Most of them armed: the table's own order costs no sort.
  if (table.armedPosix.size * 2 > table.posix.size) return [...table.posix.values()].filter((t) => t.armed);
  return [...table.armedPosix].sort((a, b) => a.posix!.id - b.posix!.id);
}

export function fireTimers(sys: LinuxSystem): number {
  let next = checkCpuLimits(sys);
  for (const p of sys.processes.values()) {
    const table = p.exit === undefined ? tables.get(p) : undefined;
    if (!table) continue;
    // Without table.all()'s array: this runs before every slice.
    if (table.armedPosix.size > 0) for (const timer of armedInOrder(table)) next = fireOne(sys, p, timer, next);
    for (const timer of table.itimers) if (timer) next = fireOne(sys, p, timer, next);
  }
  return next;
}
