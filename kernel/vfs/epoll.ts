// An epoll instance: an interest list of (descriptor, open file) pairs with
// the events each watches, asked through the readiness interface every file
// implements (readiness.ts), so any file type works here without code of its
// own. An epoll instance is itself a file, readable while something in it is
// ready: instances nest.
//
// Entries join a ready list in the order they are seen to become ready;
// level-triggered ones are reported while ready and go to the back of that
// list once reported, so a caller with a small maxevents sees every ready file
// in turn (Linux's ready-list rotation). Edge-triggered entries are
// reported when a watched bit rises or the file's edge count moves (new input,
// new room). EPOLLONESHOT disables an entry after one report until
// EPOLL_CTL_MOD. An EPOLLEXCLUSIVE entry shares each edge of its file with the
// other exclusive entries of that file: the first to see it takes it.

import type { Attributes } from './node';
import { OpenFile, O_RDWR } from './open-file';
import { newIno } from './overlay-fs';
import { ALWAYS_REPORTED, POLLIN, POLLOUT, POLLRDNORM } from './readiness';
import { EINVAL } from './vfs-errno';

export const EPOLLEXCLUSIVE = 1 << 28;
export const EPOLLWAKEUP = 1 << 29;
export const EPOLLONESHOT = 1 << 30;
export const EPOLLET = 2 ** 31;
/** Instances nested deeper than this are refused (Linux's EP_MAX_NESTS). */
export const MAX_NESTS = 4;
const WATCHED_OUTPUT = POLLOUT;

export interface EpollEvent {
  readonly events: number;
  /** The 64-bit user data as its two 32-bit halves. */
  readonly lo: number;
  readonly hi: number;
}

/** What an interest entry holds of the user's fs.epoll.max_user_watches and guest memory (kernel/linux/epoll-watches.ts). */
export interface WatchCharge {
  release(): void;
}

interface Entry {
  readonly fd: number;
  readonly charge?: WatchCharge;
  readonly file: OpenFile;
  events: number;
  lo: number;
  hi: number;
  /** EPOLLONESHOT fired: nothing is reported until EPOLL_CTL_MOD. */
  disabled: boolean;
  /** On the ready list. */
  queued: boolean;
  /** Edge-triggered state: the mask and edge counts when last looked at. */
  seenMask: number;
  seenIn: number;
  seenOut: number;
}

/** Per file, the last input edge an exclusive entry took (EPOLLEXCLUSIVE). */
const exclusiveTaken = new WeakMap<OpenFile, number>();

export class EpollFile extends OpenFile {
  private readonly ino = newIno();
  /** The interest list, in the order entries were added. */
  private order: Entry[] = [];
  /** Linux's ready list: entries in the order they were seen to become ready. */
  private ready: Entry[] = [];
  /** Instances this one is registered in (for nesting depth and loop checks). */
  readonly containers = new Set<EpollFile>();

  constructor(flags: number) {
    super('anon_inode:[eventpoll]', flags | O_RDWR);
  }

  private find(fd: number, file: OpenFile): Entry | undefined {
    return this.order.find((e) => e.fd === fd && e.file === file);
  }

  has(fd: number, file: OpenFile): boolean {
    return this.find(fd, file) !== undefined;
  }

  add(fd: number, file: OpenFile, ev: EpollEvent, charge?: WatchCharge): void {
    const e: Entry = { fd, file, charge, events: ev.events, lo: ev.lo, hi: ev.hi, disabled: false, queued: false, seenMask: 0, seenIn: 0, seenOut: 0 };
    this.rememberEdges(e);
    this.order.push(e);
    if (file instanceof EpollFile) file.containers.add(this);
    this.refresh();
  }

  /** EPOLL_CTL_MOD: new events and data; a disabled one-shot entry is armed again. */
  modify(fd: number, file: OpenFile, ev: EpollEvent): void {
    const e = this.find(fd, file)!;
    Object.assign(e, { events: (e.events & EPOLLEXCLUSIVE) | ev.events, lo: ev.lo, hi: ev.hi, disabled: false, seenMask: 0 });
    this.refresh();
  }

  /** The entry's events (for EPOLL_CTL_MOD's check of EPOLLEXCLUSIVE). */
  eventsOf(fd: number, file: OpenFile): number {
    return this.find(fd, file)?.events ?? 0;
  }

  remove(fd: number, file: OpenFile): void {
    const gone = (e: Entry): boolean => e.fd === fd && e.file === file;
    for (const e of this.order) if (gone(e)) e.charge?.release();
    this.order = this.order.filter((e) => !gone(e));
    this.ready = this.ready.filter((e) => !gone(e));
    if (file instanceof EpollFile && !this.order.some((e) => e.file === file)) file.containers.delete(this);
  }

  /** Epoll instances inside this one, at any depth below (0: none). */
  depthBelow(): number {
    let d = 0;
    for (const e of this.order) if (e.file instanceof EpollFile && e.file.isOpen) d = Math.max(d, 1 + e.file.depthBelow());
    return d;
  }

  /** Instances containing this one, at any height above (0: none). */
  depthAbove(): number {
    let d = 0;
    for (const c of this.containers) if (c.isOpen) d = Math.max(d, 1 + c.depthAbove());
    return d;
  }

  /** Is other this instance, or inside it at any depth? */
  reaches(other: EpollFile): boolean {
    if (other === this) return true;
    return this.order.some((e) => e.file instanceof EpollFile && e.file.isOpen && e.file.reaches(other));
  }

  /** Takes up to max events that are ready now, updating edge and one-shot state as Linux's epoll_wait does. */
  collect(max: number): EpollEvent[] {
    this.refresh();
    const out: EpollEvent[] = [];
    const kept: Entry[] = [];
    const relisted: Entry[] = [];
    for (const e of this.ready) {
      if (out.length >= max) {
        kept.push(e);
        continue;
      }
      const mask = this.maskOf(e);
      e.queued = false;
      if (e.disabled || !this.edgeFires(e, mask) || mask === 0) continue;
      out.push({ events: mask, lo: e.lo, hi: e.hi });
      if ((e.events & EPOLLONESHOT) !== 0) e.disabled = true;
      else if ((e.events & EPOLLET) === 0) relisted.push(e);
    }
    for (const e of relisted) e.queued = true;
    this.ready = [...kept, ...relisted];
    return out;
  }

  /** Appends to the ready list the entries that became ready since the last look. */
  private refresh(): void {
    this.forgetClosed();
    for (const e of this.order) {
      if (e.disabled || e.queued || !this.wouldFire(e)) continue;
      e.queued = true;
      this.ready.push(e);
    }
  }

  /** Would collect report the entry now? Only falling bits of an edge-triggered entry are noted, so they can rise again. */
  private wouldFire(e: Entry): boolean {
    const mask = this.maskOf(e);
    if ((e.events & EPOLLET) === 0) return mask !== 0;
    e.seenMask &= mask;
    return mask !== 0 && ((mask & ~e.seenMask) !== 0 || this.movedEdges(e, mask));
  }

  private anyReady(): boolean {
    this.refresh();
    return this.ready.some((e) => !e.disabled && this.wouldFire(e));
  }

  private maskOf(e: Entry): number {
    return e.file.pollEvents() & ((e.events & 0xffff) | ALWAYS_REPORTED);
  }

  /** Level-triggered entries always fire; edge-triggered ones on a rising bit or a moved edge count. */
  private edgeFires(e: Entry, mask: number): boolean {
    if ((e.events & EPOLLET) === 0) return true;
    let fires = mask !== 0 && ((mask & ~e.seenMask) !== 0 || this.movedEdges(e, mask));
    if (fires && (e.events & EPOLLEXCLUSIVE) !== 0) fires = this.takeExclusive(e);
    e.seenMask = mask;
    this.rememberEdges(e);
    return fires;
  }

  private movedEdges(e: Entry, mask: number): boolean {
    return ((mask & POLLIN) !== 0 && e.file.edgeCount('in') !== e.seenIn) || ((mask & WATCHED_OUTPUT) !== 0 && e.file.edgeCount('out') !== e.seenOut);
  }

  private rememberEdges(e: Entry): void {
    e.seenIn = e.file.edgeCount('in');
    e.seenOut = e.file.edgeCount('out');
  }

  /** The first exclusive entry to see an input edge of its file takes it; the others let it pass. */
  private takeExclusive(e: Entry): boolean {
    const edge = e.file.edgeCount('in');
    if (edge === 0) return true;
    if ((exclusiveTaken.get(e.file) ?? 0) >= edge) return false;
    exclusiveTaken.set(e.file, edge);
    return true;
  }

  /** Linux drops an entry when its open file description is closed for good. */
  private forgetClosed(): void {
    if (this.order.every((e) => e.file.isOpen)) return;
    for (const e of this.order) if (!e.file.isOpen && e.file instanceof EpollFile) e.file.containers.delete(this);
    for (const e of this.order) if (!e.file.isOpen) e.charge?.release();
    this.order = this.order.filter((e) => e.file.isOpen);
    this.ready = this.ready.filter((e) => e.file.isOpen);
  }

  /** When time alone makes an entry ready (a timerfd inside). */
  override readyAt(): number | undefined {
    let at: number | undefined;
    for (const e of this.order) {
      const t = e.file.isOpen ? e.file.readyAt() : undefined;
      if (t !== undefined && (at === undefined || t < at)) at = t;
    }
    return at;
  }

  read(): number {
    return -EINVAL;
  }
  write(): number {
    return -EINVAL;
  }
  override pollIn(): boolean {
    return this.anyReady();
  }
  override pollOut(): boolean {
    return false;
  }
  override pollEvents(): number {
    return this.anyReady() ? POLLIN | POLLRDNORM : 0;
  }
  override seekable(): boolean {
    return false;
  }

  attrs(): Attributes {
    const now = Date.now();
    return { kind: 'file', perm: 0o600, size: 0, ino: this.ino, nlink: 1, rdev: 0, mtimeMs: now, atimeMs: now, ctimeMs: now };
  }

  protected override released(): void {
    for (const e of this.order) if (e.file instanceof EpollFile) e.file.containers.delete(this);
    for (const e of this.order) e.charge?.release();
    this.order = [];
    this.ready = [];
  }
}
