// musl's libm (double and float functions: SSE2 scalar code built by gcc)
// runs on the bare CPU (the core's static-ELF runner) and prints the same bit
// patterns as natively. Built at test time when musl-gcc is present.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runStaticElf } from './static-elf-runner';

const usable = spawnSync('musl-gcc', ['--version']).status === 0 && process.arch === 'x64';

describe.skipIf(!usable)('musl libm on the x86-64 CPU (skipped without musl-gcc on an x86-64 host)', () => {
  it('sin, cos, tan, exp, log, pow, atan2, cbrt, sqrt, floor, round, fmod, hypot, lrint, sinf, expf, logf, sqrtf agree bit for bit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'salty-libm-'));
    try {
      const exe = join(dir, 'libm');
      execFileSync('musl-gcc', ['-static', '-O2', '-o', exe, fileURLToPath(new URL('./sse-oracle/libm-probe.c', import.meta.url)), '-lm']);
      const native = spawnSync(exe, ['3'], { encoding: 'latin1' });
      const run = runStaticElf(readFileSync(exe), [exe, '3']);
      const want = native.stdout.split('\n');
      const got = run.stdout.split('\n');
      const first = want.findIndex((l, i) => l !== got[i]);
      expect(first < 0 ? '' : `line ${first}: native ${want[first]}\n        ours   ${got[first]}`).toBe('');
      expect(want.length).toBe(601);
      expect(run.status).toBe(native.status);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
