// Queued signals and POSIX timers, counted as Linux counts them and charged
// to guest memory (checked against the host kernel by
// tests/hostile/kernel-limits.c, parts rtkill and timers):
// - every queue entry (struct sigqueue) counts against its receiver's real
//   uid, and one past the receiver's RLIMIT_SIGPENDING is refused, except a
//   standard signal sent by kill or the kernel (Linux's override_rlimit);
// - a refused real-time signal from sigqueue/tkill is the caller's EAGAIN
//   (queueFull); any other refused signal stays pending once, without what it
//   carried (sender, value), as Linux's "lose info" path;
// - each POSIX timer holds one entry from timer_create to its deletion
//   (Linux preallocates its sigqueue), so timer_create answers EAGAIN past
//   RLIMIT_SIGPENDING; its expiry reuses that entry.
// Each entry also holds guest memory (kind signal-queue), each timer its
// struct (kind posix-timer), counted to the process for the OOM killer.

import { accountOf } from './kobj-charges';
import { deletePosixTimers, SI_TIMER } from './interval-timers';
import type { LinuxProcess } from './linux-process';
import type { LinuxSystem } from './linux-system';
import { processExitHooks } from './process-exit-hooks';
import { limitsOf, RLIMIT_SIGPENDING } from './resource-limits';
import type { PendingSignals, SigInfo, SignalCharge } from './signal-state';

/** struct sigqueue on arm64 is 80 bytes from its own cache; salty's entry (a siginfo object and its slot) costs about as much on the host. */
const SIGQUEUE_BYTES = 160;
/** struct k_itimer with its hrtimer is about 300 bytes; salty's timer (its object, table slots and charge) costs about 570 on the host (measured: 400,000 timers under -m 256M), charged at twice that with its queue entry. */
const POSIX_TIMER_BYTES = 1024;
const SIGRTMIN = 32;

const perUid = new WeakMap<LinuxSystem, Map<number, number>>();

function counts(sys: LinuxSystem): Map<number, number> {
  let m = perUid.get(sys);
  if (!m) perUid.set(sys, (m = new Map()));
  return m;
}

/** Signal queue entries counted to uid now (/proc/PID/status SigQ). */
export function queuedOf(sys: LinuxSystem, uid: number): number {
  return counts(sys).get(uid) ?? 0;
}

/**
 * Would one more entry for p pass its RLIMIT_SIGPENDING, or not fit in guest
 * memory off the frames kept for user pages (the ledger's reserveFrames, as
 * fork's and the other refusable charges)? Without the reserve a timer bomb
 * took the last free frame, and the guest's next new stack page (where it
 * falls depends on the size of its environment) called the OOM killer.
 */
function refused(sys: LinuxSystem, p: LinuxProcess, extraBytes: number): boolean {
  if (queuedOf(sys, p.creds.uid) + 1 > limitsOf(p)[RLIMIT_SIGPENDING][0]) return true;
  const ledger = sys.kernel.mm.kobjs;
  const need = ledger.framesFor('signal-queue', SIGQUEUE_BYTES) + (extraBytes > 0 ? ledger.framesFor('posix-timer', extraBytes) : 0);
  return need > 0 && sys.kernel.mm.pmm.freeFrames - need < ledger.reserveFrames;
}

/** An entry counted to p's uid (and, when memory allows, charged): null when refused and not override. */
function chargeEntry(sys: LinuxSystem, p: LinuxProcess, override: boolean, extra = 0): SignalCharge | null {
  if (!override && refused(sys, p, extra)) return null;
  const uid = p.creds.uid;
  const m = counts(sys);
  const ledger = sys.kernel.mm.kobjs;
  const a = accountOf(p);
  // An entry Linux must give (override) is counted even when memory cannot hold it: there are at most 31 such per queue.
  const charged = ledger.tryCharge('signal-queue', SIGQUEUE_BYTES, a);
  const timer = extra > 0 && ledger.tryCharge('posix-timer', extra, a);
  m.set(uid, (m.get(uid) ?? 0) + 1);
  let live = true;
  return {
    release() {
      if (!live) return;
      live = false;
      m.set(uid, m.get(uid)! - 1);
      if (charged) ledger.release('signal-queue', SIGQUEUE_BYTES, a);
      if (timer) ledger.release('posix-timer', extra, a);
    },
  };
}

/** sigqueue/tkill of a real-time signal to p: no entry can be had (the caller answers EAGAIN). */
export function sigqueueRefused(sys: LinuxSystem, p: LinuxProcess, sig: number): boolean {
  return sig >= SIGRTMIN && refused(sys, p, 0);
}

/** Queues info for p (in queue, p's or one of its threads'), with its entry, or pending once without its details when none can be had. */
export function queueSignal(sys: LinuxSystem, p: LinuxProcess, queue: PendingSignals, info: SigInfo): void {
  // A POSIX timer's signal uses the entry the timer holds.
  if (info.code === SI_TIMER) {
    queue.add(info);
    return;
  }
  if (info.signo < SIGRTMIN && queue.has(info.signo)) return;
  const override = info.signo < SIGRTMIN && info.code >= 0;
  const charge = chargeEntry(sys, p, override);
  if (charge) {
    queue.add(info, charge);
    return;
  }
  if (!queue.has(info.signo)) queue.add({ signo: info.signo, code: 0, pid: 0, uid: 0 });
}

/** timer_create's entry and struct, or null past RLIMIT_SIGPENDING or guest memory (EAGAIN). */
export function chargeTimer(sys: LinuxSystem, p: LinuxProcess): SignalCharge | null {
  return chargeEntry(sys, p, false, POSIX_TIMER_BYTES);
}

// A process's POSIX timers go with it (Linux's exit_itimers); its queued signals too.
processExitHooks.push((_sys, p) => {
  deletePosixTimers(p);
  p.pending.clear();
});
