// MAP_GROWSDOWN mappings grow down on a fault below them, as Linux's
// expand_downwards does: by whole pages to the faulting address, while the
// whole run of the mapping stays within RLIMIT_STACK (and RLIMIT_AS), no
// lower mapping (other than a growing one) comes closer than
// stack_guard_gap (256 pages), and nothing goes below mmap_min_addr.
// Anything else is the fault it was (SIGSEGV).

import { PAGE_SIZE } from '../arch/arch';
import type { Region } from '../mm/region';
import type { LinuxProcess } from './linux-process';
import type { LinuxSystem } from './linux-system';
import { limitsOf } from './resource-limits';
import { mayExpand } from './vm-limits';

/** The region tag of a MAP_GROWSDOWN mapping (Linux's VM_GROWSDOWN). */
export const TAG_GROWSDOWN = 0x100;
const STACK_GUARD_GAP = 256 * PAGE_SIZE;
const MMAP_MIN_ADDR = 0x10000;
const RLIMIT_STACK = 3;

const growsDown = (r: Region | undefined): boolean => r !== undefined && ((r.tags ?? 0) & TAG_GROWSDOWN) !== 0;

/** Marks [start, start + len) as a MAP_GROWSDOWN mapping. */
export function markGrowsDown(p: LinuxProcess, start: number, len: number): void {
  p.mem.vs.retag(start, len, TAG_GROWSDOWN, 0);
}

/** Grows the MAP_GROWSDOWN mapping right above addr down to it; true when it did (the fault is then resolved as a demand fault). */
export function growStack(sys: LinuxSystem, p: LinuxProcess, addr: number): boolean {
  const vs = p.mem.vs;
  if (vs.regionsIn(addr, addr + 1).length > 0) return false;
  let above: Region | undefined;
  let below: Region | undefined;
  for (const r of vs.regions) {
    if (r.start > addr && (above === undefined || r.start < above.start)) above = r;
    if (r.end <= addr && (below === undefined || r.end > below.end)) below = r;
  }
  if (!above || !growsDown(above)) return false;
  const start = Math.floor(addr / PAGE_SIZE) * PAGE_SIZE;
  if (start < MMAP_MIN_ADDR) return false;
  if (below && !growsDown(below) && start - below.end < STACK_GUARD_GAP) return false;
  let top = above.end;
  for (let next = vs.regionsIn(top, top + 1)[0]; growsDown(next) && next.start === top; next = vs.regionsIn(top, top + 1)[0]) top = next.end;
  if (top - start > limitsOf(p)[RLIMIT_STACK][0]) return false;
  const bytes = above.start - start;
  if (mayExpand(sys, p, { bytes, data: false }) < 0) return false;
  const mo = sys.kernel.mm.createMemoryObject(bytes / PAGE_SIZE);
  p.mem.map(start, bytes, mo, 0, above.perms, above.kind, sys.refs);
  markGrowsDown(p, start, bytes);
  return true;
}
