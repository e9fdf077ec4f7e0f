// The native personality's run loop: native processes' threads get the CPU
// in turn (slices the timer ends), their traps are taken here. Interface:
//
//   new NativeSystem(kernel, { io, strace, instructionLimit })
//   .spawn(image, name, untypedBits?) -> NativeProcess (boot-info.ts lists its slots)
//   .run() -> the first process's exit status (128 + signal when killed)
//   .threads  the NativeScheduler: threads beyond the first are made by a
//             program (thread retype, kernel/native/thread-invocation.ts) and
//             started by its resume label
//   .invocations, .threadExit(t, status), .kill(p, signal, message)
//
// The native trap (`svc #0x5a17` on aarch64, `syscall` with rax 0x5a17 on
// x86_64, decoded by kernel/arch/<arch>) reaches
// nativeTrap; a fault the tiers resolve goes on, one on a pager-backed page
// committed nowhere becomes a message to its pager (kernel/native/pager.ts);
// any other trap, or a Linux `svc #0`, ends the process with a message.
// Threads (kernel/native/native-scheduler.ts) take turns round robin; a thread
// blocked in an IPC waits off the CPU; threads a program makes belong to its
// process, and a process ends with its last thread (status: the initial
// thread's exit, see threadExit).

import type { ProgramImage } from '../../loader/program-image';
import type { Trap } from '../arch/arch-cpu';
import { nativeArchAbi, readNative, writeNative } from '../arch/native-abi';
import type { DebugConsole } from '../cap/kernel-objects';
import type { HostedKernel } from '../hosted-kernel';
import { OutOfFrames } from '../mm/pmm';
import { UntypedExhausted } from '../mm/untyped-frames';
import { NoRoomForTable } from '../mm/untyped-tables';
import type { VSpace } from '../mm/vspace';
import { SLICE_TICKS } from '../sched/scheduler';
import { createNativeProcess, type NativeProcess } from './native-process';
import type { NativeContext, ThreadHost, UserAccess } from './native-context';
import { NativeScheduler } from './native-scheduler';
import type { NativeThread } from './native-thread';
import { NativeUserAccess } from './native-user-access';
import { MAX_ARGS, nativeInvoke, slotKind } from './native-invoke';
import { formatInvocation } from './native-strace';
import './ipc-strace';
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
  readonly threads: NativeScheduler;
  private nextPid = 1;
  private current: NativeThread | undefined;
  private sliceEnd = 0;
  private activeVs: VSpace | undefined;
  private readonly console: DebugConsole;
  private readonly processOf = new Map<NativeThread, NativeProcess>();
  private readonly hosts = new Map<NativeProcess, ThreadHost>();
  private readonly lastStatus = new Map<NativeProcess, number>();
  private readonly userOf = new Map<NativeThread, { readonly vs: VSpace; readonly access: UserAccess }>();

  constructor(
    readonly kernel: HostedKernel,
    readonly options: NativeSystemOptions,
  ) {
    this.console = { write: (bytes) => options.io.writeOut(bytes) };
    this.threads = new NativeScheduler(kernel.mm, () => kernel.machine.newContext());
  }

  spawn(image: ProgramImage, name: string, untypedBits?: number): NativeProcess {
    const p = createNativeProcess(this.kernel, image, {
      pid: this.nextPid++,
      name,
      untypedBits,
      console: this.console,
      newThread: () => this.threads.newThread(),
    });
    this.processes.push(p);
    this.hosts.set(p, this.hostFor(p));
    for (const t of p.threads) {
      this.adopt(p, t);
      this.threads.start(t);
    }
    return p;
  }

  /** Runs until every thread has ended; returns the first process's status. */
  run(): number {
    const kernel = this.kernel;
    const limit = this.options.instructionLimit ?? 0;
    while (this.threads.sched.all.length > 0) {
      const t = this.next();
      if (!t) {
        for (const p of this.processes) this.kill(p, SIGKILL, 'SIGKILL: every thread is blocked forever (deadlock)');
        break;
      }
      if (!this.load(t)) continue;
      const trap = kernel.runUser(t.ctx, this.sliceEnd, limit > 0 ? limit - kernel.retired : NO_BUDGET);
      if (trap.kind === 'interrupt') {
        this.preemptions++;
        this.current = undefined;
      } else this.takeTrap(t, trap);
      if (limit > 0 && kernel.retired >= limit) {
        const message = `SIGXCPU: instruction limit of ${limit} reached at pc 0x${kernel.machine.pc.toString(16)}`;
        for (const p of this.processes) this.kill(p, SIGXCPU, message);
      }
    }
    // Every thread left was suspended: none can ever run again.
    for (const p of this.processes) this.kill(p, SIGKILL, 'SIGKILL: no thread can run (all suspended)');
    const e = this.processes[0]?.exit;
    if (!e) return 0;
    return e.kind === 'exited' ? e.status & 0xff : 128 + e.signal;
  }

  /**
   * The thread to run: the one that trapped goes on with the rest of its slice
   * while it can run; else the next in turn, with a fresh slice.
   */
  private next(): NativeThread | undefined {
    const c = this.current;
    if (c && c.state === 'runnable' && c.active && this.kernel.timer.ticks() < this.sliceEnd) return c;
    const pick = this.threads.sched.pick(() => false, 0);
    if (pick.kind !== 'run') return undefined;
    this.current = pick.thread;
    this.sliceEnd = this.kernel.timer.ticks() + SLICE_TICKS;
    return pick.thread;
  }

  /**
   * A thread's exit label ends that thread only; the process ends when none of
   * its threads can run, with the initial thread's exit status (a return from
   * salty_main), or the last exit's when the initial thread never exited so.
   */
  threadExit(t: NativeThread, status: number): void {
    const p = this.processOf.get(t)!;
    const initial = p.threads[0];
    if (t === initial || initial.exitStatus === undefined) this.lastStatus.set(p, status);
    this.threads.kill(t, `exit ${status}`);
    this.afterDeath(t);
  }

  kill(p: NativeProcess, signal: number, message: string): void {
    if (p.exit) return;
    for (const t of p.threads) this.threads.kill(t, message);
    this.finish(p, { kind: 'killed', signal, message });
  }

  private adopt(p: NativeProcess, t: NativeThread): void {
    this.processOf.set(t, p);
    t.onExit = (status) => this.threadExit(t, status);
  }

  /** Threads a process's program makes (thread retype) are its own: they end with it. */
  private hostFor(p: NativeProcess): ThreadHost {
    const threads = this.threads;
    return {
      newThread: () => {
        const t = threads.newThread();
        p.threads.push(t);
        this.adopt(p, t);
        return t;
      },
      start: (t) => threads.start(t),
      stop: (t) => threads.stop(t),
      kill: (t, reason) => {
        threads.kill(t, reason);
        this.afterDeath(t);
      },
    };
  }

  private afterDeath(t: NativeThread): void {
    this.userOf.delete(t);
    const p = this.processOf.get(t)!;
    // Threads never started (or suspended) do not keep a process alive: only the scheduler could run them.
    if (p.threads.every((x) => x.state === 'dead' || !x.active)) this.finish(p, { kind: 'exited', status: this.lastStatus.get(p) ?? 0 });
  }

  private finish(p: NativeProcess, exit: NonNullable<NativeProcess['exit']>): void {
    if (p.exit) return;
    p.exit = exit;
    if (exit.kind === 'killed') this.options.io.writeErr(Buffer.from(`salty: ${p.name}: ${exit.message}\n`));
    this.activeVs = undefined;
    p.destroy();
  }

  /** Switch to t's VSpace; false (t killed) when its VSpace or capability space is gone. */
  private load(t: NativeThread): boolean {
    const vs = t.vspace;
    if (!vs || !t.cspace) {
      this.threads.kill(t, 'its VSpace or capability space was deleted');
      this.afterDeath(t);
      return false;
    }
    if (this.activeVs !== vs) {
      this.kernel.switchTo(vs.activate());
      this.activeVs = vs;
    }
    return true;
  }

  private takeTrap(t: NativeThread, trap: Trap): void {
    const p = this.processOf.get(t)!;
    switch (trap.kind) {
      case 'syscall':
        if (trap.native) this.invoke(t);
        else this.linuxCall(t, p);
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

  /** A Linux system call is not the native trap: the process ends (SIGSYS). */
  private linuxCall(t: NativeThread, p: NativeProcess): void {
    const abi = nativeArchAbi(t.ctx.arch);
    const at = `0x${(t.ctx.pc - abi.trapBytes).toString(16)}`;
    this.kill(p, SIGSYS, `SIGSYS: Linux system call ${t.ctx.syscallNumber()} (${abi.linuxTrap}) in a native program at pc ${at}`);
  }

  private pageFault(t: NativeThread, raw: Extract<Trap, { kind: 'page-fault' }>['raw'], address: number): void {
    const p = this.processOf.get(t)!;
    try {
      const outcome = this.threads.fault(t, raw);
      if (outcome.kind !== 'refused') return;
      const bus = outcome.report.kind === 'bus';
      this.kill(p, bus ? SIGBUS : SIGSEGV, `${bus ? 'SIGBUS' : 'SIGSEGV'}: ${outcome.report.reason} (pc 0x${t.ctx.pc.toString(16)})`);
    } catch (e) {
      if (!(e instanceof UntypedExhausted || e instanceof NoRoomForTable || e instanceof OutOfFrames)) throw e;
      this.kill(p, SIGKILL, `SIGKILL: out of memory at 0x${address.toString(16)}: ${e.message}`);
    }
  }

  /** What an invocation by t sees: its own capability space and memory, its process's thread host. */
  private contextOf(t: NativeThread, p: NativeProcess): NativeContext {
    const vs = t.vspace!;
    let u = this.userOf.get(t);
    if (!u || u.vs !== vs) {
      u = { vs, access: new NativeUserAccess(this.kernel.mm, vs, this.kernel.phys) };
      this.userOf.set(t, u);
    }
    return { mm: this.kernel.mm, cspace: t.cspace!, user: u.access, thread: t, host: this.hosts.get(p) };
  }

  /** The native trap: n0 slot, n1 label, n2..n7 arguments; n0 error, n1 value (registers per arch: kernel/arch/native-abi.ts). */
  private invoke(t: NativeThread): void {
    const p = this.processOf.get(t)!;
    const ctx = t.ctx;
    const slot = readNative(ctx, 0);
    const label = readNative(ctx, 1);
    const args: number[] = [];
    for (let i = 0; i < MAX_ARGS; i++) args.push(readNative(ctx, 2 + i));
    const kind = this.options.strace ? slotKind(t.cspace!, slot) : '';
    this.invocations++;
    p.invocations++;
    this.options.observer?.before(p, slot, label, args);
    let r: InvocationResult;
    p.current = t;
    try {
      r = nativeInvoke(this.contextOf(t, p), slot, label, args);
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
      const line =
        t.state === 'dead'
          ? formatInvocation(t.tid, slot, kind, label, args, 0, 0).replace(/= 0$/, '= ?')
          : t.state === 'blocked'
            ? formatInvocation(t.tid, slot, kind, label, args, 0, 0).replace(/= 0$/, '= ? (blocked)')
            : formatInvocation(t.tid, slot, kind, label, args, r.error, r.value);
      this.options.io.writeErr(Buffer.from(line + '\n'));
    }
    if (t.state === 'dead') return;
    writeNative(ctx, 0, r.error);
    writeNative(ctx, 1, r.value);
  }
}
