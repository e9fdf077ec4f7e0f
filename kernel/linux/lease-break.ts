// Breaking leases: an open (or truncate) that conflicts with another
// description's lease signals the lease holder (SIGIO, or its F_SETSIG
// signal) and waits until the holder gives the lease up or downgrades it, or
// until /proc/sys/fs/lease-break-time seconds pass and the kernel does it.
// A non-blocking open answers EWOULDBLOCK after starting the break.

import { BLOCKED } from '../sched/thread';
import { leasesOn, setLease } from '../vfs/file-locks';
import type { OpenFile } from '../vfs/open-file';
import { signalLeaseHolder } from './async-io';
import { EAGAIN, EINVAL } from './errno';
import type { ProcEntry } from './proc-fs';
import type { Call, SyscallResult } from './syscall-context';

const F_RDLCK = 0;
const F_WRLCK = 1;
const F_UNLCK = 2;

/** /proc/sys/fs/lease-break-time, in seconds (Linux's default). */
let leaseBreakTime = 45;

/** Lease holders told to break, and what their lease is becoming (F_GETLEASE reports that). */
const breaking = new WeakMap<object, { ino: number; forWrite: boolean }>();

/** F_GETLEASE during a break: the type the lease is being broken to; null when none is under way. */
export function breakTarget(holder: object): number | null {
  const b = breaking.get(holder);
  if (!b) return null;
  if (!conflicting(b.ino, b.forWrite).some((l) => l.owner === holder)) {
    breaking.delete(holder);
    return null;
  }
  return b.forWrite ? F_UNLCK : F_RDLCK;
}

/** Inodes with a break under way, by the opener's need: true when it opens for writing (or truncates). */
const pending = new Map<number, number>();

/** A writer waits for a lease of this inode to break (a read lease cannot be taken then). */
export function writeBreakPending(ino: number): boolean {
  return (pending.get(ino) ?? 0) > 0;
}

/** The leases a new opener conflicts with: any for a writer, write leases for a reader. */
function conflicting(ino: number, forWrite: boolean): { owner: object; type: number }[] {
  return leasesOn(ino).filter((l) => (forWrite ? l.type !== F_UNLCK : l.type === F_WRLCK));
}

/**
 * Runs then() once no lease of ino conflicts with an opener (forWrite: one
 * that writes), breaking them first; null when nothing conflicted and then()
 * can run now.
 */
export function afterLeaseBreak(c: Call, ino: number, forWrite: boolean, nonblocking: boolean, then: () => number): SyscallResult | null {
  const first = conflicting(ino, forWrite);
  if (first.length === 0) return null;
  for (const l of first) {
    breaking.set(l.owner, { ino, forWrite });
    signalLeaseHolder(c.sys, l.owner as OpenFile);
  }
  if (nonblocking) return -EAGAIN;
  const deadline = c.sys.now() + leaseBreakTime * 1000;
  if (forWrite) pending.set(ino, (pending.get(ino) ?? 0) + 1);
  const done = (): void => {
    if (forWrite) pending.set(ino, (pending.get(ino) ?? 1) - 1);
  };
  return c.block(
    () => {
      const left = conflicting(ino, forWrite);
      if (left.length > 0 && c.sys.now() < deadline) return BLOCKED;
      // Time is up: the kernel breaks what is left itself.
      for (const l of left) setLease(ino, l.owner, forWrite ? F_UNLCK : F_RDLCK);
      done();
      return then();
    },
    { deadline, cancel: done },
  );
}

export const leaseBreakTimeFile = (): ProcEntry => ({
  kind: 'file',
  perm: 0o644,
  source: {
    sysctl: true,
    read: () => `${leaseBreakTime}\n`,
    write: (text) => {
      const m = /^\s*(-?\d+)\s*$/.exec(text);
      if (!m) return -EINVAL;
      leaseBreakTime = Number(m[1]);
      return text.length;
    },
  },
});

export { F_RDLCK };
