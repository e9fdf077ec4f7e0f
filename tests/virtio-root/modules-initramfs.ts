// The initramfs for a kernel whose virtio drivers are modules (Debian's cloud
// kernel): busybox, the four modules virtio-blk needs, and modules-init.sh as
// /init, which loads them, mounts /dev/vda and switches to it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cpioNewc, type CpioEntry, S_IFCHR, S_IFDIR, S_IFREG } from '../../tools/linux-boot/cpio-newc';

/** In load order, with their place under lib/modules/VERSION/kernel/drivers. */
export const VIRTIO_MODULES = [
  ['virtio_ring', 'virtio'],
  ['virtio', 'virtio'],
  ['virtio_mmio', 'virtio'],
  ['virtio_blk', 'block'],
  ['virtio-rng', 'char/hw_random'],
] as const;

export const MODULES_INIT = readFileSync(join(__dirname, 'modules-init.sh'), 'utf8');

/** `modulesDir` is lib/modules/VERSION of the kernel package. */
export function modulesInitramfs(busybox: Uint8Array, modulesDir: string): Uint8Array {
  const dir = (name: string): CpioEntry => ({ name, mode: S_IFDIR | 0o755 });
  const entries: CpioEntry[] = [
    dir('bin'),
    dir('dev'),
    dir('lib'),
    dir('lib/modules'),
    { name: 'dev/console', mode: S_IFCHR | 0o600, rdev: { major: 5, minor: 1 } },
    { name: 'bin/busybox', mode: S_IFREG | 0o755, data: busybox },
    { name: 'init', mode: S_IFREG | 0o755, data: new TextEncoder().encode(MODULES_INIT) },
  ];
  for (const [name, where] of VIRTIO_MODULES) {
    entries.push({ name: `lib/modules/${name}.ko`, mode: S_IFREG | 0o644, data: readFileSync(join(modulesDir, 'kernel/drivers', where, `${name}.ko`)) });
  }
  return gzipSync(cpioNewc(entries), { level: 6 });
}
