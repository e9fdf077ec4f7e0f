// Positioned vectored I/O: preadv, pwritev and their flagged twins preadv2,
// pwritev2 (offset -1 there means the file's own offset, as readv/writev).

import { ESPIPE, EINVAL, EBADF } from './errno';
import { fileOf, gather, iovecs, readVector, writeFrom } from './sys-io';
import type { Call, Syscall, SyscallResult } from './syscall-context';

const EOPNOTSUPP = 95;
/** RWF_HIPRI, RWF_DSYNC, RWF_SYNC, RWF_NOWAIT, RWF_APPEND, RWF_NOAPPEND, RWF_ATOMIC, RWF_DONTCACHE: every flag Linux 6.18 knows. */
const RWF_KNOWN = 0xff;
const RWF_APPEND = 0x10;

type Direction = 'read' | 'write';

/**
 * Linux's order: a negative offset, the descriptor, a file without pread
 * (a pipe: ESPIPE), the access mode, the iovec array, then the flags.
 */
function vectored(c: Call, dir: Direction, pos: number | null, flags: number): SyscallResult {
  if (pos !== null && pos < 0) return -EINVAL;
  const f = fileOf(c, 0);
  if (!f) return -EBADF;
  if (pos !== null && !f.seekable()) return -ESPIPE;
  if (dir === 'read' ? !f.readable : !f.writable) return -EBADF;
  const iov = iovecs(c, c.a[1], c.a[2]);
  if (typeof iov === 'number') return iov;
  if ((flags & ~RWF_KNOWN) !== 0) return -EOPNOTSUPP;
  if (dir === 'read') return readVector(c, f, iov, pos);
  const data = gather(c, iov);
  if (typeof data === 'number') return data;
  // RWF_APPEND: this write goes to the end, as under O_APPEND.
  return writeFrom(c, f, data, (flags & RWF_APPEND) !== 0 ? f.attrs().size : pos, () => gather(c, iov));
}

export const preadv: Syscall = (c) => vectored(c, 'read', c.a[3], 0);
export const pwritev: Syscall = (c) => vectored(c, 'write', c.a[3], 0);
/** Offset -1: the file's offset, advanced as by readv. */
export const preadv2: Syscall = (c) => vectored(c, 'read', c.a[3] === -1 ? null : c.a[3], c.int(5));
export const pwritev2: Syscall = (c) => vectored(c, 'write', c.a[3] === -1 ? null : c.a[3], c.int(5));
