// Memory calls: brk, mmap (anonymous, private and shared; private file
// mappings filled from the file on first touch), munmap, mprotect, mremap,
// madvise.

import { PAGE_SIZE } from '../arch/arch';
import type { MemoryObject } from '../mm/memory-object';
import type { Perms } from '../mm/region';
import { HEAP_LIMIT, pageUp } from '../process/address-space';
import { EACCES, EBADF, EEXIST, EFAULT, EINVAL, ENODEV, ENOMEM } from './errno';
import type { Call, Syscall } from './syscall-context';

const MAP_SHARED = 0x01;
const MAP_PRIVATE = 0x02;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const MAP_FIXED_NOREPLACE = 0x100000;
const MREMAP_MAYMOVE = 1;
const MREMAP_FIXED = 2;
const MADV_DONTNEED = 4;
const USER_TOP = 2 ** 48;

function protToPerms(prot: number): Perms {
  return { read: (prot & 1) !== 0, write: (prot & 2) !== 0, exec: (prot & 4) !== 0 };
}

const brk: Syscall = (c) => {
  const m = c.mem;
  const addr = c.a[0];
  if (addr === 0 || addr < m.brkStart || addr > m.brkStart + HEAP_LIMIT) return m.brk;
  const oldTop = pageUp(m.brk);
  const newTop = pageUp(addr);
  if (!m.heap || m.heap.isDestroyed) m.heap = c.sys.kernel.mm.createMemoryObject(HEAP_LIMIT / PAGE_SIZE);
  try {
    if (newTop > oldTop) {
      if (m.vs.regions.some((r) => r.start < newTop && oldTop < r.end)) return m.brk;
      m.map(oldTop, newTop - oldTop, m.heap, (oldTop - m.brkStart) / PAGE_SIZE, { read: true, write: true, exec: false }, 'heap', c.sys.refs);
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
  return c.mem.vs.regions.some((r) => r.start < start + len && start < r.end);
}

/** A MemoryObject with the file's bytes from offset, read on first touch of each page. */
function fileObject(c: Call, bytes: Uint8Array, offset: number, pages: number): MemoryObject {
  return c.sys.kernel.mm.createMemoryObject(pages, (page, out) => {
    const from = offset + page * PAGE_SIZE;
    if (from < bytes.length) out.set(bytes.subarray(from, Math.min(from + PAGE_SIZE, bytes.length)));
  });
}

const mmap: Syscall = (c) => {
  const [addr, length, prot, flags, , offset] = c.a;
  if (length <= 0 || length > USER_TOP) return length === 0 ? -EINVAL : -ENOMEM;
  if ((flags & (MAP_SHARED | MAP_PRIVATE)) === 0 || offset % PAGE_SIZE !== 0 || offset < 0) return -EINVAL;
  const len = pageUp(length);
  let bytes: Uint8Array | null = null;
  if ((flags & MAP_ANONYMOUS) === 0) {
    const f = c.p.fds.get(c.int(4));
    if (!f) return -EBADF;
    if (!f.readable) return -EACCES;
    bytes = f.mappable();
    if (bytes === null) return -ENODEV;
  }
  let start: number;
  if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) !== 0) {
    if (addr % PAGE_SIZE !== 0 || addr + len > USER_TOP) return -EINVAL;
    if ((flags & MAP_FIXED_NOREPLACE) !== 0 && overlaps(c, addr, len)) return -EEXIST;
    start = addr;
    c.mem.unmap(start, len, c.sys.refs);
  } else if (addr !== 0 && addr % PAGE_SIZE === 0 && addr + len <= USER_TOP && !overlaps(c, addr, len)) {
    start = addr;
  } else {
    start = c.mem.findFree(len);
    if (start < 0) return -ENOMEM;
  }
  try {
    const mo = bytes ? fileObject(c, bytes, offset, len / PAGE_SIZE) : c.sys.kernel.mm.createMemoryObject(len / PAGE_SIZE);
    if ((flags & MAP_SHARED) !== 0 && bytes === null) c.mem.shared.add(mo);
    c.mem.map(start, len, mo, 0, protToPerms(prot), 'mmap', c.sys.refs);
  } catch {
    return -ENOMEM;
  }
  return start;
};

const munmap: Syscall = (c) => {
  const [addr, length] = c.a;
  if (addr % PAGE_SIZE !== 0 || length <= 0 || addr + length > USER_TOP) return -EINVAL;
  c.mem.unmap(addr, pageUp(length), c.sys.refs);
  return 0;
};

const mprotect: Syscall = (c) => {
  const [addr, length, prot] = c.a;
  if (addr % PAGE_SIZE !== 0) return -EINVAL;
  if (length === 0) return 0;
  const end = addr + pageUp(length);
  // Every page of the range must be mapped.
  let at = addr;
  for (const r of c.mem.vs.regions) {
    if (r.end <= at || r.start >= end) continue;
    if (r.start > at) return -ENOMEM;
    at = r.end;
  }
  if (at < end) return -ENOMEM;
  c.mem.vs.protect(addr, end - addr, protToPerms(prot));
  return 0;
};

/** Grows or moves a mapping by copying it into a new object (the tiers' objects have a fixed size). */
const mremap: Syscall = (c) => {
  const [oldAddr, oldLen, newLen, flags, newAddr] = c.a;
  if (oldAddr % PAGE_SIZE !== 0 || newLen <= 0) return -EINVAL;
  const oldSize = pageUp(oldLen);
  const newSize = pageUp(newLen);
  const region = c.mem.vs.findRegion(oldAddr);
  if (!region || region.end < oldAddr + oldSize) return -EFAULT;
  if (newSize <= oldSize && (flags & MREMAP_FIXED) === 0) {
    if (newSize < oldSize) c.mem.unmap(oldAddr + newSize, oldSize - newSize, c.sys.refs);
    return oldAddr;
  }
  if ((flags & MREMAP_MAYMOVE) === 0) return -ENOMEM;
  let dest: number;
  if ((flags & MREMAP_FIXED) !== 0) {
    dest = newAddr;
    c.mem.unmap(dest, newSize, c.sys.refs);
  } else {
    dest = c.mem.findFree(newSize);
    if (dest < 0) return -ENOMEM;
  }
  const mo = c.sys.kernel.mm.createMemoryObject(newSize / PAGE_SIZE);
  const data = c.user.read(oldAddr, Math.min(oldSize, newSize));
  c.mem.map(dest, newSize, mo, 0, region.perms, 'mmap', c.sys.refs);
  mo.write(0, data);
  c.mem.unmap(oldAddr, oldSize, c.sys.refs);
  return dest;
};

const madvise: Syscall = (c) => {
  const [addr, length, advice] = c.a;
  if (addr % PAGE_SIZE !== 0) return -EINVAL;
  if (advice !== MADV_DONTNEED) return 0;
  const end = addr + pageUp(length);
  for (const r of c.mem.vs.regions) {
    const s = Math.max(r.start, addr);
    const e = Math.min(r.end, end);
    if (s >= e || c.mem.shared.has(r.mo)) continue;
    // Dropping a private page makes it read as its origin again (zeros, or the file).
    r.mo.decommit(r.moPage + (s - r.start) / PAGE_SIZE, (e - s) / PAGE_SIZE);
  }
  return 0;
};

const ok: Syscall = () => 0;

export const MEMORY_SYSCALLS: [number, Syscall][] = [
  [214, brk],
  [222, mmap],
  [215, munmap],
  [226, mprotect],
  [216, mremap],
  [233, madvise],
  [227, ok], // msync
  [228, ok], // mlock
  [229, ok], // munlock
  [230, ok], // mlockall
  [231, ok], // munlockall
];
