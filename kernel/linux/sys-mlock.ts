// Memory locks: mlock, mlock2, munlock, mlockall, munlockall and MAP_LOCKED.
// There is no swap, so a lock changes no residency beyond faulting the pages
// in; what it does is Linux's bookkeeping: the locked tag on the mappings
// (VmLck in status, Locked in smaps), RLIMIT_MEMLOCK unless CAP_IPC_LOCK, and
// mlockall(MCL_FUTURE) locking the mappings made later.

import { PAGE_SIZE } from '../arch/arch';
import { pageUp, type AddressSpace } from '../process/address-space';
import { UserFault } from '../process/user-memory';
import { EAGAIN, EINVAL, ENOMEM, EPERM } from './errno';
import { limitsOf } from './resource-limits';
import { LOCK_TAGS, lockedBytes, regionLocked, TAG_LOCKED, TAG_LOCKONFAULT } from './memory-locks';
import type { Call, Syscall } from './syscall-context';
import { userTop } from './sys-memory';

const CAP_IPC_LOCK = 14;
const RLIMIT_MEMLOCK = 8;

/** mlockall(MCL_FUTURE)'s tags for later mappings, per address space (not inherited by fork, cleared by exec). */
const futureTags = new WeakMap<AddressSpace, number>();

function lockLimitPages(c: Call): number {
  return Math.floor(limitsOf(c.p)[RLIMIT_MEMLOCK][0] / PAGE_SIZE);
}

const mayLockAll = (c: Call): boolean => c.p.creds.capable(CAP_IPC_LOCK);
/** can_do_mlock: CAP_IPC_LOCK or a non-zero RLIMIT_MEMLOCK. */
const mayLock = (c: Call): boolean => mayLockAll(c) || limitsOf(c.p)[RLIMIT_MEMLOCK][0] !== 0;

/** Pages of [start, end) that are locked already. */
function lockedPagesIn(mem: AddressSpace, start: number, end: number): number {
  let n = 0;
  for (const r of mem.vs.regions) if (regionLocked(r) && r.start < end && start < r.end) n += Math.min(r.end, end) - Math.max(r.start, start);
  return n / PAGE_SIZE;
}

/**
 * Faults in the pages of [start, end) (what populating a locked or
 * MAP_POPULATE range does). With no swap RAM is the limit: populating stops
 * while a quarter of it is still free, and the rest comes in on touch, so a
 * huge range never turns into an out-of-memory kill here.
 */
export function populate(c: Call, start: number, end: number): void {
  const pmm = c.sys.kernel.mm.pmm;
  const reserve = pmm.frameCount / 4;
  for (const r of c.mem.vs.regionsIn(start, end)) {
    if (!r.perms.read && !r.perms.write) continue;
    for (let va = Math.max(r.start, start); va < Math.min(r.end, end); va += PAGE_SIZE) {
      if (pmm.freeFrames < reserve) return;
      try {
        c.user.read(va, 1);
      } catch (e) {
        // A page past the end of its file stays out (the lock still holds on Linux).
        if (!(e instanceof UserFault)) throw e;
      }
    }
  }
}

/**
 * Tags the mapped parts of [start, end) up to the first hole, as Linux's
 * apply_vma_lock_flags does; -ENOMEM when the range has a hole.
 */
function applyTags(c: Call, start: number, end: number, tags: number): number {
  let at = start;
  for (const r of c.mem.vs.regionsIn(start, end)) {
    if (r.start > at) break;
    const to = Math.min(r.end, end);
    c.mem.vs.retag(at, to - at, tags, LOCK_TAGS & ~tags);
    at = to;
  }
  return at < end ? -ENOMEM : 0;
}

/** The page-aligned range of (addr, len), or null when it leaves the user half. */
function lockSpan(c: Call, addr: number, length: number): { start: number; end: number } | null {
  if (addr < 0 || length < 0) return null;
  const start = addr - (addr % PAGE_SIZE);
  const end = pageUp(addr + length);
  return Number.isSafeInteger(end) && end <= userTop(c) ? { start, end } : null;
}

function doLock(c: Call, addr: number, length: number, tags: number): number {
  if (!mayLock(c)) return -EPERM;
  const span = lockSpan(c, addr, length);
  if (!span) return -ENOMEM;
  const { start, end } = span;
  if (end === start) return 0;
  let locked = (end - start) / PAGE_SIZE + lockedBytes(c.mem) / PAGE_SIZE;
  if (locked > lockLimitPages(c) && !mayLockAll(c)) locked -= lockedPagesIn(c.mem, start, end);
  if (locked > lockLimitPages(c) && !mayLockAll(c)) return -ENOMEM;
  const e = applyTags(c, start, end, tags);
  if (e === 0 && (tags & TAG_LOCKONFAULT) === 0) populate(c, start, end);
  return e;
}

const mlock: Syscall = (c) => doLock(c, c.a[0], c.a[1], TAG_LOCKED);

const MLOCK_ONFAULT = 1;
const mlock2: Syscall = (c) => {
  const flags = c.u32(2);
  if ((flags & ~MLOCK_ONFAULT) !== 0) return -EINVAL;
  return doLock(c, c.a[0], c.a[1], flags & MLOCK_ONFAULT ? TAG_LOCKED | TAG_LOCKONFAULT : TAG_LOCKED);
};

const munlock: Syscall = (c) => {
  const span = lockSpan(c, c.a[0], c.a[1]);
  if (!span) return -ENOMEM;
  return span.end === span.start ? 0 : applyTags(c, span.start, span.end, 0);
};

const MCL_CURRENT = 1;
const MCL_FUTURE = 2;
const MCL_ONFAULT = 4;

const mlockall: Syscall = (c) => {
  const flags = c.u32(0);
  if (flags === 0 || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) !== 0 || flags === MCL_ONFAULT) return -EINVAL;
  if (!mayLock(c)) return -EPERM;
  let total = 0;
  for (const r of c.mem.vs.regions) total += r.end - r.start;
  if ((flags & MCL_CURRENT) !== 0 && total / PAGE_SIZE > lockLimitPages(c) && !mayLockAll(c)) return -ENOMEM;
  const tags = TAG_LOCKED | (flags & MCL_ONFAULT ? TAG_LOCKONFAULT : 0);
  if ((flags & MCL_FUTURE) !== 0) futureTags.set(c.mem, tags);
  else futureTags.delete(c.mem);
  if ((flags & MCL_CURRENT) === 0) return 0;
  for (const r of [...c.mem.vs.regions]) c.mem.vs.retag(r.start, r.end - r.start, tags, LOCK_TAGS & ~tags);
  if ((flags & MCL_ONFAULT) === 0) for (const r of [...c.mem.vs.regions]) populate(c, r.start, r.end);
  return 0;
};

const munlockall: Syscall = (c) => {
  futureTags.delete(c.mem);
  for (const r of [...c.mem.vs.regions]) if (((r.tags ?? 0) & LOCK_TAGS) !== 0) c.mem.vs.retag(r.start, r.end - r.start, 0, LOCK_TAGS);
  return 0;
};

/**
 * Before mmap maps [start, start+len): may it be locked (MAP_LOCKED, or
 * mlockall(MCL_FUTURE))? -EAGAIN over RLIMIT_MEMLOCK, as mlock_future_ok says.
 */
export function checkNewLock(c: Call, len: number, mapLocked: boolean): number {
  if (mapLocked && !mayLock(c)) return -EPERM;
  if (!mapLocked && !futureTags.has(c.mem)) return 0;
  if (mayLockAll(c)) return 0;
  return lockedBytes(c.mem) / PAGE_SIZE + len / PAGE_SIZE > lockLimitPages(c) ? -EAGAIN : 0;
}

/** After mmap mapped [start, start+len): lock it when MAP_LOCKED or MCL_FUTURE asks, and fault it in. */
export function lockNewMapping(c: Call, start: number, len: number, mapLocked: boolean): void {
  const tags = futureTags.get(c.mem) ?? (mapLocked ? TAG_LOCKED : 0);
  if (tags === 0) return;
  c.mem.vs.retag(start, len, tags, 0);
  if ((tags & TAG_LOCKONFAULT) === 0) populate(c, start, start + len);
}

// Rows of syscall-table.ts name these handlers.
export { mlock, mlock2, munlock, mlockall, munlockall };
