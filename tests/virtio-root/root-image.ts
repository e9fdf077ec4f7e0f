// Builds the ext2 root image the virtio-blk Linux boot mounts: busybox-static
// as /bin/busybox, root-init.sh as /sbin/init, /etc/motd and the mount
// points, with e2fsprogs' `mke2fs -d` (the field's tool) at test time.

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT_INIT = readFileSync(join(__dirname, 'root-init.sh'), 'utf8');
export const MOTD = 'salty: an ext2 root of ours on virtio-blk\n';

/** mke2fs's path, or undefined when e2fsprogs is not installed (it lives in sbin, often off a user's PATH). */
export function findMke2fs(): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin']) {
    if (dir && existsSync(join(dir, 'mke2fs'))) return join(dir, 'mke2fs');
  }
  return undefined;
}

/** Writes a `sizeMiB` ext2 image to `out`; throws with mke2fs's message when it fails. */
export function buildRootImage(busybox: Uint8Array, out: string, sizeMiB = 16): void {
  const mke2fs = findMke2fs();
  if (mke2fs === undefined) throw new Error('mke2fs (e2fsprogs) is not installed');
  const stage = mkdtempSync(join(tmpdir(), 'salty-root-'));
  try {
    for (const d of ['bin', 'sbin', 'etc', 'dev', 'proc', 'sys', 'tmp']) mkdirSync(join(stage, d));
    writeFileSync(join(stage, 'bin/busybox'), busybox);
    chmodSync(join(stage, 'bin/busybox'), 0o755);
    writeFileSync(join(stage, 'sbin/init'), ROOT_INIT);
    chmodSync(join(stage, 'sbin/init'), 0o755);
    writeFileSync(join(stage, 'etc/motd'), MOTD);
    rmSync(out, { force: true });
    const r = spawnSync(mke2fs, ['-q', '-F', '-t', 'ext2', '-b', '1024', '-L', 'saltyroot', '-U', '5a17e000-0000-4000-8000-000000000001', '-E', 'root_owner=0:0', '-d', stage, out, `${sizeMiB}M`], {
      encoding: 'utf8',
      env: { ...process.env, E2FSPROGS_FAKE_TIME: '1700000000' },
    });
    if (r.status !== 0) throw new Error(`mke2fs failed: ${r.stderr || r.error?.message}`);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
