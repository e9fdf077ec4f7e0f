// The Linux personality of the hosted kernel: the process and thread tables,
// the run loop that gives threads the CPU in slices ended by the timer's
// interrupt and takes their exceptions, and process creation, exit and reaping.

import type { ProgramImage } from '../../loader/program-image';
import type { Trap } from '../arch/arch-cpu';
import type { HostedKernel } from '../hosted-kernel';
import type { HostNet } from '../net/host-net';
import { AddressSpace, MoRefs } from '../process/address-space';
import { loadInterpreter } from '../process/interpreter';
import { loadProgram } from '../process/process-image';
import { Scheduler, SLICE_TICKS } from '../sched/scheduler';
import type { VSpace } from '../mm/vspace';
import { OutOfFrames } from '../mm/pmm';
import { processExitHooks } from './process-exit-hooks';
import { NoRoomForTable } from '../mm/untyped-tables';
import { FdTable } from '../vfs/fd-table';
import type { ConsoleIo } from '../vfs/device';
import { OverlayFs } from '../vfs/overlay-fs';
import { Futexes } from './futex';
import { SharedFileMaps } from './shared-file-maps';
import { LinuxProcess, type ExitState, type Executable } from './linux-process';
import { LinuxThread } from './linux-thread';
import { deliverSignals, sendToProcess, sendToThread } from './signal-delivery';
import { fireTimers } from './interval-timers';
import { BUS_ADRALN, BUS_ADRERR, SEGV_ACCERR, SEGV_MAPERR, SignalHandlers, CLD_DUMPED, CLD_EXITED, CLD_KILLED, SIG_IGN } from './signal-state';
import { SIGNAL_NAMES } from './signals';
import { mountSystemFiles, openConsole } from './system-files';
import { installCredentialHooks } from './caller-credentials';
import { recordExec } from './proc-process';
import { pidMax, PID_WRAP_START } from './proc-sys';
import { runSyscall } from './syscall-dispatch';
import { dumpsCore, limitsOf } from './resource-limits';
import { chargeRun, chargeTrap, recordExitRss } from './process-usage';
import { deathSignalOf } from './process-control';
import { chargeSyscall } from './syscall-time';
import { mapSigreturnPage } from './sigreturn-page';
import { runVsyscall } from './vsyscall-call';
import { wallClock } from './wall-clock';
import { sliceScale } from './sched-state';
import { sizeWritableLayer } from './writable-layer';
import { stackGrowthRefused, stackSizeOf } from './vm-limits';
import { chargeFirst, enableCharging, releaseCounts, releaseProcess, releaseThread } from './kobj-charges';
import { afterSyscall, outOfMemory } from './oom-recovery';
import { isOutOfMemory } from './syscall-guard';
import { alarmsDue } from './alarm-sweep';
import type { LinuxDebugger } from './linux-debugger';
import { TerminalModes } from './terminal-modes';

export const ERESTARTSYS = 512;
/** si_code of a signal the kernel raised without a specific cause (x86 #GP). */
const SI_KERNEL = 0x80;
/** The instruction budget of a slice without an instruction limit: only the timer ends it. */
const NO_BUDGET = 2 ** 52;
/** Past this many threads a resolved page fault resumes its thread without a pick (see canResume). */
const RESUME_PAST_THREADS = 64;

export interface SystemOptions {
  readonly strace: boolean;
  readonly io: ConsoleIo;
  /** Host directory the guest sees as / (null: an empty in-memory root). */
  readonly root: string | null;
  /** Stop after this many instructions (0: no limit). */
  readonly instructionLimit?: number;
  /** qemu-user's -L: a host directory searched first for the absolute paths the guest names. */
  readonly sysroot?: string | null;
  /** Called each time the CPU comes back from user mode, before the trap is handled (salty compare samples there). */
  readonly onUserReturn?: (retired: number) => void;
  /** false: no host network (socket(AF_INET/AF_INET6) answers EACCES), for runs that must not touch the host's (a fuzzer). */
  readonly network?: boolean;
  /** The writable layer's size in bytes (default half of RAM, as tmpfs; writable-layer.ts). */
  readonly rootSize?: number;
  /**
   * The host process ends with the last guest process and reports nothing of the kernel's state after it
   * (`salty run` without --stats or --audit): that process's address space is left as it is at its exit, as
   * qemu-user leaves guest memory to the host's exit, rather than torn down (5-15 ms of a short run).
   */
  readonly endsWithLastProcess?: boolean;
}

export interface StartInfo {
  readonly exe: Executable;
  readonly image: ProgramImage;
  readonly argv: readonly string[];
  readonly envp: readonly string[];
  readonly random: Uint8Array;
  /** AT_EXECFN: the path as the caller named it (Linux passes execve's string as is); the executable's path when absent. */
  readonly execfn?: string;
}

export class LinuxSystem {
  readonly sched = new Scheduler<LinuxThread>();
  readonly processes = new Map<number, LinuxProcess>();
  readonly threads = new Map<number, LinuxThread>();
  readonly fs: OverlayFs;
  readonly refs: MoRefs;
  readonly futexes = new Futexes();
  readonly sharedFiles: SharedFileMaps;
  /** Descriptive reason of the last fatal fault per thread, for the death message. */
  readonly faultDetail = new Map<LinuxThread, string>();
  syscallCount = 0;
  /** Host exceptions that escaped a syscall (bugs of salty, reported on stderr as they happen). */
  readonly internalErrors: string[] = [];
  /** Slices ended by the timer's interrupt (preemptions). */
  preemptions = 0;
  /** CLOCK_REALTIME (ms since the epoch) when the kernel clock read 0. */
  private readonly bootWallMs: number;
  private nextId = 1000;
  private activeVs: VSpace | undefined;
  /** The thread whose slice is running and the count at which it ends. */
  private sliceThread: LinuxThread | undefined;
  private sliceEndTicks = 0;
  first: LinuxProcess | undefined;
  /** The process whose syscall is running (what /proc/self names). */
  currentProcess: LinuxProcess | undefined;
  /** The host's TCP and UDP sockets, once the guest made one (kernel/net/host-net.ts). */
  hostNet: HostNet | undefined;
  /** A debugger of the host (the gdb stub) watching the threads run and the signals they get. */
  debugger: LinuxDebugger | undefined;
  /** The modes of the host terminal behind the console (TCGETS, TCSETS). */
  readonly terminal: TerminalModes;

  constructor(
    readonly kernel: HostedKernel,
    readonly options: SystemOptions,
  ) {
    this.bootWallMs = Date.now() - kernel.timer.nowMs();
    this.fs = new OverlayFs(options.root, options.sysroot ?? null);
    this.refs = new MoRefs(kernel.mm);
    this.sharedFiles = new SharedFileMaps(kernel.mm);
    this.terminal = new TerminalModes(options.io);
    mountSystemFiles(this);
    sizeWritableLayer(this);
    installCredentialHooks(this);
    enableCharging(this);
    this.sched.clock = () => this.now();
  }

  get io(): ConsoleIo {
    return this.options.io;
  }

  /** The kernel's monotonic time in ms: the generic timer's counter, which the guest can read too (CNTVCT_EL0, RDTSC). */
  now(): number {
    return this.kernel.timer.nowMs();
  }

  /** CLOCK_REALTIME in ms: the host's wall clock at boot advanced by the kernel's time. */
  wallNow(): number {
    return wallClock(this, this.bootWallMs + this.now());
  }

  /** The id handed out last (/proc/sys/kernel/ns_last_pid); setting it makes the next search start after it. */
  get lastPid(): number {
    return this.nextId - 1;
  }
  set lastPid(pid: number) {
    this.nextId = pid + 1;
  }

  /** A free id below pid_max, wrapping to 300 as Linux does; -1 when every id is taken (fork's EAGAIN). */
  allocId(): number {
    for (let tries = pidMax(this); tries >= 0; tries--) {
      if (this.nextId >= pidMax(this)) this.nextId = PID_WRAP_START;
      const id = this.nextId++;
      if (!this.threads.has(id) && !this.processes.has(id)) return id;
    }
    return -1;
  }

  /** Creates the first process, with the console on descriptors 0, 1 and 2. */
  spawn(start: StartInfo): LinuxProcess {
    const mem = new AddressSpace(this.kernel.mm, this.kernel.phys);
    const fds = new FdTable();
    for (const fd of [0, 1, 2] as const) fds.put(fd, openConsole(this, fd), false);
    const pid = this.allocId();
    const p = new LinuxProcess(pid, null, mem, fds, new SignalHandlers(), start.exe);
    limitsOf(p);
    const t = this.newThread(pid, p);
    chargeFirst(this, t);
    this.loadImage(t, mem, start);
    this.addProcess(p, t);
    this.first ??= p;
    return p;
  }

  /** A thread of p with a fresh user context of this machine's arch. */
  newThread(tid: number, p: LinuxProcess): LinuxThread {
    return new LinuxThread(tid, p, this.kernel.machine.newContext());
  }

  /**
   * Maps the image (and its interpreter), the stack and the sigreturn page
   * into mem, and points t at the entry. Throws an ExecError, having mapped
   * nothing the caller must keep, when the program cannot start.
   */
  loadImage(t: LinuxThread, mem: AddressSpace, start: StartInfo): void {
    const machine = this.kernel.machine;
    const interpreter = loadInterpreter(this.fs, start.image);
    const exe = this.fs.resolve('/', start.exe.path, true);
    const ino = typeof exe !== 'number' && exe.node ? this.fs.attrs(exe.node).ino : 0;
    const program = { image: start.image, path: start.exe.path, ino };
    const info = { argv: start.argv, envp: start.envp, execfn: start.execfn ?? start.exe.path, random: start.random, hwcap: machine.hwcap, stackTop: machine.userStackTop, stackSize: stackSizeOf(t.proc), vdso: machine.vdso };
    const loaded = loadProgram(this.kernel.mm, mem.vs, program, interpreter, info);
    const trampoline = machine.signals.trampoline;
    if (trampoline) mapSigreturnPage(this.kernel.mm, mem.vs, trampoline);
    mem.adoptAll(this.refs);
    mem.brkStart = loaded.brkStart;
    mem.brk = loaded.brkStart;
    mem.mmapNext = loaded.mmapTop;
    mem.vdso = loaded.vdsoBase;
    t.ctx.reset(loaded.entry, loaded.sp);
    recordExec(t.proc, start.execfn ?? start.exe.path, start.argv, start.envp, loaded.auxv);
  }

  addProcess(p: LinuxProcess, t: LinuxThread): void {
    this.processes.set(p.pid, p);
    this.addThread(t);
    p.parent?.children.add(p);
  }

  addThread(t: LinuxThread): void {
    t.proc.threads.add(t);
    this.threads.set(t.tid, t);
    this.sched.add(t);
  }

  /** Runs until the first process ends; returns its shell-style status (128 + signal for a death). */
  run(): number {
    while (this.runOnce());
    return this.runStatus();
  }

  /** The first process's shell-style status once every thread is gone; the host network is let go. */
  runStatus(): number {
    this.hostNet?.finish();
    const e = this.first!.exit!;
    return e.kind === 'exited' ? e.status & 0xff : 128 + e.signal;
  }

  /**
   * One turn of the run loop: a thread's slice with the trap that ended it, or
   * a wait for the next timer. False once nothing is left to run.
   */
  runOnce(): boolean {
    const first = this.first!;
    const kernel = this.kernel;
    const limit = this.options.instructionLimit ?? 0;
    // Like qemu-user, whose orphans go on running after the first process ends: run while anyone can.
    if (this.sched.count > 0) {
      const nextAlarm = alarmsDue(this);
      const pick = this.withinMemory(undefined, () =>
        this.sched.pick(
          (t) => t.pending.hasUnblocked(t.sigmask) || t.proc.pending.hasUnblocked(t.sigmask),
          -ERESTARTSYS,
          (t) => t.proc.stopped,
        ),
      );
      if (pick === undefined) return true;
      if (pick.kind !== 'run') {
        const until = Math.min(nextAlarm, pick.kind === 'sleep' ? pick.until : Infinity);
        // A socket of the host may end the wait first: wait for the worker's event (in host time) before time skips ahead.
        if (this.hostNet?.active && this.hostNet.wait(until === Infinity ? Infinity : until - this.now())) return true;
        if (until < Infinity) {
          this.kernel.idleUntil(this.kernel.timer.ticksAt(until));
          return true;
        }
        if (first.exit === undefined) this.exitProcess(first, { kind: 'signaled', signal: 9, message: 'every thread is blocked forever (deadlock)' });
        return false;
      }
      const t = pick.thread;
      if (this.withinMemory(t, () => {
          deliverSignals(this, t);
          return true;
        }) === undefined || t.state !== 'runnable' || t.proc.stopped) return true;
      if (this.debugger !== undefined && !this.debugger.beforeRun(t)) return true;
      this.load(t);
      const end = this.sliceEnd(t, nextAlarm);
      // A resolved page fault is no scheduling point (as on Linux): the thread goes on in its slice.
      while (this.runUntilTrap(t, end, limit) === 'page-fault' && this.canResume(t) && !(limit > 0 && kernel.retired >= limit));
      if (limit > 0 && kernel.retired >= limit) {
        const message = `${SIGNAL_NAMES[24]}: instruction limit of ${limit} reached at pc 0x${kernel.machine.pc.toString(16)}`;
        for (const p of [first, ...this.processes.values()]) this.exitProcess(p, { kind: 'signaled', signal: 24, message });
      }
      return true;
    }
    return false;
  }

  /** Runs t in user mode until its next exception and takes it; returns the trap's kind. */
  private runUntilTrap(t: LinuxThread, end: number, limit: number): Trap['kind'] {
    const kernel = this.kernel;
    const began = this.now();
    const trap = kernel.runUser(t.ctx, end, limit > 0 ? limit - kernel.retired : NO_BUDGET);
    this.debugger?.afterRun(t, trap);
    chargeRun(t, this.now() - began);
    if (trap.kind === 'syscall') chargeSyscall(this, t);
    else if (trap.kind !== 'interrupt' && trap.kind !== 'budget') chargeTrap(t);
    this.options.onUserReturn?.(kernel.retired);
    if (trap.kind === 'interrupt') {
      this.preemptions++;
      this.sliceThread = undefined;
    } else if (trap.kind !== 'budget') this.withinMemory(t, () => this.takeTrap(t, trap), trap.kind === 'syscall');
    return trap.kind;
  }

  /**
   * May t go on running without passing through the scheduler (nothing to
   * deliver, nothing holding it)? Only with many threads: with few, every
   * trap stays a scheduling point, as the interleavings our goldens recorded expect.
   */
  private canResume(t: LinuxThread): boolean {
    return this.debugger === undefined && this.sched.count > RESUME_PAST_THREADS && t.state === 'runnable' && !t.proc.stopped && t.proc.exit === undefined && this.activeVs === t.proc.mem.vs && !t.proc.mem.vs.isDestroyed && !t.pending.hasUnblocked(t.sigmask) && !t.proc.pending.hasUnblocked(t.sigmask);
  }

  /**
   * Where the timer stops t: the end of its slice (a thread picked again
   * right after an exception goes on with the slice it had), or sooner when a
   * sleeper or an alarm is due.
   */
  private sliceEnd(t: LinuxThread, nextAlarm: number): number {
    const timer = this.kernel.timer;
    const now = timer.ticks();
    if (t !== this.sliceThread || now >= this.sliceEndTicks) {
      this.sliceThread = t;
      // Weighted by nice: a thread's share of the CPU follows its fair-class weight.
      this.sliceEndTicks = now + Math.max(1, Math.round(SLICE_TICKS * sliceScale(t)));
    }
    const due = Math.min(nextAlarm, this.sched.nextDeadline());
    return due === Infinity ? this.sliceEndTicks : Math.min(this.sliceEndTicks, timer.ticksAt(due));
  }

  /**
   * Runs kernel work (for t); when RAM (the -m size) runs out under it, the
   * OOM killer ends the process with the highest badness (kernel/linux/oom-recovery.ts)
   * and t retries (restart: its syscall starts again). Undefined when that happened.
   */
  private withinMemory<R>(t: LinuxThread | undefined, work: () => R, restart = false): R | undefined {
    try {
      return work();
    } catch (e) {
      if (!(e instanceof OutOfFrames || e instanceof NoRoomForTable)) throw e;
      outOfMemory(this, t, restart);
      return undefined;
    }
  }

  private load(t: LinuxThread): void {
    const vs = t.proc.mem.vs;
    if (this.activeVs !== vs || vs.isDestroyed) {
      this.kernel.switchTo(vs.activate());
      this.activeVs = vs;
    }
  }

  /** A trap the machine decoded: a syscall, a fault the memory tiers resolve, or a signal. */
  private takeTrap(t: LinuxThread, trap: Trap): void {
    const hex = (n: number): string => `0x${n.toString(16)}`;
    switch (trap.kind) {
      case 'syscall':
        runSyscall(this, t);
        afterSyscall(this, t);
        return;
      case 'vsyscall':
        runVsyscall(this, t, trap, (info, detail) => this.fault(t, info, detail));
        return;
      case 'page-fault': {
        if (stackGrowthRefused(t.proc, trap.address)) {
          this.fault(t, { signo: 11, code: SEGV_MAPERR, addr: trap.address }, `stack overflow past RLIMIT_STACK (pc ${hex(t.ctx.pc)})`);
          return;
        }
        const outcome = this.kernel.mm.handleFault(t.proc.mem.vs, trap.raw);
        if (!outcome.resolved) {
          const code = outcome.report.kind === 'permission' ? SEGV_ACCERR : SEGV_MAPERR;
          const signo = outcome.report.kind === 'bus' ? 7 : 11;
          this.fault(t, { signo, code: signo === 7 ? BUS_ADRERR : code, addr: trap.address }, `${outcome.report.reason} (pc ${hex(t.ctx.pc)})`);
        }
        return;
      }
      case 'undefined':
        this.fault(t, { signo: 4, code: trap.code, addr: trap.pc }, trap.detail);
        return;
      case 'breakpoint':
        this.fault(t, { signo: 5, code: trap.code, addr: trap.pc }, trap.detail);
        return;
      case 'alignment':
        this.fault(t, { signo: 7, code: BUS_ADRALN, addr: trap.address }, trap.detail);
        return;
      case 'arithmetic':
        this.fault(t, { signo: 8, code: trap.code, addr: trap.pc }, trap.detail);
        return;
      case 'protection':
        this.fault(t, { signo: 11, code: SI_KERNEL, addr: 0 }, trap.detail);
        return;
      case 'resumed':
      case 'interrupt':
      case 'budget':
      case 'debug':
        return;
    }
  }

  /** A synchronous signal from a fault: forced through even when blocked or ignored (then it kills). */
  private fault(t: LinuxThread, info: { signo: number; code: number; addr: number }, detail: string): void {
    this.faultDetail.set(t, detail);
    const a = t.proc.handlers.actions[info.signo];
    if (t.sigmask.has(info.signo) || a.handler === SIG_IGN) {
      t.proc.handlers.set(info.signo, { ...a, handler: 0 });
      t.sigmask.delete(info.signo);
    }
    sendToThread(this, t, info);
  }

  /** The whole process ends (exit_group, a fatal signal, execve's end of the other threads excluded). */
  exitProcess(p: LinuxProcess, state: ExitState): void {
    if (p.exit !== undefined) return;
    p.exit = state;
    for (const t of [...p.threads]) this.endThread(t, false);
    for (const hook of processExitHooks) hook(this, p);
    if (--p.fds.users === 0) {
      p.fds.closeAll();
      releaseCounts(this, null, p.fds);
    }
    recordExitRss(p);
    this.releaseMemory(p, this.options.endsWithLastProcess !== true || this.othersAlive(p));
    for (const c of p.children) {
      c.parent = null;
      if (c.isZombie) {
        this.processes.delete(c.pid);
        releaseProcess(this, c);
      }
      else if (deathSignalOf(c) !== 0) sendToProcess(this, c, { signo: deathSignalOf(c), code: 0, pid: p.pid, uid: 0 });
    }
    p.children.clear();
    this.releaseVforkParent(p);
    const parent = p.parent;
    if (parent === null || parent.exit !== undefined || (p.exitSignal === 17 && parent.handlers.actions[17].handler === SIG_IGN)) {
      this.reap(p);
      return;
    }
    if (p.exitSignal > 0) {
      const code = state.kind === 'exited' ? CLD_EXITED : state.core ? CLD_DUMPED : CLD_KILLED;
      sendToProcess(this, parent, { signo: p.exitSignal, code, pid: p.pid, uid: 0, status: state.kind === 'exited' ? state.status : state.signal });
    }
  }

  /** Drops p's use of its address space; the last user writes its shared file mappings back and, with `teardown`, destroys it. */
  releaseMemory(p: LinuxProcess, teardown = true): void {
    const mem = p.mem;
    if (--mem.users === 0) {
      if (this.activeVs === mem.vs) this.activeVs = undefined;
      this.futexes.forget(mem.vs.id);
      try {
        this.sharedFiles.writeBack(mem.vs, 0, 2 ** 48);
      } catch (e) {
        // Guest RAM is exhausted (an OOM kill may be what ends p): what the file cannot take is lost, as a failed writeback.
        if (!isOutOfMemory(e)) throw e;
      }
      if (!teardown) return;
      releaseCounts(this, mem, null);
      mem.destroy(this.refs);
      this.sharedFiles.forgetDestroyed();
    }
  }

  /** Whether a process other than p has not exited. */
  private othersAlive(p: LinuxProcess): boolean {
    for (const q of this.processes.values()) if (q !== p && q.exit === undefined) return true;
    return false;
  }

  releaseVforkParent(p: LinuxProcess): void {
    const v = p.vforkParent;
    p.vforkParent = undefined;
    if (v && v.state === 'blocked') v.wake(p.pid);
  }

  /** Removes a thread; the last one to go ends its process. */
  endThread(t: LinuxThread, lastEndsProcess: boolean): void {
    if (t.state === 'dead') return;
    if (t.clearChildTid !== 0 && t.proc.mem.users > 0) {
      try {
        t.proc.mem.user.write(t.clearChildTid, new Uint8Array(4));
        this.futexes.wake(t.proc.mem.vs.id, t.clearChildTid, 1, 0xffffffff);
      } catch {
        // a bad address is ignored, as Linux does
      }
    }
    t.state = 'dead';
    releaseThread(this, t);
    t.wait?.cancel?.();
    t.wait = undefined;
    this.sched.remove(t);
    this.threads.delete(t.tid);
    t.proc.threads.delete(t);
    this.faultDetail.delete(t);
    if (lastEndsProcess && t.proc.threads.size === 0) this.exitProcess(t.proc, { kind: 'exited', status: 0 });
  }

  /** A waited-for (or unwanted) zombie leaves the table. */
  reap(p: LinuxProcess): void {
    this.processes.delete(p.pid);
    releaseProcess(this, p);
    p.parent?.children.delete(p);
  }

  /** Kill the process by signal sig (default action term or core). */
  killBySignal(p: LinuxProcess, sig: number, t?: LinuxThread): void {
    const detail = t ? this.faultDetail.get(t) : undefined;
    const name = SIGNAL_NAMES[sig] ?? `signal ${sig}`;
    this.exitProcess(p, { kind: 'signaled', signal: sig, message: detail ? `${name}: ${detail}` : name, core: dumpsCore(p, sig) });
  }
}
