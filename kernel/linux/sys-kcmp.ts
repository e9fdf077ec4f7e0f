// kcmp(pid1, pid2, type, idx1, idx2): do two processes share a kernel
// object (an open file description, the address space, the descriptor
// table, signal handlers...)? 0 when they do, else 1 or 2 by an order of
// the objects that says nothing about where they live (Linux orders
// obfuscated pointers; salty gives each object a random key).

import { EBADF, EINVAL, EOPNOTSUPP, EPERM, ESRCH } from './errno';
import type { LinuxProcess } from './linux-process';
import type { LinuxThread } from './linux-thread';
import { ptraceMayAccess } from './ptrace-access';
import type { Call, Syscall } from './syscall-context';

const KCMP_FILE = 0;
const KCMP_VM = 1;
const KCMP_FILES = 2;
const KCMP_FS = 3;
const KCMP_SIGHAND = 4;
const KCMP_IO = 5;
const KCMP_SYSVSEM = 6;
const KCMP_EPOLL_TFD = 7;

const keys = new WeakMap<object, number>();

function keyOf(o: object): number {
  let k = keys.get(o);
  if (k === undefined) {
    k = Math.random();
    keys.set(o, k);
  }
  return k;
}

/** kcmp_ptr: 0 for the same object, else 1 or 2 as the first's key is below or above the second's. */
function order(a: object, b: object): number {
  if (a === b) return 0;
  return keyOf(a) < keyOf(b) ? 1 : 2;
}

/** The object of one kind a thread uses. The working directory is never shared here (clone copies it); I/O contexts are per thread. */
function objectOf(t: LinuxThread, type: number): object {
  const p: LinuxProcess = t.proc;
  switch (type) {
    case KCMP_VM:
      return p.mem;
    case KCMP_FILES:
      return p.fds;
    case KCMP_SIGHAND:
      return p.handlers;
    case KCMP_FS:
    case KCMP_SYSVSEM:
      return p;
    default:
      return t;
  }
}

const kcmp: Syscall = (c) => {
  const [pid1, pid2, type] = [c.int(0), c.int(1), c.int(2)];
  const t1 = c.sys.threads.get(pid1);
  const t2 = c.sys.threads.get(pid2);
  if (!t1 || !t2) return -ESRCH;
  if (!ptraceMayAccess(c.p, t1.proc) || !ptraceMayAccess(c.p, t2.proc)) return -EPERM;
  switch (type) {
    case KCMP_FILE: {
      const f1 = c.a[3] < 2 ** 31 ? t1.proc.fds.get(c.a[3]) : undefined;
      const f2 = c.a[4] < 2 ** 31 ? t2.proc.fds.get(c.a[4]) : undefined;
      return f1 && f2 ? order(f1, f2) : -EBADF;
    }
    case KCMP_VM:
    case KCMP_FILES:
    case KCMP_FS:
    case KCMP_SIGHAND:
    case KCMP_IO:
    case KCMP_SYSVSEM:
      return order(objectOf(t1, type), objectOf(t2, type));
    // Comparing a file an epoll instance watches is not implemented.
    case KCMP_EPOLL_TFD:
      return -EOPNOTSUPP;
    default:
      return -EINVAL;
  }
};

// Rows of syscall-table.ts name these handlers.
export { kcmp };
