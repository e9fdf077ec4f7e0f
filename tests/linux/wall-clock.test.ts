// salty run --wall-clock: the board's counter follows the host's clock, so a
// guest's sleep takes real time and CLOCK_REALTIME is the host's time; by
// default time is counted in instructions and an idle guest skips ahead.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostedKernel } from '../../kernel/hosted-kernel';
import { LinuxSystem } from '../../kernel/linux/linux-system';
import { parseElfImage } from '../../loader/elf-image';
import type { ProgramImage } from '../../loader/program-image';
import type { ProcessIo } from '../../tools/cli/run-program';
import { runProgram } from '../../tools/cli/run-program';
import { parseRunArgs, RUN_USAGE } from '../../tools/cli/run-args';
import { tinyElf as elf } from './tiny-elf';

/** nanosleep({0, 200,000,000}, NULL); exit_group(its result). */
const SLEEP_200MS = [
  0xd10043ff, // sub sp, sp, #16
  0xf90003ff, // str xzr, [sp]              tv_sec = 0
  0xd2984000, // mov x0, #0xc200
  0xf2a17d60, // movk x0, #0xbeb, lsl #16   tv_nsec = 200,000,000
  0xf90007e0, // str x0, [sp, #8]
  0x910003e0, // mov x0, sp
  0xd2800001, // mov x1, #0
  0xd2800ca8, // mov x8, #101               nanosleep
  0xd4000001, // svc #0
  0xd2800bc8, // mov x8, #94                exit_group
  0xd4000001, // svc #0
];

/** clock_gettime(CLOCK_REALTIME, sp); write(1, sp, 16); exit_group(0). */
const PRINT_REALTIME = [
  0xd10043ff, // sub sp, sp, #16
  0xd2800000, // mov x0, #0                 CLOCK_REALTIME
  0x910003e1, // mov x1, sp
  0xd2800e28, // mov x8, #113               clock_gettime
  0xd4000001, // svc #0
  0xd2800020, // mov x0, #1
  0x910003e1, // mov x1, sp
  0xd2800202, // mov x2, #16
  0xd2800808, // mov x8, #64                write
  0xd4000001, // svc #0
  0xd2800000, // mov x0, #0
  0xd2800bc8, // mov x8, #94                exit_group
  0xd4000001, // svc #0
];

/** add x19, x19, #1; b .-4: counts forever in x19. */
const SPIN = [0x91000673, 0x17ffffff];

interface Run {
  readonly status: number;
  readonly stdout: Uint8Array;
  readonly hostMs: number;
}

function run(name: string, words: readonly number[], wallClock: boolean): Run {
  const out: number[] = [];
  const io: ProcessIo = { writeOut: (d) => out.push(...d), writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => false };
  const started = performance.now();
  const status = runProgram({ file: `/${name}`, bytes: elf(words), args: [], env: [], memoryBytes: 16 << 20, strace: false, stats: false, root: '/', wallClock }, io);
  return { status, stdout: Uint8Array.from(out), hostMs: performance.now() - started };
}

describe('salty run --wall-clock', () => {
  it('is an option of salty run, off by default, and documented', () => {
    expect(parseRunArgs(['prog']).wallClock).toBe(false);
    const a = parseRunArgs(['--wall-clock', 'prog', '--wall-clock']);
    expect(a.wallClock).toBe(true);
    expect(a.prog).toBe('prog');
    expect(a.args).toEqual(['--wall-clock']);
    expect(RUN_USAGE).toContain('--wall-clock');
  });

  it('reaches the guest from the command line (the built salty)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'salty-wall-'));
    const file = join(dir, 'sleep200.elf');
    writeFileSync(file, elf(SLEEP_200MS));
    const timed = (...args: string[]): number => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [join(process.cwd(), 'dist/salty.mjs'), 'run', ...args, file]);
      expect(r.status).toBe(0);
      return performance.now() - t0;
    };
    expect(timed('--wall-clock')).toBeGreaterThanOrEqual(195);
  });

  it('a 200 ms nanosleep takes 200 ms of host time with --wall-clock and far less without', () => {
    const wall = run('sleep-wall', SLEEP_200MS, true);
    expect(wall.status).toBe(0);
    expect(wall.hostMs).toBeGreaterThanOrEqual(195);
    const counted = run('sleep-counted', SLEEP_200MS, false);
    expect(counted.status).toBe(0);
    // Load on the machine slows both runs alike; only the wall-clock one waits 200 ms on top.
    expect(counted.hostMs).toBeLessThan(wall.hostMs);
  });

  it('CLOCK_REALTIME after a 200 ms sleep is the host time with --wall-clock, and runs ahead of it without', () => {
    const realtimeAfterSleep = (wallClock: boolean) => {
      const before = Date.now();
      const r = run('realtime', [...SLEEP_200MS.slice(0, -2), ...PRINT_REALTIME], wallClock);
      const after = Date.now();
      expect(r.status).toBe(0);
      expect(r.stdout.length).toBe(16);
      const v = new DataView(r.stdout.buffer);
      return { before, after, guest: Number(v.getBigInt64(0, true)) * 1000 + Number(v.getBigInt64(8, true)) / 1e6 };
    };
    const wall = realtimeAfterSleep(true);
    expect(wall.guest).toBeGreaterThanOrEqual(wall.before + 195);
    // Read before the run ended (a few ms for the two host clocks' rounding).
    expect(wall.guest).toBeLessThanOrEqual(wall.after + 5);
    const counted = realtimeAfterSleep(false);
    // Instruction time skipped the sleep: the guest's clock moved 200 ms whatever the host did.
    expect(counted.guest).toBeGreaterThanOrEqual(counted.before + 200);
  });

  it('the counter follows the host clock: a guest sleeping 200 ms sees CNTVCT advance by ~12.5M ticks', () => {
    const start = performance.now();
    const kernel = new HostedKernel(16 << 20, { wallClock: true });
    const sys = new LinuxSystem(kernel, { strace: false, root: null, io: { writeOut: () => {}, writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => false } });
    sys.spawn({ exe: { path: '/sleep', bytes: new Uint8Array(0) }, image: imageOf(SLEEP_200MS), argv: ['sleep'], envp: [], random: new Uint8Array(16) });
    expect(sys.run()).toBe(0);
    const hostMs = performance.now() - start;
    const guestMs = kernel.timer.nowMs();
    expect(guestMs).toBeGreaterThanOrEqual(200);
    // Counted from the board's creation, within the measured span.
    expect(guestMs).toBeLessThanOrEqual(hostMs + 1);
    // Sleeping through the wait, not spinning: a few instructions and one timer interrupt.
    expect(kernel.retired).toBeLessThan(100);
  });

  it('two CPU-bound processes still preempt each other on host time', () => {
    // Enough work for several 3.2 ms slices even when the loop runs compiled (6M instructions took under two).
    const limit = 40_000_000;
    const kernel = new HostedKernel(16 << 20, { wallClock: true });
    const sys = new LinuxSystem(kernel, { strace: false, root: null, instructionLimit: limit, io: { writeOut: () => {}, writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => false } });
    const spawn = (name: string) => [...sys.spawn({ exe: { path: `/${name}`, bytes: new Uint8Array(0) }, image: imageOf(SPIN), argv: [name], envp: [], random: new Uint8Array(16) }).threads][0];
    const a = spawn('a');
    const b = spawn('b');
    sys.run();
    const counts = [a.ctx.reg(19), b.ctx.reg(19)];
    for (const n of counts) expect(n).toBeGreaterThan(0);
    expect(counts[0] + counts[1]).toBeGreaterThan(limit / 2 - 10);
    // A slice is 3.2 ms of host time: both made progress, so the timer took the CPU away at least twice.
    expect(sys.preemptions).toBeGreaterThanOrEqual(2);
  });
});

function imageOf(words: readonly number[]): ProgramImage {
  return parseElfImage(elf(words), { fileName: 'raw', expectedMachine: 'aarch64' });
}
