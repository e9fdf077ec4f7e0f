// sync, syncfs and sync_file_range: nothing is ever dirty (the writable layer
// lives in memory), so they check their arguments as Linux does and succeed.

import { EBADF, EINVAL, ESPIPE } from './errno';
import type { Syscall } from './syscall-context';
import { fileOf } from './sys-io';

const SYNC_FILE_RANGE_VALID = 7;

const sync: Syscall = () => 0;

const syncfs: Syscall = (c) => (fileOf(c, 0) ? 0 : -EBADF);

const syncFileRange: Syscall = (c) => {
  const f = fileOf(c, 0);
  const [, offset, nbytes] = c.a;
  if (!f) return -EBADF;
  if ((c.u32(3) & ~SYNC_FILE_RANGE_VALID) !== 0) return -EINVAL;
  if (offset < 0 || nbytes < 0 || offset + nbytes >= 2 ** 63) return -EINVAL;
  const kind = f.attrs().kind;
  return kind === 'file' || kind === 'dir' || kind === 'blk' || kind === 'symlink' ? 0 : -ESPIPE;
};

// Rows of syscall-table.ts name these handlers.
export { sync, syncfs, syncFileRange };
