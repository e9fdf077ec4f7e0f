// eventfd: a 64-bit counter that write adds to and read takes (all of it, or
// one at a time with EFD_SEMAPHORE); reads block at zero, writes at overflow.

import type { Attributes } from './node';
import { OpenFile, O_RDWR } from './open-file';
import { newIno } from './overlay-fs';
import { readU64, u64Bytes } from './u64-bytes';
import { EAGAIN, EINVAL } from './vfs-errno';

export const EFD_SEMAPHORE = 1;
const MAX = Number.MAX_SAFE_INTEGER;

export class EventFd extends OpenFile {
  private readonly ino = newIno();

  constructor(
    private count: number,
    private readonly semaphore: boolean,
    flags: number,
  ) {
    super('anon_inode:[eventfd]', flags | O_RDWR);
  }

  read(max: number): Uint8Array | number {
    if (max < 8) return -EINVAL;
    if (this.count === 0) return -EAGAIN;
    const taken = this.semaphore ? 1 : this.count;
    this.count -= taken;
    return u64Bytes(taken);
  }

  write(data: Uint8Array): number {
    if (data.length < 8) return -EINVAL;
    const v = readU64(data);
    if (v < 0) return -EINVAL;
    if (v > MAX - this.count) return -EAGAIN;
    this.count += v;
    return 8;
  }

  override pollIn(): boolean {
    return this.count > 0;
  }
  override pollOut(): boolean {
    return this.count < MAX - 1;
  }
  override seekable(): boolean {
    return false;
  }

  attrs(): Attributes {
    const now = Date.now();
    return { kind: 'file', perm: 0o600, size: 0, ino: this.ino, nlink: 1, rdev: 0, mtimeMs: now, atimeMs: now, ctimeMs: now };
  }
}
