// The Linux personality as gdb's target (`salty run -g PORT`): the first
// process's threads, their saved registers, its address space, and run
// control over LinuxSystem.runOnce. Stops: breakpoints, steps and watchpoints
// (the CPU's 'debug' trap), every signal before its delivery (the signal
// number, as ptrace's signal-delivery stop), gdb's Ctrl-C (SIGINT), and the
// process's end. Other processes (a fork's child) run on without stopping,
// as gdb's default detach-on-fork leaves them.

import type { Trap } from '../../kernel/arch/arch-cpu';
import type { DebugRegisters, MachineDebug } from '../../kernel/arch/machine-debug';
import type { LinuxDebugger } from '../../kernel/linux/linux-debugger';
import type { LinuxProcess } from '../../kernel/linux/linux-process';
import type { LinuxSystem } from '../../kernel/linux/linux-system';
import type { LinuxThread } from '../../kernel/linux/linux-thread';
import { SI_USER, type SigInfo } from '../../kernel/linux/signal-state';
import type { DebugTarget, ResumeRequest, StopEvent, WatchKind } from './debug-target';

const SIGTRAP = 5;
const SIGINT = 2;
const SIGKILL = 9;

export class LinuxDebugTarget implements DebugTarget, LinuxDebugger {
  readonly pid: number;
  readonly description: ReadonlyMap<string, string>;
  readonly gCount: number;
  private readonly debug: MachineDebug;
  private readonly regs: DebugRegisters;
  /** Each thread's step state while it is off the CPU. */
  private readonly steps = new Map<LinuxThread, number>();
  private stopEvent: StopEvent | undefined;
  /** The signal a thread was about to take when it stopped, until gdb says what to do with it. */
  private held: { readonly t: LinuxThread; readonly info: SigInfo } | undefined;
  /** Signals gdb passed on: delivered without stopping again. */
  private readonly passing = new Set<SigInfo>();
  private interruptRequested = false;
  private detached = false;
  /** The thread on the CPU (breakpoints stop only the debugged process's). */
  private current: LinuxThread | undefined;
  private lastThread: number;
  /** The auxiliary vector on the initial stack, read before the first instruction. */
  private readonly startAuxv: Uint8Array | undefined;

  constructor(
    private readonly system: LinuxSystem,
    private readonly proc: LinuxProcess,
  ) {
    const machine = system.kernel.machine;
    if (machine.debug === undefined || machine.debugRegisters === undefined) throw new Error(`gdb: the ${machine.arch} machine has no debug support`);
    this.debug = machine.debug();
    this.regs = machine.debugRegisters;
    this.pid = proc.pid;
    this.description = this.regs.description;
    this.gCount = this.regs.gCount;
    this.lastThread = proc.pid;
    const first = [...proc.threads][0];
    this.startAuxv = first === undefined ? undefined : initialAuxv(proc, first.ctx.sp);
    this.debug.filter = () => this.current !== undefined && this.current.proc === this.proc && !this.detached;
    system.debugger = this;
  }

  // ---- LinuxDebugger: what the run loop tells us ----

  beforeRun(t: LinuxThread): boolean {
    if (this.stopEvent !== undefined) return false;
    this.current = t;
    this.debug.stepState = this.steps.get(t) ?? 0;
    return true;
  }

  afterRun(t: LinuxThread, trap: Trap): void {
    const step = this.debug.stepState;
    if (step !== 0) this.steps.set(t, step);
    else this.steps.delete(t);
    this.debug.stepState = 0;
    if (trap.kind !== 'debug') return;
    const stop = this.debug.stop;
    const watch = stop?.kind === 'watch' ? { kind: stop.watch.kind, addr: stop.addr } : undefined;
    this.stopEvent = { kind: 'stop', signal: SIGTRAP, thread: t.tid, watch };
  }

  signal(t: LinuxThread, info: SigInfo): boolean {
    if (this.detached || t.proc !== this.proc || info.signo === SIGKILL) return true;
    if (this.passing.delete(info)) return true;
    if (this.stopEvent !== undefined) {
      // Already stopping: the signal waits its turn.
      t.pending.add(info);
      return false;
    }
    this.held = { t, info };
    this.stopEvent = { kind: 'stop', signal: info.signo, thread: t.tid };
    return false;
  }

  // ---- DebugTarget ----

  threads(): readonly { id: number }[] {
    return [...this.proc.threads].filter((t) => t.state !== 'dead').map((t) => ({ id: t.tid }));
  }

  private threadById(id: number): LinuxThread | undefined {
    const t = this.system.threads.get(id);
    return t !== undefined && t.proc === this.proc ? t : undefined;
  }

  readRegister(thread: number, n: number): Uint8Array | undefined {
    const t = this.threadById(thread) ?? this.threadById(this.lastThread) ?? [...this.proc.threads][0];
    return t === undefined ? undefined : this.regs.read(t.ctx, n);
  }

  writeRegister(thread: number, n: number, bytes: Uint8Array): boolean {
    const t = this.threadById(thread) ?? this.threadById(this.lastThread);
    return t !== undefined && this.regs.write(t.ctx, n, bytes);
  }

  readMemory(addr: number, len: number): Uint8Array {
    if (this.proc.exit !== undefined || addr < 0) return new Uint8Array(0);
    return this.proc.mem.user.readPrefix(addr, len);
  }

  writeMemory(addr: number, bytes: Uint8Array): boolean {
    if (this.proc.exit !== undefined || addr < 0) return false;
    return this.proc.mem.user.writePrefix(addr, bytes) === bytes.length;
  }

  insertBreakpoint(addr: number): boolean {
    this.debug.insertBreakpoint(addr);
    return true;
  }

  removeBreakpoint(addr: number): boolean {
    this.debug.removeBreakpoint(addr);
    return true;
  }

  insertWatchpoint(addr: number, len: number, kind: WatchKind): boolean {
    this.debug.insertWatchpoint({ addr, len, kind });
    return true;
  }

  removeWatchpoint(addr: number, len: number, kind: WatchKind): boolean {
    return this.debug.removeWatchpoint(addr, len, kind);
  }

  resume(r: ResumeRequest): void {
    this.stopEvent = undefined;
    this.interruptRequested = false;
    const held = this.held;
    this.held = undefined;
    for (const [tid, sig] of r.signals) {
      const t = this.threadById(tid);
      if (t === undefined || !(sig >= 1 && sig <= 64)) continue;
      const info: SigInfo = held !== undefined && held.t === t && held.info.signo === sig ? held.info : { signo: sig, code: SI_USER, pid: 0, uid: 0 };
      this.passing.add(info);
      t.pending.add(info);
    }
    this.debug.resume(false);
    if (r.step !== undefined) {
      const t = this.threadById(r.step);
      if (t !== undefined) this.steps.set(t, 1);
    }
  }

  run(ms: number): StopEvent | undefined {
    const end = Date.now() + ms;
    do {
      const ev = this.pendingStop();
      if (ev !== undefined) return ev;
      if (!this.system.runOnce()) return this.exitEvent();
    } while (Date.now() < end);
    return this.pendingStop();
  }

  private pendingStop(): StopEvent | undefined {
    if (this.proc.exit !== undefined) return this.exitEvent();
    if (this.stopEvent === undefined && this.interruptRequested) {
      const t = this.current !== undefined && this.current.proc === this.proc && this.current.state !== 'dead' ? this.current : [...this.proc.threads][0];
      this.stopEvent = { kind: 'stop', signal: SIGINT, thread: t.tid };
    }
    const ev = this.stopEvent;
    if (ev?.kind === 'stop') {
      this.lastThread = ev.thread;
      this.steps.clear();
    }
    return ev;
  }

  private exitEvent(): StopEvent {
    const e = this.proc.exit;
    if (e === undefined) return { kind: 'terminated', signal: SIGKILL };
    return e.kind === 'exited' ? { kind: 'exited', status: e.status } : { kind: 'terminated', signal: e.signal };
  }

  interrupt(): void {
    this.interruptRequested = true;
  }

  detach(): void {
    this.detached = true;
    this.debug.clearAll();
    this.steps.clear();
    const held = this.held;
    this.held = undefined;
    this.stopEvent = undefined;
    // A signal held at the stop is delivered as if gdb had never looked.
    if (held !== undefined) held.t.pending.add(held.info);
    this.system.debugger = undefined;
  }

  kill(): void {
    this.detach();
    this.system.killBySignal(this.proc, SIGKILL);
  }

  execFile(): string {
    return this.proc.exe.path;
  }

  auxv(): Uint8Array | undefined {
    return this.startAuxv;
  }
}

/**
 * The auxv pairs (through AT_NULL) of the initial stack at sp: argc, argv and
 * its NULL, envp and its NULL, then the pairs. undefined when unreadable.
 */
function initialAuxv(proc: LinuxProcess, sp: number): Uint8Array | undefined {
  const user = proc.mem.user;
  try {
    const argc = user.read64(sp);
    let at = sp + 8 * (argc + 2);
    while (user.read64(at) !== 0) at += 8;
    const start = (at += 8);
    for (let n = 0; n < 512; n++, at += 16) {
      if (user.read64(at) === 0) return user.read(start, at + 16 - start);
    }
    return undefined;
  } catch {
    return undefined;
  }
}
