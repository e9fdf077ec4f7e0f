// The address-space limits mmap, brk and mremap check before they grow a
// process, as Linux's may_expand_vm, check_data_rlimit and
// __vm_enough_memory do:
// - RLIMIT_AS bounds every mapping (total_vm); ENOMEM past it.
// - RLIMIT_DATA bounds private writable mappings that are not the stack
//   (data_vm), and brk's heap plus the data segment; ENOMEM past it.
// - vm.overcommit_memory 2 (never) refuses what would take the committed
//   total past overcommit_ratio % of RAM. 0 (the heuristic, the default)
//   refuses nothing here: Linux's refuses one mapping larger than RAM plus
//   swap, and the LTP tests salty passes (mallinfo2_01's 2 GiB malloc under
//   the default -m 256M) expect the host's RAM there; an untouched mapping
//   costs the host nothing, and touching it meets the OOM path.
// The stack counts with the pages it has grown to (its committed pages, at
// least one), as Linux's stack VMA is only as large as the stack has grown.

import { PAGE_SIZE } from '../arch/arch';
import type { Region } from '../mm/region';
import type { AddressSpace } from '../process/address-space';
import type { LinuxProcess } from './linux-process';
import type { LinuxSystem } from './linux-system';
import { limitsOf } from './resource-limits';
import { overcommitPolicy } from './proc-sys';

const RLIMIT_DATA = 2;
const RLIMIT_STACK = 3;
/** The stack of a process whose RLIMIT_STACK is unlimited grows to this (Linux: until it meets a mapping). */
const UNLIMITED_STACK = 1 << 30;
/** The least stack a program starts with, whatever the limit (its arguments and auxv must fit). */
const MIN_STACK = 64 << 10;
const RLIMIT_AS = 9;
const ENOMEM = 12;

/** The pages a region counts for: all of it, or for the stack the pages it has grown to (its VMA's size on Linux). */
export function regionPages(r: Region): number {
  if (r.kind !== 'stack') return (r.end - r.start) / PAGE_SIZE;
  return Math.max(1, Math.min((r.end - r.start) / PAGE_SIZE, r.mo.committedPages));
}

/** A private writable mapping that is not the stack (Linux's is_data_mapping). */
function isData(mem: AddressSpace, r: Pick<Region, 'perms' | 'kind' | 'mo'>): boolean {
  return r.perms.write && r.kind !== 'stack' && !mem.shared.has(r.mo);
}

/** Pages mapped in [start, end) (what a MAP_FIXED mapping there replaces), all and data ones. */
function pagesIn(mem: AddressSpace, start: number, end: number): { all: number; data: number } {
  let all = 0;
  let data = 0;
  for (const r of mem.vs.regionsIn(start, end)) {
    const n = (Math.min(r.end, end) - Math.max(r.start, start)) / PAGE_SIZE;
    all += n;
    if (isData(mem, r)) data += n;
  }
  return { all, data };
}

/** total_vm and data_vm in pages. */
export function vmPages(mem: AddressSpace): { total: number; data: number } {
  let total = 0;
  let data = 0;
  for (const r of mem.vs.regions) {
    const n = regionPages(r);
    total += n;
    if (isData(mem, r)) data += n;
  }
  return { total, data };
}

export interface Growth {
  /** Where the new mapping goes (its old contents are replaced); absent: nothing is replaced. */
  readonly start?: number;
  readonly bytes: number;
  /** A private writable mapping (counted in data_vm and committed memory). */
  readonly data: boolean;
  /** Shared anonymous memory: committed (accountable) but not data. */
  readonly sharedAnon?: boolean;
}

/** 0 when p may map g more, else -ENOMEM (may_expand_vm, then the overcommit policy). */
export function mayExpand(sys: LinuxSystem, p: LinuxProcess, g: Growth): number {
  const l = limitsOf(p);
  const as = l[RLIMIT_AS][0];
  const dataLimit = l[RLIMIT_DATA][0];
  const pages = Math.ceil(g.bytes / PAGE_SIZE);
  if (Number.isFinite(as) || (g.data && Number.isFinite(dataLimit))) {
    const used = vmPages(p.mem);
    const replaced = g.start === undefined ? { all: 0, data: 0 } : pagesIn(p.mem, g.start, g.start + pages * PAGE_SIZE);
    if ((used.total - replaced.all + pages) * PAGE_SIZE > as) return -ENOMEM;
    if (g.data && (used.data - replaced.data + pages) * PAGE_SIZE > dataLimit) return -ENOMEM;
  }
  return g.data || g.sharedAnon ? overcommitRefusal(sys, pages) : 0;
}

/** The size of the stack mapping an exec makes: RLIMIT_STACK's soft value in whole pages; past it the stack does not grow (SIGSEGV). */
export function stackSizeOf(p: LinuxProcess): number {
  const limit = limitsOf(p)[RLIMIT_STACK][0];
  const size = Number.isFinite(limit) ? Math.min(limit, UNLIMITED_STACK) : UNLIMITED_STACK;
  return Math.max(MIN_STACK, Math.floor(size / PAGE_SIZE) * PAGE_SIZE);
}

/** A fault at addr in the stack further than RLIMIT_STACK below its top (lowered since exec): the stack may not grow there (SIGSEGV). */
export function stackGrowthRefused(p: LinuxProcess, addr: number): boolean {
  const limit = limitsOf(p)[RLIMIT_STACK][0];
  if (!Number.isFinite(limit)) return false;
  const r = p.mem.vs.regionsIn(addr, addr + 1)[0];
  return r !== undefined && r.kind === 'stack' && addr < r.end - Math.max(limit, MIN_STACK);
}

/** brk's own check (check_data_rlimit): the heap from its start plus the data segment stay under RLIMIT_DATA. */
export function brkAllowed(p: LinuxProcess, newBrk: number): boolean {
  const limit = limitsOf(p)[RLIMIT_DATA][0];
  if (!Number.isFinite(limit)) return true;
  const mem = p.mem;
  let dataSegment = 0;
  for (const r of mem.vs.regions) if (r.kind === 'data') dataSegment += r.end - r.start;
  return newBrk - mem.brkStart + dataSegment <= limit;
}

/** Pages committed by every process's private writable and shared anonymous mappings (Committed_AS). */
export function committedPages(sys: LinuxSystem): number {
  const seen = new Set<AddressSpace>();
  let n = 0;
  for (const p of sys.processes.values()) {
    if (p.isZombie || seen.has(p.mem)) continue;
    seen.add(p.mem);
    for (const r of p.mem.vs.regions) if (r.perms.write && r.kind !== 'stack') n += regionPages(r);
  }
  return n;
}

/** overcommit_memory 2: MAP_NORESERVE mappings are committed too, as on Linux. */
function overcommitRefusal(sys: LinuxSystem, pages: number): number {
  const policy = overcommitPolicy(sys);
  const ram = sys.kernel.mm.pmm.frameCount;
  if (policy.mode !== 2) return 0;
  return committedPages(sys) + pages > Math.floor((ram * policy.ratio) / 100) ? -ENOMEM : 0;
}
