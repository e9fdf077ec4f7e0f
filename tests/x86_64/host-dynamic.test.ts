// The host's own dynamically linked x86_64 programs (Debian's coreutils,
// grep, sed, awk, perl, python3) under salty, against the same command run
// natively: same stdout, stderr and status. They start in glibc's dynamic
// loader (PT_INTERP), which checks the CPU's baseline ISA level (MMX
// included) and reads the vDSO, then run glibc's ifunc variants CPUID picks.
// Nothing is committed: the programs are the host's, so the suite runs only on
// an x86_64 Debian-like host and says why it skipped elsewhere.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProgram } from '../../tools/cli/run-program';

interface Case {
  readonly name: string;
  readonly file: string;
  readonly args: readonly string[];
  readonly stdin?: string;
}

const WORK = mkdtempSync(join(tmpdir(), 'salty-host-dyn-'));
const FRUIT = join(WORK, 'fruit.txt');
writeFileSync(FRUIT, 'pear,3\napple,10\nfig,7\n');
const ENV = ['PATH=/usr/bin:/bin', 'LC_ALL=C'];

const CASES: Case[] = [
  { name: 'ls -l', file: '/bin/ls', args: ['-l', '--time-style=+%Y', FRUIT, '/bin/ls'] },
  { name: 'sort -t, -k2n', file: '/usr/bin/sort', args: ['-t,', '-k2n', FRUIT] },
  { name: 'wc', file: '/usr/bin/wc', args: [FRUIT] },
  { name: 'sha256sum stdin', file: '/usr/bin/sha256sum', args: [], stdin: 'salty\n' },
  { name: 'date -u -d @0', file: '/bin/date', args: ['-u', '-d', '@86400', '+%F %T %A'] },
  { name: 'grep -c', file: '/bin/grep', args: ['-c', 'p', FRUIT] },
  { name: 'grep no match', file: '/bin/grep', args: ['kiwi', FRUIT] },
  { name: 'sed', file: '/bin/sed', args: ['-e', 's/,/ = /', '-e', '2d', FRUIT] },
  { name: 'awk sum', file: '/usr/bin/awk', args: ['-F,', '{ s += $2 } END { printf "%d %.3f\\n", s, s / NR }', FRUIT] },
  { name: 'od', file: '/usr/bin/od', args: ['-An', '-tx1', '-c', FRUIT] },
  { name: 'cat missing file', file: '/bin/cat', args: [join(WORK, 'missing')] },
  { name: 'perl', file: '/usr/bin/perl', args: ['-e', 'printf("%s %.5f\\n", join(",", sort qw(b c a)), atan2(1, 1) * 4)'] },
  { name: 'python3 -S', file: '/usr/bin/python3', args: ['-S', '-c', 'import sys; print(sum(range(100)), 2**70, 1/3, sys.byteorder)'] },
];

const isDebianX86 = process.arch === 'x64' && process.platform === 'linux' && existsSync('/etc/debian_version') && existsSync('/lib64/ld-linux-x86-64.so.2');
const SKIP = isDebianX86 ? '' : 'not an x86_64 Debian-like host: the host programs are the oracle';

interface Outcome {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number;
}

function runOnSalty(c: Case): Outcome {
  let stdout = '';
  let stderr = '';
  let input = Buffer.from(c.stdin ?? '');
  const status = runProgram(
    { file: c.file, bytes: readFileSync(c.file), args: [...c.args], env: ENV, memoryBytes: 256 << 20, strace: false, stats: false, instructionLimit: 3_000_000_000 },
    {
      writeOut: (d) => (stdout += Buffer.from(d).toString('latin1')),
      writeErr: (d) => (stderr += Buffer.from(d).toString('latin1')),
      readIn: (max) => {
        const chunk = input.subarray(0, max);
        input = input.subarray(chunk.length);
        return chunk;
      },
      isTty: () => false,
    },
  );
  return { stdout, stderr: stderr.split('\n').filter((l) => !l.startsWith('salty: ')).join('\n'), status };
}

function runNatively(c: Case): Outcome {
  const env = Object.fromEntries(ENV.map((kv) => kv.split(/=(.*)/s, 2)));
  const r = spawnSync(c.file, [...c.args], { input: c.stdin ?? '', env, encoding: 'latin1', timeout: 60_000 });
  const signal = r.signal ? constants.signals[r.signal] : 0;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? 128 + signal };
}

describe.skipIf(SKIP !== '')(`the host's dynamic x86_64 programs: salty against native${SKIP ? ` (skipped: ${SKIP})` : ''}`, () => {
  afterAll(() => rmSync(WORK, { recursive: true, force: true }));
  for (const c of CASES) {
    it.runIf(existsSync(c.file))(c.name, () => {
      const want = runNatively(c);
      const got = runOnSalty(c);
      expect(got.stdout).toBe(want.stdout);
      expect(got.stderr.replaceAll(c.file, '')).toBe(want.stderr.replaceAll(c.file, ''));
      expect(got.status).toBe(want.status);
    }, 300_000);
  }
});
