// Debian 12's arm64 cloud kernel (fetch-kernel.sh, never committed) loading
// virtio_pci and virtio_net for QEMU's default NIC (virtio-net-pci at
// 00:01.0): the modern transport, MSI-X through the GICv2m frame (GICv2) or
// the ITS and its tables in guest memory (GICv3), the link, a DHCP lease and a
// ping of 10.0.2.2 from the user-mode network. The lines net-init.sh prints
// are compared with QEMU's (linux-net.golden.txt; RECORD=1 rewrites it). The
// salty runs take minutes on a slow machine: they run when SALTY_LINUX_NET=1.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootLinux } from '../../tools/linux-boot/board-boot';
import { BINARIES, unavailable } from '../realworld/binaries';
import { netInitramfs } from './net-initramfs';

const KERNEL = join(__dirname, '.cache', 'kernel');
const GOLDEN = join(__dirname, 'linux-net.golden.txt');
const APPEND = 'console=ttyAMA0';

function kernelFiles(): { image: string; modules: string } | string {
  const boot = join(KERNEL, 'boot');
  if (!existsSync(boot)) spawnSync('bash', [join(__dirname, 'fetch-kernel.sh')], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
  const notes = join(__dirname, '.cache', 'unavailable.txt');
  if (!existsSync(boot)) return existsSync(notes) ? readFileSync(notes, 'utf8').trim() : 'no kernel (run bash tests/virtio-root/fetch-kernel.sh)';
  const image = readdirSync(boot).find((f) => f.startsWith('vmlinuz-'));
  if (image === undefined) return 'no vmlinuz in the kernel package';
  return { image: join(boot, image), modules: join(KERNEL, 'lib/modules', image.slice('vmlinuz-'.length)) };
}

const k = kernelFiles();
const why = typeof k === 'string' ? k : unavailable('busybox');
const haveQemu = spawnSync('qemu-system-aarch64', ['--version']).status === 0;
if (why !== undefined) console.warn(`linux-net: skipped: ${why}`);

/** The lines net-init.sh printed (and the kernel's virtio-pci line among them). */
function netLines(console: string): string[] {
  return console
    .replace(/\r/g, '')
    .split('\n')
    .map((l) => l.replace(/^\[\s*\d+\.\d+\] /, ''))
    .filter((l) => l.startsWith('net: ') || l.startsWith('virtio-pci 0000:00:01.0'));
}

function initrd(): string {
  const files = k as { image: string; modules: string };
  const path = join(mkdtempSync(join(tmpdir(), 'salty-linux-net-')), 'initrd.gz');
  writeFileSync(path, netInitramfs(new Uint8Array(readFileSync(BINARIES.busybox.path)), files.modules));
  return path;
}

const golden = () => readFileSync(GOLDEN, 'utf8').trimEnd().split('\n');

describe.skipIf(why !== undefined)("Linux's virtio_net drives the default NIC", () => {
  for (const gic of [2, 3] as const) {
    it.skipIf(!haveQemu)(`qemu-system-aarch64, GICv${gic}: the golden lines`, () => {
      const machine = gic === 3 ? 'virt,gic-version=3' : 'virt';
      const r = spawnSync('qemu-system-aarch64', ['-M', machine, '-cpu', 'cortex-a57', '-m', '512', '-nographic', '-kernel', (k as { image: string }).image, '-initrd', initrd(), '-append', APPEND], { encoding: 'latin1', timeout: 180_000 });
      const lines = netLines(r.stdout);
      if (process.env.RECORD === '1' && gic === 2) writeFileSync(GOLDEN, lines.join('\n') + '\n');
      expect(lines).toEqual(golden());
    }, 200_000);

    it.skipIf(process.env.SALTY_LINUX_NET !== '1')(`salty, GICv${gic}: QEMU's lines`, () => {
      const files = k as { image: string };
      const r = bootLinux({ kernel: new Uint8Array(readFileSync(files.image)), initrd: new Uint8Array(readFileSync(initrd())), append: APPEND, gicVersion: gic, memoryBytes: 512 << 20, timeoutSeconds: 1500 });
      expect(r.end).toBe('off');
      expect(netLines(r.console)).toEqual(golden());
    }, 1_600_000);
  }
});
