// `npm run bench`: runs our benchmark programs, built for aarch64 and x86_64
// from the same C source (tests/fixtures/bench), on both of salty's CPUs in
// one run, beside qemu-aarch64, native execution and qemu-x86_64. Prints
// instructions retired, MIPS (wall and user CPU time of `system.run()`) and
// wall-time ratios, each the median of BENCH_REPEATS runs; the repeats
// alternate between the runners so load from other jobs hits all of them.
// BENCH_ONLY=int,mix picks programs; BENCH_ARCH=x86_64 (or aarch64) one CPU.
// Then real work beside qemu-aarch64 (bench-real.ts; BENCH_ONLY=real alone).
// Then Debian's arm64 kernel booted to its init script (BENCH_ONLY=linux alone).
// Then the syscall fuzzer (tools/fuzz) for BENCH_FUZZ_CALLS calls (1,000,000;
// BENCH_ONLY=fuzz runs it alone), split over the CPUs. Then the virt board's
// -smp 4 against -smp 1 on one CPU's work (BENCH_ONLY=smp alone). Then the
// hostile guests of tests/hostile at 1 GiB and 3968 MiB (the most an aarch64
// program gets), then their x86_64 builds at 4 GiB, host peak RSS against -m
// (BENCH_ONLY=hostile alone; BENCH_HOSTILE_MEM and BENCH_HOSTILE_X86_MEM the sizes).

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseElfImage } from '../loader/elf-image';
import { HostedKernel } from '../kernel/hosted-kernel';
import { LinuxSystem } from '../kernel/linux/linux-system';
import type { ConsoleIo } from '../kernel/vfs/device';
import { benchFuzz } from './fuzz/fuzz-bench';
import { benchSmp } from './bench-smp';
import { benchLinuxBoot } from './linux-boot/bench-linux-boot';
import { benchHostile } from './bench-hostile';
import { benchReal } from './bench-real';
import './cli/wasm-flags';
import { lowerBackgroundPriority } from './cli/background-priority';
import { useJitWorker } from './cli/jit-worker-client';
import { setFlagsFromString } from 'node:v8';

// Every run of a guest program in this process compiles its code afresh, as a user's run does: V8 would
// otherwise take the WebAssembly of an earlier run of the same program from its module cache (the same
// bytes), and the later runs skipped the compiling a single run pays (bash's loop 1.9 s against 3.0 s).
setFlagsFromString('--no-wasm-native-module-cache-enabled');
// As `salty` does at start (background-priority.ts): the runs in this process see what a user's run sees.
lowerBackgroundPriority();
// And as `salty run` with SALTY_JIT_WORKER=1: hot blocks translate on a thread of their own.
useJitWorker();

const DIR = join(process.cwd(), 'tests/fixtures/bench');
const PROGRAMS = (process.env.BENCH_ONLY ?? 'int,mem,fp,mix,embed').split(',');
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const ARCHES = (process.env.BENCH_ARCH ?? 'aarch64,x86_64').split(',') as Arch[];

type Arch = 'aarch64' | 'x86_64';
interface SaltyRun { seconds: number; cpu: number; retired: number; ok: boolean }

const elfOf = (name: string, arch: Arch): string => join(DIR, arch === 'aarch64' ? `${name}.elf` : `${name}-x86_64.elf`);
const goldenOf = (name: string, arch: Arch): string => join(DIR, arch === 'aarch64' ? `${name}.golden` : `${name}-x86_64.golden`);

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function runSalty(file: string, golden: string): SaltyRun {
  const bytes = readFileSync(file);
  let out = '';
  const io: ConsoleIo = {
    writeOut: (d) => (out += Buffer.from(d).toString()),
    writeErr: (d) => (out += Buffer.from(d).toString()),
    readIn: () => new Uint8Array(0),
    isTty: () => false,
  };
  const image = parseElfImage(bytes, { fileName: file });
  const kernel = new HostedKernel(256 << 20, { arch: image.machine });
  const system = new LinuxSystem(kernel, { strace: false, io, root: '/' });
  const proc = system.spawn({ exe: { path: file, bytes }, image, argv: [file], envp: [], random: new Uint8Array(16) });
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const status = system.run();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  if (proc.exit?.kind === 'signaled') out += `[${proc.exit.message}]`;
  const ok = status === 0 && out === readFileSync(golden, 'utf8');
  return { seconds, cpu: (c.user + c.system) / 1e6, retired: kernel.retired, ok };
}

const available = new Map<string, boolean>();
function have(cmd: string): boolean {
  if (!available.has(cmd)) available.set(cmd, spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0);
  return available.get(cmd)!;
}

/** Wall time of a host process (qemu, or the program itself), null if it cannot run or prints something else. */
function runHost(cmd: string, args: string[], golden: string): number | null {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 || r.stdout !== readFileSync(golden, 'utf8')) return null;
  return seconds;
}

interface Row { name: string; salty: Map<Arch, SaltyRun[]>; qemuA64: number[]; native: number[]; qemuX86: number[] }

function measure(name: string): Row {
  const row: Row = { name, salty: new Map(), qemuA64: [], native: [], qemuX86: [] };
  for (const arch of ARCHES) row.salty.set(arch, []);
  const x86Host = process.arch === 'x64';
  for (let i = 0; i < REPEATS; i++) {
    for (const arch of ARCHES) row.salty.get(arch)!.push(runSalty(elfOf(name, arch), goldenOf(name, arch)));
    if (ARCHES.includes('aarch64') && have('qemu-aarch64')) {
      const q = runHost('qemu-aarch64', [elfOf(name, 'aarch64')], goldenOf(name, 'aarch64'));
      if (q !== null) row.qemuA64.push(q);
    }
    if (ARCHES.includes('x86_64')) {
      const x86 = elfOf(name, 'x86_64');
      const gold = goldenOf(name, 'x86_64');
      const n = x86Host ? runHost(x86, [], gold) : null;
      if (n !== null) row.native.push(n);
      const q = have('qemu-x86_64') ? runHost('qemu-x86_64', [x86], gold) : null;
      if (q !== null) row.qemuX86.push(q);
    }
  }
  return row;
}

const fmt = (v: number, digits: number, width: number, suffix = ''): string =>
  (Number.isNaN(v) ? 'n/a' : v.toFixed(digits) + suffix).padStart(width);

function saltyFigures(runs: SaltyRun[] | undefined): { s: number; mips: number; cpuMips: number; retired: number; ok: boolean } {
  if (!runs || runs.length === 0) return { s: NaN, mips: NaN, cpuMips: NaN, retired: NaN, ok: true };
  const retired = runs[runs.length - 1].retired;
  const s = median(runs.map((r) => r.seconds));
  const cpu = median(runs.map((r) => r.cpu));
  return { s, mips: retired / s / 1e6, cpuMips: retired / cpu / 1e6, retired, ok: runs.every((r) => r.ok) };
}

function print(rows: Row[]): void {
  console.log(`median of ${REPEATS} runs; MIPS = instructions / wall s (cpu: / user+sys CPU s of salty's process); ratios = salty wall / other wall`);
  console.log(
    'program |    A64 insns  A64 s  MIPS  cpu | x86 insns   x86 s  MIPS  cpu | x86/A64 MIPS (cpu) | A64/qemu-a64 | x86/native | x86/qemu-x86 | output',
  );
  for (const r of rows) {
    const a = saltyFigures(r.salty.get('aarch64'));
    const x = saltyFigures(r.salty.get('x86_64'));
    const cells = [
      r.name.padEnd(7),
      '|',
      fmt(a.retired, 0, 12),
      fmt(a.s, 2, 6),
      fmt(a.mips, 1, 5),
      fmt(a.cpuMips, 0, 4),
      '|',
      fmt(x.retired, 0, 9),
      fmt(x.s, 2, 7),
      fmt(x.mips, 1, 5),
      fmt(x.cpuMips, 0, 4),
      '|',
      (fmt(x.mips / a.mips, 2, 11) + ` (${fmt(x.cpuMips / a.cpuMips, 2, 0)})`).padStart(18),
      '|',
      fmt(a.s / median(r.qemuA64), 1, 12, 'x'),
      '|',
      fmt(x.s / median(r.native), 0, 10, 'x'),
      '|',
      fmt(x.s / median(r.qemuX86), 1, 12, 'x'),
      '|',
      a.ok && x.ok ? 'ok' : `DIFFERS FROM GOLDEN (${a.ok ? '' : 'aarch64 '}${x.ok ? '' : 'x86_64'})`,
    ];
    console.log(cells.join(' '));
  }
  const host = (label: string, xs: number[]): string => `${label} ${fmt(median(xs), 3, 0)} s`;
  for (const r of rows) console.log(`  ${r.name}: ${host('qemu-aarch64', r.qemuA64)}, ${host('native', r.native)}, ${host('qemu-x86_64', r.qemuX86)}`);
}

const rows = PROGRAMS.filter((p) => p !== 'fuzz' && p !== 'smp' && p !== 'linux' && p !== 'hostile' && p !== 'real').map(measure);
if (rows.length > 0) print(rows);
if (rows.some((r) => [...r.salty.values()].some((runs) => runs.some((x) => !x.ok)))) process.exitCode = 1;
if (!process.env.BENCH_ONLY || PROGRAMS.includes('real')) {
  if (!benchReal(REPEATS)) process.exitCode = 1;
}
if (!process.env.BENCH_ONLY || PROGRAMS.includes('fuzz')) {
  if (!benchFuzz(ARCHES, Number(process.env.BENCH_FUZZ_CALLS ?? 1_000_000))) process.exitCode = 1;
}
if (!process.env.BENCH_ONLY || PROGRAMS.includes('smp')) {
  if (!benchSmp(REPEATS)) process.exitCode = 1;
}
if (!process.env.BENCH_ONLY || PROGRAMS.includes('linux')) {
  if (!(await benchLinuxBoot())) process.exitCode = 1;
}
if (!process.env.BENCH_ONLY || PROGRAMS.includes('hostile')) {
  if (!(await benchHostile())) process.exitCode = 1;
}
