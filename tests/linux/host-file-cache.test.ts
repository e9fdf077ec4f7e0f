// The overlay's cache of whole host files: the same bytes while the host's
// attributes say the file is unchanged, a fresh read once they differ, and
// the least recently used files dropped past its size.

import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HostFileCache } from '../../kernel/vfs/host-file-cache';
import type { Attributes } from '../../kernel/vfs/node';

const dir = mkdtempSync(join(tmpdir(), 'salty-host-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function attrsOf(path: string): Attributes {
  const s = statSync(path);
  return { kind: 'file', perm: s.mode & 0o7777, size: s.size, ino: s.ino, nlink: s.nlink, rdev: 0, mtimeMs: s.mtimeMs, atimeMs: s.atimeMs, ctimeMs: s.ctimeMs };
}

describe('host file cache', () => {
  it('answers from the cache while the attributes match, reads again when the file changed', () => {
    const cache = new HostFileCache(1 << 20);
    const f = join(dir, 'a');
    writeFileSync(f, 'first version');
    const a1 = attrsOf(f);
    const b1 = cache.read(f, a1);
    expect(Buffer.from(b1).toString()).toBe('first version');
    expect(cache.read(f, a1)).toBe(b1);
    writeFileSync(f, 'second, longer version');
    const b2 = cache.read(f, attrsOf(f));
    expect(Buffer.from(b2).toString()).toBe('second, longer version');
    // Same size, another mtime: read again.
    writeFileSync(f, 'third!, longer version');
    utimesSync(f, new Date(1_000_000), new Date(2_000_000));
    expect(Buffer.from(cache.read(f, attrsOf(f))).toString()).toBe('third!, longer version');
  });

  it('drops the least recently used files past its size and never keeps a file above a quarter of it', () => {
    const cache = new HostFileCache(4096);
    const [x, y, z, w, v] = ['x', 'y', 'z', 'w', 'v'].map((n, i) => {
      const f = join(dir, n);
      writeFileSync(f, Buffer.alloc(1024, i + 1));
      return f;
    });
    const bx = cache.read(x, attrsOf(x));
    const by = cache.read(y, attrsOf(y));
    cache.read(z, attrsOf(z));
    const big = join(dir, 'big');
    writeFileSync(big, Buffer.alloc(2048, 9));
    expect(cache.read(big, attrsOf(big)).length).toBe(2048);
    expect(cache.size).toBe(3);
    cache.read(w, attrsOf(w));
    expect(cache.read(x, attrsOf(x))).toBe(bx);
    // 4 KiB holds four files of 1 KiB: a fifth pushes out the least recently used, y (x was read again).
    cache.read(v, attrsOf(v));
    expect(cache.size).toBe(4);
    expect(cache.read(x, attrsOf(x))).toBe(bx);
    const again = cache.read(y, attrsOf(y));
    expect(again).not.toBe(by);
    expect(Buffer.compare(Buffer.from(again), Buffer.from(by))).toBe(0);
  });
});
