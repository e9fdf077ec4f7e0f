// What the gdb stub (gdb-server.ts) debugs, whatever it is: the Linux
// personality's threads under `salty run -g`, or the virt board's CPUs under
// `salty boot -s`. Thread ids are gdb's (a Linux tid; a CPU's index + 1).

export type WatchKind = 'write' | 'read' | 'access';

export type StopEvent =
  /** The target stopped: signal is gdb's number (5 SIGTRAP, 2 SIGINT, 11 SIGSEGV...). */
  | { readonly kind: 'stop'; readonly signal: number; readonly thread: number; readonly watch?: { readonly kind: WatchKind; readonly addr: number } }
  | { readonly kind: 'exited'; readonly status: number }
  | { readonly kind: 'terminated'; readonly signal: number };

export interface ResumeRequest {
  /** The thread to step one instruction, if any (the others run). */
  readonly step: number | undefined;
  /** Signals to deliver on resuming, by thread (0 or absent: none; a held signal not passed on is dropped). */
  readonly signals: ReadonlyMap<number, number>;
}

export interface DebugTarget {
  /** The process id gdb's multiprocess thread ids carry. */
  readonly pid: number;
  /** The target description's documents by annex. */
  readonly description: ReadonlyMap<string, string>;
  /** Registers a 'g' packet carries, in number order. */
  readonly gCount: number;
  threads(): readonly { readonly id: number; readonly name?: string }[];
  readRegister(thread: number, n: number): Uint8Array | undefined;
  writeRegister(thread: number, n: number, bytes: Uint8Array): boolean;
  /** The readable head of [addr, addr + len) through the current translation: empty when the first byte is not. */
  readMemory(addr: number, len: number): Uint8Array;
  writeMemory(addr: number, bytes: Uint8Array): boolean;
  insertBreakpoint(addr: number): boolean;
  removeBreakpoint(addr: number): boolean;
  insertWatchpoint(addr: number, len: number, kind: WatchKind): boolean;
  removeWatchpoint(addr: number, len: number, kind: WatchKind): boolean;
  resume(request: ResumeRequest): void;
  /** Runs for about ms of host time: the stop, or undefined while it goes on running. */
  run(ms: number): StopEvent | undefined;
  /** gdb's Ctrl-C: the next run() stops with SIGINT. */
  interrupt(): void;
  /** gdb leaves: every breakpoint and watchpoint goes and the target runs on freely. */
  detach(): void;
  kill(): void;
  /** The executable's path (qXfer:exec-file), when known. */
  execFile?(): string | undefined;
  /** The auxiliary vector the program started with (qXfer:auxv), when known: gdb finds a PIE's load address and the dynamic loader in it. */
  auxv?(): Uint8Array | undefined;
}
