// `BENCH_ONLY=real npm run bench`: real work on the A64 CPU beside
// qemu-aarch64 in the same run. Our embedded-style C program
// (tests/fixtures/bench/embed.c), then Debian's busybox-static and
// bash-static (fetched by tests/realworld/fetch.sh; what is absent is said
// and skipped): gzip -9, bzip2 and sha256sum of a 2 MiB text, sort of
// 100,000 lines, and a bash loop of 10,000 iterations. Each runner's output
// is compared with qemu-aarch64's; medians of BENCH_REPEATS runs alternating
// between salty and qemu.
//
// Salty runs in this process (warm: the emulator's JavaScript already
// optimized by earlier runs, no Node start-up), and, unless BENCH_CLI=0, as a
// user starts it: `salty run` in a process of its own (Node's start-up, the
// bundle's load from its code cache, cold JavaScript), after one untimed run
// that writes the code cache; a last line gives that column's floor, `salty
// run busybox true` (the start alone) beside qemu-aarch64's.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProgram } from './cli/run-program';

interface Program {
  readonly name: string;
  readonly file: string;
  readonly args: readonly string[];
  /** Why it cannot run here, or undefined. */
  readonly missing?: string;
}

/** seconds: wall; cpu: user + system CPU seconds of the process (less sensitive to other load on the machine). */
interface Sample { seconds: number; cpu: number; retired: number; digest: string; status: number }

const ROOT = 'tests/realworld/.cache/root';
const BUSYBOX = `${ROOT}/bin/busybox`;
const BASH = `${ROOT}/bin/bash-static`;

/** Deterministic inputs: a text of words and numbers (compresses like prose) and 100,000 lines to sort. */
function inputs(): { text: string; lines: string } {
  const dir = join(tmpdir(), 'salty-bench-real');
  mkdirSync(dir, { recursive: true });
  const text = join(dir, 'text-2m.txt');
  const lines = join(dir, 'lines-100k.txt');
  let x = 12345;
  const rnd = (n: number): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % n;
  };
  const words = Array.from({ length: 2000 }, (_, i) => {
    let w = '';
    for (let k = 0; k < 3 + ((i * 7) % 8); k++) w += String.fromCharCode(97 + rnd(26));
    return w;
  });
  if (!existsSync(text)) {
    const parts: string[] = [];
    let size = 0;
    while (size < 2 << 20) {
      const line = Array.from({ length: 12 }, () => (rnd(10) === 0 ? String(rnd(100000)) : words[rnd(words.length)])).join(' ') + '\n';
      parts.push(line);
      size += line.length;
    }
    writeFileSync(text, parts.join(''));
  }
  if (!existsSync(lines)) {
    const parts: string[] = [];
    for (let i = 0; i < 100_000; i++) parts.push(`${words[rnd(words.length)]} ${rnd(1000000)} ${words[rnd(words.length)]}\n`);
    writeFileSync(lines, parts.join(''));
  }
  return { text, lines };
}

function programs(): Program[] {
  const { text, lines } = inputs();
  const noBusybox = existsSync(BUSYBOX) ? undefined : `${BUSYBOX} absent (run bash tests/realworld/fetch.sh)`;
  const noBash = existsSync(BASH) ? undefined : `${BASH} absent (run bash tests/realworld/fetch.sh)`;
  const applet = (name: string, args: string[]): Program => ({ name, file: BUSYBOX, args: [name === 'gzip-9' ? 'gzip' : name, ...args], missing: noBusybox });
  return [
    { name: 'embed', file: 'tests/fixtures/bench/embed.elf', args: [] },
    applet('gzip-9', ['-9', '-c', text]),
    applet('bzip2', ['-c', text]),
    applet('sha256sum', [text]),
    applet('sort', [lines]),
    { name: 'bash-loop', file: BASH, args: ['-c', 'i=0; while [ $i -lt 10000 ]; do i=$((i+1)); done; echo $i'], missing: noBash },
  ];
}

const digest = (chunks: Buffer[]): string => createHash('sha256').update(Buffer.concat(chunks)).digest('hex').slice(0, 16);

function runSalty(p: Program, noJit: boolean): Sample {
  const out: Buffer[] = [];
  let retired = 0;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const status = runProgram(
    { file: p.file, bytes: readFileSync(p.file), args: p.args, env: ['PATH=/usr/bin:/bin'], memoryBytes: 256 << 20, strace: false, stats: false, onRetired: (n) => (retired = n), jit: noJit ? 'off' : undefined },
    { writeOut: (d) => out.push(Buffer.from(d)), writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => false },
  );
  const c = process.cpuUsage(c0);
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpu: (c.user + c.system) / 1e6, retired, digest: digest(out), status };
}

const TIME = '/usr/bin/time';

/** A command's wall time and, when /usr/bin/time can report it, its CPU time (user + system); null when it cannot start. */
function runTimed(argv: readonly string[]): Sample | null {
  const [cmd, ...args] = existsSync(TIME) ? [TIME, '-f', 'salty-bench-cpu %U %S', ...argv] : argv;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, env: { PATH: '/usr/bin:/bin' } });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error) return null;
  const m = /salty-bench-cpu ([\d.]+) ([\d.]+)/.exec(r.stderr.toString());
  return { seconds, cpu: m ? Number(m[1]) + Number(m[2]) : NaN, retired: NaN, digest: digest([r.stdout]), status: r.status ?? -1 };
}

/** qemu-aarch64 running the program. */
const runQemu = (p: Program): Sample | null => runTimed(['qemu-aarch64', p.file, ...p.args]);

/** The command line's bundle beside this one (dist/salty.mjs). */
const CLI = new URL('./salty.mjs', import.meta.url);

/** `salty run` in a process of its own, as a user runs it. */
const runCli = (p: Program): Sample | null => runTimed([process.execPath, fileURLToPath(CLI), 'run', '-m', '256M', p.file, ...p.args]);

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const fmt = (v: number, digits: number, width: number, suffix = ''): string => (Number.isNaN(v) ? 'n/a' : v.toFixed(digits) + suffix).padStart(width);

/** Runs the group; false when an output differs from qemu's. */
export function benchReal(repeats: number): boolean {
  const haveQemu = spawnSync('qemu-aarch64', ['--version'], { stdio: 'ignore' }).status === 0;
  const compareNoJit = process.env.BENCH_NOJIT === '1';
  const cli = process.env.BENCH_CLI !== '0' && existsSync(CLI);
  console.log(`real work on the A64 CPU, median of ${repeats} runs; MIPS = instructions / wall s (cpu: / CPU s); ratio = salty / qemu-aarch64, wall (CPU)`);
  console.log(`program   |     insns  salty s   MIPS  cpu |${compareNoJit ? ' no-jit s   MIPS  cpu |' : ''} qemu s | salty/qemu (cpu) |${cli ? ' salty run s  /qemu |' : ''} output`);
  let ok = true;
  for (const p of programs()) {
    if (p.missing !== undefined) {
      console.log(`${p.name.padEnd(9)} | skipped: ${p.missing}`);
      continue;
    }
    const salty: Sample[] = [];
    const plain: Sample[] = [];
    const qemu: Sample[] = [];
    const own: Sample[] = [];
    // (The first `salty run` writes the bundle's code cache, as a user's first run does: not counted.)
    if (cli) runCli(p);
    for (let i = 0; i < repeats; i++) {
      salty.push(runSalty(p, false));
      if (compareNoJit) plain.push(runSalty(p, true));
      const q = haveQemu ? runQemu(p) : null;
      if (q !== null) qemu.push(q);
      const c = cli ? runCli(p) : null;
      if (c !== null) own.push(c);
    }
    const s = median(salty.map((r) => r.seconds));
    const retired = salty[0].retired;
    const ref = qemu[0];
    const same = salty.concat(plain, own).every((r) => r.digest === salty[0].digest && r.status === salty[0].status);
    const matches = same && (ref === undefined || (ref.digest === salty[0].digest && ref.status === salty[0].status));
    if (!matches) ok = false;
    const q = median(qemu.map((r) => r.seconds));
    const qc = median(qemu.map((r) => r.cpu));
    const sc = median(salty.map((r) => r.cpu));
    const pl = median(plain.map((r) => r.seconds));
    const plc = median(plain.map((r) => r.cpu));
    const cells = [p.name.padEnd(9), '|', fmt(retired, 0, 10), fmt(s, 2, 8), fmt(retired / s / 1e6, 1, 6), fmt(retired / sc / 1e6, 0, 4), '|'];
    if (compareNoJit) cells.push(fmt(pl, 2, 9), fmt(retired / pl / 1e6, 1, 6), fmt(retired / plc / 1e6, 0, 4), '|');
    cells.push(fmt(q, 3, 6), '|', (fmt(s / q, 1, 0, 'x') + ` (${fmt(sc / qc, 1, 0, 'x')})`).padStart(16), '|');
    if (cli) {
      const o = median(own.map((r) => r.seconds));
      cells.push(fmt(o, 2, 11), fmt(o / q, 1, 5, 'x'), '|');
    }
    cells.push(matches ? (ref ? 'same as qemu' : 'no qemu') : 'DIFFERS');
    console.log(cells.join(' '));
  }
  if (cli && existsSync(BUSYBOX)) console.log(startFloor(repeats, haveQemu));
  return ok;
}

/** What the `salty run` column includes before any work: `busybox true`, as `salty run` and under qemu-aarch64. */
function startFloor(repeats: number, haveQemu: boolean): string {
  const p: Program = { name: 'true', file: BUSYBOX, args: ['true'], missing: undefined };
  const own: number[] = [];
  const qemu: number[] = [];
  for (let i = 0; i < repeats; i++) {
    own.push(runCli(p)?.seconds ?? NaN);
    if (haveQemu) qemu.push(runQemu(p)?.seconds ?? NaN);
  }
  return `start alone (busybox true): salty run ${fmt(median(own), 3, 0)} s, qemu-aarch64 ${haveQemu ? fmt(median(qemu), 3, 0) + ' s' : 'n/a'}`;
}
