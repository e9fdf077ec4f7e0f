// Advisory file locks, per inode: flock's whole-file locks (owned by an open
// file description) and byte-range record locks, both POSIX ones (owned by
// a descriptor table, so a fork does not inherit them and closing any
// descriptor of the file drops them) and OFD ones (owned by an open file
// description). POSIX and OFD locks conflict with each other; flock locks
// live apart, as on Linux.

export const F_RDLCK = 0;
export const F_WRLCK = 1;
export const F_UNLCK = 2;

export interface RangeLock {
  readonly owner: object;
  readonly ofd: boolean;
  /** The process that set it (F_GETLK reports it; -1 for OFD locks). */
  readonly pid: number;
  readonly type: number;
  readonly start: number;
  /** Last byte locked, inclusive; Infinity: to the end of the file and beyond. */
  readonly end: number;
}

interface FlockEntry {
  readonly owner: object;
  readonly exclusive: boolean;
}

interface InodeLocks {
  ranges: RangeLock[];
  flocks: FlockEntry[];
}

const byInode = new Map<number, InodeLocks>();
/** Who a blocked POSIX owner waits for (deadlock detection). */
const waitsFor = new Map<object, object>();

/** Is any range or flock lock held anywhere (so closing a file has something to drop)? */
export function anyLocks(): boolean {
  return byInode.size > 0 || leases.size > 0;
}

function locksOf(ino: number): InodeLocks {
  let l = byInode.get(ino);
  if (!l) byInode.set(ino, (l = { ranges: [], flocks: [] }));
  return l;
}

function tidy(ino: number): void {
  const l = byInode.get(ino);
  if (l && l.ranges.length === 0 && l.flocks.length === 0) byInode.delete(ino);
}

const overlap = (a: { start: number; end: number }, b: { start: number; end: number }): boolean => a.start <= b.end && b.start <= a.end;

/** The first lock of another owner that a lock of type over [start, end] would conflict with. */
export function rangeConflict(ino: number, owner: object, type: number, start: number, end: number): RangeLock | undefined {
  const l = byInode.get(ino);
  if (!l) return undefined;
  return l.ranges.find((x) => x.owner !== owner && overlap(x, { start, end }) && (type === F_WRLCK || x.type === F_WRLCK));
}

/** Would waiting on blocker's lock close a cycle back to owner? */
export function wouldDeadlock(owner: object, blocker: object): boolean {
  let at: object | undefined = blocker;
  for (let hops = 0; at !== undefined && hops < 1000; hops++) {
    if (at === owner) return true;
    at = waitsFor.get(at);
  }
  return false;
}

export function setWaiting(owner: object, blocker: object | undefined): void {
  if (blocker) waitsFor.set(owner, blocker);
  else waitsFor.delete(owner);
}

/**
 * Sets (or with F_UNLCK clears) owner's lock over [start, end]: the owner's
 * locks there are replaced, split where they stick out, and locks of the same
 * type that touch are merged. The caller has checked conflicts.
 */
export function setRange(ino: number, lock: RangeLock): void {
  const l = locksOf(ino);
  const kept: RangeLock[] = [];
  let { start, end } = lock;
  for (const x of l.ranges) {
    if (x.owner !== lock.owner) {
      kept.push(x);
      continue;
    }
    const touches = x.start <= end + 1 && start <= x.end + 1;
    if (touches && x.type === lock.type && lock.type !== F_UNLCK) {
      start = Math.min(start, x.start);
      end = Math.max(end, x.end);
      continue;
    }
    if (!overlap(x, lock)) {
      kept.push(x);
      continue;
    }
    if (x.start < lock.start) kept.push({ ...x, end: lock.start - 1 });
    if (x.end > lock.end) kept.push({ ...x, start: lock.end + 1 });
  }
  if (lock.type !== F_UNLCK) kept.push({ ...lock, start, end });
  kept.sort((a, b) => a.start - b.start);
  l.ranges = kept;
  tidy(ino);
}

/** Drops every range lock owner holds on the inode (a POSIX owner closing a descriptor, an OFD's last close). */
export function dropRanges(ino: number, owner: object): void {
  const l = byInode.get(ino);
  if (!l) return;
  l.ranges = l.ranges.filter((x) => x.owner !== owner);
  waitsFor.delete(owner);
  tidy(ino);
}

/** flock: can owner take the lock now? */
export function flockFree(ino: number, owner: object, exclusive: boolean): boolean {
  const l = byInode.get(ino);
  return !l || l.flocks.every((x) => x.owner === owner || (!exclusive && !x.exclusive));
}

export function flockSet(ino: number, owner: object, exclusive: boolean): void {
  const l = locksOf(ino);
  l.flocks = l.flocks.filter((x) => x.owner !== owner);
  l.flocks.push({ owner, exclusive });
}

export function flockDrop(ino: number, owner: object): void {
  const l = byInode.get(ino);
  if (!l) return;
  l.flocks = l.flocks.filter((x) => x.owner !== owner);
  tidy(ino);
}

/** Every inode the owner holds anything on (for dropping at close). */
export function inodesHeldBy(owner: object): number[] {
  const out: number[] = [];
  for (const [ino, l] of byInode) if (l.ranges.some((x) => x.owner === owner) || l.flocks.some((x) => x.owner === owner)) out.push(ino);
  return out;
}

/** Leases: one per open file description, read or write. */
interface Lease {
  readonly owner: object;
  type: number;
}

const leases = new Map<number, Lease[]>();

export function leaseOf(ino: number, owner: object): number {
  return leases.get(ino)?.find((x) => x.owner === owner)?.type ?? F_UNLCK;
}

export function setLease(ino: number, owner: object, type: number): void {
  const list = (leases.get(ino) ?? []).filter((x) => x.owner !== owner);
  if (type !== F_UNLCK) list.push({ owner, type });
  if (list.length > 0) leases.set(ino, list);
  else leases.delete(ino);
}

export function leasesOn(ino: number): readonly { owner: object; type: number }[] {
  return leases.get(ino) ?? [];
}
