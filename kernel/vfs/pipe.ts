// Pipes: a byte queue with a read end and a write end.

import { ByteQueue } from './byte-queue';
import type { Attributes } from './node';
import { OpenFile, O_DIRECT, O_WRONLY } from './open-file';
import { POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM, type EdgeDirection } from './readiness';
import { newIno } from './overlay-fs';
import { EBUSY, EINVAL } from './vfs-errno';

export const PIPE_CAPACITY = 65536;
const PAGE = 4096;

/** F_SETPIPE_SZ's rounding: at least a page, a power of two of pages; 0 when too big to round. */
export function roundPipeSize(bytes: number): number {
  if (bytes > 2 ** 31) return 0;
  if (bytes <= PAGE) return PAGE;
  let pages = 1;
  while (pages * PAGE < bytes) pages *= 2;
  return pages * PAGE;
}

export class PipeEnd extends OpenFile {
  constructor(
    protected readonly buf: ByteQueue,
    private readonly ino: number,
    readonly isWriteEnd: boolean,
    flags: number,
    /** A FIFO's path; an anonymous pipe is pipe:[ino]. Its flags carry their own access mode. */
    path?: string,
  ) {
    super(path ?? `pipe:[${ino}]`, path !== undefined ? flags : (flags & ~3) | (isWriteEnd ? O_WRONLY : 0));
  }

  read(max: number): Uint8Array | number {
    // A read of nothing returns at once, even from an empty pipe (Linux's pipe_read).
    if (max === 0) return new Uint8Array(0);
    return this.buf.read(max);
  }

  /** Bytes accepted; -EPIPE with no reader left, -EAGAIN when full. O_DIRECT on the write end makes packets. */
  write(data: Uint8Array): number {
    return (this.statusFlags & O_DIRECT) !== 0 ? this.buf.writePackets(data) : this.buf.write(data);
  }

  /** tee: a copy of up to max queued bytes, left in the pipe. */
  peek(max: number): Uint8Array {
    const r = this.buf.receive(max, true);
    return typeof r === 'number' ? new Uint8Array(0) : r.data;
  }

  /** Bytes a write could add now. */
  get room(): number {
    return Math.max(0, this.buf.capacity - this.buf.size);
  }

  /** No writer is left: an empty pipe reads as end of file. */
  get writersGone(): boolean {
    return this.buf.closed;
  }

  /** No reader is left: writes get EPIPE. */
  get readersGone(): boolean {
    return this.buf.orphaned;
  }

  /** Is this the same pipe as other's? */
  samePipe(other: PipeEnd): boolean {
    return this.buf === other.buf;
  }

  /** FIONREAD. */
  get queued(): number {
    return this.buf.size;
  }

  /** F_GETPIPE_SZ. */
  get pipeSize(): number {
    return this.buf.capacity;
  }

  /** F_SETPIPE_SZ: the size set, -EBUSY when the pages queued would not fit. */
  setPipeSize(bytes: number): number {
    const size = roundPipeSize(bytes);
    if (size === 0) return -EINVAL;
    if (Math.ceil(this.buf.size / PAGE) > size / PAGE) return -EBUSY;
    this.buf.capacity = size;
    return size;
  }

  override pollIn(): boolean {
    return this.buf.pollIn();
  }
  override pollOut(): boolean {
    return this.buf.pollOut();
  }
  /**
   * Linux's pipe_poll: a read end is readable with bytes queued and hung up
   * with no writer left; a write end is writable while a page slot is free
   * (a partly read page still holds its slot) and in error with no reader.
   */
  override pollEvents(): number {
    const b = this.buf;
    if (!this.isWriteEnd) return (b.size > 0 ? POLLIN | POLLRDNORM : 0) | (b.closed ? POLLHUP : 0);
    return (b.full ? 0 : POLLOUT | POLLWRNORM) | (b.orphaned ? POLLERR : 0);
  }
  override edgeCount(direction: EdgeDirection): number {
    return direction === 'in' ? this.buf.arrivals : this.buf.departures;
  }
  /** Nobody can ever write again (POLLHUP on a read end), or read again (POLLERR on a write end). */
  get hungUp(): boolean {
    return this.isWriteEnd ? this.buf.orphaned : this.buf.closed;
  }
  override seekable(): boolean {
    return false;
  }

  attrs(): Attributes {
    const now = Date.now();
    return { kind: 'fifo', perm: 0o600, size: this.buf.size, ino: this.ino, nlink: 1, rdev: 0, mtimeMs: now, atimeMs: now, ctimeMs: now };
  }

  protected override released(): void {
    if (this.isWriteEnd) this.buf.closed = true;
    else this.buf.orphaned = true;
    // Nobody holds the pipe any more: its pages go (and their charge).
    if (this.buf.closed && this.buf.orphaned) this.buf.drain();
  }
}

export function createPipe(flags: number, capacity = PIPE_CAPACITY): [PipeEnd, PipeEnd] {
  const b = new ByteQueue(capacity, false);
  const ino = newIno();
  return [new PipeEnd(b, ino, false, flags), new PipeEnd(b, ino, true, flags)];
}
