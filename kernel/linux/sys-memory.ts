// Memory calls: brk, mmap (anonymous, private and shared; private file
// mappings filled from the file on first touch), munmap, mprotect, mremap,
// msync (madvise, mincore and mlock: sys-madvise.ts).

import { PAGE_SIZE } from '../arch/arch';
import type { MemoryObject } from '../mm/memory-object';
import { RADIX_CAPACITY } from '../mm/radix-tree';
import type { Perms, Region, RegionKind } from '../mm/region';
import { HEAP_LIMIT, pageUp } from '../process/address-space';
import { copyMappedFile, mappedFile, setMappedFile } from '../process/mapped-file';
import { EACCES, EBADF, EBUSY, EEXIST, EFAULT, EINVAL, ENODEV, ENOMEM, EPERM } from './errno';
import { F_SEAL_FUTURE_WRITE, F_SEAL_WRITE, sealsOf } from '../vfs/memfd';
import { DeviceFile, MEM_FILE_MAX, type OpenFile } from '../vfs/open-file';
import { zeroDevice } from '../vfs/device';
import type { Call, Syscall } from './syscall-context';
import { checkNewLock, lockNewMapping, populate } from './sys-mlock';
import { noteCached } from './page-cache';
import { maxMapCount } from './proc-sys';
import { brkAllowed, mayExpand } from './vm-limits';
import { regionLocked } from './memory-locks';
import { boundByFile } from './file-extent';
import { hugePageSize } from './huge-pages';
import { HugetlbFile } from '../vfs/hugetlb-file';
import { growthReserve, MAP_GROWSDOWN, TAG_GROWSDOWN } from './stack-growth';
import { limitsOf, RLIMIT_STACK } from './resource-limits';
import { isOutOfMemory } from './syscall-guard';

const MAP_SHARED = 0x01;
const MAP_PRIVATE = 0x02;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const MAP_LOCKED = 0x2000;
const MAP_POPULATE = 0x8000;
const MAP_NONBLOCK = 0x10000;
const MAP_NORESERVE = 0x4000;
const MAP_HUGETLB = 0x40000;
const MAP_HUGE_SHIFT = 26;
const MAP_FIXED_NOREPLACE = 0x100000;
const MREMAP_MAYMOVE = 1;
const MREMAP_FIXED = 2;
const MREMAP_DONTUNMAP = 4;
const MADV_DONTNEED = 4;

/**
 * The page range [addr, addr + length rounded up to pages) when it lies in
 * the user half; null when it does not (a negative value here is an
 * unsigned one past 2^63, so the range wraps or leaves the user half).
 */
function userPages(c: Call, addr: number, length: number): { start: number; end: number } | null {
  if (addr < 0 || length < 0) return null;
  const end = addr + pageUp(length);
  return Number.isSafeInteger(end) && end <= userTop(c) ? { start: addr, end } : null;
}

/** The end of the user half on this machine (2^48 on aarch64, 2^47 on x86_64). */
export function userTop(c: Call): number {
  return c.mem.vs.addressRange.userTop;
}

function protToPerms(prot: number): Perms {
  return { read: (prot & 1) !== 0, write: (prot & 2) !== 0, exec: (prot & 4) !== 0 };
}

const brk: Syscall = (c) => {
  const m = c.mem;
  const addr = c.a[0];
  if (addr === 0 || addr < m.brkStart || addr > m.brkStart + HEAP_LIMIT) return m.brk;
  if (!brkAllowed(c.p, addr)) return m.brk;
  const oldTop = pageUp(m.brk);
  const newTop = pageUp(addr);
  if (newTop > oldTop && mayExpand(c.sys, c.p, { bytes: newTop - oldTop, data: true }) < 0) return m.brk;
  if (!m.heap || m.heap.isDestroyed) m.heap = c.sys.kernel.mm.createMemoryObject(HEAP_LIMIT / PAGE_SIZE);
  try {
    if (newTop > oldTop) {
      if (m.vs.overlaps(oldTop, newTop)) return m.brk;
      if (checkNewLock(c, newTop - oldTop, false) < 0) return m.brk;
      m.map(oldTop, newTop - oldTop, m.heap, (oldTop - m.brkStart) / PAGE_SIZE, { read: true, write: true, exec: false }, 'heap', c.sys.refs);
      lockNewMapping(c, oldTop, newTop - oldTop, false);
    } else if (newTop < oldTop) {
      m.vs.unmap(newTop, oldTop - newTop);
      m.heap.decommit((newTop - m.brkStart) / PAGE_SIZE, (oldTop - newTop) / PAGE_SIZE);
    }
  } catch {
    return m.brk;
  }
  m.brk = addr;
  return addr;
};

function overlaps(c: Call, start: number, len: number): boolean {
  return c.mem.vs.overlaps(start, start + len);
}

/** A MemoryObject with the file's bytes from offset, read on first touch of each page. */
function fileObject(c: Call, bytes: Uint8Array, offset: number, pages: number, ino: number): MemoryObject {
  const sys = c.sys;
  return c.sys.kernel.mm.createMemoryObject(pages, (page, out) => {
    const from = offset + page * PAGE_SIZE;
    noteCached(sys, ino, from / PAGE_SIZE);
    if (from < bytes.length) out.set(bytes.subarray(from, Math.min(from + PAGE_SIZE, bytes.length)));
  });
}

const mmap: Syscall = (c) => {
  const [addr, length, prot, flags, , offset] = c.a;
  if (length <= 0 || length > userTop(c)) return length === 0 ? -EINVAL : -ENOMEM;
  if ((flags & (MAP_SHARED | MAP_PRIVATE)) === 0 || offset % PAGE_SIZE !== 0 || offset < 0) return -EINVAL;
  const len = pageUp(length);
  let bytes: Uint8Array | null = null;
  const fdFile = (flags & MAP_ANONYMOUS) === 0 ? c.p.fds.get(c.int(4)) : undefined;
  if ((flags & MAP_ANONYMOUS) === 0 && (!fdFile || fdFile.pathOnly)) return -EBADF;
  // /dev/zero maps as anonymous memory (shared: one object every fork sees).
  const zero = fdFile instanceof DeviceFile && fdFile.device === zeroDevice;
  if (zero && !fdFile.readable) return -EACCES;
  if (zero && (flags & MAP_SHARED) !== 0 && (prot & 2) !== 0 && !fdFile.writable) return -EACCES;
  const file = zero ? undefined : fdFile;
  if (file) {
    if (!file.readable) return -EACCES;
    if ((flags & MAP_SHARED) !== 0 && (prot & 2) !== 0 && !file.writable) return -EACCES;
    if ((flags & MAP_SHARED) !== 0 && (prot & 2) !== 0 && writeSealed(file)) return -EPERM;
    // A file mapping starts from a copy of the whole file: past MEM_FILE_MAX (a large sparse file of the writable layer) that copy is refused.
    if (file.attrs().size > MEM_FILE_MAX) return -ENOMEM;
    bytes = file.mappable();
    if (bytes === null) return -ENODEV;
  }
  // Only a private anonymous mapping may grow down (Linux's do_mmap).
  const growsDown = (flags & MAP_GROWSDOWN) !== 0;
  if (growsDown && (fdFile || (flags & MAP_SHARED) !== 0)) return -EINVAL;
  const huge = hugeMapping(c, flags, file);
  if (typeof huge === 'number') return huge;
  const lockError = checkNewLock(c, len, (flags & MAP_LOCKED) !== 0);
  if (lockError < 0) return lockError;
  // Linux lets the count pass vm.max_map_count by one before mmap refuses.
  if (c.mem.vs.regions.length > maxMapCount(c.sys)) return -ENOMEM;
  const fixedAt = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) !== 0 && addr >= 0 ? addr : undefined;
  const privateWrite = (flags & MAP_SHARED) === 0 && (prot & 2) !== 0;
  const limited = mayExpand(c.sys, c.p, { start: fixedAt, bytes: len, data: privateWrite && !huge, sharedAnon: (flags & MAP_SHARED) !== 0 && (flags & MAP_ANONYMOUS) !== 0 });
  if (limited < 0) return limited;
  let start: number;
  if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) !== 0) {
    if (addr < 0 || addr + len > userTop(c)) return -ENOMEM;
    if (addr % PAGE_SIZE !== 0) return -EINVAL;
    if ((flags & MAP_FIXED_NOREPLACE) !== 0 && overlaps(c, addr, len)) return -EEXIST;
    start = addr;
    c.mem.unmap(start, len, c.sys.refs);
  } else if (addr > 0 && addr % PAGE_SIZE === 0 && addr + len <= userTop(c) && !overlaps(c, addr, len)) {
    start = addr;
  } else {
    start = c.mem.findFree(len);
    if (start < 0) return -ENOMEM;
  }
  try {
    if (growsDown) mapGrowingDown(c, start, len, protToPerms(prot));
    else mapObject(c, start, len, prot, flags, offset, huge === true, file, bytes, zero && !fdFile.writable);
  } catch (e) {
    // Guest RAM exhausted (the object's charge): the OOM killer runs and the call starts again, as Linux's allocation would.
    if (isOutOfMemory(e)) throw e;
    return -ENOMEM;
  }
  lockNewMapping(c, start, len, (flags & MAP_LOCKED) !== 0);
  if ((flags & (MAP_POPULATE | MAP_NONBLOCK)) === MAP_POPULATE) populate(c, start, start + len);
  return start;
};

/** A mapping of a file, /dev/zero (zeroReadOnly: opened read-only) or anonymous memory. */
function mapObject(c: Call, start: number, len: number, prot: number, flags: number, offset: number, huge: boolean, file: OpenFile | undefined, bytes: Uint8Array | null, zeroReadOnly: boolean): void {
  const shared = (flags & MAP_SHARED) !== 0;
  const pages = len / PAGE_SIZE;
  const mo = huge
    ? unbackedHuge(c, len / PAGE_SIZE)
    : file && bytes ? (shared ? c.sys.sharedFiles.objectFor(file, bytes, offset, pages) : fileObject(c, bytes, offset, pages, file.attrs().ino)) : c.sys.kernel.mm.createMemoryObject(shared ? pages : anonymousPages(pages));
  if (file) boundByFile(mo, file, offset);
  if (shared) c.mem.shared.add(mo);
  if (shared && zeroReadOnly) readOnlyShared.add(mo);
  if (file) setMappedFile(mo, { path: file.path, ino: file.attrs().ino, offset: shared ? mappedFile(mo)?.offset ?? offset : offset });
  c.mem.map(start, len, mo, 0, protToPerms(prot), 'mmap', c.sys.refs);
}

/**
 * MAP_HUGETLB or a hugetlbfs file: the pool of huge pages is empty, so the
 * mapping cannot be reserved (ENOMEM); with MAP_NORESERVE it is made and
 * every touch faults with SIGBUS, as Linux's does when no page is left.
 * Answers whether the mapping is such one, or an errno.
 */
function hugeMapping(c: Call, flags: number, file: OpenFile | undefined): boolean | number {
  if (file instanceof HugetlbFile) return (flags & MAP_NORESERVE) !== 0 ? true : -ENOMEM;
  if ((flags & MAP_HUGETLB) === 0) return false;
  if (file) return -EINVAL;
  if (hugePageSize(c.sys.kernel.arch, (flags >>> MAP_HUGE_SHIFT) & 0x3f) === undefined) return -EINVAL;
  return (flags & MAP_NORESERVE) !== 0 ? true : -ENOMEM;
}

/** A MAP_GROWSDOWN mapping: its object keeps pages below it to grow into, up to RLIMIT_STACK (stack-growth.ts). */
function mapGrowingDown(c: Call, start: number, len: number, perms: Perms): void {
  const pages = len / PAGE_SIZE;
  const reserve = growthReserve(pages, limitsOf(c.p)[RLIMIT_STACK][0], start);
  const mo = c.sys.kernel.mm.createMemoryObject(Math.min(RADIX_CAPACITY, reserve + anonymousPages(pages)));
  c.mem.map(start, len, mo, reserve, perms, 'mmap', c.sys.refs);
  c.mem.vs.retag(start, len, TAG_GROWSDOWN, 0);
}

function unbackedHuge(c: Call, pages: number): MemoryObject {
  const mo = c.sys.kernel.mm.createMemoryObject(pages);
  mo.extent = () => 0;
  return mo;
}

const munmap: Syscall = (c) => {
  const [addr, length] = c.a;
  if (addr < 0 || addr % PAGE_SIZE !== 0 || length <= 0 || addr + length > userTop(c)) return -EINVAL;
  // A hole in the middle of a mapping splits it: refused at vm.max_map_count.
  const inside = c.mem.vs.findRegion(addr);
  if (inside && inside.start < addr && addr + pageUp(length) < inside.end && c.mem.vs.regions.length >= maxMapCount(c.sys)) return -ENOMEM;
  c.sys.sharedFiles.writeBack(c.mem.vs, addr, addr + pageUp(length));
  c.mem.unmap(addr, pageUp(length), c.sys.refs);
  return 0;
};

const MS_ASYNC = 1;
const MS_INVALIDATE = 2;
const MS_SYNC = 4;

const msync: Syscall = (c) => {
  const [addr, length, flags] = c.a;
  if (addr % PAGE_SIZE !== 0 || (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) !== 0 || (flags & (MS_ASYNC | MS_SYNC)) === (MS_ASYNC | MS_SYNC)) return -EINVAL;
  // Linux rounds the length up modulo 2^64: one just under 2^64 (-4095..-1 here) rounds to 0.
  if (length === 0 || (length < 0 && length > -PAGE_SIZE)) return 0;
  const range = userPages(c, addr, length);
  if (!range) return -ENOMEM;
  const end = range.end;
  let at = addr;
  for (const r of c.mem.vs.regionsIn(addr, end)) {
    if (r.end <= at) continue;
    if (r.start > at) return -ENOMEM;
    at = r.end;
  }
  if (at < end) return -ENOMEM;
  // MS_INVALIDATE cannot drop the pages of a locked mapping.
  if ((flags & MS_INVALIDATE) !== 0 && c.mem.vs.regionsIn(addr, end).some(regionLocked)) return -EBUSY;
  c.sys.sharedFiles.writeBack(c.mem.vs, addr, end);
  return 0;
};

const mprotect: Syscall = (c) => {
  const [addr, length, prot] = c.a;
  if (addr % PAGE_SIZE !== 0) return -EINVAL;
  if (length === 0) return 0;
  const range = userPages(c, addr, length);
  if (!range) return -ENOMEM;
  const end = range.end;
  // Every page of the range must be mapped.
  let at = addr;
  for (const r of c.mem.vs.regionsIn(addr, end)) {
    if (r.end <= at) continue;
    if (r.start > at) return -ENOMEM;
    at = r.end;
  }
  if (at < end) return -ENOMEM;
  if ((prot & 2) !== 0 && c.mem.vs.regionsIn(addr, end).some((r) => !sharedMayWrite(c, r.mo))) return -EACCES;
  const perms = protToPerms(prot);
  if (c.mem.vs.regions.length + splitsFor(c, addr, end, perms) > maxMapCount(c.sys)) return -ENOMEM;
  c.mem.vs.protect(addr, end - addr, perms);
  return 0;
};

/** Regions a change of [addr, end) to perms splits off at its two ends (Linux's split_vma: ENOMEM past vm.max_map_count). */
function splitsFor(c: Call, addr: number, end: number, perms: Perms): number {
  const differs = (r: Region): boolean => r.perms.read !== perms.read || r.perms.write !== perms.write || r.perms.exec !== perms.exec;
  const first = c.mem.vs.findRegion(addr);
  const last = c.mem.vs.findRegion(end - PAGE_SIZE);
  return (first && first.start < addr && differs(first) ? 1 : 0) + (last && last.end > end && differs(last) ? 1 : 0);
}

/** Shared mappings of a /dev/zero opened read-only: mprotect may not make them writable. */
const readOnlyShared = new WeakSet<MemoryObject>();

/** A shared file mapping may become writable only when its file was opened for writing and is not write-sealed. */
function sharedMayWrite(c: Call, mo: MemoryObject): boolean {
  if (readOnlyShared.has(mo)) return false;
  const f = c.sys.sharedFiles.fileOf(mo);
  return f === undefined || (f.writable && !writeSealed(f));
}

function writeSealed(f: OpenFile): boolean {
  return ((sealsOf(f) ?? 0) & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) !== 0;
}

/** Private anonymous objects get room to grow, so mremap can extend a mapping into the same object. */
function anonymousPages(pages: number): number {
  return Math.min(RADIX_CAPACITY, Math.max(pages * 4, 16));
}

/** What mremap moves: [start, end) mapped by back-to-back regions of one object, pages in order, one protection. */
interface Span {
  readonly mo: MemoryObject;
  /** The object page at start. */
  readonly moPage: number;
  readonly perms: Perms;
  readonly kind: RegionKind;
  readonly parts: readonly Region[];
}

function spanOf(c: Call, start: number, end: number): Span | null {
  const parts = c.mem.vs.regionsIn(start, end);
  const first = parts[0];
  if (!first || first.start > start || parts[parts.length - 1].end < end) return null;
  const moPage = first.moPage + (start - first.start) / PAGE_SIZE;
  for (let i = 1; i < parts.length; i++) {
    const r = parts[i];
    const same = r.mo === first.mo && r.start === parts[i - 1].end && r.moPage === moPage + (r.start - start) / PAGE_SIZE;
    if (!same || r.perms.read !== first.perms.read || r.perms.write !== first.perms.write || r.perms.exec !== first.perms.exec) return null;
  }
  return { mo: first.mo, moPage, perms: first.perms, kind: first.kind, parts };
}

/** Can the span's object pages [from, to) back a grown mapping? Only if no other mapping uses them. */
function roomInObject(c: Call, span: Span, from: number, to: number): boolean {
  if (to > span.mo.pageCount) return false;
  return !c.mem.vs.regions.some((r) => !span.parts.includes(r) && r.mo === span.mo && r.moPage < to && from < r.moPage + (r.end - r.start) / PAGE_SIZE);
}

/**
 * Grows, shrinks or moves a mapping. When the object behind it has room the
 * same object is mapped at the new place (in place when the pages after it
 * are free): nothing is copied, committed pages move with their frames.
 * Otherwise the contents are copied into a new object.
 */
const mremap: Syscall = (c) => {
  const [oldAddr, oldLen, newLen, flags, newAddr] = c.a;
  if ((flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) !== 0 || flags < 0) return -EINVAL;
  // An old length of 0 duplicates a shared mapping in Linux (a private one is EINVAL): not supported here.
  if (oldAddr % PAGE_SIZE !== 0 || newLen <= 0 || oldLen === 0) return -EINVAL;
  const fixed = (flags & MREMAP_FIXED) !== 0;
  if (fixed && ((flags & MREMAP_MAYMOVE) === 0 || newAddr % PAGE_SIZE !== 0)) return -EINVAL;
  if (!userPages(c, oldAddr, oldLen)) return -EFAULT;
  if (!userPages(c, 0, newLen) || (fixed && !userPages(c, newAddr, newLen))) return -EINVAL;
  const oldSize = pageUp(oldLen);
  const newSize = pageUp(newLen);
  const region = spanOf(c, oldAddr, oldAddr + oldSize);
  if (!region) return -EFAULT;
  const refs = c.sys.refs;
  if (newSize <= oldSize && !fixed) {
    if (newSize < oldSize) {
      c.sys.sharedFiles.writeBack(c.mem.vs, oldAddr + newSize, oldAddr + oldSize);
      c.mem.unmap(oldAddr + newSize, oldSize - newSize, refs);
    }
    return oldAddr;
  }
  const mo = region.mo;
  const oldPage = region.moPage;
  const oldPages = oldSize / PAGE_SIZE;
  const newPages = newSize / PAGE_SIZE;
  const reuse = roomInObject(c, region, oldPage + oldPages, oldPage + newPages);
  if (newPages > oldPages) {
    const limited = mayExpand(c.sys, c.p, { bytes: newSize - oldSize, data: region.perms.write && region.kind !== 'stack' && !c.mem.shared.has(mo) });
    if (limited < 0) return limited;
  }
  // Pages the mapping did not cover read as new (zeros or the file) unless the object is shared.
  const freshen = (): void => {
    if (newPages > oldPages && !c.mem.shared.has(mo)) mo.decommit(oldPage + oldPages, newPages - oldPages);
  };
  if (!fixed && reuse && !overlaps(c, oldAddr + oldSize, newSize - oldSize)) {
    freshen();
    c.mem.map(oldAddr + oldSize, newSize - oldSize, mo, oldPage + oldPages, region.perms, region.kind, refs);
    return oldAddr;
  }
  if ((flags & MREMAP_MAYMOVE) === 0) return -ENOMEM;
  let dest: number;
  if (fixed) {
    if (newAddr < oldAddr + oldSize && oldAddr < newAddr + newSize) return -EINVAL;
    dest = newAddr;
    c.mem.unmap(dest, newSize, refs);
  } else {
    dest = c.mem.findFree(newSize);
    if (dest < 0) return -ENOMEM;
  }
  if (reuse || newPages <= oldPages) {
    freshen();
    c.mem.map(dest, newSize, mo, oldPage, region.perms, region.kind, refs);
    c.mem.unmap(oldAddr, oldSize, refs);
    return dest;
  }
  const copy = c.sys.kernel.mm.createMemoryObject(anonymousPages(newPages));
  copyMappedFile(mo, copy);
  c.mem.map(dest, newSize, copy, 0, region.perms, region.kind, refs);
  copyResident(mo, oldPage, oldPages, copy);
  c.mem.unmap(oldAddr, oldSize, refs);
  return dest;
};

/**
 * The pages of [first, first + count) of mo that hold something, copied one
 * by one to the start of copy. A page never touched stays so (zeros, or the
 * file through copy's pager), as Linux moves page tables rather than pages:
 * reading the whole old mapping made a move of 2 GiB never touched fault in
 * 2 GiB under -m 256M, and the host hold the old size twice.
 */
function copyResident(mo: MemoryObject, first: number, count: number, copy: MemoryObject): void {
  for (let i = 0; i < count; i++) {
    if (mo.isResident(first + i)) copy.write(i * PAGE_SIZE, mo.read((first + i) * PAGE_SIZE, PAGE_SIZE));
  }
}

const ok: Syscall = () => 0;

// Rows of syscall-table.ts name these handlers.
export { brk, mmap, munmap, mprotect, mremap, msync, ok };
