// The initramfs of the network test: busybox, the modules Linux's virtio-net
// over PCI needs (in load order) and net-init.sh as /init.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cpioNewc, type CpioEntry, S_IFCHR, S_IFDIR, S_IFREG } from '../../tools/linux-boot/cpio-newc';

/** Module names and their folders under lib/modules/VERSION/kernel. */
export const NET_MODULES = [
  ['failover', 'net/core'],
  ['net_failover', 'drivers/net'],
  ['virtio_ring', 'drivers/virtio'],
  ['virtio', 'drivers/virtio'],
  ['virtio_pci_legacy_dev', 'drivers/virtio'],
  ['virtio_pci_modern_dev', 'drivers/virtio'],
  ['virtio_pci', 'drivers/virtio'],
  ['virtio_net', 'drivers/net'],
] as const;

export function netInitramfs(busybox: Uint8Array, modulesDir: string): Uint8Array {
  const dir = (name: string): CpioEntry => ({ name, mode: S_IFDIR | 0o755 });
  const entries: CpioEntry[] = [
    dir('bin'),
    dir('dev'),
    dir('lib'),
    dir('lib/modules'),
    { name: 'dev/console', mode: S_IFCHR | 0o600, rdev: { major: 5, minor: 1 } },
    { name: 'bin/busybox', mode: S_IFREG | 0o755, data: busybox },
    { name: 'init', mode: S_IFREG | 0o755, data: readFileSync(join(__dirname, 'net-init.sh')) },
  ];
  for (const [name, where] of NET_MODULES) entries.push({ name: `lib/modules/${name}.ko`, mode: S_IFREG | 0o644, data: readFileSync(join(modulesDir, 'kernel', where, `${name}.ko`)) });
  return gzipSync(cpioNewc(entries), { level: 6 });
}
