// A guest that exhausts the -m RAM is killed with SIGKILL (as Linux's OOM
// killer does) and a stderr line names the limit; the emulator stays up and
// the rest of the guest goes on.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../tools/cli/run-program';
import { FIXTURES } from './run-fixture';

function runHog(args: string[], memoryBytes: number) {
  const file = join(FIXTURES, 'memhog.elf');
  let stdout = '';
  let stderr = '';
  const status = runProgram(
    { file, bytes: readFileSync(file), args, argv0: 'memhog', env: [], memoryBytes, strace: false, stats: false },
    {
      writeOut: (d) => (stdout += Buffer.from(d).toString()),
      writeErr: (d) => (stderr += Buffer.from(d).toString()),
      readIn: () => new Uint8Array(0),
      isTty: () => false,
    },
  );
  return { stdout, stderr, status };
}

describe('out of memory', () => {
  it('kills the program that touches more than -m with SIGKILL and names the limit', () => {
    const r = runHog(['--direct'], 32 << 20);
    expect(r.status).toBe(128 + 9);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`salty: ${join(FIXTURES, 'memhog.elf')}: SIGKILL: out of memory: the guest RAM of 32 MiB (-m) is exhausted\n`);
  });

  it('kills only the forked hog: its parent sees SIGKILL in wait status and carries on', () => {
    const r = runHog([], 32 << 20);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('parent: forking the hog\nparent: the hog was killed by signal 9\nparent: still here\n');
    expect(r.stderr).toMatch(/^salty: process \d+: SIGKILL: out of memory: the guest RAM of 32 MiB \(-m\) is exhausted\n$/);
  });
});
