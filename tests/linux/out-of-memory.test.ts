// A guest that exhausts the -m RAM is killed with SIGKILL by the OOM killer
// (the process with the most memory), one stderr line names it as Linux's
// does; the emulator stays up and the rest of the guest goes on.

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
    const lines = r.stderr.split('\n');
    expect(lines[0]).toMatch(/^salty: Out of memory: Killed process \d+ \(memhog\.elf\) total-vm:\d+kB, anon-rss:\d+kB, file-rss:\d+kB, shmem-rss:0kB, UID:\d+ pgtables:\d+kB oom_score_adj:0$/);
    expect(lines.slice(1).join('\n')).toBe(`salty: ${join(FIXTURES, 'memhog.elf')}: SIGKILL: out of memory: the guest RAM of 32 MiB (-m) is exhausted\n`);
  });

  it('kills only the forked hog: its parent sees SIGKILL in wait status and carries on', () => {
    const r = runHog([], 32 << 20);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('parent: forking the hog\nparent: the hog was killed by signal 9\nparent: still here\n');
    expect(r.stderr).toMatch(/^salty: Out of memory: Killed process \d+ \(memhog\.elf\) total-vm:\d+kB, anon-rss:\d+kB, [^\n]*\n$/);
  });
});
