// Runs a real-world case on salty (in this process, with in-memory stdio)
// and on qemu-aarch64 (spawned), from the repository root with ENV.

import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runProgram } from '../../tools/cli/run-program';
import { BINARIES } from './binaries';
import { ENV, EXEC_SHIM, type RealWorldCase } from './cases';

export interface Outcome {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number;
}

/** Enough for the slowest case many times over; a runaway guest stops here instead of hanging the suite. */
export const INSTRUCTION_LIMIT = 1_500_000_000;

export function runOnSalty(c: RealWorldCase, strace = false): Outcome {
  const file = BINARIES[c.binary].path;
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let input = Buffer.from(c.stdin ?? '');
  const status = runProgram(
    { file, bytes: readFileSync(file), args: [...c.args], env: ENV, memoryBytes: 256 << 20, strace, stats: false, instructionLimit: INSTRUCTION_LIMIT },
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
  return { stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString('latin1'), status };
}

export const hasQemu = spawnSync('qemu-aarch64', ['--version']).status === 0;

export function qemuVersion(): string {
  return spawnSync('qemu-aarch64', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0].trim();
}

/** The command line that reproduces a case under qemu-aarch64, shell-quoted, run from the repository root. */
export function qemuCommandLine(c: RealWorldCase): string {
  const words = ['env', '-i', ...ENV, 'qemu-aarch64', BINARIES[c.binary].path, ...c.args];
  return words.map(shellQuote).join(' ');
}

function shellQuote(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/**
 * Standard streams are files, not the socket pairs node gives a child: bash
 * on a socket stdin believes rshd started it and reads ~/.bashrc, and
 * /dev/stderr cannot be opened on a socket.
 */
export function runOnQemu(c: RealWorldCase): Outcome {
  ensureExecShim();
  const dir = mkdtempSync(join(tmpdir(), 'salty-realworld-'));
  const paths = ['in', 'out', 'err'].map((n) => join(dir, n));
  writeFileSync(paths[0], c.stdin ?? '');
  const fds = [openSync(paths[0], 'r'), openSync(paths[1], 'w'), openSync(paths[2], 'w')];
  try {
    const r = spawnSync('qemu-aarch64', [BINARIES[c.binary].path, ...c.args], {
      stdio: fds,
      env: Object.fromEntries(ENV.map((kv) => kv.split(/=(.*)/s, 2))),
      timeout: 120_000,
    });
    const signal = r.signal ? constants.signals[r.signal] : 0;
    const read = (p: string) => readFileSync(p, 'latin1');
    return { stdout: read(paths[1]), stderr: withoutQemuDeathNotes(read(paths[2])), status: r.status ?? 128 + signal };
  } finally {
    fds.forEach((fd) => closeSync(fd));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** qemu-aarch64 announces the uncaught signal a guest dies of, which Linux does not. */
function withoutQemuDeathNotes(stderr: string): string {
  return stderr.replace(/^qemu: uncaught target signal \d+ \([^)]*\) - core dumped\n/gm, '');
}

let shimChecked = false;

/** One host script per busybox applet, each running that applet under qemu-aarch64 (see EXEC_SHIM). */
function ensureExecShim(): void {
  if (shimChecked) return;
  shimChecked = true;
  const script = join(EXEC_SHIM, 'run-applet');
  const busybox = resolve(BINARIES.busybox.path);
  const text = `#!/bin/sh\nexec qemu-aarch64 -0 "\${0##*/}" '${busybox}' "$@"\n`;
  mkdirSync(EXEC_SHIM, { recursive: true });
  if (!existsSync(script) || readFileSync(script, 'utf8') !== text) writeFileSync(script, text, { mode: 0o755 });
  const list = spawnSync('qemu-aarch64', [busybox, '--list'], { encoding: 'utf8' }).stdout;
  for (const applet of list.split('\n').filter((a) => /^[\w.[-]+$/.test(a))) {
    if (!existsSync(join(EXEC_SHIM, applet))) symlinkSync('run-applet', join(EXEC_SHIM, applet));
  }
}
