// sched_setaffinity and sched_getaffinity on salty's one CPU: every
// thread's mask is {CPU 0}; a new mask must include it (EINVAL otherwise)
// and is then {CPU 0} again. Linux's checks and their order
// (kernel/sched/core.c): the mask's copy (EFAULT), the pid (ESRCH), the
// owner or CAP_SYS_NICE (EPERM), then the CPUs.

import { EFAULT, EINVAL, EPERM, ESRCH } from './errno';
import { isInit } from './init-process';
import type { Credentials } from './credentials';
import type { Call, Syscall } from './syscall-context';

const NR_CPU_IDS = 1;
/** cpumask_size(): the mask in whole longs. */
const CPUMASK_SIZE = 8 * Math.ceil(NR_CPU_IDS / 64);
const CAP_SYS_NICE = 23;

/** The owner of the thread (or stand-in init) pid names; undefined when there is none. */
function ownerOf(c: Call, pid: number): Credentials | 'init' | undefined {
  const t = pid === 0 ? c.t : c.sys.threads.get(pid);
  if (t) return t.proc.creds;
  return isInit(c.sys, pid) ? 'init' : undefined;
}

const schedSetaffinity: Syscall = (c) => {
  const [pid, len, addr] = [c.int(0), c.a[1], c.a[2]];
  // A shorter mask is taken as empty, a longer one is read up to cpumask_size().
  let mask: Uint8Array = new Uint8Array(CPUMASK_SIZE);
  if (len >= CPUMASK_SIZE || len < 0) {
    try {
      mask = c.user.read(addr, CPUMASK_SIZE);
    } catch {
      return -EFAULT;
    }
  }
  const owner = ownerOf(c, pid);
  if (!owner) return -ESRCH;
  const creds = owner === 'init' ? { uid: 0, euid: 0 } : owner;
  const mine = c.p.creds.euid === creds.euid || c.p.creds.euid === creds.uid;
  if (!mine && !c.p.creds.capable(CAP_SYS_NICE)) return -EPERM;
  // Bits 0..NR_CPU_IDS-1 are the CPUs that exist.
  return (mask[0] & ((1 << NR_CPU_IDS) - 1)) !== 0 ? 0 : -EINVAL;
};

const schedGetaffinity: Syscall = (c) => {
  const [pid, len, addr] = [c.int(0), c.a[1], c.a[2]];
  if (len < 0 || len * 8 < NR_CPU_IDS || len % 8 !== 0) return -EINVAL;
  if (!ownerOf(c, pid)) return -ESRCH;
  const out = new Uint8Array(Math.min(len, CPUMASK_SIZE));
  out[0] = (1 << NR_CPU_IDS) - 1;
  try {
    c.user.write(addr, out);
  } catch {
    return -EFAULT;
  }
  return out.length;
};

// Rows of syscall-table.ts name these handlers.
export { schedSetaffinity, schedGetaffinity };
