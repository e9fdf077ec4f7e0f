// The same freestanding C workload (bench/cpu-bench.c) on the x86-64 and the
// A64 interpreters: both must compute the same results, and the run prints
// each CPU's MIPS (the goal: x86 within 1.5x of A64). Under vitest's
// per-module transform both run several times slower than bundled (npm run
// build); compare the ratio, not the absolute figures.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cpu } from '../../board/aarch64/cpu';
import { PhysicalMemory } from '../../board/memory/physical-memory';
import { x86Machine } from './x86-test-machine';

const DIR = join(__dirname, 'bench');
/** The full workload with SALTY_CPU_BENCH=1 (tens of seconds under vitest); a tenth of it otherwise. */
const NAME = process.env.SALTY_CPU_BENCH === '1' ? 'cpu-bench' : 'cpu-bench-small';

function resultsAt(arch: string): number {
  return parseInt(readFileSync(join(DIR, `${NAME}-${arch}.results`), 'utf8').trim(), 16);
}

function runX86(): { results: bigint[]; retired: number; seconds: number } {
  const m = x86Machine(readFileSync(join(DIR, `${NAME}-x86_64.bin`)));
  const t0 = performance.now();
  m.runToBreakpoint(1e9);
  const seconds = (performance.now() - t0) / 1000;
  const at = resultsAt('x86_64');
  const results = [0, 1, 2].map((k) => m.phys.view.getBigUint64(at + 8 * k, true));
  return { results, retired: m.cpu.retired, seconds };
}

function runA64(): { results: bigint[]; retired: number; seconds: number } {
  const base = 0x4000_0000;
  const phys = new PhysicalMemory(base, 4 * 1024 * 1024);
  const cpu = new Cpu(phys, { hosted: true });
  phys.writeBytes(base, readFileSync(join(DIR, `${NAME}-aarch64.bin`)));
  cpu.setEl(0);
  cpu.setStackPointers({ lo: base + 0x3f_0000, hi: 0 }, { lo: base + 0x3f_0000, hi: 0 });
  cpu.pc = base;
  const t0 = performance.now();
  cpu.run(1e9);
  const seconds = (performance.now() - t0) / 1000;
  const at = resultsAt('aarch64') - base;
  const results = [0, 1, 2].map((k) => phys.view.getBigUint64(at + 8 * k, true));
  return { results, retired: cpu.retired, seconds };
}

describe('x86-64 and A64 interpreters on the same C workload', () => {
  it('compute the same results; MIPS printed for both', () => {
    const x = runX86();
    const a = runA64();
    expect(x.results).toEqual(a.results);
    expect(x.results[0] % 17984n).toBe(0n); // primes below 200000, once per round
    const mips = (r: { retired: number; seconds: number }): string => (r.retired / r.seconds / 1e6).toFixed(1);
    console.log(`cpu-bench: x86-64 ${x.retired} insns ${x.seconds.toFixed(2)} s ${mips(x)} MIPS; A64 ${a.retired} insns ${a.seconds.toFixed(2)} s ${mips(a)} MIPS; time ratio x86/A64 ${(x.seconds / a.seconds).toFixed(2)}`);
  });
});
