// What a debugger of the host (the gdb stub) needs of a hosted machine, in
// arch-neutral terms: breakpoints, watchpoints and steps by virtual address
// (the CPU stops with a 'debug' trap), and a thread's registers in the
// numbering and target description gdb's remote protocol uses for this arch.

import type { UserContext } from './arch-cpu';

export type WatchKind = 'write' | 'read' | 'access';

/** Why the CPU stopped for the debugger. */
export type DebugStop =
  | { readonly kind: 'breakpoint'; readonly pc: number }
  | { readonly kind: 'step'; readonly pc: number }
  | { readonly kind: 'watch'; readonly pc: number; readonly watch: { readonly kind: WatchKind }; readonly addr: number };

export interface MachineDebug {
  insertBreakpoint(va: number): void;
  removeBreakpoint(va: number): void;
  insertWatchpoint(w: { readonly addr: number; readonly len: number; readonly kind: WatchKind }): void;
  removeWatchpoint(addr: number, len: number, kind: WatchKind): boolean;
  clearAll(): void;
  /** Prepares the CPU to run: one instruction when step (then a 'debug' trap), else until a breakpoint or watchpoint. */
  resume(step: boolean): void;
  /** The step state of the thread about to run or just stopped (0 none, 1 to run, 2 ran): saved per thread. */
  stepState: number;
  /** Asked before stopping at a breakpoint: false lets the instruction run (another process's thread). */
  filter: ((pc: number) => boolean) | undefined;
  /** Why the last 'debug' trap stopped. */
  readonly stop: DebugStop | undefined;
}

/** A thread's registers as gdb numbers them. */
export interface DebugRegisters {
  /** The target description's documents by annex (target.xml and what it includes). */
  readonly description: ReadonlyMap<string, string>;
  /** Registers a 'g' packet carries. */
  readonly gCount: number;
  /** The program counter's number, for stop replies. */
  readonly pcNumber: number;
  read(ctx: UserContext, n: number): Uint8Array | undefined;
  write(ctx: UserContext, n: number, bytes: Uint8Array): boolean;
}
