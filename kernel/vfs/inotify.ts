// inotify instances: watches on inodes (by inode number) and the queue of
// events the VFS calls report to them (kernel/linux/fs-events.ts says which
// call makes which event).

import type { Attributes } from './node';
import { OpenFile, O_RDWR } from './open-file';
import { EINVAL } from './vfs-errno';

export const IN_ACCESS = 0x1;
export const IN_MODIFY = 0x2;
export const IN_ATTRIB = 0x4;
export const IN_CLOSE_WRITE = 0x8;
export const IN_CLOSE_NOWRITE = 0x10;
export const IN_OPEN = 0x20;
export const IN_MOVED_FROM = 0x40;
export const IN_MOVED_TO = 0x80;
export const IN_CREATE = 0x100;
export const IN_DELETE = 0x200;
export const IN_DELETE_SELF = 0x400;
export const IN_MOVE_SELF = 0x800;
export const IN_Q_OVERFLOW = 0x4000;
export const IN_IGNORED = 0x8000;
export const IN_ONLYDIR = 0x1000000;
export const IN_DONT_FOLLOW = 0x2000000;
export const IN_EXCL_UNLINK = 0x4000000;
export const IN_MASK_CREATE = 0x10000000;
export const IN_MASK_ADD = 0x20000000;
export const IN_ISDIR = 0x40000000;
export const IN_ONESHOT = 0x80000000;
export const IN_ALL_EVENTS = 0xfff;
const EAGAIN = 11;
const EVENT_SIZE = 16;

/** Events a directory watch also gets for its children (with their name). */
export const CHILD_EVENTS = IN_ACCESS | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE | IN_OPEN | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE;

export interface Watch {
  readonly wd: number;
  readonly ino: number;
  mask: number;
}

/** The limits of /proc/sys/fs/inotify (Linux's defaults). */
export const inotifyLimits = { maxQueuedEvents: 16384, maxUserInstances: 128, maxUserWatches: 65536 };

const live = new Set<InotifyFile>();

/**
 * Guest memory for watches and queued events (the Linux personality charges
 * them, kernel/linux/inotify-charges.ts): Linux charges both to the memory
 * cgroup (inotify_inode_mark, fsnotify events), and root may lift
 * max_user_watches and max_queued_events, so only memory bounds them.
 */
export interface InotifyMeter {
  /** Takes bytes; false (nothing taken) when guest memory cannot hold them. */
  charge(bytes: number): boolean;
  release(bytes: number): void;
}

let meter: InotifyMeter | undefined;
/** Watches of every live instance, kept as they come and go (inotify_add_watch checks max_user_watches against it). */
let watchTotal = 0;

export function inotifyWatchTotal(): number {
  return watchTotal;
}

export function setInotifyMeter(m: InotifyMeter | undefined): void {
  meter = m;
}

/** A watch: its record and map entry (Linux's inotify_inode_mark and its share of the inode it pins). */
export const INOTIFY_WATCH_BYTES = 1024;
/** A queued event: its record and name, twice (the host holds them besides guest RAM). */
const eventCharge = (e: QueuedEvent): number => 2 * (64 + e.name.length * 2);

/** Every open inotify instance (for the limits and for reporting). */
export function inotifyInstances(): ReadonlySet<InotifyFile> {
  return live;
}

interface QueuedEvent {
  readonly wd: number;
  readonly mask: number;
  readonly cookie: number;
  readonly name: string;
}

/** The overflow event: one object, never charged. */
const OVERFLOW: QueuedEvent = { wd: -1, mask: IN_Q_OVERFLOW, cookie: 0, name: '' };

export class InotifyFile extends OpenFile {
  private readonly watches = new Map<number, Watch>();
  private readonly queue: QueuedEvent[] = [];
  private nextWd = 1;
  private arrivals = 0;
  private readonly ino: number;

  constructor(flags: number, ino: number) {
    super('anon_inode:inotify', flags | O_RDWR);
    this.ino = ino;
    live.add(this);
  }

  get watchCount(): number {
    return this.watches.size;
  }

  /** inotify_add_watch: a new watch, or the existing one's mask replaced (or extended with IN_MASK_ADD). */
  addWatch(ino: number, mask: number): number {
    const events = mask & (IN_ALL_EVENTS | IN_ONESHOT | IN_EXCL_UNLINK);
    for (const w of this.watches.values()) {
      if (w.ino !== ino) continue;
      if ((mask & IN_MASK_CREATE) !== 0) return -17; // EEXIST
      w.mask = (mask & IN_MASK_ADD) !== 0 ? w.mask | events : events;
      return w.wd;
    }
    if (meter && !meter.charge(INOTIFY_WATCH_BYTES)) return -12; // ENOMEM
    const wd = this.nextWd++;
    this.watches.set(wd, { wd, ino, mask: events });
    watchTotal++;
    return wd;
  }

  /** inotify_rm_watch: the watch goes, with an IN_IGNORED event. */
  removeWatch(wd: number): boolean {
    const w = this.watches.get(wd);
    if (!w) return false;
    this.drop(w);
    return true;
  }

  private drop(w: Watch): void {
    this.watches.delete(w.wd);
    watchTotal--;
    meter?.release(INOTIFY_WATCH_BYTES);
    this.push({ wd: w.wd, mask: IN_IGNORED, cookie: 0, name: '' });
  }

  /** The watch on ino, if any. */
  watchOn(ino: number): Watch | undefined {
    for (const w of this.watches.values()) if (w.ino === ino) return w;
    return undefined;
  }

  /** Reports an event on watch w (when its mask takes it). */
  report(w: Watch, mask: number, cookie: number, name: string): void {
    if ((w.mask & mask & IN_ALL_EVENTS) === 0) return;
    this.push({ wd: w.wd, mask, cookie, name });
    if ((w.mask & IN_ONESHOT) !== 0 && this.watches.has(w.wd)) this.drop(w);
  }

  /** The inode is gone: its watch reports IN_IGNORED and ends. */
  inodeGone(ino: number): void {
    const w = this.watchOn(ino);
    if (w) this.drop(w);
  }

  private push(e: QueuedEvent): void {
    const last = this.queue[this.queue.length - 1];
    // An event identical to the last one queued is merged into it, as Linux does.
    if (last && last.wd === e.wd && last.mask === e.mask && last.cookie === e.cookie && last.name === e.name) return;
    if (last?.mask === IN_Q_OVERFLOW) return;
    // Past max_queued_events, or when the event's memory cannot be had (Linux queues the overflow event then too).
    if (this.queue.length >= inotifyLimits.maxQueuedEvents || (meter && !meter.charge(eventCharge(e)))) e = OVERFLOW;
    this.queue.push(e);
    this.arrivals++;
  }

  /** Bytes waiting (FIONREAD). */
  get queued(): number {
    return this.queue.reduce((n, e) => n + eventSize(e), 0);
  }

  read(max: number): Uint8Array | number {
    if (this.queue.length === 0) return -EAGAIN;
    if (eventSize(this.queue[0]) > max) return -EINVAL;
    const parts: Uint8Array[] = [];
    let size = 0;
    let taken = 0;
    while (taken < this.queue.length && size + eventSize(this.queue[taken]) <= max) {
      const e = this.queue[taken++];
      if (e !== OVERFLOW) meter?.release(eventCharge(e));
      const b = encodeEvent(e);
      parts.push(b);
      size += b.length;
    }
    // One splice a read: a shift an event made reading a long queue take its square.
    this.queue.splice(0, taken);
    return Buffer.concat(parts);
  }

  write(): number {
    return -EINVAL;
  }

  override seekable(): boolean {
    return false;
  }

  override pollIn(): boolean {
    return this.queue.length > 0;
  }

  override pollOut(): boolean {
    return false;
  }

  override edgeCount(direction: 'in' | 'out'): number {
    return direction === 'in' ? this.arrivals : 0;
  }

  attrs(): Attributes {
    const now = Date.now();
    return { kind: 'file', perm: 0o600, size: 0, ino: this.ino, nlink: 1, rdev: 0, mtimeMs: now, atimeMs: now, ctimeMs: now };
  }

  /** /proc/PID/fdinfo's lines, one per watch. */
  fdinfoLines(): string {
    return [...this.watches.values()].map((w) => `inotify wd:${w.wd} ino:${w.ino.toString(16)} sdev:801 mask:${w.mask.toString(16)} ignored_mask:0\n`).join('');
  }

  protected override released(): void {
    live.delete(this);
    meter?.release(this.watches.size * INOTIFY_WATCH_BYTES + this.queue.reduce((n, e) => n + (e === OVERFLOW ? 0 : eventCharge(e)), 0));
    watchTotal -= this.watches.size;
    this.watches.clear();
    this.queue.length = 0;
  }
}

/** An event's size: the header and its name, NUL-padded to a multiple of 16. */
function eventSize(e: QueuedEvent): number {
  return EVENT_SIZE + nameLength(e.name);
}

function nameLength(name: string): number {
  return name === '' ? 0 : Math.ceil((Buffer.byteLength(name) + 1) / EVENT_SIZE) * EVENT_SIZE;
}

function encodeEvent(e: QueuedEvent): Uint8Array {
  const len = nameLength(e.name);
  const b = new Uint8Array(EVENT_SIZE + len);
  const v = new DataView(b.buffer);
  v.setInt32(0, e.wd, true);
  v.setUint32(4, e.mask >>> 0, true);
  v.setUint32(8, e.cookie, true);
  v.setUint32(12, len, true);
  if (len > 0) b.set(Buffer.from(e.name), EVENT_SIZE);
  return b;
}
