// System V shared memory: shmget, shmat, shmdt, shmctl. A segment is one
// MemoryObject; every shmat maps that same object (and a fork shares it), so a
// write through any attachment is seen by all. The segment holds a reference
// on its object until IPC_RMID; after that the last detach destroys it.

import { PAGE_SIZE } from '../arch/arch';
import type { MemoryObject } from '../mm/memory-object';
import { RADIX_CAPACITY } from '../mm/radix-tree';
import { pageUp } from '../process/address-space';
import { EACCES, EFAULT, EINVAL, ENOMEM, ENOSPC, EPERM } from './errno';
import { limitsOf } from './resource-limits';
import {
  applyPermSet,
  encodePerm,
  ipcAllowed,
  ipcOwnerCheck,
  IpcTable,
  IPC_INFO,
  IPC_PRIVATE,
  IPC_RMID,
  IPC_SET,
  IPC_SLOTS,
  IPC_STAT,
  lookupForGet,
  setU64,
  type IpcCaller,
  type IpcPerm,
} from './ipc-ids';
import type { LinuxSystem } from './linux-system';
import type { Call, Syscall } from './syscall-context';

const SHM_HUGETLB = 0o4000;
const CAP_IPC_LOCK = 14;
const RLIMIT_MEMLOCK = 8;
const SHM_RDONLY = 0o10000;
const SHM_RND = 0o20000;
const SHM_REMAP = 0o40000;
const SHM_EXEC = 0o100000;
const SHM_LOCK = 11;
const SHM_UNLOCK = 12;
const SHM_STAT = 13;
const SHM_INFO = 14;
const SHM_STAT_ANY = 15;
/** Mode flags above the permission bits. */
const SHM_DEST = 0o1000;
const SHM_LOCKED = 0o2000;
const SHMMIN = 1;
export const SHMMNI = 4096;
/** Linux's defaults: ULONG_MAX - 2^24 bytes (SHMMAX) and pages (SHMALL), as decimal text (past 2^53). */
const SHM_DEFAULT_MAX = '18446744073692774399';

/** kernel.shmmax (bytes) and kernel.shmall (pages), which root may change through /proc/sys/kernel. */
export interface ShmLimits {
  shmmax: string;
  shmall: string;
}

const shmLimitsBySys = new WeakMap<LinuxSystem, ShmLimits>();

export function shmLimits(sys: LinuxSystem): ShmLimits {
  let l = shmLimitsBySys.get(sys);
  if (!l) shmLimitsBySys.set(sys, (l = { shmmax: SHM_DEFAULT_MAX, shmall: SHM_DEFAULT_MAX }));
  return l;
}
const SHMLBA = PAGE_SIZE;

interface Segment {
  readonly id: number;
  readonly perm: IpcPerm;
  removed?: boolean;
  readonly mo: MemoryObject;
  readonly size: number;
  atime: number;
  dtime: number;
  ctime: number;
  readonly cpid: number;
  lpid: number;
}

const tables = new WeakMap<LinuxSystem, IpcTable<Segment>>();

/** The system's table (its limit and next id are /proc/sys/kernel tunables). */
export function shmTable(sys: LinuxSystem): IpcTable<Segment> {
  let t = tables.get(sys);
  if (!t) tables.set(sys, (t = new IpcTable<Segment>(SHMMNI)));
  return t;
}

/** The caller's ids for permission checks (root until the personality has credentials). */
/** The caller as IPC permission checks see it: its effective ids (euid 0 stands for CAP_IPC_OWNER). */
export function ipcCaller(c: Call): IpcCaller {
  return { uid: c.p.creds.euid, gid: c.p.creds.egid };
}

const nowSeconds = (c: Call): number => Math.floor(c.sys.wallNow() / 1000);

/** Attachments alive anywhere: regions that map the segment from its first page. */
function attachCount(sys: LinuxSystem, seg: Segment): number {
  if (seg.mo.isDestroyed) return 0;
  let n = 0;
  for (const vs of sys.kernel.mm.vspaces) for (const r of vs.regions) if (r.mo === seg.mo && r.moPage === 0) n++;
  return n;
}

/** Drops segments marked for removal once nobody has them attached. */
function reap(sys: LinuxSystem): void {
  const table = shmTable(sys);
  for (const seg of [...table.values()]) if ((seg.perm.mode & SHM_DEST) !== 0 && attachCount(sys, seg) === 0) table.remove(seg);
}

const shmget: Syscall = (c) => {
  const key = c.int(0);
  const size = c.a[1];
  const flags = c.int(2);
  const caller = ipcCaller(c);
  const table = shmTable(c.sys);
  reap(c.sys);
  const found = lookupForGet(table, key, flags, caller, (seg) => (size > seg.size ? -EINVAL : 0));
  if (typeof found === 'number') return found;
  if (found !== null) return found.id;
  if (size < SHMMIN || size > Number(shmLimits(c.sys).shmmax) || size < 0) return -EINVAL;
  if ((flags & SHM_HUGETLB) !== 0) return hugeShmError(c, size);
  const pages = Math.ceil(size / PAGE_SIZE);
  // kernel.shmall bounds the pages of every segment together.
  let total = pages;
  for (const seg of table.values()) total += Math.ceil(seg.size / PAGE_SIZE);
  if (total > Number(shmLimits(c.sys).shmall)) return -ENOSPC;
  if (pages > RADIX_CAPACITY) return -ENOMEM;
  const mo = c.sys.kernel.mm.createMemoryObject(pages);
  c.sys.refs.retain(mo);
  const now = nowSeconds(c);
  const made = table.add(key === IPC_PRIVATE ? IPC_PRIVATE : key, flags, caller, (id, perm) => ({ id, perm, mo, size, atime: 0, dtime: 0, ctime: now, cpid: c.p.pid, lpid: 0 }));
  if (typeof made === 'number') {
    c.sys.refs.release(mo);
    return made;
  }
  return made.id;
};

function overlaps(c: Call, start: number, len: number): boolean {
  return c.mem.vs.regions.some((r) => r.start < start + len && start < r.end);
}

const shmat: Syscall = (c) => {
  const seg = shmTable(c.sys).byId(c.int(0)) ?? lingering(c.sys, c.int(0));
  let addr = c.a[1];
  const flags = c.int(2);
  if (!seg || addr < 0) return -EINVAL;
  if (addr % SHMLBA !== 0) {
    if ((flags & SHM_RND) === 0) return -EINVAL;
    addr -= addr % SHMLBA;
    if (addr === 0 && (flags & SHM_REMAP) !== 0) return -EINVAL;
  }
  if (addr === 0 && (flags & SHM_REMAP) !== 0) return -EINVAL;
  const rdonly = (flags & SHM_RDONLY) !== 0;
  if (!ipcAllowed(seg.perm, ipcCaller(c), rdonly ? 0o444 : 0o666)) return -EACCES;
  const len = pageUp(seg.size);
  let start: number;
  if (addr !== 0) {
    if (addr < c.mem.vs.addressRange.userBase || addr + len > c.mem.vs.addressRange.userTop) return -EINVAL;
    if ((flags & SHM_REMAP) === 0 && overlaps(c, addr, len)) return -EINVAL;
    c.mem.unmap(addr, len, c.sys.refs);
    start = addr;
  } else {
    start = c.mem.findFree(len);
    if (start < 0) return -ENOMEM;
  }
  try {
    c.mem.map(start, len, seg.mo, 0, { read: true, write: !rdonly, exec: (flags & SHM_EXEC) !== 0 }, 'mmap', c.sys.refs);
  } catch {
    return -ENOMEM;
  }
  c.mem.shared.add(seg.mo);
  seg.atime = nowSeconds(c);
  seg.lpid = c.p.pid;
  return start;
};

/** A segment removed with IPC_RMID but still attached: shmat by its id still works on Linux. */
function lingering(sys: LinuxSystem, id: number): Segment | undefined {
  for (const seg of shmTable(sys).values()) if (seg.id === id && (seg.perm.mode & SHM_DEST) !== 0 && attachCount(sys, seg) > 0) return seg;
  return undefined;
}

const shmdt: Syscall = (c) => {
  const addr = c.a[0];
  if (addr % PAGE_SIZE !== 0) return -EINVAL;
  const table = shmTable(c.sys);
  const first = c.mem.vs.regions.find((r) => r.start === addr && r.moPage === 0);
  const seg = first && [...table.values()].find((s) => s.mo === first.mo);
  if (!first || !seg) return -EINVAL;
  const end = addr + pageUp(seg.size);
  for (const r of c.mem.vs.regions.filter((x) => x.mo === seg.mo && x.start >= addr && x.start < end)) c.mem.unmap(r.start, r.end - r.start, c.sys.refs);
  seg.dtime = nowSeconds(c);
  seg.lpid = c.p.pid;
  reap(c.sys);
  return 0;
};

function encodeShmid(sys: LinuxSystem, seg: Segment): Uint8Array {
  const out = new Uint8Array(112);
  const v = new DataView(out.buffer);
  encodePerm(v, 0, seg.perm);
  setU64(v, 48, seg.size);
  setU64(v, 56, seg.atime);
  setU64(v, 64, seg.dtime);
  setU64(v, 72, seg.ctime);
  v.setInt32(80, seg.cpid, true);
  v.setInt32(84, seg.lpid, true);
  setU64(v, 88, attachCount(sys, seg));
  return out;
}

/**
 * SHM_HUGETLB: without CAP_IPC_LOCK or membership of vm.hugetlb_shm_group
 * (0), the segment must fit under RLIMIT_MEMLOCK (EPERM); then the pool of
 * huge pages is empty (ENOMEM), as vm.nr_hugepages reads 0.
 */
function hugeShmError(c: Call, size: number): number {
  const creds = c.p.creds;
  const mayLock = creds.capable(CAP_IPC_LOCK) || creds.fsgid === 0 || creds.groups.includes(0);
  const limit = limitsOf(c.p)[RLIMIT_MEMLOCK][0];
  if (!mayLock && Math.ceil(size / PAGE_SIZE) > Math.floor(limit / PAGE_SIZE)) return -EPERM;
  return -ENOMEM;
}

function infoReply(c: Call, cmd: number): number {
  const table = shmTable(c.sys);
  if (cmd === IPC_INFO) {
    // struct shminfo64: shmmax, shmmin, shmmni, shmseg, shmall.
    const out = new Uint8Array(72);
    const v = new DataView(out.buffer);
    // SHMMAX and SHMALL may pass 2^53 (the defaults are ULONG_MAX - 2^24): written from their text exactly.
    const l = shmLimits(c.sys);
    v.setBigUint64(0, BigInt(l.shmmax), true);
    v.setBigUint64(32, BigInt(l.shmall), true);
    setU64(v, 8, SHMMIN);
    setU64(v, 16, table.limit);
    setU64(v, 24, table.limit);
    c.user.write(c.a[2], out);
  } else {
    // struct shm_info: used_ids, shm_tot, shm_rss, shm_swp, swap_attempts, swap_successes.
    const out = new Uint8Array(48);
    const v = new DataView(out.buffer);
    v.setInt32(0, table.count, true);
    let tot = 0;
    let rss = 0;
    for (const s of table.values()) {
      tot += Math.ceil(s.size / PAGE_SIZE);
      rss += s.mo.isDestroyed ? 0 : s.mo.committedPages;
    }
    setU64(v, 8, tot);
    setU64(v, 16, rss);
    c.user.write(c.a[2], out);
  }
  return table.highestSlot;
}

const shmctl: Syscall = (c) => {
  const cmd = c.int(1);
  const caller = ipcCaller(c);
  reap(c.sys);
  if (cmd === IPC_INFO || cmd === SHM_INFO) return infoReply(c, cmd);
  if (cmd === SHM_STAT || cmd === SHM_STAT_ANY) {
    const index = c.int(0);
    const seg = index >= 0 && index < IPC_SLOTS ? shmTable(c.sys).bySlot(index) : undefined;
    if (!seg) return -EINVAL;
    if (cmd === SHM_STAT && !ipcAllowed(seg.perm, caller, 0o444)) return -EACCES;
    c.user.write(c.a[2], encodeShmid(c.sys, seg));
    return seg.id;
  }
  if (![IPC_RMID, IPC_SET, IPC_STAT, SHM_LOCK, SHM_UNLOCK].includes(cmd)) return -EINVAL;
  const seg = shmTable(c.sys).byId(c.int(0)) ?? lingering(c.sys, c.int(0));
  if (!seg) return -EINVAL;
  switch (cmd) {
    case IPC_STAT:
      if (!ipcAllowed(seg.perm, caller, 0o444)) return -EACCES;
      if (c.a[2] === 0) return -EFAULT;
      c.user.write(c.a[2], encodeShmid(c.sys, seg));
      return 0;
    case IPC_SET: {
      const buf = c.user.read(c.a[2], 112);
      const owner = ipcOwnerCheck(seg.perm, caller);
      if (owner < 0) return owner;
      applyPermSet(seg.perm, new DataView(buf.buffer, buf.byteOffset, buf.byteLength), 0);
      seg.ctime = nowSeconds(c);
      return 0;
    }
    case IPC_RMID: {
      const owner = ipcOwnerCheck(seg.perm, caller);
      if (owner < 0) return owner;
      return removeSegment(c.sys, seg);
    }
    default: {
      const owner = ipcOwnerCheck(seg.perm, caller);
      if (owner < 0) return owner;
      seg.perm.mode = cmd === SHM_LOCK ? seg.perm.mode | SHM_LOCKED : seg.perm.mode & ~SHM_LOCKED;
      return 0;
    }
  }
};

/** IPC_RMID: the key is free at once; the memory goes with the last attachment. */
function removeSegment(sys: LinuxSystem, seg: Segment): number {
  if ((seg.perm.mode & SHM_DEST) !== 0) return 0;
  seg.perm.mode |= SHM_DEST;
  seg.perm.key = IPC_PRIVATE;
  sys.refs.release(seg.mo);
  reap(sys);
  return 0;
}

/** What `ipcrm --all=shm` does: every segment marked for removal (attached ones go with their last detach). */
export function removeAllSegments(sys: LinuxSystem): void {
  for (const seg of [...shmTable(sys).values()]) removeSegment(sys, seg);
}

/** /proc/sysvipc/shm's rows: key, id, mode, size, cpid, lpid, nattch, uid, gid, cuid, cgid, atime, dtime, ctime, rss, swap. */
export function shmRows(sys: LinuxSystem): (number | string)[][] {
  reap(sys);
  return [...shmTable(sys).values()].map((s) => [s.perm.key, s.id, s.perm.mode, s.size, s.cpid, s.lpid, attachCount(sys, s), s.perm.uid, s.perm.gid, s.perm.cuid, s.perm.cgid, s.atime, s.dtime, s.ctime, s.mo.isDestroyed ? 0 : s.mo.committedPages * PAGE_SIZE, 0]);
}

// Rows of syscall-table.ts name these handlers.
export { shmget, shmat, shmdt, shmctl };
