// fadvise64: access-pattern advice. The page cache here is the file itself,
// so no advice changes what a read returns or costs; the call checks its
// arguments as Linux does and succeeds. POSIX_FADV_DONTNEED drops the range
// from the residency mincore reports (page-cache.ts).

import { EBADF, EINVAL, ESPIPE } from './errno';
import type { Syscall } from './syscall-context';
import { ProcOpenFile } from './proc-fs';
import { RegularFile } from '../vfs/open-file';
import { dropCached } from './page-cache';

const POSIX_FADV_DONTNEED = 4;
const PAGE_SIZE = 4096;
/** POSIX_FADV_NORMAL (0) to POSIX_FADV_NOREUSE (5). */
const LAST_ADVICE = 5;

export const fadvise64: Syscall = (c) => {
  const f = c.p.fds.get(c.int(0));
  if (!f || f.pathOnly) return -EBADF;
  if (!f.seekable()) return -ESPIPE;
  const advice = c.int(3);
  if (advice < 0 || advice > LAST_ADVICE || c.a[2] >= 2 ** 63) return -EINVAL;
  if (advice === POSIX_FADV_DONTNEED) {
    // Whole pages of the range leave the page cache that mincore reports.
    const first = Math.ceil(c.a[1] / PAGE_SIZE);
    const end = c.a[2] === 0 ? Infinity : Math.floor((c.a[1] + c.a[2]) / PAGE_SIZE);
    if (end > first) dropCached(c.sys, f.attrs().ino, first, end - first);
  }
  return 0;
};

/**
 * readahead: the same nothing-to-do for a regular file open for reading
 * (EBADF for a descriptor that cannot read; EINVAL for anything without a
 * page cache: directories, pipes, sockets, devices, anonymous inodes).
 */
export const readahead: Syscall = (c) => {
  const f = c.p.fds.get(c.int(0));
  if (!f || !f.readable) return -EBADF;
  return f instanceof RegularFile || f instanceof ProcOpenFile ? 0 : -EINVAL;
};
