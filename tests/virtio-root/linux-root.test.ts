// Debian 12's arm64 cloud kernel (fetch-kernel.sh, never committed) mounting
// the ext2 root image of ours over virtio-blk and running /sbin/init from it:
// on qemu-system-aarch64 and on `salty boot`, the lines our init prints are
// compared with QEMU's (linux-root.golden.txt; RECORD=1 rewrites it), and the
// file it wrote is read back from the image with debugfs.
//
// A virtio-rng device is there too (/dev/hwrng). QEMU runs with the legacy
// virtio-mmio layout (its default) and the modern one. The salty runs take
// minutes on a slow machine: they run when SALTY_LINUX_ROOT=1.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BINARIES, unavailable } from '../realworld/binaries';
import { modulesInitramfs } from './modules-initramfs';
import { buildRootImage, findMke2fs } from './root-image';

const KERNEL = join(__dirname, '.cache', 'kernel');
const GOLDEN = join(__dirname, 'linux-root.golden.txt');
const SALTY = join(process.cwd(), 'dist/salty.mjs');
const APPEND = 'root=/dev/vda rw console=ttyAMA0';
const LAYOUTS = [['legacy', []], ['modern', ['-global', 'virtio-mmio.force-legacy=false']]] as const;
const devices = (image: string) => ['-drive', `if=none,file=${image},format=raw,id=d0`, '-device', 'virtio-blk-device,drive=d0', '-device', 'virtio-rng-device'];

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
const why = typeof k === 'string' ? k : findMke2fs() === undefined ? 'mke2fs (e2fsprogs) is not installed' : unavailable('busybox');
const haveQemu = spawnSync('qemu-system-aarch64', ['--version']).status === 0;
if (why !== undefined) console.warn(`linux-root: skipped: ${why}`);

/** What our init printed: the console after the kernel starts /init, less the kernel's own [timestamped] lines. */
export function initLines(console: string): string[] {
  const lines = console.replace(/\r/g, '').split('\n');
  const start = lines.findIndex((l) => l.includes('Run /init as init process'));
  return lines.slice(start + 1).filter((l) => !/^\[\s*\d+\.\d+\]/.test(l) && l.trim() !== '');
}

function setup(): { image: string; initrd: string } {
  const files = k as { image: string; modules: string };
  const dir = mkdtempSync(join(tmpdir(), 'salty-linux-root-'));
  const busybox = new Uint8Array(readFileSync(BINARIES.busybox.path));
  const image = join(dir, 'root.img');
  buildRootImage(busybox, image);
  const initrd = join(dir, 'initrd.gz');
  writeFileSync(initrd, modulesInitramfs(busybox, files.modules));
  return { image, initrd };
}

function writtenFile(image: string): string {
  const debugfs = join(dirname(findMke2fs()!), 'debugfs');
  return spawnSync(existsSync(debugfs) ? debugfs : 'debugfs', ['-R', 'cat /written.txt', image], { encoding: 'utf8' }).stdout;
}

describe.skipIf(why !== undefined)('Linux mounts our ext2 root over virtio-blk', () => {
  for (const [layout, global] of LAYOUTS) {
    it.skipIf(!haveQemu)(`qemu-system-aarch64, ${layout} virtio-mmio: /sbin/init runs from /dev/vda and writes to it`, () => {
      const { image, initrd } = setup();
      const r = spawnSync(
        'qemu-system-aarch64',
        ['-M', 'virt', '-cpu', 'cortex-a57', '-m', '512', '-nographic', ...global, '-kernel', (k as { image: string }).image, '-initrd', initrd, '-append', APPEND, ...devices(image)],
        { encoding: 'utf8', timeout: 180_000 },
      );
      const lines = initLines(r.stdout);
      if (process.env.RECORD === '1' && layout === 'legacy') writeFileSync(GOLDEN, lines.join('\n') + '\n');
      expect(lines).toEqual(readFileSync(GOLDEN, 'utf8').trimEnd().split('\n'));
      expect(writtenFile(image)).toBe('written through virtio-blk\n');
    }, 200_000);
  }

  for (const [layout, global] of LAYOUTS) {
    it.skipIf(process.env.SALTY_LINUX_ROOT !== '1')(`salty boot, ${layout} virtio-mmio: the same lines, the same file written`, () => {
      const { image, initrd } = setup();
      const r = spawnSync(
        process.execPath,
        [SALTY, 'boot', '-m', '512M', ...global, '--initrd', initrd, '--append', APPEND, ...devices(image), '--timeout', '1500', (k as { image: string }).image],
        { encoding: 'utf8', timeout: 1_600_000 },
      );
      expect(initLines(r.stdout)).toEqual(readFileSync(GOLDEN, 'utf8').trimEnd().split('\n'));
      expect(writtenFile(image)).toBe('written through virtio-blk\n');
      expect(r.status).toBe(0);
    }, 1_700_000);
  }
});
