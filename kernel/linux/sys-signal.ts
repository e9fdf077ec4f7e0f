// Signal calls: rt_sigaction, rt_sigprocmask, rt_sigreturn, sigaltstack,
// kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo, rt_sigpending,
// rt_sigsuspend.

import { UserFault } from '../process/user-memory';
import { BLOCKED } from '../sched/thread';
import { INIT_CREDS, isInit } from './init-process';
import { EAGAIN, EINVAL, ENOMEM, EPERM, ESRCH } from './errno';
import type { LinuxProcess } from './linux-process';
import { SS_DISABLE, SS_ONSTACK } from './linux-thread';
import { sendToProcess, sendToThread } from './signal-delivery';
import { NSIG, SI_TKILL, SI_USER, type SigInfo } from './signal-state';
import { SigSet } from './sigset';
import { encodeU64s, NO_RESULT, type Call, type Syscall } from './syscall-context';
import { sigqueueRefused } from './signal-charges';

const SIG_BLOCK = 0;
const SIG_UNBLOCK = 1;
const SIG_SETMASK = 2;
const MINSIGSTKSZ = 5120;

const validSignal = (s: number): boolean => s >= 1 && s <= NSIG;

const rtSigaction: Syscall = (c) => {
  const sig = c.int(0);
  if (!validSignal(sig) || c.a[3] !== 8) return -EINVAL;
  const act = c.p.handlers.actions[sig];
  if (c.a[2] !== 0) {
    const out = new Uint8Array([...encodeU64s([act.handler, 0, act.restorer]), ...act.mask.toBytes()]);
    const v = new DataView(out.buffer);
    v.setUint32(8, act.flags >>> 0, true);
    v.setUint32(12, act.flagsHigh ?? 0, true);
    c.user.write(c.a[2], out);
  }
  if (c.a[1] !== 0) {
    if (sig === 9 || sig === 19) return -EINVAL;
    const [handler, , restorer] = c.words(c.a[1], 3);
    // Read sa_flags as two halves: a 64-bit value with its high bits set is not exact as a number.
    const f = new DataView(c.user.read(c.a[1] + 8, 8).buffer);
    const mask = SigSet.fromBytes(c.user.read(c.a[1] + 24, 8)).blockable();
    c.p.handlers.set(sig, { handler, flags: f.getUint32(0, true), flagsHigh: f.getUint32(4, true), restorer, mask });
    if (c.p.handlers.ignores(sig)) {
      c.p.pending.discard(sig);
      for (const t of c.p.threads) t.pending.discard(sig);
    }
  }
  return 0;
};

const rtSigprocmask: Syscall = (c) => {
  const how = c.int(0);
  if (c.a[3] !== 8) return -EINVAL;
  const old = c.t.sigmask;
  if (c.a[1] !== 0) {
    const set = SigSet.fromBytes(c.user.read(c.a[1], 8));
    if (how === SIG_BLOCK) c.t.sigmask = old.union(set).blockable();
    else if (how === SIG_UNBLOCK) c.t.sigmask = old.minus(set);
    else if (how === SIG_SETMASK) c.t.sigmask = set.blockable();
    else return -EINVAL;
  }
  if (c.a[2] !== 0) c.user.write(c.a[2], old.toBytes());
  return 0;
};

const rtSigreturn: Syscall = (c) => {
  const ctx = c.t.ctx;
  const frame = ctx.sp;
  let mask: { lo: number; hi: number } | null;
  try {
    mask = c.sys.kernel.machine.signals.sigreturn(ctx, (addr, len) => c.user.read(addr, len));
  } catch (e) {
    if (!(e instanceof UserFault)) throw e;
    mask = null;
  }
  if (!mask) {
    c.sys.faultDetail.set(c.t, `bad signal frame at 0x${frame.toString(16)}`);
    c.sys.killBySignal(c.p, 11, c.t);
    return NO_RESULT;
  }
  c.t.sigmask = new SigSet(mask.lo, mask.hi).blockable();
  return NO_RESULT;
};

const sigaltstack: Syscall = (c) => {
  const t = c.t;
  const onStack = t.onAltStack(t.ctx.sp);
  if (c.a[1] !== 0) {
    const b = new Uint8Array(24);
    b.set(encodeU64s([t.altStack.sp]), 0);
    new DataView(b.buffer).setInt32(8, onStack ? SS_ONSTACK : t.altStack.flags, true);
    b.set(encodeU64s([t.altStack.size]), 16);
    c.user.write(c.a[1], b);
  }
  if (c.a[0] !== 0) {
    if (onStack) return -EPERM;
    const [sp, flagsWord, size] = c.words(c.a[0], 3);
    const flags = flagsWord % 4294967296 >>> 0;
    if ((flags & ~(SS_DISABLE | 0x80000000)) !== 0) return -EINVAL;
    if ((flags & SS_DISABLE) !== 0) t.altStack = { sp: 0, size: 0, flags: SS_DISABLE };
    else if (size < MINSIGSTKSZ) return -ENOMEM;
    else t.altStack = { sp, size, flags: 0 };
  }
  return 0;
};

/**
 * The processes kill's pid names. Zombies count (signalling one succeeds
 * and does nothing, as under Linux); a positive pid may be any thread's id.
 */
function targets(c: Call, pid: number): LinuxProcess[] {
  const all = [...c.sys.processes.values()];
  if (pid > 0) {
    const p = c.sys.threads.get(pid)?.proc ?? c.sys.processes.get(pid);
    return p ? [p] : [];
  }
  if (pid === INT_MIN) return [];
  if (pid === 0) return all.filter((p) => p.pgid === c.p.pgid);
  if (pid === -1) return all.filter((p) => p !== c.p && p.pid !== 1);
  return all.filter((p) => p.pgid === -pid);
}

const kill: Syscall = (c) => {
  const sig = c.int(1);
  if (sig < 0 || sig > NSIG) return -EINVAL;
  const list = targets(c, c.int(0));
  // PID 1 ignores every signal (init-process.ts): only the permission is checked.
  if (isInit(c.sys, c.int(0))) return c.p.creds.maySignal(INIT_CREDS) ? 0 : -EPERM;
  if (list.length === 0) return -ESRCH;
  // SIGCONT may go to any process of the caller's session; otherwise the ids must match or CAP_KILL.
  const allowed = list.filter((p) => c.p.creds.maySignal(p.creds) || (sig === 18 && p.sid === c.p.sid));
  if (allowed.length === 0) return -EPERM;
  if (sig !== 0) for (const p of allowed) sendToProcess(c.sys, p, { signo: sig, code: SI_USER, pid: c.p.pid, uid: c.p.creds.uid });
  return 0;
};

function killThread(c: Call, tgid: number, tid: number, sig: number): number {
  if (sig < 0 || sig > NSIG || tid <= 0) return -EINVAL;
  const t = c.sys.threads.get(tid);
  if (!t || (tgid > 0 && t.proc.pid !== tgid)) return -ESRCH;
  if (!c.p.creds.maySignal(t.proc.creds) && !(sig === 18 && t.proc.sid === c.p.sid)) return -EPERM;
  if (sig !== 0) sendToThread(c.sys, t, { signo: sig, code: SI_TKILL, pid: c.p.pid, uid: c.p.creds.uid });
  return 0;
}

const INT_MIN = -2147483648;

/**
 * A realtime signal sent by tkill/tgkill/sigqueue needs a queue entry: with
 * the user's queued signals at the target's RLIMIT_SIGPENDING, none is
 * given (EAGAIN). kill's SI_USER signals are exempt, as under Linux.
 */
export function queueFull(c: Call, target: LinuxProcess, sig: number): boolean {
  return sigqueueRefused(c.sys, target, sig);
}

function sendToThreadChecked(c: Call, tgid: number, tid: number, sig: number): number {
  const t = c.sys.threads.get(tid);
  if (t && (tgid <= 0 || t.proc.pid === tgid) && sig > 0 && sig <= NSIG && queueFull(c, t.proc, sig)) return -EAGAIN;
  return killThread(c, tgid, tid, sig);
}

const tkill: Syscall = (c) => (c.int(0) <= 0 ? -EINVAL : sendToThreadChecked(c, -1, c.int(0), c.int(1)));
const tgkill: Syscall = (c) => (c.int(0) <= 0 || c.int(1) <= 0 ? -EINVAL : sendToThreadChecked(c, c.int(0), c.int(1), c.int(2)));

const SI_QUEUE = -1;

/** The caller-made siginfo of rt_sigqueueinfo: code, pid, uid and the value it carries (si_signo is the call's). */
export function queuedInfo(c: Call, sig: number, addr: number): SigInfo {
  const v = new DataView(c.user.read(addr, 32).buffer);
  const value = v.getUint32(28, true) * 4294967296 + v.getUint32(24, true);
  return { signo: sig, code: v.getInt32(8, true), pid: v.getInt32(16, true), uid: v.getInt32(20, true), value };
}

/** Another process may not forge what the kernel or kill/tkill would send. */
function forged(c: Call, info: SigInfo, pid: number): boolean {
  return (info.code >= 0 || info.code === SI_TKILL) && pid !== c.p.pid;
}

/** rt_sigqueueinfo(tgid, sig, info): sigqueue(3) with its SI_QUEUE value, to a process. */
export const rtSigqueueinfo: Syscall = (c) => {
  const sig = c.int(1);
  if (sig < 0 || sig > NSIG) return -EINVAL;
  const info = queuedInfo(c, sig, c.a[2]);
  const pid = c.int(0);
  if (forged(c, info, pid)) return -EPERM;
  const p = c.sys.threads.get(pid)?.proc ?? c.sys.processes.get(pid);
  if (!p) return -ESRCH;
  if (sig !== 0 && queueFull(c, p, sig)) return -EAGAIN;
  if (sig !== 0) sendToProcess(c.sys, p, info);
  return 0;
};

/** rt_tgsigqueueinfo(tgid, tid, sig, info): the same, to one thread. */
export const rtTgsigqueueinfo: Syscall = (c) => {
  const tgid = c.int(0);
  const sig = c.int(2);
  if (sig < 0 || sig > NSIG || tgid <= 0 || c.int(1) <= 0) return -EINVAL;
  const info = queuedInfo(c, sig, c.a[3]);
  if (forged(c, info, tgid)) return -EPERM;
  const t = c.sys.threads.get(c.int(1));
  if (!t || t.proc.pid !== tgid || t.state === 'dead') return -ESRCH;
  if (sig !== 0 && queueFull(c, t.proc, sig)) return -EAGAIN;
  if (sig !== 0) sendToThread(c.sys, t, info);
  return 0;
};

const rtSigpending: Syscall = (c) => {
  const set = c.t.pending.set.union(c.p.pending.set);
  c.user.write(c.a[0], new Uint8Array(set.toBytes().subarray(0, Math.min(8, c.a[1]))));
  return 0;
};

const rtSigsuspend: Syscall = (c) => {
  if (c.a[1] !== 8) return -EINVAL;
  c.t.savedMask = c.t.sigmask;
  c.t.sigmask = SigSet.fromBytes(c.user.read(c.a[0], 8)).blockable();
  return c.block(() => BLOCKED, { interruptResult: -4 });
};

// Rows of syscall-table.ts name these handlers.
export { rtSigaction, rtSigprocmask, rtSigreturn, sigaltstack, kill, tkill, tgkill, rtSigpending, rtSigsuspend };
