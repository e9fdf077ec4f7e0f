// Sending signals to threads and processes, and delivering them before a
// thread returns to user mode: default actions, or a handler entered with the
// Linux frame on the (alternate) stack.

import { UserFault } from '../process/user-memory';
import type { LinuxSystem } from './linux-system';
import type { LinuxThread } from './linux-thread';
import { SS_ONSTACK } from './linux-thread';
import { CLD_CONTINUED, CLD_STOPPED, defaultAction, SA_NOCLDSTOP, SA_NODEFER, SA_ONSTACK, SA_RESETHAND, SA_RESTART, SA_RESTORER, SIG_DFL, SIG_IGN, type SigAction, type SigInfo } from './signal-state';
import { encodeSiginfo } from './signal-frame';
import type { LinuxProcess } from './linux-process';
import { formatSignal } from './strace';
import { queueSignal } from './signal-charges';

const ERESTARTSYS = 512;
const EINTR = 4;

export function sendToThread(sys: LinuxSystem, t: LinuxThread, info: SigInfo): void {
  if (t.state === 'dead') return;
  if (info.signo === 9) {
    sys.killBySignal(t.proc, 9);
    return;
  }
  jobControlOnSend(sys, t.proc, info.signo);
  if (t.proc.handlers.ignores(info.signo) && !t.sigmask.has(info.signo)) return;
  queueSignal(sys, t.proc, t.pending, info);
}

export function sendToProcess(sys: LinuxSystem, p: LinuxProcess, info: SigInfo): void {
  if (p.exit !== undefined) return;
  if (info.signo === 9) {
    sys.killBySignal(p, 9);
    return;
  }
  jobControlOnSend(sys, p, info.signo);
  // A blocked signal is never ignored at sending: its disposition may change before it is unblocked (or sigwaitinfo takes it).
  if (p.handlers.ignores(info.signo) && ![...p.threads].some((t) => t.sigmask.has(info.signo))) return;
  queueSignal(sys, p, p.pending, info);
}

/**
 * Before t runs: act on every deliverable signal, as arm64 Linux does on its
 * way back to user mode. Each handler entered stacks a frame over the last, so
 * the handler set up last runs first (the one it blocks waits for sigreturn).
 */
export function deliverSignals(sys: LinuxSystem, t: LinuxThread): void {
  let interrupted = t.ctx.result() === -ERESTARTSYS;
  let entered = false;
  for (;;) {
    const info = t.pending.take(t.sigmask) ?? t.proc.pending.take(t.sigmask);
    if (!info) break;
    // A debugger sees the signal first, and may hold it (then it is the debugger's to deliver or drop).
    if (sys.debugger !== undefined && !sys.debugger.signal(t, info)) return;
    if (sys.options.strace) sys.io.writeErr(Buffer.from(`${formatSignal(info)}\n`));
    const act = t.proc.handlers.actions[info.signo];
    if (act.handler === SIG_IGN) continue;
    if (act.handler === SIG_DFL) {
      const d = defaultAction(info.signo);
      if (d === 'stop') {
        stopProcess(sys, t.proc, info.signo);
        if (interrupted) restart(t);
        return;
      }
      if (d === 'ignore' || d === 'cont') continue;
      sys.killBySignal(t.proc, info.signo, t);
      return;
    }
    if (interrupted) {
      if ((act.flags & SA_RESTART) !== 0) restart(t);
      else t.ctx.setResult(-EINTR);
      interrupted = false;
    }
    if (!enterHandler(sys, t, info, act)) return;
    entered = true;
  }
  if (entered) return;
  if (interrupted) restart(t);
  if (t.savedMask) {
    t.sigmask = t.savedMask;
    t.savedMask = undefined;
  }
}

const STOP_SIGNALS = [19, 20, 21, 22];

/** What sending does at once: SIGCONT resumes a stopped process and drops its pending stops; a stop drops a pending SIGCONT. */
function jobControlOnSend(sys: LinuxSystem, p: LinuxProcess, sig: number): void {
  if (sig === 18) {
    for (const s of STOP_SIGNALS) discardEverywhere(p, s);
    if (p.stopped) {
      p.stopped = false;
      p.jobReport = { kind: 'continued' };
      notifyParent(sys, p, CLD_CONTINUED, 18);
    }
  } else if (STOP_SIGNALS.includes(sig)) {
    discardEverywhere(p, 18);
  }
}

function discardEverywhere(p: LinuxProcess, sig: number): void {
  p.pending.discard(sig);
  for (const t of p.threads) t.pending.discard(sig);
}

/** A stop signal's default action: every thread of the process leaves the CPU until SIGCONT. */
function stopProcess(sys: LinuxSystem, p: LinuxProcess, sig: number): void {
  if (p.stopped) return;
  p.stopped = true;
  p.jobReport = { kind: 'stopped', signal: sig };
  notifyParent(sys, p, CLD_STOPPED, sig);
}

function notifyParent(sys: LinuxSystem, p: LinuxProcess, code: number, status: number): void {
  const parent = p.parent;
  if (!parent || parent.exit !== undefined || p.exitSignal !== 17) return;
  if ((parent.handlers.actions[17].flags & SA_NOCLDSTOP) !== 0) return;
  sendToProcess(sys, parent, { signo: 17, code, pid: p.pid, uid: 0, status });
}

function restart(t: LinuxThread): void {
  t.ctx.restartSyscall(t.restartToken);
}

/** Builds the frame and points t at the handler; false when the frame did not fit (t is killed). */
function enterHandler(sys: LinuxSystem, t: LinuxThread, info: SigInfo, act: SigAction): boolean {
  const ctx = t.ctx;
  const sp = ctx.sp;
  const alt = t.altStack;
  const wasOnAlt = t.onAltStack(sp);
  const switchStack = (act.flags & SA_ONSTACK) !== 0 && (alt.flags & 2) === 0 && !wasOnAlt;
  const top = switchStack ? alt.sp + alt.size : sp;
  const mask = t.savedMask ?? t.sigmask;
  t.savedMask = undefined;
  let frame: number | null;
  try {
    frame = sys.kernel.machine.signals.enterHandler(
      ctx,
      {
        signo: info.signo,
        siginfo: encodeSiginfo(info),
        mask,
        altStack: { sp: alt.sp, size: alt.size, flags: wasOnAlt ? SS_ONSTACK : alt.flags },
        stackTop: top,
        onAltStack: switchStack,
        handler: act.handler,
        restorer: (act.flags & SA_RESTORER) !== 0 ? act.restorer : 0,
        faultAddress: info.addr ?? 0,
      },
      (addr, bytes) => t.proc.mem.user.write(addr, bytes),
    );
  } catch (e) {
    if (!(e instanceof UserFault)) throw e;
    frame = null;
  }
  if (frame === null) {
    sys.faultDetail.set(t, `cannot deliver signal ${info.signo}: no room for its frame below 0x${top.toString(16)}, or no SA_RESTORER`);
    sys.killBySignal(t.proc, 11, t);
    return false;
  }
  let next = t.sigmask.union(act.mask);
  if ((act.flags & SA_NODEFER) === 0) next.add(info.signo);
  next = next.blockable();
  t.sigmask = next;
  if ((act.flags & SA_RESETHAND) !== 0) t.proc.handlers.set(info.signo, { ...act, handler: SIG_DFL });
  return true;
}
