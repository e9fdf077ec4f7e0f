// socketpair(AF_UNIX): two connected ends, each reading what the other
// writes. SOCK_STREAM is a byte stream; SOCK_DGRAM and SOCK_SEQPACKET keep
// message boundaries (a read takes one message, truncated to the buffer).

import { ByteQueue } from './byte-queue';
import type { Attributes } from './node';
import { OpenFile, O_RDWR } from './open-file';
import { newIno } from './overlay-fs';

export const SOCKET_CAPACITY = 212992;

export class SocketEnd extends OpenFile {
  constructor(
    private readonly rx: ByteQueue,
    private readonly tx: ByteQueue,
    flags: number,
    private readonly ino = newIno(),
  ) {
    super(`socket:[${ino}]`, flags | O_RDWR);
  }

  /** SOCK_DGRAM and SOCK_SEQPACKET: reads and writes keep message boundaries. */
  get messages(): boolean {
    return this.rx.messages;
  }

  read(max: number): Uint8Array | number {
    return this.rx.read(max);
  }

  write(data: Uint8Array): number {
    return this.tx.write(data);
  }

  /** shutdown(2): SHUT_RD (0), SHUT_WR (1) or both (2). */
  shutdown(how: number): void {
    if (how !== 1) this.rx.orphaned = true;
    if (how !== 0) this.tx.closed = true;
  }

  override pollIn(): boolean {
    return this.rx.pollIn();
  }
  override pollOut(): boolean {
    return this.tx.pollOut();
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
  const a = new ByteQueue(SOCKET_CAPACITY, messages);
  const b = new ByteQueue(SOCKET_CAPACITY, messages);
  return [new SocketEnd(a, b, flags), new SocketEnd(b, a, flags)];
}
