// Debian's arm64 cloud kernel and busybox-static for the Linux-boot test and
// bench: fetched at test time by fetch.sh into tests/linux-boot/.cache (never
// committed), or the reason they cannot be had.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initramfs } from './initramfs';
import { kernelBytes } from '../cli/kernel-file';

const DIR = join(process.cwd(), 'tests/linux-boot');
const CACHE = join(DIR, '.cache');

export interface KernelFiles {
  readonly kernel: Uint8Array;
  readonly initrd: Uint8Array;
  /** The Debian package the kernel came from (linux-image-6.1.0-N-cloud-arm64). */
  readonly kernelPackage: string;
  readonly vmlinuzPath: string;
}

/** The files, or a one-line reason why they are missing. */
export function kernelFiles(): KernelFiles | string {
  const vmlinuz = join(CACHE, 'vmlinuz');
  const busybox = join(CACHE, 'busybox');
  if (!existsSync(vmlinuz) || !existsSync(busybox)) spawnSync('bash', [join(DIR, 'fetch.sh')], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
  if (!existsSync(vmlinuz) || !existsSync(busybox)) {
    const why = existsSync(join(CACHE, 'unavailable.txt')) ? readFileSync(join(CACHE, 'unavailable.txt'), 'utf8').trim() : 'fetch.sh did not bring them';
    return `Debian's arm64 cloud kernel cannot be had: ${why}`;
  }
  return {
    kernel: kernelBytes(vmlinuz, readFileSync(vmlinuz)),
    initrd: initramfs(readFileSync(busybox), readFileSync(join(DIR, 'init.sh'), 'utf8')),
    kernelPackage: readFileSync(join(CACHE, 'kernel-package'), 'utf8').trim(),
    vmlinuzPath: vmlinuz,
  };
}
