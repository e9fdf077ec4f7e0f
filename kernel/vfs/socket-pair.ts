// socketpair(AF_UNIX): two connected ends, each reading what the other
// writes. SOCK_STREAM is a byte stream; SOCK_DGRAM and SOCK_SEQPACKET keep
// message boundaries (a read takes one message, truncated to the buffer).

import type { Attributes } from './node';
import { OpenFile, O_RDWR } from './open-file';
import { newIno } from './overlay-fs';
import { EAGAIN, EPIPE } from './vfs-errno';

export const SOCKET_CAPACITY = 212992;

class Queue {
  readonly chunks: Uint8Array[] = [];
  size = 0;
  /** The writing end shut down or closed: reads see end of file once empty. */
  closed = false;
  /** The reading end is gone: writes get EPIPE. */
  orphaned = false;
}

export class SocketEnd extends OpenFile {
  constructor(
    private readonly rx: Queue,
    private readonly tx: Queue,
    readonly messages: boolean,
    flags: number,
    private readonly ino = newIno(),
  ) {
    super(`socket:[${ino}]`, flags | O_RDWR);
  }

  read(max: number): Uint8Array | number {
    const q = this.rx;
    if (q.size === 0) return q.closed ? new Uint8Array(0) : -EAGAIN;
    if (this.messages) {
      const m = q.chunks.shift()!;
      q.size -= m.length;
      return m.subarray(0, max);
    }
    const out = new Uint8Array(Math.min(max, q.size));
    let got = 0;
    while (got < out.length) {
      const ch = q.chunks[0];
      const n = Math.min(ch.length, out.length - got);
      out.set(ch.subarray(0, n), got);
      got += n;
      if (n === ch.length) q.chunks.shift();
      else q.chunks[0] = ch.subarray(n);
    }
    q.size -= got;
    return out;
  }

  write(data: Uint8Array): number {
    const q = this.tx;
    if (q.orphaned || q.closed) return -EPIPE;
    const room = SOCKET_CAPACITY - q.size;
    if (room <= 0 || (this.messages && room < data.length)) return -EAGAIN;
    const n = this.messages ? data.length : Math.min(room, data.length);
    q.chunks.push(data.slice(0, n));
    q.size += n;
    return n;
  }

  /** shutdown(2): SHUT_RD (0), SHUT_WR (1) or both (2). */
  shutdown(how: number): void {
    if (how !== 1) this.rx.orphaned = true;
    if (how !== 0) this.tx.closed = true;
  }

  override pollIn(): boolean {
    return this.rx.size > 0 || this.rx.closed;
  }
  override pollOut(): boolean {
    return this.tx.orphaned || this.tx.size < SOCKET_CAPACITY;
  }
  get hungUp(): boolean {
    return this.rx.closed && this.tx.orphaned;
  }
  override seekable(): boolean {
    return false;
  }

  attrs(): Attributes {
    const now = Date.now();
    return { kind: 'sock', perm: 0o777, size: 0, ino: this.ino, nlink: 1, rdev: 0, mtimeMs: now, atimeMs: now, ctimeMs: now };
  }

  protected override released(): void {
    this.tx.closed = true;
    this.rx.orphaned = true;
  }
}

export function createSocketPair(messages: boolean, flags: number): [SocketEnd, SocketEnd] {
  const a = new Queue();
  const b = new Queue();
  return [new SocketEnd(a, b, messages, flags), new SocketEnd(b, a, messages, flags)];
}
