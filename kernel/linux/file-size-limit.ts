// RLIMIT_FSIZE: a write that would start at or past the limit, or a
// truncate that would grow a file past it, sends SIGXFSZ and answers EFBIG;
// a write that crosses it is cut short there (Linux's
// generic_write_check_limits and inode_newsize_ok).

import { limitsOf } from './resource-limits';
import { sendToThread } from './signal-delivery';
import { EFBIG } from './errno';
import type { Call } from './syscall-context';

const RLIMIT_FSIZE = 1;
const SIGXFSZ = 25;

function refuse(c: Call): number {
  sendToThread(c.sys, c.t, { signo: SIGXFSZ, code: 0, pid: c.p.pid, uid: 0 });
  return -EFBIG;
}

/** How many of count bytes a write at pos may move (a negative errno when none may). */
export function writableCount(c: Call, pos: number, count: number): number {
  const limit = limitsOf(c.p)[RLIMIT_FSIZE][0];
  if (!Number.isFinite(limit) || count === 0) return count;
  if (pos >= limit) return refuse(c);
  return Math.min(count, limit - pos);
}

/** 0 when a file of size may grow to length, else -EFBIG (with SIGXFSZ). */
export function growthAllowed(c: Call, size: number, length: number): number {
  const limit = limitsOf(c.p)[RLIMIT_FSIZE][0];
  return length > size && Number.isFinite(limit) && length > limit ? refuse(c) : 0;
}
