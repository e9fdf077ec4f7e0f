// SALTY_JIT_WORKER=1 (or wait): the block compiler's batches translate on a thread of
// their own (tools/cli/jit-worker.ts). The run's output is the program's, the
// batches are counted in --stats, and none comes back unused (an op the CPU's
// thread would not take drops its batch).

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const CLI = join(process.cwd(), 'dist/salty.mjs');

function run(program: string, worker: string): { status: number | null; stdout: string; stderr: string } {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', SALTY_JIT_WORKER: worker };
  return spawnSync(process.execPath, [CLI, 'run', '--stats', program], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
}

const batches = (stderr: string): number => Number(/translated on another thread: (\d+) batches/.exec(stderr)?.[1] ?? 0);

beforeAll(() => {
  if (!existsSync(CLI) || !existsSync(join(process.cwd(), 'dist/jit-worker.mjs'))) spawnSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit' });
});

describe('translation on another thread (SALTY_JIT_WORKER)', () => {
  for (const [name, program, golden] of [
    ['embed (hot loops, SIMD)', 'tests/fixtures/bench/embed.elf', 'tests/fixtures/bench/embed.golden'],
    ['threads (futexes, atomics run as interpreter ops)', 'tests/fixtures/linux/threads.elf', 'tests/fixtures/linux/threads.golden'],
  ]) {
    it(`runs ${name} as on the CPU's thread`, () => {
      // (wait: the first batch waits for the thread to load, so that batches go there on a busy host too.)
      const on = run(program, 'wait');
      expect(on.stdout).toBe(readFileSync(golden, 'utf8'));
      expect(on.stderr).not.toMatch(/not used/);
      const off = run(program, '0');
      expect(off.stdout).toBe(on.stdout);
      expect(off.status).toBe(on.status);
      expect(batches(off.stderr)).toBe(0);
      expect(batches(on.stderr)).toBeGreaterThan(0);
    }, 60_000);
  }
});
