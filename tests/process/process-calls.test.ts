// Process, signal and limit calls beyond what LTP's list covers, on salty
// against qemu-aarch64's recorded output (tests/fixtures/process-calls,
// rebuilt and re-recorded by its build.sh, as root): wait4/waitid argument
// checks and the core-dump bit, sessions and process groups, resource
// limits (RLIMIT_NOFILE enforced, inherited by fork), sched_* and nice.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../tools/cli/run-program';

const DIR = join(process.cwd(), 'tests/fixtures/process-calls');

function runOnSalty(name: string): { stdout: string; status: number } {
  const file = join(DIR, `${name}.elf`);
  let stdout = '';
  const status = runProgram(
    { file, bytes: readFileSync(file), args: [], argv0: name, env: ['PATH=/bin:/usr/bin'], memoryBytes: 256 << 20, strace: false, stats: false },
    { writeOut: (d) => (stdout += Buffer.from(d).toString()), writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => false },
  );
  return { stdout, status };
}

describe('process calls: salty matches qemu-aarch64', () => {
  it('proc-calls: wait checks and core bit, sessions, rlimits, sched_*, nice', () => {
    const got = runOnSalty('proc-calls');
    expect(got.stdout).toBe(readFileSync(join(DIR, 'proc-calls.golden'), 'utf8'));
    expect(got.status).toBe(Number(readFileSync(join(DIR, 'proc-calls.status'), 'utf8')));
  });
});
