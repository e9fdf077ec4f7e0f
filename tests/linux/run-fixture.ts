// Runs one of our Linux test programs on salty in this process, capturing
// stdout and stderr, and (when installed) on qemu-aarch64 for comparison.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { runProgram } from '../../tools/cli/run-program';

export const FIXTURES = join(process.cwd(), 'tests/fixtures/linux');

export interface Outcome {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number;
}

/** What build.sh feeds every program on stdin when it records the golden output. */
export const STDIN = 'pear\napple\nfig\n';

/** `strace`: the trace goes to stderr; `isTty`: what salty's own streams say they are (not terminals by default). */
export function runOnSalty(name: string, args: string[] = [], stdin = STDIN, root?: string, o: { strace?: boolean; isTty?: boolean } = {}): Outcome {
  const file = join(FIXTURES, `${name}.elf`);
  let stdout = '';
  let stderr = '';
  let input = Buffer.from(stdin);
  const status = runProgram(
    { file, bytes: readFileSync(file), args, argv0: name, env: ['PATH=/bin:/usr/bin'], memoryBytes: 256 << 20, strace: o.strace ?? false, stats: false, root },
    {
      writeOut: (d) => (stdout += Buffer.from(d).toString()),
      writeErr: (d) => (stderr += Buffer.from(d).toString()),
      readIn: (max) => {
        const out = input.subarray(0, max);
        input = input.subarray(out.length);
        return out;
      },
      isTty: () => o.isTty ?? false,
    },
  );
  return { stdout, stderr, status };
}

export function golden(name: string): Outcome {
  return {
    stdout: readFileSync(join(FIXTURES, `${name}.golden`), 'utf8'),
    stderr: '',
    status: Number(readFileSync(join(FIXTURES, `${name}.status`), 'utf8').trim()),
  };
}

export const hasQemu = spawnSync('qemu-aarch64', ['--version']).status === 0;

export function runOnQemu(name: string, args: string[] = []): Outcome {
  // setsid: a new session without a controlling terminal, as build.sh records the goldens.
  const r = spawnSync('setsid', ['-w', 'qemu-aarch64', '-0', name, join(FIXTURES, `${name}.elf`), ...args], { encoding: 'utf8', env: { PATH: '/bin:/usr/bin' }, input: STDIN });
  const signal = r.signal ? constants.signals[r.signal] : 0;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? 128 + signal };
}
