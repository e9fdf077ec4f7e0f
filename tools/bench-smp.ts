// `npm run bench`'s -smp figure: the same one-CPU work (tests/fixtures/
// baremetal/smp-bench.elf, CPU 0 alone while CPUs 1-3 sleep in WFI) on the
// virt board with -smp 1 and -smp 4, in this process. The difference is what
// taking turns costs a CPU that does all the work: the scheduler's slices and
// the per-slice device updates of four CPUs.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtBoard } from '../board/virt/virt-board';

const IMAGE = join(process.cwd(), 'tests/fixtures/baremetal/smp-bench.elf');
const GOLDEN = join(process.cwd(), 'tests/fixtures/baremetal/smp-bench.golden.txt');

interface SmpRun {
  readonly cpuSeconds: number;
  readonly retired: number;
  readonly ok: boolean;
}

function runOnce(cpus: number): SmpRun {
  let out = '';
  const board = new VirtBoard({
    ramSize: 128 << 20,
    cpus,
    console: { write: (b) => (out += Buffer.from(b).toString('latin1')), writeErr: () => {}, readChar: () => -1 },
    rtcStartSeconds: 1_700_000_000,
    seed: new Uint8Array(40),
  });
  board.load(readFileSync(IMAGE), { fileName: IMAGE });
  const c0 = process.cpuUsage();
  const state = board.run(1e9);
  const c = process.cpuUsage(c0);
  // -smp 1 cannot start the secondaries; the work and its checksum are the same.
  const want = readFileSync(GOLDEN, 'utf8').replace('started: 3', `started: ${cpus - 1}`);
  return { cpuSeconds: (c.user + c.system) / 1e6, retired: board.cpu.retired, ok: state.kind === 'off' && out === want };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Prints the comparison; false when an output differs from the golden. */
export function benchSmp(repeats: number): boolean {
  const runs = new Map<number, SmpRun[]>([[1, []], [4, []]]);
  // One run of each warms the JIT up first; then they alternate so load from other jobs hits both.
  runOnce(1);
  runOnce(4);
  for (let i = 0; i < repeats; i++) for (const n of i % 2 === 0 ? [1, 4] : [4, 1]) runs.get(n)!.push(runOnce(n));
  const s1 = median(runs.get(1)!.map((r) => r.cpuSeconds));
  const s4 = median(runs.get(4)!.map((r) => r.cpuSeconds));
  const retired = runs.get(1)![0].retired;
  const ok = [...runs.values()].every((rs) => rs.every((r) => r.ok));
  console.log(`smp: one CPU's work (${retired} instructions on CPU 0), median CPU s of ${repeats} runs`);
  console.log(`  -smp 1: ${s1.toFixed(2)} s (${(retired / s1 / 1e6).toFixed(0)} MIPS)   -smp 4, CPUs 1-3 in WFI: ${s4.toFixed(2)} s (${(retired / s4 / 1e6).toFixed(0)} MIPS)   cost: ${(((s4 - s1) / s1) * 100).toFixed(1)}%   ${ok ? 'ok' : 'DIFFERS FROM GOLDEN'}`);
  return ok;
}
