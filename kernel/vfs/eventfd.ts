// eventfd: a 64-bit counter that write adds to and read takes (all of it, or
// one at a time with EFD_SEMAPHORE); reads block at zero, writes while the sum
// would pass 0xffff_ffff_ffff_fffe. The counter is a bigint: the full 64 bits
// matter (programs write 2^64 - 2 to fill it), and eventfd is no hot path.

import type { Attributes } from './node';
import { OpenFile, O_RDWR } from './open-file';
import { newIno } from './overlay-fs';
import type { EdgeDirection } from './readiness';
import { EAGAIN, EINVAL } from './vfs-errno';

export const EFD_SEMAPHORE = 1;
const MAX = 0xffff_ffff_ffff_fffen;

function bytesOf(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, v, true);
  return out;
}

export class EventFd extends OpenFile {
  private readonly ino = newIno();
  private count: bigint;
  private writes = 0;
  private reads = 0;

  constructor(
    initial: number,
    private readonly semaphore: boolean,
    flags: number,
  ) {
    super('anon_inode:[eventfd]', flags | O_RDWR);
    this.count = BigInt(initial);
  }

  read(max: number): Uint8Array | number {
    if (max < 8) return -EINVAL;
    if (this.count === 0n) return -EAGAIN;
    const taken = this.semaphore ? 1n : this.count;
    this.count -= taken;
    this.reads++;
    return bytesOf(taken);
  }

  write(data: Uint8Array): number {
    if (data.length < 8) return -EINVAL;
    const v = new DataView(data.buffer, data.byteOffset, 8).getBigUint64(0, true);
    if (v > MAX) return -EINVAL;
    if (v > MAX - this.count) return -EAGAIN;
    this.count += v;
    if (v > 0n) this.writes++;
    return 8;
  }

  override pollIn(): boolean {
    return this.count > 0n;
  }
  override pollOut(): boolean {
    return this.count < MAX;
  }
  override edgeCount(direction: EdgeDirection): number {
    return direction === 'in' ? this.writes : this.reads;
  }
  override seekable(): boolean {
    return false;
  }

  attrs(): Attributes {
    const now = Date.now();
    return { kind: 'file', perm: 0o600, size: 0, ino: this.ino, nlink: 1, rdev: 0, mtimeMs: now, atimeMs: now, ctimeMs: now };
  }
}
