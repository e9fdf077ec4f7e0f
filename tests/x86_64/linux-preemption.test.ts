// The hosted kernel's scheduler on the PC board: the local APIC timer
// (TSC-deadline mode) ends each slice as the generic timer does on the virt
// board; a sleeper wakes at its deadline; an idle CPU skips time ahead.

import { describe, expect, it } from 'vitest';
import { TIMER_VECTOR } from '../../kernel/arch/x86_64/hosted-machine';
import { HostedKernel } from '../../kernel/hosted-kernel';
import { LinuxSystem } from '../../kernel/linux/linux-system';
import { SLICE_TICKS } from '../../kernel/sched/scheduler';
import { TEXT, textImage } from '../linux/text-image';
import { x86asm } from './x86-asm';


/** Counts forever in rbx. */
const SPIN = `
spin:
  inc rbx
  jmp spin
`;

/** nanosleep(10 ms) between two RDTSC reads; exits with (ticks slept - 625000) >> 10. */
const SLEEPER = `
  sub rsp, 16
  mov qword ptr [rsp], 0
  mov qword ptr [rsp + 8], 10000000
  rdtsc
  shl rdx, 32
  or rax, rdx
  mov rbx, rax
  mov rdi, rsp
  xor esi, esi
  mov eax, 35
  syscall
  rdtsc
  shl rdx, 32
  or rax, rdx
  sub rax, rbx
  sub rax, 625000
  sar rax, 10
  mov rdi, rax
  mov eax, 231
  syscall
`;


function boot(instructionLimit = 0, wallClock = false) {
  const kernel = new HostedKernel(64 << 20, { arch: 'x86_64', wallClock });
  const sys = new LinuxSystem(kernel, {
    strace: false,
    root: null,
    instructionLimit,
    io: { writeOut: () => {}, writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => false },
  });
  const spawn = (name: string, source: string) => {
    const p = sys.spawn({ exe: { path: `/${name}`, bytes: new Uint8Array(0) }, image: textImage(name, 'x86_64', x86asm(source, TEXT)), argv: [name], envp: [], random: new Uint8Array(16) });
    return { p, t: [...p.threads][0] };
  };
  return { kernel, sys, spawn };
}

describe('preemption by the local APIC timer', () => {
  it('two CPU-bound processes both make progress, one slice per timer interrupt', () => {
    const limit = 4_000_000;
    const { kernel, sys, spawn } = boot(limit);
    const a = spawn('a', SPIN);
    const b = spawn('b', SPIN);
    sys.run();
    const counts = [a.t.ctx.reg(3), b.t.ctx.reg(3)];
    // Each iteration is two instructions; each process had about half the CPU.
    for (const n of counts) {
      expect(n).toBeGreaterThan(limit / 2 / 2 - SLICE_TICKS);
      expect(n).toBeLessThan(limit / 2 / 2 + SLICE_TICKS);
    }
    const timerIrqs = kernel.interrupts.get(TIMER_VECTOR) ?? 0;
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
    expect(exit?.kind === 'exited' ? exit.status : -1).toBeLessThanOrEqual(1);
  });

  it('with every thread asleep, time skips ahead to the deadline instead of running', () => {
    const { kernel, sys, spawn } = boot();
    const sleeper = spawn('sleeper', SLEEPER);
    expect(sys.run()).toBe(0);
    expect(sleeper.p.exit).toEqual({ kind: 'exited', status: 0 });
    expect(kernel.retired).toBeLessThan(100);
    expect(kernel.timer.nowMs()).toBeGreaterThanOrEqual(10);
    expect(kernel.interrupts.get(TIMER_VECTOR)).toBe(1);
    expect(sys.preemptions).toBe(0);
  });

  it('with --wall-clock, the TSC follows host time and an idle PC sleeps the host through the wait', () => {
    const { kernel, sys, spawn } = boot(0, true);
    const sleeper = spawn('sleeper', SLEEPER);
    const started = performance.now();
    sys.run();
    expect(sleeper.p.exit?.kind).toBe('exited');
    expect(performance.now() - started).toBeGreaterThanOrEqual(10);
    expect(kernel.timer.nowMs()).toBeGreaterThanOrEqual(10);
    expect(kernel.retired).toBeLessThan(100);
  });
});
