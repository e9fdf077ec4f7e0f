// Guest inputs that once crashed salty with a host exception: writev with a
// huge iov_len (a RangeError from a typed-array length), rt_sigtimedwait and
// clock_nanosleep/nanosleep whose result goes to a bad address when a signal
// or the awaited event ends the wait (a UserFault thrown from the
// scheduler's poll). The oracle is the host kernel: the golden is a native
// run of the x86_64 build (qemu-aarch64 differs: it fails short writes with
// EFAULT and answers EINTR for nanosleep's bad rem pointer).

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../tools/cli/run-program';

const DIR = join(process.cwd(), 'tests/fixtures/crashers');
const GOLDEN = readFileSync(join(DIR, 'crashers.golden'), 'utf8');

function runOnSalty(elf: string): { stdout: string; stderr: string; status: number } {
  const file = join(DIR, elf);
  let stdout = '';
  let stderr = '';
  const status = runProgram(
    { file, bytes: readFileSync(file), args: [], argv0: 'crashers', env: [], memoryBytes: 64 << 20, strace: false, stats: false },
    { writeOut: (d) => (stdout += Buffer.from(d).toString()), writeErr: (d) => (stderr += Buffer.from(d).toString()), readIn: () => new Uint8Array(0), isTty: () => false },
  );
  return { stdout, stderr, status };
}

const nativeX86 = process.platform === 'linux' && process.arch === 'x64';

describe('the three known crashers answer as Linux does', () => {
  for (const elf of ['crashers.elf', 'crashers-x86_64.elf']) {
    it(`${elf}: EINVAL/EFAULT/short writes for writev, EFAULT from retried and cancelled waits`, () => {
      const got = runOnSalty(elf);
      expect(got.stderr).toBe('');
      expect(got.stdout).toBe(GOLDEN);
      expect(got.status).toBe(0);
    });
  }

  it.skipIf(!nativeX86)('live: the host kernel still answers the golden', () => {
    const r = spawnSync(join(DIR, 'crashers-x86_64.elf'), { encoding: 'utf8' });
    expect(r.stdout).toBe(GOLDEN);
  });
});
