// Runs a real-world dynamic case on salty (in this process, with in-memory
// stdio) and on qemu-aarch64 (spawned), both with -L SYSROOT, from the
// repository root with ENV.

import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runProgram } from '../../tools/cli/run-program';
import type { Outcome } from '../realworld/runners';
import { CASES, ENV, EXEC_SHIM, SYSROOT, type DynamicCase } from './cases';

/** Far above the slowest case (python3, under 100 million instructions); a runaway guest stops here. */
export const INSTRUCTION_LIMIT = 2_000_000_000;

export function programPath(c: DynamicCase): string {
  return `${SYSROOT}/${c.program}`;
}

export function runOnSalty(c: DynamicCase, strace = false): Outcome & { instructions: number; seconds: number } {
  const file = programPath(c);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let input = Buffer.from(c.stdin ?? '', 'latin1');
  const started = process.hrtime.bigint();
  const status = runProgram(
    { file, bytes: readFileSync(file), args: [...c.args], env: ENV, memoryBytes: 256 << 20, strace, stats: true, sysroot: SYSROOT, instructionLimit: INSTRUCTION_LIMIT },
    {
      writeOut: (d) => out.push(Buffer.from(d)),
      writeErr: (d) => err.push(Buffer.from(d)),
      readIn: (max) => {
        const chunk = input.subarray(0, max);
        input = input.subarray(chunk.length);
        return chunk;
      },
      isTty: () => false,
    },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stderr = Buffer.concat(err).toString('latin1');
  // --stats' report comes last on stderr: take the instruction count and leave the guest's own stderr.
  const at = stderr.lastIndexOf('--- salty stats ---\n');
  const instructions = Number(/instructions retired: (\d+)/.exec(stderr.slice(at))?.[1] ?? 0);
  return { stdout: Buffer.concat(out).toString('latin1'), stderr: at >= 0 ? stderr.slice(0, at) : stderr, status, instructions, seconds };
}

export const hasQemu = spawnSync('qemu-aarch64', ['--version']).status === 0;

export function qemuVersion(): string {
  return spawnSync('qemu-aarch64', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0].trim();
}

/** The command line that reproduces a case under qemu-aarch64, shell-quoted, run from the repository root. */
export function qemuCommandLine(c: DynamicCase): string {
  const words = ['env', '-i', ...ENV, 'qemu-aarch64', '-L', SYSROOT, programPath(c), ...c.args];
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/**
 * stdout and stderr are files, as in tests/realworld (not the socket pairs
 * node gives a child); stdin is a pipe, a stream as salty's console is (wc
 * sizes its columns from a regular file's size, not from a stream's).
 */
export function runOnQemu(c: DynamicCase): Outcome {
  ensureExecShim();
  const dir = mkdtempSync(join(tmpdir(), 'salty-realworld-dynamic-'));
  const paths = ['out', 'err'].map((n) => join(dir, n));
  const fds = [openSync(paths[0], 'w'), openSync(paths[1], 'w')];
  try {
    const r = spawnSync('qemu-aarch64', ['-L', SYSROOT, programPath(c), ...c.args], {
      stdio: ['pipe', fds[0], fds[1]],
      input: Buffer.from(c.stdin ?? '', 'latin1'),
      env: Object.fromEntries(ENV.map((kv) => kv.split(/=(.*)/s, 2))),
      timeout: 120_000,
    });
    const signal = r.signal ? constants.signals[r.signal] : 0;
    const read = (p: string) => readFileSync(p, 'latin1');
    return { stdout: read(paths[0]), stderr: read(paths[1]).replace(/^qemu: uncaught target signal \d+ \([^)]*\) - core dumped\n/gm, ''), status: r.status ?? 128 + signal };
  } finally {
    fds.forEach((fd) => closeSync(fd));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One host script per program the cases' subprocesses run, each running it under qemu-aarch64 -L (see EXEC_SHIM). */
function ensureExecShim(): void {
  mkdirSync(EXEC_SHIM, { recursive: true });
  const root = resolve(SYSROOT);
  for (const name of ['wc']) {
    const target = [`${root}/usr/bin/${name}`, `${root}/bin/${name}`].find((p) => existsSync(p));
    if (!target) continue;
    const text = `#!/bin/sh\nexec qemu-aarch64 -L '${root}' '${target}' "$@"\n`;
    const script = join(EXEC_SHIM, name);
    if (!existsSync(script) || readFileSync(script, 'utf8') !== text) writeFileSync(script, text, { mode: 0o755 });
  }
}

export { CASES };
