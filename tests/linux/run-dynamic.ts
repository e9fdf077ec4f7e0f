// Runs our dynamically linked test programs (tests/fixtures/linux-dynamic)
// on salty with a sysroot (-L), and on qemu-aarch64 -L with the same one,
// from the repository root as build.sh records them.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { runProgram } from '../../tools/cli/run-program';
import { STDIN, type Outcome } from './run-fixture';

export const DYNAMIC = 'tests/fixtures/linux-dynamic';
export type Libc = 'glibc' | 'musl';

/** glibc: Debian's cross sysroot; musl: the sysroot tests/realworld-dynamic/fetch.sh extracts. */
export const SYSROOTS: Record<Libc, string> = {
  glibc: '/usr/aarch64-linux-gnu',
  musl: 'tests/realworld-dynamic/.cache/sysroot',
};

export interface DynamicCase {
  readonly name: string;
  readonly libc: Libc;
  /** The program run, relative to the repository root. */
  readonly file: string;
  readonly argv0?: string;
  readonly env?: readonly string[];
  readonly args?: readonly string[];
  /** Another sysroot than the libc's usual one. */
  readonly sysroot?: string;
}

/** Why a libc's cases cannot run here, or undefined. */
export function sysrootMissing(libc: Libc): string | undefined {
  const loader = libc === 'glibc' ? 'lib/ld-linux-aarch64.so.1' : 'lib/ld-musl-aarch64.so.1';
  if (existsSync(join(SYSROOTS[libc], loader))) return undefined;
  const notes = 'tests/realworld-dynamic/.cache/unavailable.txt';
  const why = existsSync(notes) ? readFileSync(notes, 'utf8').split('\n')[0] : '';
  return libc === 'glibc'
    ? `${SYSROOTS.glibc} has no ${loader} (install libc6-arm64-cross)`
    : `${SYSROOTS.musl} has no ${loader} (${why || 'run bash tests/realworld-dynamic/fetch.sh'})`;
}

export function runDynamicOnSalty(c: DynamicCase, stdin = STDIN): Outcome {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let input = Buffer.from(stdin);
  const status = runProgram(
    {
      file: c.file,
      bytes: readFileSync(c.file),
      args: c.args ?? [],
      argv0: c.argv0,
      env: ['PATH=/bin:/usr/bin', ...(c.env ?? [])],
      memoryBytes: 256 << 20,
      strace: false,
      stats: false,
      sysroot: c.sysroot ?? SYSROOTS[c.libc],
      instructionLimit: 2_000_000_000,
    },
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

export function runDynamicOnQemu(c: DynamicCase): Outcome {
  const argv0 = c.argv0 === undefined ? [] : ['-0', c.argv0];
  const env = (c.env ?? []).flatMap((e) => ['-E', e]);
  const r = spawnSync('setsid', ['-w', 'qemu-aarch64', '-L', SYSROOTS[c.libc], ...argv0, ...env, c.file, ...(c.args ?? [])], {
    encoding: 'latin1',
    env: { PATH: '/bin:/usr/bin' },
    input: STDIN,
    timeout: 60_000,
  });
  const signal = r.signal ? constants.signals[r.signal] : 0;
  return { stdout: r.stdout, stderr: withoutQemuNotes(r.stderr), status: r.status ?? 128 + signal };
}

/** qemu-aarch64 announces the uncaught signal a guest dies of, which Linux does not; salty names it in a line of its own. */
export function withoutQemuNotes(stderr: string): string {
  return stderr.replace(/^qemu: uncaught target signal \d+ \([^)]*\) - core dumped\n/gm, '');
}

export function withoutSaltyNotes(stderr: string): string {
  return stderr.replace(/^salty: .*\n/gm, '');
}

export function dynamicGolden(c: DynamicCase): Outcome {
  const base = join(DYNAMIC, `${c.name}.${c.libc}`);
  return {
    stdout: readFileSync(`${base}.golden`, 'latin1'),
    stderr: withoutQemuNotes(readFileSync(`${base}.stderr`, 'latin1')),
    status: Number(readFileSync(`${base}.status`, 'utf8').trim()),
  };
}
