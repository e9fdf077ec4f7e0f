// getrlimit, setrlimit, prlimit64 with Linux's checks (do_prlimit); the
// limits themselves live in resource-limits.ts.

import { EFAULT, EINVAL, EPERM, ESRCH } from './errno';
import type { LinuxProcess } from './linux-process';
import { INF, limitsOf, NR_OPEN, RLIM_NLIMITS, RLIMIT_NOFILE, type Limit } from './resource-limits';
import type { Call, Syscall } from './syscall-context';

const TWO32 = 4294967296;

function encode(l: Limit): Uint8Array {
  const out = new Uint8Array(16);
  const v = new DataView(out.buffer);
  l.forEach((x, i) => {
    v.setUint32(8 * i, x === INF ? 0xffffffff : x % TWO32 >>> 0, true);
    v.setUint32(8 * i + 4, x === INF ? 0xffffffff : Math.floor(x / TWO32) >>> 0, true);
  });
  return out;
}

function decode(b: Uint8Array): Limit {
  const v = new DataView(b.buffer, b.byteOffset);
  const u64 = (at: number): number => {
    const lo = v.getUint32(at, true);
    const hi = v.getUint32(at + 4, true);
    return hi === 0xffffffff && lo === 0xffffffff ? INF : hi * TWO32 + lo;
  };
  return [u64(0), u64(8)];
}

/** Linux's checks of a new limit, then the change (do_prlimit). */
function setLimit(c: Call, p: LinuxProcess, resource: number, next: Limit): number {
  if (next[0] > next[1]) return -EINVAL;
  if (resource === RLIMIT_NOFILE && next[1] > NR_OPEN) return -EPERM;
  const l = limitsOf(p);
  if (next[1] > l[resource][1] && !privileged(c)) return -EPERM;
  l[resource] = next;
  if (resource === RLIMIT_NOFILE) p.fds.limit = Math.min(next[0], NR_OPEN);
  return 0;
}

/** CAP_SYS_RESOURCE: the caller's effective uid is root (credentials, when the process has them). */
function privileged(c: Call): boolean {
  const creds = (c.p as { creds?: { euid?: number; capable?: (cap: number) => boolean } }).creds;
  if (creds?.capable) return creds.capable(24);
  return creds?.euid === undefined || creds.euid === 0;
}

const prlimit64: Syscall = (c) => {
  const pid = c.int(0);
  const resource = c.u32(1);
  if (resource >= RLIM_NLIMITS) return -EINVAL;
  const p = pid === 0 ? c.p : c.sys.processes.get(pid);
  if (!p || p.isZombie) return -ESRCH;
  const next = c.a[2] !== 0 ? decode(c.user.read(c.a[2], 16)) : undefined;
  const old = encode(limitsOf(p)[resource]);
  if (next) {
    const r = setLimit(c, p, resource, next);
    if (r < 0) return r;
  }
  if (c.a[3] !== 0) c.user.write(c.a[3], old);
  return 0;
};

const getrlimit: Syscall = (c) => {
  const resource = c.u32(0);
  if (resource >= RLIM_NLIMITS) return -EINVAL;
  c.user.write(c.a[1], encode(limitsOf(c.p)[resource]));
  return 0;
};

const setrlimit: Syscall = (c) => {
  const resource = c.u32(0);
  if (resource >= RLIM_NLIMITS) return -EINVAL;
  if (c.a[1] === 0) return -EFAULT;
  return setLimit(c, c.p, resource, decode(c.user.read(c.a[1], 16)));
};

// Rows of syscall-table.ts name these handlers.
export { prlimit64, getrlimit, setrlimit };
