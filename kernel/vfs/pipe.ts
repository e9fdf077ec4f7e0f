// Pipes: a byte queue with a read end and a write end.

import type { Attributes } from './node';
import { OpenFile, O_WRONLY } from './open-file';
import { newIno } from './overlay-fs';
import { EAGAIN, EPIPE } from './vfs-errno';

export const PIPE_CAPACITY = 65536;

class PipeBuffer {
  chunks: Uint8Array[] = [];
  size = 0;
  readers = 1;
  writers = 1;
  readonly ino = newIno();
}

export class PipeEnd extends OpenFile {
  constructor(
    private readonly buf: PipeBuffer,
    readonly isWriteEnd: boolean,
    flags: number,
  ) {
    super(`pipe:[${buf.ino}]`, (flags & ~3) | (isWriteEnd ? O_WRONLY : 0));
  }

  read(max: number): Uint8Array | number {
    const b = this.buf;
    if (b.size === 0) return b.writers === 0 ? new Uint8Array(0) : -EAGAIN;
    const out = new Uint8Array(Math.min(max, b.size));
    let got = 0;
    while (got < out.length) {
      const c = b.chunks[0];
      const n = Math.min(c.length, out.length - got);
      out.set(c.subarray(0, n), got);
      got += n;
      if (n === c.length) b.chunks.shift();
      else b.chunks[0] = c.subarray(n);
    }
    b.size -= got;
    return out;
  }

  /** Bytes accepted; -EPIPE with no reader left, -EAGAIN when full. */
  write(data: Uint8Array): number {
    const b = this.buf;
    if (b.readers === 0) return -EPIPE;
    const room = PIPE_CAPACITY - b.size;
    if (room <= 0) return -EAGAIN;
    const n = Math.min(room, data.length);
    b.chunks.push(data.slice(0, n));
    b.size += n;
    return n;
  }

  override pollIn(): boolean {
    return this.buf.size > 0 || this.buf.writers === 0;
  }
  override pollOut(): boolean {
    return this.buf.readers === 0 || this.buf.size < PIPE_CAPACITY;
  }
  /** Nobody can ever write again (POLLHUP on a read end). */
  get hungUp(): boolean {
    return this.isWriteEnd ? this.buf.readers === 0 : this.buf.writers === 0;
  }
  override seekable(): boolean {
    return false;
  }

  attrs(): Attributes {
    const now = Date.now();
    return { kind: 'fifo', perm: 0o600, size: this.buf.size, ino: this.buf.ino, nlink: 1, rdev: 0, mtimeMs: now, atimeMs: now, ctimeMs: now };
  }

  protected override released(): void {
    if (this.isWriteEnd) this.buf.writers--;
    else this.buf.readers--;
  }
}

export function createPipe(flags: number): [PipeEnd, PipeEnd] {
  const b = new PipeBuffer();
  return [new PipeEnd(b, false, flags), new PipeEnd(b, true, flags)];
}
