// close_range: close (or mark close-on-exec) every descriptor in a range,
// after unsharing the table when asked (CLOSE_RANGE_UNSHARE).

import { FD_LIMIT } from '../vfs/fd-table';
import { EINVAL } from './errno';
import type { Syscall } from './syscall-context';

const CLOSE_RANGE_UNSHARE = 2;
const CLOSE_RANGE_CLOEXEC = 4;

export const closeRange: Syscall = (c) => {
  // Three unsigned ints: a negative register is a large descriptor number, never a loop from below zero.
  const first = c.u32(0);
  const last = c.u32(1);
  const flags = c.u32(2);
  if ((flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) !== 0 || first > last) return -EINVAL;
  const p = c.p;
  if ((flags & CLOSE_RANGE_UNSHARE) !== 0 && p.fds.users > 1) {
    p.fds.users--;
    p.fds = p.fds.copy();
  }
  for (let fd = first; fd <= Math.min(last, FD_LIMIT - 1); fd++) {
    if ((flags & CLOSE_RANGE_CLOEXEC) !== 0) p.fds.setCloexec(fd, true);
    else p.fds.close(fd);
  }
  return 0;
};
