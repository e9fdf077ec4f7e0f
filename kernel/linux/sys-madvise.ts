// Advice and residency of memory: madvise (the advice Linux 6.1 knows, its
// checks per mapping, MADV_DONTNEED dropping private pages), mincore (a page
// is resident once its object holds a frame for it; locks: sys-mlock.ts).

import { PAGE_SIZE } from '../arch/arch';
import type { Region } from '../mm/region';
import { pageUp } from '../process/address-space';
import { mappedFile } from '../process/mapped-file';
import { EINVAL, ENOMEM, EPERM } from './errno';
import { isCached } from './page-cache';
import type { Call, Syscall } from './syscall-context';
import { userTop } from './sys-memory';

const MADV_DONTNEED = 4;
const MADV_FREE = 8;
const MADV_REMOVE = 9;
const MADV_WIPEONFORK = 18;
const MADV_KEEPONFORK = 19;
const MADV_HWPOISON = 100;
const MADV_SOFT_OFFLINE = 101;
/** The advice values Linux 6.1 accepts (KSM and THP built in, as Debian's kernel has them). */
const KNOWN_ADVICE = new Set([0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, MADV_HWPOISON, MADV_SOFT_OFFLINE]);

/** The regions over [start, end) in order, and whether some page of it is unmapped. */
function cover(c: Call, start: number, end: number): { regions: Region[]; gap: boolean } {
  const regions = c.mem.vs.regionsIn(start, end);
  let at = start;
  let gap = false;
  for (const r of regions) {
    if (r.start > at) gap = true;
    at = Math.max(at, r.end);
  }
  return { regions, gap: gap || at < end };
}

function adviceError(c: Call, r: Region, advice: number): number {
  const file = mappedFile(r.mo) !== undefined;
  const shared = c.mem.shared.has(r.mo);
  switch (advice) {
    case MADV_FREE:
      return file || shared ? -EINVAL : 0;
    case MADV_WIPEONFORK:
    case MADV_KEEPONFORK:
      return file || shared ? -EINVAL : 0;
    case MADV_REMOVE:
      return file && shared ? 0 : -EINVAL;
    default:
      return 0;
  }
}

const madvise: Syscall = (c) => {
  const [addr, length] = c.a;
  const advice = c.int(2);
  if (!KNOWN_ADVICE.has(advice)) return -EINVAL;
  if (advice === MADV_HWPOISON || advice === MADV_SOFT_OFFLINE) return -EPERM;
  if (addr % PAGE_SIZE !== 0) return -EINVAL;
  const len = pageUp(length);
  if (length !== 0 && len === 0) return -EINVAL;
  const end = addr + len;
  if (end > userTop(c) * 2 || length < 0) return -EINVAL;
  if (end === addr) return 0;
  const { regions, gap } = cover(c, addr, end);
  for (const r of regions) {
    const e = adviceError(c, r, advice);
    if (e < 0) return e;
  }
  if (advice === MADV_DONTNEED || advice === MADV_FREE) {
    for (const r of regions) {
      const s = Math.max(r.start, addr);
      const e = Math.min(r.end, end);
      if (s >= e || c.mem.shared.has(r.mo)) continue;
      // Dropping a private page makes it read as its origin again (zeros, or the file).
      r.mo.decommit(r.moPage + (s - r.start) / PAGE_SIZE, (e - s) / PAGE_SIZE);
    }
  }
  return gap ? -ENOMEM : 0;
};

function fileCached(c: Call, r: Region, va: number): boolean {
  const f = mappedFile(r.mo);
  return f !== undefined && isCached(c.sys, f.ino, f.offset / PAGE_SIZE + r.moPage + (va - r.start) / PAGE_SIZE);
}

const mincore: Syscall = (c) => {
  const [addr, length, vec] = c.a;
  if (addr % PAGE_SIZE !== 0) return -EINVAL;
  const len = pageUp(length);
  if (addr + len > userTop(c) || length < 0) return -ENOMEM;
  if (len === 0) return 0;
  if (cover(c, addr, addr + len).gap) return -ENOMEM;
  const out = new Uint8Array(len / PAGE_SIZE);
  const regions = cover(c, addr, addr + len).regions;
  for (let i = 0; i < out.length; i++) {
    const va = addr + i * PAGE_SIZE;
    const r = regions.find((x) => x.start <= va && va < x.end);
    // Resident: the page has a frame in the object behind the mapping, or the file's page was read in by some mapping.
    out[i] = r && (r.mo.isResident(r.moPage + (va - r.start) / PAGE_SIZE) || fileCached(c, r, va)) ? 1 : 0;
  }
  c.user.write(vec, out);
  return 0;
};

// Rows of syscall-table.ts name these handlers.
export { madvise, mincore };
