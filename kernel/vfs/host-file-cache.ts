// Whole host files as the overlay last read them, kept while the host says
// they are unchanged (same inode, size, mtime and ctime as the lstat that
// found them): a shell that runs busybox 300 times read its 2 MiB from the
// host 300 times. Least recently used files go first past maxBytes. Callers
// only read the bytes (exec and copy-up copy them, reads slice them).

import { readFileSync } from 'node:fs';
import type { Attributes } from './node';

interface Entry {
  readonly key: string;
  readonly bytes: Uint8Array;
}

const keyOf = (a: Attributes): string => `${a.ino}:${a.size}:${a.mtimeMs}:${a.ctimeMs}`;

export class HostFileCache {
  private readonly entries = new Map<string, Entry>();
  private bytesHeld = 0;

  constructor(private readonly maxBytes = 32 << 20) {}

  /** The file's bytes: from the cache when its attributes still match, else read (and kept when small enough). */
  read(hostPath: string, attrs: Attributes): Uint8Array {
    const key = keyOf(attrs);
    const hit = this.entries.get(hostPath);
    if (hit !== undefined) {
      this.drop(hostPath, hit);
      if (hit.key === key) {
        this.keep(hostPath, hit);
        return hit.bytes;
      }
    }
    const bytes = readFileSync(hostPath);
    // What was read is what is kept, under the attributes the lookup found (a file growing under us is read again next time).
    if (bytes.length === attrs.size && bytes.length <= this.maxBytes / 4) {
      this.keep(hostPath, { key, bytes });
      while (this.bytesHeld > this.maxBytes) {
        const [oldest, e] = this.entries.entries().next().value as [string, Entry];
        this.drop(oldest, e);
      }
    }
    return bytes;
  }

  get size(): number {
    return this.entries.size;
  }

  private keep(path: string, e: Entry): void {
    this.entries.set(path, e);
    this.bytesHeld += e.bytes.length;
  }

  private drop(path: string, e: Entry): void {
    this.entries.delete(path);
    this.bytesHeld -= e.bytes.length;
  }
}
