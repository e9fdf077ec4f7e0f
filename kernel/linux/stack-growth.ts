// MAP_GROWSDOWN mappings (Linux's VM_GROWSDOWN): a user access in the free
// addresses just below one grows it down to the page of the access, as
// Linux's expand_stack does from the page-fault path (and so also for the
// kernel's own copies to user memory), unless the growth would come within
// the stack guard gap (256 pages, Linux's default stack_guard_gap) of an
// accessible mapping below that does not grow down itself, or past the
// stack size limit (RLIMIT_STACK when the mapping was made: its object holds
// that many pages, the ones below the first mapping left for growth).

import { PAGE_SIZE } from '../arch/arch';
import { unmappedFaultHooks } from '../mm/fault';
import { hasAnyAccess, type Region } from '../mm/region';
import type { VSpace } from '../mm/vspace';

/** The region tag of a mapping that grows down (Linux's VM_GROWSDOWN); memory-locks.ts uses 1 and 2. */
export const TAG_GROWSDOWN = 4;
export const MAP_GROWSDOWN = 0x100;
const STACK_GUARD_GAP = 256 * PAGE_SIZE;
/** The most pages an object reserves for growth when RLIMIT_STACK is unlimited. */
const MAX_RESERVE_PAGES = 1 << 20;

const growsDown = (r: Region | undefined): boolean => r !== undefined && ((r.tags ?? 0) & TAG_GROWSDOWN) !== 0;

/** Pages a MAP_GROWSDOWN object of pages pages keeps below the mapping, for a stack limit of limitBytes. */
export function growthReserve(pages: number, limitBytes: number, start: number): number {
  const limit = Number.isFinite(limitBytes) ? Math.floor(limitBytes / PAGE_SIZE) : MAX_RESERVE_PAGES;
  return Math.max(0, Math.min(limit - pages, MAX_RESERVE_PAGES, Math.floor(start / PAGE_SIZE)));
}

/** The region just above address and the one just below it (address in no region). */
function neighbours(vs: VSpace, address: number): { above?: Region; below?: Region } {
  const list = vs.regions;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].start > address) hi = mid;
    else lo = mid + 1;
  }
  return { above: list[lo], below: lo > 0 ? list[lo - 1] : undefined };
}

function grow(vs: VSpace, address: number): boolean {
  const { above, below } = neighbours(vs, address);
  if (!above || !growsDown(above)) return false;
  const start = address - (address % PAGE_SIZE);
  if (below && below.end > start) return false;
  if (below && !growsDown(below) && hasAnyAccess(below.perms) && start - below.end < STACK_GUARD_GAP) return false;
  if ((above.start - start) / PAGE_SIZE > above.moPage) return false;
  vs.extendDown(above, start);
  return true;
}

unmappedFaultHooks.push(grow);
