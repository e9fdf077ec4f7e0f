// The bounded byte queue behind a pipe and each direction of a socket pair.
// It never blocks: it answers -EAGAIN where a blocking caller must wait (the
// caller polls pollIn/pollOut), end of file once the writing side is gone, and
// -EPIPE once the reading side is. With messages, each write is one message:
// it goes in whole or not at all, and a read takes one, truncated to the buffer.

import { EAGAIN, EPIPE } from './vfs-errno';

export class ByteQueue {
  private readonly chunks: Uint8Array[] = [];
  /** Bytes queued. */
  size = 0;
  /** The writing side is gone or shut down: reads see end of file once empty. */
  closed = false;
  /** The reading side is gone: writes get EPIPE. */
  orphaned = false;

  constructor(
    /** Bytes the queue holds at most (F_SETPIPE_SZ, SO_RCVBUF change it). */
    public capacity: number,
    readonly messages: boolean,
  ) {}

  read(max: number): Uint8Array | number {
    if (this.size === 0) return this.closed ? new Uint8Array(0) : -EAGAIN;
    if (this.messages) {
      const m = this.chunks.shift()!;
      this.size -= m.length;
      return m.subarray(0, max);
    }
    const out = new Uint8Array(Math.min(max, this.size));
    let got = 0;
    while (got < out.length) {
      const c = this.chunks[0];
      const n = Math.min(c.length, out.length - got);
      out.set(c.subarray(0, n), got);
      got += n;
      if (n === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(n);
    }
    this.size -= got;
    return out;
  }

  /** Bytes accepted; -EPIPE with no reader left or writing shut down, -EAGAIN when full. */
  write(data: Uint8Array): number {
    if (this.orphaned || this.closed) return -EPIPE;
    const room = this.capacity - this.size;
    if (room <= 0 || (this.messages && room < data.length)) return -EAGAIN;
    const n = this.messages ? data.length : Math.min(room, data.length);
    this.chunks.push(data.slice(0, n));
    this.size += n;
    return n;
  }

  /** A read would not block. */
  pollIn(): boolean {
    return this.size > 0 || this.closed;
  }

  /** A write would not block. */
  pollOut(): boolean {
    return this.orphaned || this.size < this.capacity;
  }
}
