// Builds the test initramfs: busybox-static as /bin/busybox, our init script
// as /init, /dev/console and the mount points, as a gzip'd cpio newc archive.

import { gzipSync } from 'node:zlib';
import { cpioNewc, CpioEntry, S_IFCHR, S_IFDIR, S_IFREG } from './cpio-newc';

export function initramfs(busybox: Uint8Array, initScript: string): Uint8Array {
  const dir = (name: string): CpioEntry => ({ name, mode: S_IFDIR | 0o755 });
  const entries: CpioEntry[] = [
    dir('bin'),
    dir('dev'),
    dir('proc'),
    dir('sys'),
    dir('tmp'),
    { name: 'dev/console', mode: S_IFCHR | 0o600, rdev: { major: 5, minor: 1 } },
    { name: 'bin/busybox', mode: S_IFREG | 0o755, data: busybox },
    { name: 'init', mode: S_IFREG | 0o755, data: new TextEncoder().encode(initScript) },
  ];
  return gzipSync(cpioNewc(entries), { level: 6 });
}
