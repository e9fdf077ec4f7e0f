// A gzip'd kernel is unpacked and loaded as qemu-system-aarch64's -kernel does:
// our dtb-image (an arm64 Image) gzip'd prints what QEMU printed for the plain
// Image; a corrupt gzip file is one line of error.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { isGzip, kernelBytes } from '../../tools/cli/kernel-file';

const SALTY = join(process.cwd(), 'dist/salty.mjs');
const BAREMETAL = join(process.cwd(), 'tests/fixtures/baremetal');
const haveQemu = spawnSync('qemu-system-aarch64', ['--version']).status === 0;

function gzipped(name: string, bytes: Uint8Array): string {
  const file = join(mkdtempSync(join(tmpdir(), 'salty-gzip-')), name);
  writeFileSync(file, bytes);
  return file;
}

const ARGS = ['-append', 'console=ttyAMA0 salty', '-initrd', join(BAREMETAL, 'initrd.txt')];

beforeAll(() => {
  if (!existsSync(SALTY)) spawnSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit' });
});

describe('gzip-compressed kernels', () => {
  const image = readFileSync(join(BAREMETAL, 'dtb-image.bin'));
  const gz = gzipped('Image.gz', gzipSync(image));

  it('kernelBytes unpacks a gzip file and leaves anything else as it is', () => {
    expect(isGzip(readFileSync(gz))).toBe(true);
    expect(Buffer.from(kernelBytes(gz, readFileSync(gz))).equals(image)).toBe(true);
    expect(kernelBytes('Image', image)).toBe(image);
  });

  it("boots a gzip'd arm64 Image with the plain Image's QEMU output", () => {
    const r = spawnSync(process.execPath, [SALTY, 'boot', '--append', 'console=ttyAMA0 salty', '--initrd', join(BAREMETAL, 'initrd.txt'), gz], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout.replace(/\r/g, '')).toBe(readFileSync(join(BAREMETAL, 'dtb-image.golden.txt'), 'utf8'));
  });

  it.skipIf(!haveQemu)('qemu-system-aarch64 prints the same for the gzip file', () => {
    const q = spawnSync('qemu-system-aarch64', ['-M', 'virt', '-cpu', 'cortex-a57', '-m', '128', '-nographic', ...ARGS, '-kernel', gz], { encoding: 'utf8', timeout: 30_000 });
    expect(q.stdout.replace(/\r/g, '')).toBe(readFileSync(join(BAREMETAL, 'dtb-image.golden.txt'), 'utf8'));
  });

  it('a truncated gzip file is one line of error', () => {
    const bad = gzipped('bad.gz', gzipSync(image).subarray(0, 200));
    const r = spawnSync(process.execPath, [SALTY, 'boot', bad], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^salty: .*bad\.gz: a gzip'd kernel that does not unpack \(.*\)\n$/);
  });
});
