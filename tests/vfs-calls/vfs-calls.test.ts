// The VFS calls of the ltp-files work, by our own programs (build.sh): each
// prints what the host kernel printed (the golden, recorded from the x86_64
// build run natively as root), on both arches under salty.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runProgram } from '../../tools/cli/run-program';

const DIR = join(process.cwd(), 'tests/vfs-calls');

interface Outcome {
  stdout: string;
  status: number;
}

export function runOnSalty(elf: string, argv0: string, args: string[] = []): Outcome {
  const file = join(DIR, elf);
  let stdout = '';
  const status = runProgram(
    { file, bytes: readFileSync(file), args, argv0, env: ['PATH=/bin:/usr/bin'], memoryBytes: 256 << 20, strace: false, stats: false },
    { writeOut: (d) => (stdout += Buffer.from(d).toString()), writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => false },
  );
  return { stdout, status };
}

const golden = (name: string): Outcome => ({ stdout: readFileSync(join(DIR, `${name}.golden`), 'utf8'), status: Number(readFileSync(join(DIR, `${name}.status`), 'utf8').trim()) });

const PROGRAMS = [
  ['vectored', 'preadv/pwritev/preadv2/pwritev2: offsets, offset -1, RWF_APPEND, errors in order'],
  ['fsfiles', 'statfs errors and pseudo file systems, xattrs, leases, mknod in a set-group-ID directory, RLIMIT_FSIZE, F_SETOWN_EX and O_ASYNC, chattr flags, chroot'],
  ['fsevents', 'inotify events and their order, renameat2 exchange, SEEK_DATA/SEEK_HOLE, utimensat times, readahead, file handles, a lease broken by another process'],
  ['dnotify', 'fcntl F_NOTIFY: which changes signal which directory, si_fd/si_code/si_band, one-shot and DN_MULTISHOT, the end of a mark at close, SIGIO without F_SETSIG'],
] as const;

// The goldens were recorded as root.
beforeAll(() => {
  vi.spyOn(process, 'getuid').mockReturnValue(0);
  vi.spyOn(process, 'getgid').mockReturnValue(0);
  vi.spyOn(process, 'getgroups').mockReturnValue([0]);
});
afterAll(() => vi.restoreAllMocks());

describe('VFS calls against the host kernel', () => {
  for (const [name, what] of PROGRAMS) {
    it(`${name} (aarch64): ${what}`, () => {
      expect(runOnSalty(`${name}.elf`, name)).toEqual(golden(name));
    }, 120_000);
    it(`${name} (x86_64) prints the same`, () => {
      expect(runOnSalty(`${name}.x86_64.elf`, name)).toEqual(golden(name));
    }, 120_000);
  }
});

describe('the root file system is an overlay, and every view of it says so', () => {
  it('statfs, /proc/mounts and mountinfo agree (the host says ext4 here: by design not a golden)', () => {
    const out = runOnSalty('fsfiles.elf', 'fsfiles', ['identity']).stdout;
    expect(out).toMatch(/^f_type 794c7630$/m); // OVERLAYFS_SUPER_MAGIC
    expect(out).toMatch(/^mounts overlay \/ overlay rw,relatime 0 0$/m);
    // mountinfo's device is the one stat reports for every file (8:1).
    expect(out).toMatch(/^mountinfo \d+ 1 8:1 \/ \/ rw,relatime \S+ - overlay overlay rw,lowerdir=/m);
  }, 120_000);
});
