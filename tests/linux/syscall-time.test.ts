// A syscall costs the guest's clock its kernel time (kernel/linux/syscall-time.ts):
// on the instruction-counted clock each syscall moves the counter on by
// SYSCALL_TICKS and counts as system time; under --wall-clock the host's time
// passes by itself and nothing is added.

import { describe, expect, it } from 'vitest';
import { HostedKernel } from '../../kernel/hosted-kernel';
import { LinuxSystem } from '../../kernel/linux/linux-system';
import { processUsage } from '../../kernel/linux/process-usage';
import { SYSCALL_TICKS } from '../../kernel/linux/syscall-time';
import { statText as procStat } from '../../kernel/linux/proc-system';
import { statText as pidStat } from '../../kernel/linux/proc-process';
import { wordsImage } from './text-image';

const CALLS = 100;

/** CNTVCT_EL0 into x19, `calls` getppid calls (below 65536), CNTVCT_EL0 into x20, exit_group(0). */
const loop = (calls: number): number[] => [
  0xd53be053, // mrs x19, cntvct_el0
  (0xd2800015 | (calls << 5)) >>> 0, // mov x21, #calls
  0xd28015a8, // mov x8, #173          getppid
  0xd4000001, // svc #0
  0xf10006b5, // subs x21, x21, #1
  0x54ffffa1, // b.ne .-12
  0xd53be054, // mrs x20, cntvct_el0
  0xd2800000, // mov x0, #0
  0xd2800bc8, // mov x8, #94           exit_group
  0xd4000001, // svc #0
];


function runLoop(wallClock: boolean, calls = CALLS) {
  const kernel = new HostedKernel(64 << 20, { wallClock });
  const sys = new LinuxSystem(kernel, { strace: false, root: null, io: { writeOut: () => {}, writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => false } });
  const p = sys.spawn({ exe: { path: '/loop', bytes: new Uint8Array(0) }, image: wordsImage('loop', loop(calls)), argv: ['loop'], envp: [], random: new Uint8Array(16) });
  const t = [...p.threads][0];
  expect(sys.run()).toBe(0);
  return { kernel, sys, p, elapsed: t.ctx.reg(20) - t.ctx.reg(19) };
}

describe('the time a syscall costs the guest', () => {
  it('moves the instruction-counted clock on by SYSCALL_TICKS a call, as system time', () => {
    const { kernel, sys, p, elapsed } = runLoop(false);
    // Between the two reads: the loop's 4 instructions a call, the mov before it, and the calls' kernel time.
    expect(elapsed).toBe(CALLS * SYSCALL_TICKS + 4 * CALLS + 2);
    // The whole run: every instruction retired plus every syscall (exit_group too), and nothing else.
    expect(kernel.timer.ticks()).toBe(kernel.retired + sys.syscallCount * SYSCALL_TICKS);
    const u = processUsage(p);
    expect(u.systemMs).toBeCloseTo((sys.syscallCount * SYSCALL_TICKS) / kernel.timer.ticksPerMs, 9);
    expect(u.userMs).toBeCloseTo(kernel.retired / kernel.timer.ticksPerMs, 9);
  });

  it('shows as system time in /proc/PID/stat and /proc/stat', () => {
    const { kernel, sys, p } = runLoop(false, 5000);
    const fields = pidStat(sys, p, undefined, 0).split(' ');
    const jiffyTicks = kernel.timer.ticksPerMs * 10;
    // utime and stime (fields 14 and 15) in 100 Hz ticks: 5001 syscalls of 16 us are 80 ms of system time.
    expect(Number(fields[14])).toBe(Math.floor((sys.syscallCount * SYSCALL_TICKS) / jiffyTicks));
    expect(Number(fields[14])).toBeGreaterThanOrEqual(8);
    expect(Number(fields[13])).toBe(Math.floor(kernel.retired / jiffyTicks));
    const cpu = /^cpu {2}(\d+) 0 (\d+) (\d+) /.exec(procStat(sys))!;
    expect(Number(cpu[2])).toBe(Number(fields[14]));
  });

  it('is the same on every run (the clock stays deterministic)', () => {
    const a = runLoop(false);
    const b = runLoop(false);
    expect(b.elapsed).toBe(a.elapsed);
    expect(b.kernel.timer.ticks()).toBe(a.kernel.timer.ticks());
  });

  it('adds nothing under --wall-clock, where the host clock already counts the kernel time', () => {
    const kernel = new HostedKernel(16 << 20, { wallClock: true });
    expect(kernel.machine.spendTicks(SYSCALL_TICKS)).toBe(0);
    const { p } = runLoop(true);
    // A trap moves only a fixed share of the thread's own user time to system time there.
    expect(processUsage(p).systemMs).toBeLessThan(CALLS * 0.001);
  });

  it('moves the x86_64 machine’s TSC on the same way', () => {
    const kernel = new HostedKernel(16 << 20, { arch: 'x86_64' });
    const before = kernel.timer.ticks();
    expect(kernel.machine.spendTicks(SYSCALL_TICKS)).toBe(SYSCALL_TICKS);
    expect(kernel.timer.ticks() - before).toBe(SYSCALL_TICKS);
  });
});
