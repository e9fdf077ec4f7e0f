// Our bare-metal virtio driver (tests/fixtures/baremetal/virtio.c) on the board
// and through `salty boot`, compared line for line with what qemu-system-aarch64
// 7.2 printed (virtio*.golden.txt), with the disk file checked afterwards:
// writes reach it, except with snapshot=on.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryBackend } from '../../board/virt/block-backend';
import { VirtioBlk } from '../../board/virt/virtio-blk';
import { VirtioRng } from '../../board/virt/virtio-rng';
import { BAREMETAL, bootImage, golden } from './boot-harness';

const SALTY = join(process.cwd(), 'dist/salty.mjs');
const ELF = join(BAREMETAL, 'virtio.elf');

/** The disk virtio-disk.mjs writes: byte i of sector s is (31 s + i) mod 256. */
function disk(): Uint8Array {
  const b = new Uint8Array(128 * 512);
  for (let s = 0; s < 128; s++) for (let i = 0; i < 512; i++) b[s * 512 + i] = (s * 31 + i) & 0xff;
  return b;
}

/** The disk as the image leaves it: sector 3 = 7i + 3, sector 6 zeroed. */
function written(): Uint8Array {
  const b = disk();
  for (let i = 0; i < 512; i++) b[3 * 512 + i] = (i * 7 + 3) & 0xff;
  b.fill(0, 6 * 512, 7 * 512);
  return b;
}

function diskFile(): string {
  const f = join(mkdtempSync(join(tmpdir(), 'salty-virtio-')), 'disk.img');
  writeFileSync(f, disk());
  return f;
}

const haveQemu = spawnSync('qemu-system-aarch64', ['--version']).status === 0;

describe('virtio-mmio bare-metal driver against the QEMU golden output', () => {
  for (const [name, legacy] of [['virtio', true], ['virtio-modern', false]] as const) {
    it(`${name}: probe, block requests and entropy as QEMU answers them; the writes reach the disk`, () => {
      const d = new MemoryBackend(disk());
      const r = bootImage('virtio', { virtio: { devices: [new VirtioBlk(d), new VirtioRng()], legacy } });
      expect(r.stdout.split('\n')).toEqual(golden(name).split('\n'));
      expect(r.state).toEqual({ kind: 'off' });
      expect(d.bytes).toEqual(written());
      expect(d.flushes).toBe(1);
    });
  }

  it('virtio-none: 32 empty slots answer DeviceID 0', () => {
    const r = bootImage('virtio');
    expect(r.stdout).toBe(golden('virtio-none'));
  });

  it.skipIf(!haveQemu)('qemu-system-aarch64 prints the golden lines and writes the same disk file (none with snapshot=on)', () => {
    for (const snapshot of [false, true]) {
      const f = diskFile();
      const r = spawnSync(
        'qemu-system-aarch64',
        ['-M', 'virt', '-cpu', 'cortex-a57', '-m', '128', '-nographic', '-kernel', ELF, '-drive', `if=none,file=${f},format=raw,id=d0${snapshot ? ',snapshot=on' : ''}`, '-device', 'virtio-blk-device,drive=d0', '-device', 'virtio-rng-device'],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(r.stdout).toBe(golden('virtio'));
      expect(new Uint8Array(readFileSync(f))).toEqual(snapshot ? disk() : written());
    }
  });
});

describe('salty boot with virtio devices', () => {
  beforeAll(() => {
    if (!existsSync(SALTY)) spawnSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit' });
  });
  const salty = (...args: string[]) => spawnSync(process.execPath, [SALTY, 'boot', ...args], { encoding: 'utf8', timeout: 60_000 });

  it("QEMU's -drive if=none and -device spellings: same lines, the file written", () => {
    const f = diskFile();
    const r = salty('-drive', `if=none,file=${f},format=raw,id=d0`, '-device', 'virtio-blk-device,drive=d0', '-device', 'virtio-rng-device', ELF);
    expect(r.stdout).toBe(golden('virtio'));
    expect(r.status).toBe(0);
    expect(new Uint8Array(readFileSync(f))).toEqual(written());
  });

  it('the --drive shorthand with -snapshot and the modern layout: the file unchanged', () => {
    const f = diskFile();
    const r = salty('--drive', f, '-snapshot', '-device', 'virtio-rng-device', '-global', 'virtio-mmio.force-legacy=false', ELF);
    expect(r.stdout).toBe(golden('virtio-modern'));
    expect(new Uint8Array(readFileSync(f))).toEqual(disk());
  });

  it('bad drive options are one-line usage errors', () => {
    expect(salty('-device', 'virtio-blk-device,drive=nope', ELF).stderr).toMatch(/^salty: boot: -device virtio-blk-device,drive=nope: no -drive with id=nope\n/);
    expect(salty('-drive', 'file=x.qcow2,format=qcow2', ELF).stderr).toMatch(/only format=raw/);
    expect(salty('--drive', '/nonexistent/disk.img', ELF).stderr).toBe('salty: /nonexistent/disk.img: no such file\n');
  });
});
