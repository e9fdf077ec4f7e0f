// Processes, scheduling, identity, namespaces and clocks, by our own program
// (procs.c, built by build.sh): UTS namespaces and sethostname, unshare and
// setns, pidfds (poll on exit, waitid P_PIDFD, pidfd_getfd, kcmp),
// affinity, priorities and I/O priorities with their permission checks, PID
// 1, membarrier, the random device's ioctls, syslog, ambient capabilities,
// timer slack, RLIMIT_CPU, the clock setters' checks and time namespaces. It
// prints what qemu-aarch64 printed as root on the host kernel (the golden),
// on both arches. The guest starts as root here whatever the host user is.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runProgram } from '../../tools/cli/run-program';

const DIR = join(process.cwd(), 'tests/procs');

function run(elf: string, argv0: string): { stdout: string; status: number } {
  const file = join(DIR, elf);
  let stdout = '';
  const status = runProgram(
    { file, bytes: readFileSync(file), args: [], argv0, env: ['PATH=/bin:/usr/bin'], memoryBytes: 256 << 20, strace: false, stats: false },
    { writeOut: (d) => (stdout += Buffer.from(d).toString()), writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => false },
  );
  return { stdout, status };
}

const runOnSalty = (elf: string): { stdout: string; status: number } => run(elf, 'procs');

const golden = { stdout: readFileSync(join(DIR, 'procs.golden'), 'utf8'), status: Number(readFileSync(join(DIR, 'procs.status'), 'utf8').trim()) };
const hasQemu = spawnSync('qemu-aarch64', ['--version']).status === 0;
const isRoot = process.getuid?.() === 0;

beforeAll(() => {
  vi.spyOn(process, 'getuid').mockReturnValue(0);
  vi.spyOn(process, 'getgid').mockReturnValue(0);
  vi.spyOn(process, 'getgroups').mockReturnValue([0]);
});
afterAll(() => vi.restoreAllMocks());

describe('processes, namespaces and clocks against the golden', () => {
  it('procs (aarch64) prints what Linux printed', () => {
    expect(runOnSalty('procs.elf')).toEqual(golden);
  }, 120_000);
  it('procs (x86_64) prints the same', () => {
    expect(runOnSalty('procs.x86_64.elf')).toEqual(golden);
  }, 120_000);
});

describe('nice weights the CPU share of threads on one CPU', () => {
  const expected = readFileSync(join(DIR, 'nicefair.golden'), 'utf8');
  for (const elf of ['nicefair.elf', 'nicefair.x86_64.elf']) {
    it(`${elf}: nice 0 runs about three times as long as nice 5`, () => {
      expect(run(elf, 'nicefair')).toEqual({ stdout: expected, status: 0 });
    }, 120_000);
  }
});

// qemu-user passes the calls to the host kernel: a live run needs root, in UTS and IPC namespaces of its own.
describe.runIf(hasQemu && isRoot)('live against qemu-aarch64', () => {
  it('procs agrees with qemu-aarch64 now', () => {
    const r = spawnSync('unshare', ['--uts', '--ipc', 'setsid', '-w', 'qemu-aarch64', '-0', 'procs', join(DIR, 'procs.elf')], { encoding: 'utf8' });
    if (r.status !== 0 && /unshare/.test(r.stderr)) return;
    expect(runOnSalty('procs.elf')).toEqual({ stdout: r.stdout, status: r.status });
  }, 120_000);
});

// clockset sets CLOCK_REALTIME and inserts a leap second: never on the host, so its expected lines are Linux's documented outcome.
describe('CLOCK_REALTIME as emulated state', () => {
  const expected = readFileSync(join(DIR, 'clockset.expected'), 'utf8');
  for (const elf of ['clockset.elf', 'clockset.x86_64.elf']) {
    it(`${elf}: clock_settime reads back, and STA_INS plays 23:59:59 twice`, () => {
      expect(run(elf, 'clockset')).toEqual({ stdout: expected, status: 0 });
    }, 120_000);
  }
});
