// `npm run bench`'s fuzz entry: the syscall fuzzer for a million calls
// (BENCH_FUZZ_CALLS), split evenly over the CPUs measured, with a fresh seed
// each run (BENCH_FUZZ_SEED replays one). Prints each CPU's totals and the
// sum; a host exception or a failed PMM audit prints the failure (seed,
// call, arguments) and fails the bench.

import { formatTotals, FuzzFailure, fuzzSyscalls } from './syscall-fuzzer';

export function benchFuzz(arches: readonly ('aarch64' | 'x86_64')[], calls: number): boolean {
  const seed = process.env.BENCH_FUZZ_SEED ? Number(process.env.BENCH_FUZZ_SEED) : Date.now() % 4294967296;
  const each = Math.ceil(calls / arches.length);
  let total = 0;
  let ok = 0;
  let errnos = 0;
  const t0 = performance.now();
  for (const arch of arches) {
    const started = performance.now();
    try {
      const t = fuzzSyscalls({ arch, seed, calls: each });
      console.log(formatTotals(t, (performance.now() - started) / 1000));
      total += t.calls;
      ok += t.ok;
      errnos += [...t.errnos.values()].reduce((a, b) => a + b, 0);
    } catch (e) {
      console.log(e instanceof FuzzFailure ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e));
      return false;
    }
  }
  const s = (performance.now() - t0) / 1000;
  console.log(`fuzz: ${total} calls in ${s.toFixed(1)} s (${Math.round(total / s)}/s): ${ok} succeeded, ${errnos} errnos; host exceptions: 0; PMM audit ok`);
  return true;
}
