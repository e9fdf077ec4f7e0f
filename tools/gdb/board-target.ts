// The virt board as gdb's target (`salty boot -s`, `-gdb tcp::PORT`): one
// gdb thread per CPU (id = index + 1, as qemu-system numbers them), the whole
// CPU's registers including the EL1 system registers, memory through the
// current translation, and breakpoints, watchpoints and steps on every CPU.

import { debugRead, debugWrite } from '../../board/aarch64/debug-access';
import type { Cpu } from '../../board/aarch64/cpu';
import { a64TargetDescription, GDB_G_COUNT, readCpuRegister, writeCpuRegister } from '../../board/aarch64/gdb-registers';
import type { HostDebug } from '../../board/aarch64/host-debug';
import type { BoardState, VirtBoard } from '../../board/virt/virt-board';
import type { DebugTarget, ResumeRequest, StopEvent, WatchKind } from './debug-target';

const SIGTRAP = 5;
const SIGINT = 2;
const SIGKILL = 9;
/** Instructions per board.run() call between looks at the clock. */
const BUDGET = 200_000;

export class BoardDebugTarget implements DebugTarget {
  readonly pid = 1;
  readonly description = a64TargetDescription(true);
  readonly gCount = GDB_G_COUNT;
  private readonly debugs: HostDebug[];
  private interruptRequested = false;
  /** The guest's end, once it came (power off, semihosting exit). */
  ended: StopEvent | undefined;
  /** The board wants host time to pass (WFI with a wall-clock timer): the session sleeps a little. */
  idle = false;

  constructor(
    private readonly board: VirtBoard,
    /** Called after each stretch of running (the UART's output goes out). */
    private readonly afterRun: () => void,
  ) {
    this.debugs = board.cpus.map((cpu) => cpu.enableHostDebug());
  }

  threads(): readonly { id: number }[] {
    return this.board.cpus.map((_, i) => ({ id: i + 1 }));
  }

  private cpu(thread: number): Cpu {
    return this.board.cpus[thread - 1] ?? this.board.cpus[0];
  }

  readRegister(thread: number, n: number): Uint8Array | undefined {
    return readCpuRegister(this.cpu(thread), n);
  }

  writeRegister(thread: number, n: number, bytes: Uint8Array): boolean {
    return writeCpuRegister(this.cpu(thread), n, bytes);
  }

  readMemory(addr: number, len: number): Uint8Array {
    return debugRead(this.board.cpus[0], addr, len);
  }

  writeMemory(addr: number, bytes: Uint8Array): boolean {
    return debugWrite(this.board.cpus[0], addr, bytes);
  }

  insertBreakpoint(addr: number): boolean {
    for (const d of this.debugs) d.insertBreakpoint(addr);
    return true;
  }

  removeBreakpoint(addr: number): boolean {
    for (const d of this.debugs) d.removeBreakpoint(addr);
    return true;
  }

  insertWatchpoint(addr: number, len: number, kind: WatchKind): boolean {
    for (const d of this.debugs) d.insertWatchpoint({ addr, len, kind });
    return true;
  }

  removeWatchpoint(addr: number, len: number, kind: WatchKind): boolean {
    let found = false;
    for (const d of this.debugs) found = d.removeWatchpoint(addr, len, kind) || found;
    return found;
  }

  resume(r: ResumeRequest): void {
    this.interruptRequested = false;
    this.debugs.forEach((d, i) => d.resume(r.step === i + 1));
  }

  run(ms: number): StopEvent | undefined {
    if (this.ended !== undefined) return this.ended;
    const end = Date.now() + ms;
    this.idle = false;
    do {
      if (this.interruptRequested) return this.interrupted();
      const state = this.board.run(BUDGET);
      this.afterRun();
      const ev = this.eventOf(state);
      if (ev !== undefined) return ev;
      if (this.idle) return undefined;
    } while (Date.now() < end);
    return this.interruptRequested ? this.interrupted() : undefined;
  }

  private interrupted(): StopEvent {
    this.interruptRequested = false;
    for (const d of this.debugs) d.stopStepping();
    return { kind: 'stop', signal: SIGINT, thread: 1 };
  }

  private eventOf(state: BoardState): StopEvent | undefined {
    switch (state.kind) {
      case 'debug': {
        const i = this.debugs.findIndex((d) => d.stop !== undefined);
        const d = this.debugs[Math.max(0, i)];
        const stop = d.stop;
        for (const o of this.debugs) o.stopStepping();
        const watch = stop?.kind === 'watch' ? { kind: stop.watch.kind, addr: stop.addr } : undefined;
        return { kind: 'stop', signal: SIGTRAP, thread: Math.max(0, i) + 1, watch };
      }
      case 'off':
      case 'cpu-off':
      case 'reset':
        return (this.ended = { kind: 'exited', status: 0 });
      case 'exit':
        return (this.ended = { kind: 'exited', status: state.status });
      case 'idle':
        if (this.board.waitForInterrupt()) this.board.resume();
        else this.idle = true;
        return undefined;
      default:
        return undefined;
    }
  }

  interrupt(): void {
    this.interruptRequested = true;
  }

  detach(): void {
    for (const d of this.debugs) d.clearAll();
  }

  kill(): void {
    this.detach();
    this.ended = { kind: 'terminated', signal: SIGKILL };
  }
}
