// memfd_create: an anonymous in-memory file (kernel/vfs/memfd.ts), or with
// MFD_HUGETLB a hugetlbfs one of a page size the MMU has (huge-pages.ts).

import { createMemfd } from '../vfs/memfd';
import { EINVAL, ENODEV } from './errno';
import { hugePageSize } from './huge-pages';
import type { Syscall } from './syscall-context';

const MFD_CLOEXEC = 1;
const MFD_ALLOW_SEALING = 2;
/** NAME_MAX less the "memfd:" prefix. */
const MFD_NAME_MAX = 249;

const MFD_HUGETLB = 4;
const MFD_HUGE_SHIFT = 26;
const MFD_HUGE_MASK = 0x3f;

const memfdCreate: Syscall = (c) => {
  const flags = c.u32(1);
  const huge = (flags & MFD_HUGETLB) !== 0;
  const known = MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | (huge ? MFD_HUGE_MASK << MFD_HUGE_SHIFT : 0);
  if ((flags & ~known) >>> 0 !== 0) return -EINVAL;
  const bytes: number[] = [];
  for (let i = 0; ; i++) {
    if (i > MFD_NAME_MAX) return -EINVAL;
    const b = c.user.read(c.a[0] + i, 1)[0];
    if (b === 0) break;
    bytes.push(b);
  }
  const name = Buffer.from(bytes).toString('utf8');
  const pageSize = huge ? hugePageSize(c.sys.kernel.arch, (flags >>> MFD_HUGE_SHIFT) & MFD_HUGE_MASK) : 0;
  if (pageSize === undefined) return -ENODEV;
  const f = createMemfd(c.sys.fs, name, (flags & MFD_ALLOW_SEALING) !== 0, pageSize);
  return c.p.fds.add(f, (flags & MFD_CLOEXEC) !== 0);
};

// Rows of syscall-table.ts name these handlers.
export { memfdCreate };
