// salty's own stdout is not a terminal here (the test captures it): the
// guest's fd 1 is then a pipe, as under Linux or qemu-aarch64 with captured
// output, and glibc buffers stdout fully. (It used to stat as a pty: glibc
// line-buffered it, and busybox sort made 100,000 writes where qemu makes 535.)

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runOnSalty, STDIN } from './run-fixture';

function run(isTty: boolean): { stdout: string; writes: string[] } {
  const r = runOnSalty('stdio', [], STDIN, undefined, { strace: true, isTty });
  return { stdout: r.stdout, writes: r.stderr.split('\n').filter((l) => / write\(1,/.test(l)) };
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
