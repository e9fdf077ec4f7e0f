// The cpio newc writer against the format's definition (the kernel's
// initramfs unpacker reads this): 110-byte ASCII headers, the name with its
// NUL, the header+name and the data each padded to 4 bytes, a TRAILER!!! entry.
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cpioNewc, S_IFCHR, S_IFDIR, S_IFREG } from '../../tools/linux-boot/cpio-newc';
import { initramfs } from '../../tools/linux-boot/initramfs';

interface Parsed { name: string; mode: number; size: number; rdevMajor: number; rdevMinor: number; data: Uint8Array; nlink: number }

/** Reads an archive back, checking magic, alignment and the name size field. */
function parse(archive: Uint8Array): Parsed[] {
  const text = (a: number, b: number) => Buffer.from(archive.subarray(a, b)).toString('latin1');
  const out: Parsed[] = [];
  let off = 0;
  for (;;) {
    expect(off % 4).toBe(0);
    expect(text(off, off + 6)).toBe('070701');
    const field = (i: number) => parseInt(text(off + 6 + 8 * i, off + 14 + 8 * i), 16);
    const nameSize = field(11);
    const size = field(6);
    const name = text(off + 110, off + 110 + nameSize - 1);
    expect(archive[off + 110 + nameSize - 1]).toBe(0);
    const dataAt = Math.ceil((off + 110 + nameSize) / 4) * 4;
    if (name === 'TRAILER!!!') {
      expect(dataAt + Math.ceil(size / 4) * 4).toBe(archive.length);
      return out;
    }
    out.push({ name, mode: field(1), nlink: field(4), size, rdevMajor: field(9), rdevMinor: field(10), data: archive.subarray(dataAt, dataAt + size) });
    off = dataAt + Math.ceil(size / 4) * 4;
  }
}

describe('cpio newc writer', () => {
  it('writes each entry with its mode, size, device numbers and data, padded to 4 bytes', () => {
    const entries = [
      { name: 'd', mode: S_IFDIR | 0o755 },
      { name: 'd/abc', mode: S_IFREG | 0o644, data: Uint8Array.of(1, 2, 3) },
      { name: 'dev/console', mode: S_IFCHR | 0o600, rdev: { major: 5, minor: 1 } },
      { name: 'four', mode: S_IFREG | 0o755, data: Uint8Array.of(9, 9, 9, 9) },
    ];
    const got = parse(cpioNewc(entries));
    expect(got.map((e) => [e.name, e.mode, e.size, e.rdevMajor, e.rdevMinor, e.nlink])).toEqual([
      ['d', 0o40755, 0, 0, 0, 2],
      ['d/abc', 0o100644, 3, 0, 0, 1],
      ['dev/console', 0o20600, 0, 5, 1, 1],
      ['four', 0o100755, 4, 0, 0, 1],
    ]);
    expect([...got[1].data]).toEqual([1, 2, 3]);
  });

  it('the initramfs holds /init, /bin/busybox and /dev/console, gzip-compressed', () => {
    const busybox = new Uint8Array(1001).fill(7);
    const got = parse(gunzipSync(initramfs(busybox, '#!/bin/busybox sh\necho hi\n')));
    const byName = new Map(got.map((e) => [e.name, e]));
    expect(byName.get('bin/busybox')?.size).toBe(1001);
    expect(Buffer.from(byName.get('init')!.data).toString()).toBe('#!/bin/busybox sh\necho hi\n');
    expect(byName.get('init')!.mode & 0o777).toBe(0o755);
    expect(byName.get('dev/console')!.rdevMajor).toBe(5);
  });
});
