// fallocate with the modes Linux's tmpfs supports: 0 and FALLOC_FL_KEEP_SIZE
// (reserve, growing the file unless KEEP_SIZE) and PUNCH_HOLE|KEEP_SIZE
// (zero a range). The checks run in the order vfs_fallocate makes them.

import { RegularFile } from '../vfs/open-file';
import { F_SEAL_FUTURE_WRITE, F_SEAL_WRITE, sealsOf } from '../vfs/memfd';
import { EBADF, EFBIG, EINVAL, EISDIR, ENODEV, EOPNOTSUPP, EPERM, ESPIPE } from './errno';
import type { Syscall } from './syscall-context';
import { fileOf } from './sys-io';

const KEEP_SIZE = 0x01;
const PUNCH_HOLE = 0x02;
const COLLAPSE_RANGE = 0x08;
const ZERO_RANGE = 0x10;
const INSERT_RANGE = 0x20;
const UNSHARE_RANGE = 0x40;
const SUPPORTED_MASK = 0x7f;
/** s_maxbytes + 1 (2^63): a double cannot hold 2^63 - 1, so the check is offset + len >= this. */
const MAX_BYTES = 2 ** 63;
const ZERO_CHUNK = 1 << 20;

const fallocate: Syscall = (c) => {
  const f = fileOf(c, 0);
  const mode = c.int(1);
  const offset = c.a[2];
  const len = c.a[3];
  if (!f) return -EBADF;
  if (offset < 0 || len <= 0) return -EINVAL;
  if ((mode & ~SUPPORTED_MASK) !== 0) return -EOPNOTSUPP;
  if ((mode & (PUNCH_HOLE | ZERO_RANGE)) === (PUNCH_HOLE | ZERO_RANGE)) return -EOPNOTSUPP;
  if ((mode & PUNCH_HOLE) !== 0 && (mode & KEEP_SIZE) === 0) return -EOPNOTSUPP;
  if ((mode & COLLAPSE_RANGE) !== 0 && (mode & ~COLLAPSE_RANGE) !== 0) return -EINVAL;
  if ((mode & INSERT_RANGE) !== 0 && (mode & ~INSERT_RANGE) !== 0) return -EINVAL;
  if ((mode & UNSHARE_RANGE) !== 0 && (mode & ~(UNSHARE_RANGE | KEEP_SIZE)) !== 0) return -EINVAL;
  if (!f.writable) return -EBADF;
  const a = f.attrs();
  if (a.kind === 'fifo') return -ESPIPE;
  if (a.kind === 'dir') return -EISDIR;
  if (a.kind !== 'file') return -ENODEV;
  if (offset + len >= MAX_BYTES) return -EFBIG;
  if ((mode & ~(KEEP_SIZE | PUNCH_HOLE)) !== 0) return -EOPNOTSUPP;
  const end = offset + len;
  if ((mode & PUNCH_HOLE) !== 0) {
    if (((sealsOf(f) ?? 0) & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) !== 0) return -EPERM;
    // Zeros over the range; the blocks wholly inside it become holes again (SEEK_HOLE finds them, their pages come back).
    if (f instanceof RegularFile) return f.punchHole(offset, end);
    const stop = Math.min(end, a.size);
    for (let at = offset; at < stop; at += ZERO_CHUNK) {
      const r = f.write(new Uint8Array(Math.min(ZERO_CHUNK, stop - at)), at);
      if (r < 0) return r;
    }
    return 0;
  }
  // tmpfs allocates the pages (ENOSPC when they do not fit), then grows the size.
  if (f instanceof RegularFile) {
    const r = f.allocate(offset, end);
    if (r < 0) return r;
  }
  if ((mode & KEEP_SIZE) === 0 && end > a.size) return f.truncate(end);
  return 0;
};

// Rows of syscall-table.ts name these handlers.
export { fallocate };
