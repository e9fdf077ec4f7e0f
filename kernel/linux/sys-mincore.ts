// mincore and mlock. mincore: which pages of a mapped range are resident (faulted in), one
// byte a page, with Linux's checks: an unaligned start is EINVAL, a range
// with a hole (or past the user half) ENOMEM, an unwritable vector EFAULT.

import { EINVAL, ENOMEM } from './errno';
import type { Call, Syscall } from './syscall-context';

const PAGE = 4096;

const mincore: Syscall = (c) => {
  const [start, len, vec] = c.a;
  if (start % PAGE !== 0) return -EINVAL;
  const pages = Math.ceil(len / PAGE);
  const end = start + pages * PAGE;
  if (end > 2 ** 48 || len < 0) return -ENOMEM;
  let at = start;
  for (const r of c.mem.vs.regionsIn(start, end)) {
    if (r.start > at) return -ENOMEM;
    at = r.end;
  }
  if (at < end) return -ENOMEM;
  const out = new Uint8Array(pages);
  for (let i = 0; i < pages; i++) out[i] = c.mem.vs.isResident(start + i * PAGE) ? 1 : 0;
  c.user.write(vec, out);
  return 0;
};


/**
 * mlock: salty has no swap, so locking only faults the range in (as Linux
 * populates it), which mincore then reports; a hole in the range is ENOMEM.
 */
/** The page-rounded range of (addr, len) when every page of it is mapped, else -ENOMEM. */
function mappedRange(c: Call): [number, number] | number {
  const start = Math.floor(c.a[0] / PAGE) * PAGE;
  const end = Math.ceil((c.a[0] + c.a[1]) / PAGE) * PAGE;
  if (c.a[1] < 0 || end > 2 ** 48) return -ENOMEM;
  let at = start;
  for (const r of c.mem.vs.regionsIn(start, end)) {
    if (r.start > at) return -ENOMEM;
    at = r.end;
  }
  return at < end ? -ENOMEM : [start, end];
}

const mlock: Syscall = (c) => {
  const range = mappedRange(c);
  if (typeof range === 'number') return range;
  const [start, end] = range;
  for (let va = start; va < end; va += PAGE) {
    const r = c.mem.vs.findRegion(va);
    if (r?.perms.read) c.user.read(va, 1);
  }
  return 0;
};

/** munlock: nothing was locked away; a hole in the range is still ENOMEM. */
const munlock: Syscall = (c) => {
  const range = mappedRange(c);
  return typeof range === 'number' ? range : 0;
};

// Rows of syscall-table.ts name these handlers.
export { mincore, mlock, munlock };
