// salty's own stdout is not a terminal here (the test captures it): the
// guest's fd 1 is then a pipe, as under Linux or qemu-aarch64 with captured
// output, and glibc buffers stdout fully. (It used to stat as a pty: glibc
// line-buffered it, and busybox sort made 100,000 writes where qemu makes 535.)

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../tools/cli/run-program';
import { FIXTURES, STDIN } from './run-fixture';

function run(isTty: boolean): { stdout: string; writes: string[] } {
  const file = join(FIXTURES, 'stdio.elf');
  let stdout = '';
  let stderr = '';
  let input = Buffer.from(STDIN);
  runProgram(
    { file, bytes: readFileSync(file), args: [], argv0: 'stdio', env: [], memoryBytes: 256 << 20, strace: true, stats: false },
    {
      writeOut: (d) => (stdout += Buffer.from(d).toString()),
      writeErr: (d) => (stderr += Buffer.from(d).toString()),
      readIn: (max) => {
        const out = input.subarray(0, max);
        input = input.subarray(out.length);
        return out;
      },
      isTty: () => isTty,
    },
  );
  return { stdout, writes: stderr.split('\n').filter((l) => / write\(1,/.test(l)) };
}

describe('the console streams', () => {
  it('are pipes when the host side is not a terminal: stdout is fully buffered', () => {
    const r = run(false);
    expect(r.stdout).toBe(readFileSync(join(FIXTURES, 'stdio.golden'), 'utf8'));
    expect(r.writes.length).toBe(1);
  });

  it('are terminals when the host side is one: stdout is line-buffered', () => {
    const r = run(true);
    expect(r.stdout).toBe(readFileSync(join(FIXTURES, 'stdio.golden'), 'utf8'));
    expect(r.writes.length).toBeGreaterThan(10);
  });
});
