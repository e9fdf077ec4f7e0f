// The guest syscall fuzzer: a live process of the hosted kernel (real guest
// memory, real descriptors) receives random calls of every syscall-table row
// with a handler, each injected through the real dispatcher (runSyscall) as
// if its thread had trapped; a call that blocks is polled by the real
// scheduler, sleeps until its deadline or is interrupted by a real signal
// (then killed if even that cannot end it), and pending signals are delivered
// as on a return to user mode. Calls that would end or cripple the process
// run in a forked child (fuzz-policy.ts). Any host exception, any internal
// error the dispatcher's last line of defence reports, and a failed PMM audit
// at the end are failures, reported with the seed, the call and its arguments.

import { removeAllSegments } from '../../kernel/linux/sys-shm';
import { HostedKernel } from '../../kernel/hosted-kernel';
import { errnoText } from '../../kernel/linux/errno-text';
import { ERESTARTSYS, LinuxSystem } from '../../kernel/linux/linux-system';
import type { LinuxThread } from '../../kernel/linux/linux-thread';
import { deliverSignals, sendToProcess, sendToThread } from '../../kernel/linux/signal-delivery';
import { runSyscall } from '../../kernel/linux/syscall-dispatch';
import { describeCall, isOutOfMemory } from '../../kernel/linux/syscall-guard';
import { SYSCALL_ROWS, syscallTable, type SyscallArch } from '../../kernel/linux/syscall-table';
import type { ConsoleIo } from '../../kernel/vfs/device';
import { parseElfImage } from '../../loader/elf-image';
import { FuzzArgs } from './fuzz-args';
import { FuzzEpoch } from './fuzz-epoch';
import { fuzzElf } from './fuzz-elf';
import { EXCLUDED, IN_CHILD } from './fuzz-policy';
import { FuzzRandom } from './fuzz-random';

export interface FuzzOptions {
  readonly arch: SyscallArch;
  readonly seed: number;
  readonly calls: number;
  /** Calls per fuzzing process before a fresh one starts (default 400). */
  readonly epochCalls?: number;
  /** Guest RAM (default 64 MiB). */
  readonly memoryBytes?: number;
}

export interface FuzzTotals {
  readonly arch: SyscallArch;
  readonly seed: number;
  calls: number;
  /** Calls that returned 0 or more. */
  ok: number;
  /** Negative results by errno. */
  readonly errnos: Map<number, number>;
  /** Blocked calls: ended by their event or deadline, by a signal, or by SIGKILL. */
  woken: number;
  interrupted: number;
  killed: number;
  /** Calls made in a forked child, and those whose caller did not survive them. */
  inChild: number;
  callerEnded: number;
  /** Fuzzing processes started, and those a call ended before their time. */
  epochs: number;
  epochsEndedEarly: number;
  /** What ended them early: the fatal signal's message and the call that was made, counted. */
  readonly earlyEnds: Map<string, number>;
  /** Calls that ran the guest out of RAM (the process is OOM-killed, as the run loop does). */
  outOfMemory: number;
  /** Always 0 in a returned total: the first one throws a FuzzFailure. */
  readonly hostExceptions: number;
  /** The PMM's owner counts after the last process ended (the audit passed). */
  audit: string;
  /** The call that took longest, with its arguments, and its time in ms. */
  slowest: { call: string; ms: number };
}

export class FuzzFailure extends Error {}

/** The most kernel time a blocked call is given to reach its deadline before a signal interrupts it. */
const MAX_WAIT_MS = 2000;
const SIGKILL = 9;
const SIGALRM = 14;
const SIGCONT = 18;
const SI_KERNEL = 0x80;

export function fuzzSyscalls(o: FuzzOptions): FuzzTotals {
  return new SyscallFuzzer(o).run();
}

export class SyscallFuzzer {
  readonly rng: FuzzRandom;
  readonly kernel: HostedKernel;
  readonly sys: LinuxSystem;
  readonly rows;
  readonly totals: FuzzTotals;
  private readonly elf: Uint8Array;
  private epoch: FuzzEpoch | undefined;
  /** The call being made, for a failure's message. */
  private current: string | { name: string; args: readonly number[] } = '';
  private index = 0;
  /** The fuzzed call of this round (a child's round makes setup calls too). */
  private fuzzed: { name: string; args: readonly number[] } | undefined;

  constructor(readonly o: FuzzOptions) {
    this.rng = new FuzzRandom(o.seed);
    this.kernel = new HostedKernel(o.memoryBytes ?? 64 << 20, { arch: o.arch });
    const io: ConsoleIo = { writeOut: () => {}, writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => false };
    this.sys = new LinuxSystem(this.kernel, { strace: false, io, root: null, network: false });
    this.rows = SYSCALL_ROWS.filter((r) => r[o.arch] !== null && r.handler !== null && !(r.name in EXCLUDED));
    this.elf = fuzzElf(o.arch);
    this.totals = {
      arch: o.arch, seed: o.seed, calls: 0, ok: 0, errnos: new Map(), woken: 0, interrupted: 0, killed: 0, inChild: 0, callerEnded: 0,
      epochs: 0, epochsEndedEarly: 0, earlyEnds: new Map(), outOfMemory: 0, hostExceptions: 0, audit: '', slowest: { call: '', ms: 0 },
    };
  }

  run(): FuzzTotals {
    const epochCalls = this.o.epochCalls ?? 400;
    let inEpoch = 0;
    for (this.index = 0; this.index < this.o.calls; this.index++) {
      if (!this.epoch || this.epoch.ended || inEpoch >= epochCalls) {
        if (this.epoch?.ended && inEpoch < epochCalls) this.countEarlyEnd(this.epoch);
        this.newEpoch();
        inEpoch = 0;
      }
      const t0 = performance.now();
      this.fuzzOne(this.epoch!);
      const ms = performance.now() - t0;
      if (ms > this.totals.slowest.ms && this.fuzzed) this.totals.slowest = { call: describeCall(this.fuzzed.name, this.fuzzed.args), ms };
      inEpoch++;
    }
    this.endEverything();
    // SysV segments outlive their processes by design; remove them as ipcrm would before counting frames.
    removeAllSegments(this.sys);
    try {
      const counts = this.kernel.mm.pmm.audit();
      this.totals.audit = JSON.stringify(counts);
    } catch (e) {
      throw this.failure('PMM audit after the last call', e);
    }
    return this.totals;
  }

  /** A fresh fuzzing process, set up (the previous one and its children ended). */
  newEpoch(): FuzzEpoch {
    this.current = 'the setup of a fuzzing process';
    this.endEverything();
    const image = parseElfImage(this.elf, { fileName: 'fuzz' });
    const p = this.sys.spawn({ exe: { path: '/tmp/fz/prog', bytes: this.elf.slice() }, image, argv: ['fuzz'], envp: [], random: new Uint8Array(16) });
    this.epoch = new FuzzEpoch(this, p);
    this.epoch.prepare();
    this.totals.epochs++;
    return this.epoch;
  }

  private fuzzOne(e: FuzzEpoch): void {
    const row = this.rng.pick(this.rows);
    const args = new FuzzArgs(this.rng, e.arena, () => e.ids()).forCall(row.name);
    e.arena.refresh(e.p.mem.user, this.rng);
    this.fuzzed = { name: row.name, args };
    this.totals.calls++;
    if (row.name in IN_CHILD) {
      this.totals.inChild++;
      const ct = e.childThread();
      if (ct) {
        ct.ctx.sp = e.stackTop;
        this.call(ct, row.name, args, true);
        e.endGrandchildren();
      }
      return;
    }
    e.t.ctx.sp = e.stackTop;
    this.call(e.t, row.name, args, true);
  }

  /** Makes the call on thread t as a trap would, settles it, delivers signals; returns the result (null: the caller is gone). */
  call(t: LinuxThread, name: string, args: readonly number[], count: boolean): number | null {
    const nr = syscallTable(this.o.arch).numberOf(name);
    if (nr === undefined) throw new Error(`no syscall named ${name} on ${this.o.arch}`);
    // A thread that ended makes no more calls (the run loop never picks one); the setup of a fuzzing process killed early would otherwise go on with it.
    if (isDead(t)) {
      if (count) this.count(null);
      return null;
    }
    this.current = { name, args };
    t.ctx.loadSyscall(nr, args);
    const ran = this.guarded(t, () => runSyscall(this.sys, t));
    if (ran && t.state === 'blocked') this.settle(t, count);
    const result = t.state === 'dead' ? null : t.ctx.result();
    if (count) this.count(result);
    if (t.state !== 'dead') this.guarded(t, () => deliverSignals(this.sys, t));
    if (t.proc.stopped && t.proc.exit === undefined) sendToProcess(this.sys, t.proc, { signo: SIGCONT, code: SI_KERNEL, pid: 0, uid: 0 });
    this.checkInternalErrors();
    return result;
  }

  /** Runs kernel work for t as the run loop does: running out of guest RAM kills t's process (OOM); any other exception is a failure. */
  private guarded(t: LinuxThread, work: () => void): boolean {
    try {
      work();
      return true;
    } catch (e) {
      if (!isOutOfMemory(e)) throw this.failure(this.current, e);
      this.totals.outOfMemory++;
      this.sys.exitProcess(t.proc, { kind: 'signaled', signal: SIGKILL, message: 'out of memory' });
      return false;
    }
  }

  /**
   * A blocked call: the scheduler polls it; one with a deadline gets kernel
   * time up to it; then a signal interrupts it (SIGALRM, which the fuzzing
   * process handles), and SIGKILL ends a wait nothing else can.
   */
  private settle(t: LinuxThread, count: boolean): void {
    for (let i = 0; i < 4; i++) {
      this.poll();
      if (t.state !== 'blocked') break;
      const d = t.wait?.deadline;
      if (d === undefined || d - this.sys.now() > MAX_WAIT_MS) break;
      this.kernel.idleUntil(this.kernel.timer.ticksAt(Math.max(d, this.sys.now())));
    }
    // What the call may wait for: data from the helper child on every descriptor, then a signal it blocks (rt_sigtimedwait's).
    if (count && t.state === 'blocked') {
      this.epoch?.wakeFromHelper();
      this.poll();
    }
    if (count && t.state === 'blocked') {
      const sig = 1 + this.rng.below(64);
      if (t.sigmask.has(sig)) sendToThread(this.sys, t, { signo: sig, code: SI_KERNEL, pid: 0, uid: 0 });
      this.poll();
    }
    if (t.state !== 'blocked') {
      if (count) this.totals.woken++;
      return;
    }
    sendToThread(this.sys, t, { signo: this.interruptingSignal(t), code: SI_KERNEL, pid: 0, uid: 0 });
    this.poll();
    if (t.state !== 'blocked') {
      if (count) this.totals.interrupted++;
      return;
    }
    if (count) this.totals.killed++;
    sendToProcess(this.sys, t.proc, { signo: SIGKILL, code: SI_KERNEL, pid: 0, uid: 0 });
  }

  /** A signal t neither blocks nor ignores and handles (the fuzzed calls change masks and actions); SIGALRM when none is. */
  private interruptingSignal(t: LinuxThread): number {
    const actions = t.proc.handlers.actions;
    for (let sig = SIGALRM; sig < SIGALRM + 64; sig++) {
      const s = ((sig - 1) % 64) + 1;
      if (s !== SIGKILL && s !== 19 && !t.sigmask.has(s) && actions[s].handler > 1) return s;
    }
    return SIGALRM;
  }

  /** One pass of the scheduler over the blocked threads, as the run loop's pick makes (no thread is given the CPU). */
  private poll(): void {
    this.sys.sched.pick((t) => t.pending.hasUnblocked(t.sigmask) || t.proc.pending.hasUnblocked(t.sigmask), -ERESTARTSYS, () => true);
  }

  private countEarlyEnd(e: FuzzEpoch): void {
    this.totals.epochsEndedEarly++;
    const exit = e.p.exit!;
    const how = `${exit.kind === 'exited' ? `exit ${exit.status}` : exit.message.split(':')[0]} in ${this.fuzzed?.name ?? 'setup'}`;
    this.totals.earlyEnds.set(how, (this.totals.earlyEnds.get(how) ?? 0) + 1);
  }

  private count(result: number | null): void {
    if (result === null) this.totals.callerEnded++;
    else if (result >= 0 || result < -4095) this.totals.ok++;
    else this.totals.errnos.set(-result, (this.totals.errnos.get(-result) ?? 0) + 1);
  }

  private checkInternalErrors(): void {
    if (this.sys.internalErrors.length > 0) throw this.failure(this.current, new Error(this.sys.internalErrors[0]));
  }

  /** Ends every process (the fuzzer's cleanup, not a guest's call). */
  endEverything(): void {
    for (const p of [...this.sys.processes.values()]) this.sys.exitProcess(p, { kind: 'signaled', signal: SIGKILL, message: 'end of a fuzzing epoch' });
    for (const p of [...this.sys.processes.values()]) this.sys.reap(p);
  }

  failure(call: string | { name: string; args: readonly number[] }, e: unknown): FuzzFailure {
    const what = typeof call === 'string' ? call : describeCall(call.name, call.args);
    const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
    const replay = `replay: FUZZ_SEED=${this.o.seed} for the vitest run, or fuzzSyscalls({ arch: '${this.o.arch}', seed: ${this.o.seed}, calls: ${this.index + 1} })`;
    return new FuzzFailure(`syscall fuzzer (${this.o.arch}, seed ${this.o.seed}, call #${this.index}): ${what}: ${detail}\n${replay}`);
  }
}

/** The totals as lines: calls, results by errno, blocked calls, children, epochs, host exceptions, the audit. */
export function formatTotals(t: FuzzTotals, seconds: number): string {
  const errnos = [...t.errnos.entries()].sort((a, b) => b[1] - a[1]).map(([e, n]) => `${errnoName(e)} ${n}`);
  return [
    `fuzz ${t.arch} seed ${t.seed}: ${t.calls} calls in ${seconds.toFixed(1)} s (${Math.round(t.calls / seconds)}/s), ${t.ok} succeeded`,
    `  errnos: ${errnos.join(', ')}`,
    `  blocked: ${t.woken} woken, ${t.interrupted} interrupted by a signal, ${t.killed} killed; ${t.inChild} in a child, ${t.callerEnded} ended their caller`,
    `  slowest: ${t.slowest.call} ${t.slowest.ms.toFixed(1)} ms`,
    `  ${t.epochs} fuzzing processes (${t.epochsEndedEarly} ended early${earlyEnds(t)}), ${t.outOfMemory} out of memory; host exceptions: ${t.hostExceptions}; PMM audit ok ${t.audit}`,
  ].join('\n');
}

function earlyEnds(t: FuzzTotals): string {
  if (t.earlyEnds.size === 0) return '';
  return `: ${[...t.earlyEnds.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`;
}

function errnoName(e: number): string {
  // ERESTARTSYS: interrupted, before delivery turns it into a restart or EINTR.
  return e === ERESTARTSYS ? `${e} (interrupted, restart or EINTR)` : `${e} (${errnoText(e)})`;
}

/** Whether t has ended (a function, so that the compiler does not narrow t.state across the calls that change it). */
function isDead(t: LinuxThread): boolean {
  return t.state === 'dead';
}
