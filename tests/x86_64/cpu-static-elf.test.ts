// A static musl program (our C source, built at test time when musl-gcc is
// present) runs on the bare CPU with a syscall shim and prints what it prints natively.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStaticElf } from './static-elf-runner';

function hasMusl(): boolean {
  return spawnSync('musl-gcc', ['--version']).status === 0 && process.arch === 'x64';
}

describe.skipIf(!hasMusl())('static musl program on the bare x86 CPU (skipped without musl-gcc on an x86-64 host)', () => {
  it('prints the same as natively (integer code only: our own formatting, no stdio)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'salty-musl-'));
    try {
      const exe = join(dir, 'prog');
      execFileSync('musl-gcc', ['-static', '-O2', '-mno-sse', '-o', exe, join(__dirname, 'programs', 'integer-mix.c')]);
      const native = spawnSync(exe, [], { encoding: 'latin1' });
      const run = runStaticElf(readFileSync(exe), [exe]);
      expect(run.stdout).toBe(native.stdout);
      expect(run.status).toBe(native.status);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
