// The ext2 root image of ours, built at test time with mke2fs -d from
// Debian's busybox-static (tests/realworld/fetch.sh), checked with e2fsprogs'
// own e2fsck and debugfs, and its superblock read as ext2 (no journal, no extents).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BINARIES, unavailable } from '../realworld/binaries';
import { buildRootImage, findMke2fs, MOTD, ROOT_INIT } from './root-image';

const mke2fs = findMke2fs();
const busyboxMissing = unavailable('busybox');
const skip = mke2fs === undefined ? 'mke2fs (e2fsprogs) is not installed' : busyboxMissing;
if (skip !== undefined) console.warn(`virtio-root: skipped: ${skip}`);

function tool(name: string): string {
  const near = join(dirname(mke2fs ?? '/usr/sbin/mke2fs'), name);
  return existsSync(near) ? near : name;
}

describe.skipIf(skip !== undefined)('the ext2 root image', () => {
  const image = join(mkdtempSync(join(tmpdir(), 'salty-root-')), 'root.img');

  it('mke2fs -d builds it; e2fsck finds it clean', () => {
    buildRootImage(new Uint8Array(readFileSync(BINARIES.busybox.path)), image);
    expect(readFileSync(image).length).toBe(16 << 20);
    const r = spawnSync(tool('e2fsck'), ['-fn', image], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('holds busybox, our /sbin/init and /etc/motd, as debugfs reads them', () => {
    const cat = (path: string) => spawnSync(tool('debugfs'), ['-R', `cat ${path}`, image], { encoding: 'latin1', maxBuffer: 8 << 20 }).stdout;
    expect(cat('/sbin/init')).toBe(ROOT_INIT);
    expect(cat('/etc/motd')).toBe(MOTD);
    expect(Buffer.from(cat('/bin/busybox'), 'latin1').equals(readFileSync(BINARIES.busybox.path))).toBe(true);
    const stat = spawnSync(tool('debugfs'), ['-R', 'stat /sbin/init', image], { encoding: 'utf8' }).stdout;
    expect(stat).toMatch(/Mode:\s+0755/);
  });

  it('is ext2 (no journal, no extents): the superblock magic at byte 1080, revision 1', () => {
    const b = readFileSync(image);
    expect(b.readUInt16LE(1080)).toBe(0xef53);
    expect(b.readUInt32LE(1024 + 76)).toBe(1);
    const compat = b.readUInt32LE(1024 + 92);
    const incompat = b.readUInt32LE(1024 + 96);
    expect(compat & 0x4).toBe(0); // has_journal
    expect(incompat & 0x40).toBe(0); // extents
  });
});
