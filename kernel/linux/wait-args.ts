// Arguments every waiting call shares: a checked timeout, a temporary signal
// mask for the wait, and a retry that answers EFAULT (not a host exception)
// when it writes its result to a bad user address after the thread blocked.

import { UserFault } from '../process/user-memory';
import { BLOCKED } from '../sched/thread';
import { EFAULT, EINVAL } from './errno';
import { SigSet } from './sigset';
import type { Call } from './syscall-context';

const TWO32 = 4294967296;

/** A struct timespec as ms: null for a NULL pointer, -EINVAL when negative or nsec out of range. */
export function readTimespec(c: Call, addr: number): number | null {
  if (addr === 0) return null;
  const v = new DataView(c.user.read(addr, 16).buffer);
  const sec = v.getInt32(4, true) * TWO32 + v.getUint32(0, true);
  const nsecHi = v.getInt32(12, true);
  const nsec = v.getUint32(8, true);
  if (sec < 0 || nsecHi !== 0 || nsec >= 1e9) return -EINVAL;
  return sec * 1000 + nsec / 1e6;
}

/** A struct timeval as ms: null for NULL, -EINVAL when negative or usec out of range. */
export function readTimeval(c: Call, addr: number): number | null {
  if (addr === 0) return null;
  const v = new DataView(c.user.read(addr, 16).buffer);
  const sec = v.getInt32(4, true) * TWO32 + v.getUint32(0, true);
  const usecHi = v.getInt32(12, true);
  const usec = v.getUint32(8, true);
  if (sec < 0 || usecHi !== 0 || usec >= 1e6) return -EINVAL;
  return sec * 1000 + usec / 1000;
}

/**
 * Swaps in a temporary signal mask for the wait, restored when the thread
 * next returns to user mode; -EINVAL when the set's size is not 8.
 */
export function waitMask(c: Call, addr: number, size: number): number {
  if (addr === 0) return 0;
  if (size !== 8) return -EINVAL;
  const mask = SigSet.fromBytes(c.user.read(addr, 8)).blockable();
  c.t.savedMask = c.t.sigmask;
  c.t.sigmask = mask;
  return 0;
}

/** A retry that turns a fault on user memory into -EFAULT: it may run from the scheduler, outside the syscall's handler. */
export function faultSafe(retry: () => number | typeof BLOCKED): () => number | typeof BLOCKED {
  return () => {
    try {
      return retry();
    } catch (e) {
      if (!(e instanceof UserFault)) throw e;
      return -EFAULT;
    }
  };
}
