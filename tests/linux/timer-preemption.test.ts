// The hosted kernel's scheduler runs on the board's hardware: the generic
// timer's interrupt, through the GIC, ends each slice; sleepers wake when the
// timer reaches their deadline; an idle CPU skips time ahead.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VIRT_TIMER_INTID } from '../../board/virt/memory-map';
import { HostedKernel } from '../../kernel/hosted-kernel';
import { LinuxSystem } from '../../kernel/linux/linux-system';
import { SLICE_TICKS } from '../../kernel/sched/scheduler';
import { wordsImage } from './text-image';
import { runProgram } from '../../tools/cli/run-program';
import { FIXTURES } from './run-fixture';

/** add x19, x19, #1; b .-4: counts forever in x19. */
const SPIN = [0x91000673, 0x17ffffff];

/**
 * nanosleep(10 ms) between two CNTVCT_EL0 reads; exits with (ticks slept -
 * 625000) >> 10 (arithmetic). The stack is touched first, so that no page
 * fault (after which the scheduler moves on) falls between the reads.
 */
const SLEEPER = [
  0xd10043ff, // sub sp, sp, #16
  0xf90003ff, // str xzr, [sp]            tv_sec = 0
  0xd292d000, // mov x0, #0x9680
  0xf2a01300, // movk x0, #0x98, lsl #16  10,000,000 ns
  0xf90007e0, // str x0, [sp, #8]
  0xd53be053, // mrs x19, cntvct_el0
  0x910003e0, // mov x0, sp
  0xd2800001, // mov x1, #0
  0xd2800ca8, // mov x8, #101            nanosleep
  0xd4000001, // svc #0
  0xd53be054, // mrs x20, cntvct_el0
  0xcb130280, // sub x0, x20, x19
  0xd2912d01, // mov x1, #0x8968
  0xf2a00121, // movk x1, #0x9, lsl #16  625,000 ticks = 10 ms at 62.5 MHz
  0xcb010000, // sub x0, x0, x1
  0x934afc00, // asr x0, x0, #10
  0xd2800bc8, // mov x8, #94             exit_group
  0xd4000001, // svc #0
];


function boot(instructionLimit = 0) {
  const kernel = new HostedKernel(64 << 20);
  const sys = new LinuxSystem(kernel, {
    strace: false,
    root: null,
    instructionLimit,
    io: { writeOut: () => {}, writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => false },
  });
  const spawn = (name: string, words: readonly number[]) => {
    const p = sys.spawn({ exe: { path: `/${name}`, bytes: new Uint8Array(0) }, image: wordsImage(name, words), argv: [name], envp: [], random: new Uint8Array(16) });
    return { p, t: [...p.threads][0] };
  };
  return { kernel, sys, spawn };
}

describe('preemption by the generic timer through the GIC', () => {
  it('two CPU-bound processes both make progress, one slice per timer interrupt', () => {
    const limit = 4_000_000;
    const { kernel, sys, spawn } = boot(limit);
    const a = spawn('a', SPIN);
    const b = spawn('b', SPIN);
    sys.run();
    const counts = [a.t.ctx.reg(19), b.t.ctx.reg(19)];
    // Each loop iteration is two instructions; each process had about half the CPU.
    for (const n of counts) {
      expect(n).toBeGreaterThan(limit / 2 / 2 - SLICE_TICKS);
      expect(n).toBeLessThan(limit / 2 / 2 + SLICE_TICKS);
    }
    const timerIrqs = kernel.interrupts.get(VIRT_TIMER_INTID) ?? 0;
    expect(sys.preemptions).toBe(timerIrqs);
    expect(timerIrqs).toBeGreaterThanOrEqual(Math.floor(kernel.retired / SLICE_TICKS) - 1);
    expect(timerIrqs).toBeLessThanOrEqual(Math.ceil(kernel.retired / SLICE_TICKS));
  });

  it('a sleeping process wakes at its deadline while another one spins', () => {
    const { sys, spawn } = boot(3_000_000);
    const sleeper = spawn('sleeper', SLEEPER);
    spawn('spin', SPIN);
    sys.run();
    const exit = sleeper.p.exit;
    expect(exit?.kind).toBe('exited');
    // Woken no earlier than 10 ms and within 2048 ticks after (a late or early wake leaves 2..255).
    expect(exit?.kind === 'exited' ? exit.status : -1).toBeLessThanOrEqual(1);
  });

  it('with every thread asleep, time skips ahead to the deadline instead of running', () => {
    const { kernel, sys, spawn } = boot();
    const sleeper = spawn('sleeper', SLEEPER);
    const status = sys.run();
    expect(status).toBe(0);
    expect(sleeper.p.exit).toEqual({ kind: 'exited', status: 0 });
    expect(kernel.retired).toBeLessThan(100);
    expect(kernel.timer.nowMs()).toBeGreaterThanOrEqual(10);
    expect(kernel.interrupts.get(VIRT_TIMER_INTID)).toBe(1);
    expect(sys.preemptions).toBe(0);
  });

  it('--stats reports the timer interrupts of a program whose main thread spins on another thread', () => {
    const file = join(FIXTURES, 'threads.elf');
    let stderr = '';
    runProgram(
      { file, bytes: readFileSync(file), args: [], env: [], memoryBytes: 64 << 20, strace: false, stats: true, root: '/' },
      { writeOut: () => {}, writeErr: (d) => (stderr += Buffer.from(d).toString()), readIn: () => new Uint8Array(0), isTty: () => false },
    );
    const m = /interrupts: (\d+) \(timer (\d+)\), preemptions: (\d+)/.exec(stderr);
    expect(m).not.toBeNull();
    const [total, timer, preemptions] = m!.slice(1).map(Number);
    expect(timer).toBeGreaterThan(0);
    expect(total).toBeGreaterThanOrEqual(timer);
    expect(preemptions).toBeLessThanOrEqual(timer);
  });
});
