// Signal-driven I/O: the owner a descriptor's SIGIO goes to (F_SETOWN,
// F_SETOWN_EX: a thread, a process or a process group), the signal itself
// (F_SETSIG), and its sending when input arrives on a file with O_ASYNC set.

import type { OpenFile } from '../vfs/open-file';
import { EFAULT, EINVAL, ESRCH } from './errno';
import type { LinuxSystem } from './linux-system';
import { sendToProcess, sendToThread } from './signal-delivery';
import type { SigInfo } from './signal-state';
import type { Call, SyscallResult } from './syscall-context';

export const O_ASYNC = 0o20000;
const F_SETOWN = 8;
const F_GETOWN = 9;
const F_SETSIG = 10;
const F_GETSIG = 11;
const F_SETOWN_EX = 15;
const F_GETOWN_EX = 16;
const F_OWNER_TID = 0;
const F_OWNER_PID = 1;
const F_OWNER_PGRP = 2;
const SIGIO = 29;
const POLL_IN = 1;
const SIGRTMAX = 64;

interface Owner {
  type: number;
  pid: number;
}

interface AsyncState {
  owner: Owner;
  sig: number;
  /** The file's input count when its owner was last signalled. */
  seen: number;
}

const states = new WeakMap<OpenFile, AsyncState>();
/** Files with O_ASYNC set: the ones a write may have to signal for. */
const armed = new Set<OpenFile>();

function stateOf(f: OpenFile): AsyncState {
  let s = states.get(f);
  // No owner yet reads as type F_OWNER_TID, pid 0 (Linux's zeroed f_owner).
  if (!s) states.set(f, (s = { owner: { type: F_OWNER_TID, pid: 0 }, sig: 0, seen: f.edgeCount('in') }));
  return s;
}

/** The fcntl owner and signal commands (null: not one of them). */
export function ownerCommand(c: Call, f: OpenFile, cmd: number): SyscallResult | null {
  switch (cmd) {
    case F_SETOWN: {
      const pid = c.int(2);
      stateOf(f).owner = pid < 0 ? { type: F_OWNER_PGRP, pid: -pid } : { type: F_OWNER_PID, pid };
      return 0;
    }
    case F_GETOWN: {
      const o = stateOf(f).owner;
      return o.type === F_OWNER_PGRP ? -o.pid : o.pid;
    }
    case F_SETOWN_EX:
      return setOwnerEx(c, f);
    case F_GETOWN_EX: {
      const o = stateOf(f).owner;
      const b = new Uint8Array(8);
      const v = new DataView(b.buffer);
      v.setInt32(0, o.type, true);
      v.setInt32(4, o.pid, true);
      c.user.write(c.a[2], b);
      return 0;
    }
    case F_SETSIG: {
      const sig = c.a[2];
      if (sig < 0 || sig > SIGRTMAX) return -EINVAL;
      stateOf(f).sig = sig;
      return 0;
    }
    case F_GETSIG:
      return stateOf(f).sig;
    default:
      return null;
  }
}

function setOwnerEx(c: Call, f: OpenFile): number {
  if (!c.user.accessOk(c.a[2], 8)) return -EFAULT;
  const v = new DataView(c.user.read(c.a[2], 8).buffer);
  const type = v.getInt32(0, true);
  const pid = v.getInt32(4, true);
  if (type !== F_OWNER_TID && type !== F_OWNER_PID && type !== F_OWNER_PGRP) return -EINVAL;
  if (pid !== 0 && !ownerExists(c.sys, type, pid)) return -ESRCH;
  stateOf(f).owner = { type, pid };
  return 0;
}

function ownerExists(sys: LinuxSystem, type: number, pid: number): boolean {
  if (type === F_OWNER_TID) return sys.threads.has(pid);
  if (type === F_OWNER_PID) return sys.processes.has(pid);
  return [...sys.processes.values()].some((p) => p.pgid === pid);
}

/** A lease holder's file: its owner (the lease setter unless F_SETOWN said otherwise) gets its signal (SIGIO by default). */
export function signalLeaseHolder(sys: LinuxSystem, f: OpenFile): void {
  const s = stateOf(f);
  if (s.owner.pid !== 0) send(sys, s);
}

/** F_SETLEASE makes the caller the owner when none was set. */
export function ownLease(f: OpenFile, pid: number): void {
  const s = stateOf(f);
  if (s.owner.pid === 0) s.owner = { type: F_OWNER_PID, pid };
}

/** F_SETFL changed O_ASYNC on f. */
export function setAsync(f: OpenFile, on: boolean): void {
  if (on) {
    stateOf(f).seen = f.edgeCount('in');
    armed.add(f);
  } else {
    armed.delete(f);
  }
}

/** After data moved: signal the owners of O_ASYNC files whose input grew. */
export function signalAsyncInput(sys: LinuxSystem): void {
  for (const f of armed) {
    if (!f.isOpen) {
      armed.delete(f);
      continue;
    }
    const s = stateOf(f);
    const now = f.edgeCount('in');
    if (now === s.seen) continue;
    s.seen = now;
    if (s.owner.pid !== 0) send(sys, s);
  }
}

/** POLLIN|POLLRDNORM|POLLMSG, the band of a POLL_MSG signal (Linux's band_table). */
const POLL_MSG_BAND = 0x441;

/** Signal f's owner, with si_fd fd, for reason POLL_MSG (dnotify.ts); nothing when f has no owner. */
export function signalFileOwner(sys: LinuxSystem, f: OpenFile, fd: number, reason: number): void {
  const s = stateOf(f);
  if (s.owner.pid === 0) return;
  send(sys, s, s.sig === 0 ? undefined : { signo: s.sig, code: reason, band: POLL_MSG_BAND, fd });
}

function send(sys: LinuxSystem, s: AsyncState, withFd?: SigInfo): void {
  const info: SigInfo = s.sig === 0 ? { signo: SIGIO, code: 0x80 } : withFd ?? { signo: s.sig, code: POLL_IN };
  const { type, pid } = s.owner;
  if (type === F_OWNER_TID) {
    const t = sys.threads.get(pid);
    if (t) sendToThread(sys, t, info);
  } else if (type === F_OWNER_PID) {
    const p = sys.processes.get(pid);
    if (p) sendToProcess(sys, p, info);
  } else {
    for (const p of sys.processes.values()) if (p.pgid === pid) sendToProcess(sys, p, info);
  }
}
