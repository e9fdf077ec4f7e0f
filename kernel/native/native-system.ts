// The native personality's run loop: native processes' threads get the CPU
// in turn (slices the timer ends), their traps are taken here. Interface:
//
//   new NativeSystem(kernel, { io, strace, instructionLimit })
//   .spawn(image, name, untypedBits?) -> NativeProcess (boot-info.ts lists its slots)
//   .run() -> the first process's exit status (128 + signal when killed)
//   .startThread(t) for a thread made by addThread (native-process.ts)
//   .invocations, .threadExit(t, status), .kill(p, signal, message)
//
// The native trap (`svc #0x5a17`, decoded by kernel/arch/aarch64) reaches
// nativeTrap; a fault the tiers resolve goes on; any other trap, or a Linux
// `svc #0`, ends the process with a message.

import type { ProgramImage } from '../../loader/program-image';
import type { Trap } from '../arch/arch-cpu';
import type { DebugConsole } from '../cap/kernel-objects';
import type { HostedKernel } from '../hosted-kernel';
import { OutOfFrames } from '../mm/pmm';
import { UntypedExhausted } from '../mm/untyped-frames';
import { NoRoomForTable } from '../mm/untyped-tables';
import type { VSpace } from '../mm/vspace';
import { SLICE_TICKS } from '../sched/scheduler';
import { createNativeProcess, type NativeProcess, type NativeThread } from './native-process';
import { MAX_ARGS, nativeInvoke, slotKind } from './native-invoke';
import { formatInvocation } from './native-strace';
import { labelName } from './native-labels';
import type { InvocationResult } from './native-context';

export interface NativeIo {
  writeOut(data: Uint8Array): void;
  writeErr(data: Uint8Array): void;
}

export interface NativeSystemOptions {
  readonly io: NativeIo;
  readonly strace: boolean;
  /** Stop after this many instructions (0 or absent: no limit). */
  readonly instructionLimit?: number;
  /** Sees every invocation around its run (tests compare kernel snapshots across it). */
  readonly observer?: InvocationObserver;
}

export interface InvocationObserver {
  before(p: NativeProcess, slot: number, label: number, args: readonly number[]): void;
  after(p: NativeProcess, slot: number, label: number, args: readonly number[], result: InvocationResult): void;
}

const NO_BUDGET = 2 ** 52;
const SIGILL = 4;
const SIGTRAP = 5;
const SIGBUS = 7;
const SIGFPE = 8;
const SIGKILL = 9;
const SIGSEGV = 11;
const SIGXCPU = 24;
const SIGSYS = 31;

export class NativeSystem {
  readonly processes: NativeProcess[] = [];
  invocations = 0;
  preemptions = 0;
  private readonly runQueue: NativeThread[] = [];
  private cursor = 0;
  private nextPid = 1;
  private activeVs: VSpace | undefined;
  private readonly console: DebugConsole;

  constructor(
    readonly kernel: HostedKernel,
    readonly options: NativeSystemOptions,
  ) {
    this.console = { write: (bytes) => options.io.writeOut(bytes) };
  }

  spawn(image: ProgramImage, name: string, untypedBits?: number): NativeProcess {
    const p = createNativeProcess(this.kernel, image, {
      pid: this.nextPid++,
      name,
      untypedBits,
      console: this.console,
      onThreadExit: (t, status) => this.threadExit(t, status),
    });
    this.processes.push(p);
    this.runQueue.push(...p.threads);
    return p;
  }

  /** Puts a thread made by addThread (native-process.ts) on the run queue. */
  startThread(t: NativeThread): void {
    if (t.state === 'runnable' && !this.runQueue.includes(t)) this.runQueue.push(t);
  }

  /** Runs until every thread has ended; returns the first process's status. */
  run(): number {
    const kernel = this.kernel;
    const limit = this.options.instructionLimit ?? 0;
    for (;;) {
      const t = this.pick();
      if (!t) break;
      this.load(t);
      const until = kernel.timer.ticks() + SLICE_TICKS;
      const trap = kernel.runUser(t.ctx, until, limit > 0 ? limit - kernel.retired : NO_BUDGET);
      if (trap.kind === 'interrupt') this.preemptions++;
      else this.takeTrap(t, trap);
      if (limit > 0 && kernel.retired >= limit) {
        const message = `SIGXCPU: instruction limit of ${limit} reached at pc 0x${kernel.machine.pc.toString(16)}`;
        for (const p of this.processes) this.kill(p, SIGXCPU, message);
      }
    }
    const e = this.processes[0]?.exit;
    if (!e) return 0;
    return e.kind === 'exited' ? e.status & 0xff : 128 + e.signal;
  }

  /** A thread's exit label: the process ends with its last thread (status of that call). */
  threadExit(t: NativeThread, status: number): void {
    this.endThread(t);
    const p = t.process;
    if (p.threads.every((x) => x.state === 'dead')) this.finish(p, { kind: 'exited', status });
  }

  kill(p: NativeProcess, signal: number, message: string): void {
    if (p.exit) return;
    for (const t of p.threads) this.endThread(t);
    this.finish(p, { kind: 'killed', signal, message });
  }

  private finish(p: NativeProcess, exit: NonNullable<NativeProcess['exit']>): void {
    if (p.exit) return;
    p.exit = exit;
    if (exit.kind === 'killed') this.options.io.writeErr(Buffer.from(`salty: ${p.name}: ${exit.message}\n`));
    if (this.activeVs === p.vs) this.activeVs = undefined;
    p.destroy();
  }

  private endThread(t: NativeThread): void {
    if (t.state === 'dead') return;
    t.state = 'dead';
    const i = this.runQueue.indexOf(t);
    if (i >= 0) {
      this.runQueue.splice(i, 1);
      if (i < this.cursor) this.cursor--;
    }
  }

  private pick(): NativeThread | undefined {
    const q = this.runQueue;
    if (q.length === 0) return undefined;
    if (this.cursor >= q.length) this.cursor = 0;
    return q[this.cursor++];
  }

  private load(t: NativeThread): void {
    const vs = t.process.vs;
    if (this.activeVs !== vs) {
      this.kernel.switchTo(vs.activate());
      this.activeVs = vs;
    }
  }

  private takeTrap(t: NativeThread, trap: Trap): void {
    const p = t.process;
    const hex = (n: number): string => `0x${n.toString(16)}`;
    switch (trap.kind) {
      case 'syscall':
        if (trap.native) this.invoke(t);
        else this.kill(p, SIGSYS, `SIGSYS: Linux system call ${t.ctx.syscallNumber()} (svc #0) in a native program at pc ${hex(t.ctx.pc - 4)}`);
        return;
      case 'page-fault':
        this.pageFault(t, trap.raw, trap.address);
        return;
      case 'undefined':
        this.kill(p, SIGILL, `SIGILL: ${trap.detail}`);
        return;
      case 'breakpoint':
        this.kill(p, SIGTRAP, `SIGTRAP: ${trap.detail}`);
        return;
      case 'alignment':
        this.kill(p, SIGBUS, `SIGBUS: ${trap.detail}`);
        return;
      case 'arithmetic':
        this.kill(p, SIGFPE, `SIGFPE: ${trap.detail}`);
        return;
      case 'protection':
        this.kill(p, SIGSEGV, `SIGSEGV: ${trap.detail}`);
        return;
      case 'vsyscall':
        this.kill(p, SIGSEGV, `SIGSEGV: a legacy vsyscall in a native program`);
        return;
      case 'resumed':
      case 'budget':
      case 'interrupt':
        return;
    }
  }

  private pageFault(t: NativeThread, raw: Extract<Trap, { kind: 'page-fault' }>['raw'], address: number): void {
    const p = t.process;
    try {
      const outcome = this.kernel.mm.handleFault(p.vs, raw);
      if (!outcome.resolved) this.kill(p, outcome.report.kind === 'bus' ? SIGBUS : SIGSEGV, `${outcome.report.kind === 'bus' ? 'SIGBUS' : 'SIGSEGV'}: ${outcome.report.reason} (pc 0x${t.ctx.pc.toString(16)})`);
    } catch (e) {
      if (!(e instanceof UntypedExhausted || e instanceof NoRoomForTable || e instanceof OutOfFrames)) throw e;
      this.kill(p, SIGKILL, `SIGKILL: out of memory at 0x${address.toString(16)}: ${e.message}`);
    }
  }

  /** The native trap: x0 slot, x1 label, x2..x7 arguments; x0 error, x1 value. */
  private invoke(t: NativeThread): void {
    const p = t.process;
    const ctx = t.ctx;
    const slot = ctx.reg(0);
    const label = ctx.reg(1);
    const args: number[] = [];
    for (let i = 0; i < MAX_ARGS; i++) args.push(ctx.reg(2 + i));
    const kind = this.options.strace ? slotKind(p.cspace, slot) : '';
    this.invocations++;
    p.invocations++;
    this.options.observer?.before(p, slot, label, args);
    let r: InvocationResult;
    p.current = t;
    try {
      r = nativeInvoke(p, slot, label, args);
    } catch (e) {
      // The decode step bounds what a call allocates; a clone that must first flatten a long chain can still run out.
      if (!(e instanceof UntypedExhausted || e instanceof NoRoomForTable || e instanceof OutOfFrames)) throw e;
      this.kill(p, SIGKILL, `SIGKILL: out of memory in ${labelName(label)}: ${e.message}`);
      return;
    } finally {
      p.current = undefined;
    }
    this.options.observer?.after(p, slot, label, args, r);
    if (this.options.strace) {
      const line = t.state === 'dead' ? formatInvocation(t.tid, slot, kind, label, args, 0, 0).replace(/= 0$/, '= ?') : formatInvocation(t.tid, slot, kind, label, args, r.error, r.value);
      this.options.io.writeErr(Buffer.from(line + '\n'));
    }
    if (t.state === 'dead') return;
    ctx.setReg(0, r.error);
    ctx.setReg(1, r.value);
  }
}
