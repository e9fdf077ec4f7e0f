// The syscall fuzzer's runs for vitest: per arch, 50,000 calls in two runs
// of 25,000, one with a seed from the commit under test (git HEAD; FUZZ_SEED
// replays a failure) and one with a fixed seed. A failure names the seed, the
// call and its arguments.

import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { seedOf } from '../../tools/fuzz/fuzz-random';
import { formatTotals, fuzzSyscalls } from '../../tools/fuzz/syscall-fuzzer';

export const CALLS_PER_RUN = 25_000;
const FIXED_SEED = 20261206;

function commitSeed(): number {
  if (process.env.FUZZ_SEED) return Number(process.env.FUZZ_SEED);
  try {
    return seedOf(execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    return seedOf('no git checkout');
  }
}

export function fuzzRuns(arch: 'aarch64' | 'x86_64'): void {
  for (const [what, seed] of [['the commit', commitSeed()], ['a fixed', FIXED_SEED]] as const) {
    it(`${CALLS_PER_RUN} random calls with ${what} seed (${seed}): errnos only, no host exception, the PMM audit holds`, { timeout: 180_000 }, () => {
      const t0 = performance.now();
      const totals = fuzzSyscalls({ arch, seed, calls: CALLS_PER_RUN });
      console.log(formatTotals(totals, (performance.now() - t0) / 1000));
      expect(totals.calls).toBe(CALLS_PER_RUN);
      expect(totals.hostExceptions).toBe(0);
      expect(totals.audit).not.toBe('');
      // Every process has ended: no frame may still hold a MemoryObject's data or metadata, or a kernel object.
      const owners = JSON.parse(totals.audit) as Record<string, number>;
      expect({ data: owners['mo-data'], meta: owners['mo-meta'], objects: owners['kernel-object'] }).toEqual({ data: 0, meta: 0, objects: 0 });
      // The calls reach the handlers: most answer an errno, a good share succeed.
      expect(totals.ok).toBeGreaterThan(CALLS_PER_RUN / 10);
    });
  }
}
