// memfd_create: an anonymous in-memory file (kernel/vfs/memfd.ts).

import { createMemfd } from '../vfs/memfd';
import { EINVAL } from './errno';
import type { Syscall } from './syscall-context';

const MFD_CLOEXEC = 1;
const MFD_ALLOW_SEALING = 2;
/** NAME_MAX less the "memfd:" prefix. */
const MFD_NAME_MAX = 249;

const memfdCreate: Syscall = (c) => {
  const flags = c.u32(1);
  // MFD_HUGETLB and its size bits are refused: there is no hugetlbfs.
  if ((flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING)) !== 0) return -EINVAL;
  const bytes: number[] = [];
  for (let i = 0; ; i++) {
    if (i > MFD_NAME_MAX) return -EINVAL;
    const b = c.user.read(c.a[0] + i, 1)[0];
    if (b === 0) break;
    bytes.push(b);
  }
  const name = Buffer.from(bytes).toString('utf8');
  const f = createMemfd(c.sys.fs, name, (flags & MFD_ALLOW_SEALING) !== 0);
  return c.p.fds.add(f, (flags & MFD_CLOEXEC) !== 0);
};

// Rows of syscall-table.ts name these handlers.
export { memfdCreate };
