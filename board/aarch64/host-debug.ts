// Debugging by the host (a gdb stub), apart from the guest's own debug
// registers (self-hosted-debug.ts): breakpoints by virtual address, data
// watchpoints and single steps, all invisible to the guest. A run without it
// pays nothing: breakpoints are decoded into the block cache as a trap op
// (cpu.ts asks breakpointOp while decoding), watched pages never enter the
// data TLB (so only their accesses reach the slow path that checks), and a
// step arms the CPU's per-instruction debug check.

import type { Op } from './decoder';

export type WatchKind = 'write' | 'read' | 'access';

export interface Watchpoint {
  readonly addr: number;
  readonly len: number;
  readonly kind: WatchKind;
}

/** Why the CPU stopped for the host: run() returns StopReason.Debug and the host reads this. */
export type HostStop =
  | { readonly kind: 'breakpoint'; readonly pc: number }
  | { readonly kind: 'step'; readonly pc: number }
  | { readonly kind: 'watch'; readonly pc: number; readonly watch: Watchpoint; readonly addr: number };

/** Thrown by a trap op or a watched access; the CPU turns it into a stop before the instruction. */
export class HostDebugTrap {
  constructor(readonly watch?: { readonly watch: Watchpoint; readonly addr: number }) {}
}

/** What the CPU needs to stop at the host's breakpoints. */
export interface HostDebugCpu {
  /** The CPU re-derives debugArmed from the guest's MDSCR_EL1 and the host's step. */
  rearmDebug(): void;
  /** Drops every decoded block (breakpoints are decoded into them) and the block links. */
  dropDecodedCode(): void;
  /** Drops cached data translations (pages that gained a watchpoint must take the slow path). */
  dropDataTranslations(): void;
}

const PAGE = 4096;

export class HostDebug {
  private readonly breakpoints = new Set<number>();
  private readonly watchpoints: Watchpoint[] = [];
  /** Page base addresses holding a watched byte: their data accesses are never cached in the TLB. */
  readonly watchedPages = new Set<number>();
  /** 0: not stepping; 1: one instruction may run; 2: it ran, stop before the next. */
  private step = 0;
  /** The stop the CPU last took for the host. */
  stop: HostStop | undefined;
  /**
   * Asked at a breakpoint before stopping: false lets the instruction run (the
   * hosted kernel stops only for the debugged process's threads).
   */
  filter: ((pc: number) => boolean) | undefined;

  constructor(private readonly cpu: HostDebugCpu) {}

  get stepping(): boolean {
    return this.step !== 0;
  }

  /** The step of the thread about to run (a hosted kernel keeps one per thread). */
  get stepState(): number {
    return this.step;
  }

  set stepState(state: number) {
    this.step = state;
    this.cpu.rearmDebug();
  }

  hasBreakpoint(va: number): boolean {
    return this.breakpoints.has(va);
  }

  get breakpointCount(): number {
    return this.breakpoints.size;
  }

  insertBreakpoint(va: number): void {
    if (this.breakpoints.has(va)) return;
    this.breakpoints.add(va);
    this.cpu.dropDecodedCode();
  }

  removeBreakpoint(va: number): void {
    if (this.breakpoints.delete(va)) this.cpu.dropDecodedCode();
  }

  insertWatchpoint(w: Watchpoint): void {
    this.watchpoints.push(w);
    this.recomputePages();
  }

  removeWatchpoint(addr: number, len: number, kind: WatchKind): boolean {
    const i = this.watchpoints.findIndex((w) => w.addr === addr && w.len === len && w.kind === kind);
    if (i < 0) return false;
    this.watchpoints.splice(i, 1);
    this.recomputePages();
    return true;
  }

  clearAll(): void {
    const hadCode = this.breakpoints.size > 0;
    this.breakpoints.clear();
    this.watchpoints.length = 0;
    this.recomputePages();
    this.step = 0;
    this.cpu.rearmDebug();
    if (hadCode) this.cpu.dropDecodedCode();
  }

  /** Before resuming: step one instruction, or run (a breakpoint at the resume address stops at once, as on hardware: gdb steps over it first). */
  resume(step: boolean): void {
    this.stop = undefined;
    this.step = step ? 1 : 0;
    this.cpu.rearmDebug();
  }

  /** Stops now, before the instruction at pc (an interrupt from the host). */
  stopStepping(): void {
    this.step = 0;
    this.cpu.rearmDebug();
  }

  /** The op the decoder puts in place of the instruction at `va` (the block starts there): a stop, unless filtered. */
  breakpointOp(va: number, original: Op): Op {
    return () => {
      if (this.breakpoints.has(va) && (this.filter === undefined || this.filter(va))) throw new HostDebugTrap();
      original();
    };
  }

  /**
   * The per-instruction check while stepping (the CPU calls it before each
   * instruction while debugArmed): true stops before pc.
   */
  beforeInstruction(pc: number): boolean {
    if (this.step === 0) return false;
    if (this.step === 1) {
      this.step = 2;
      return false;
    }
    this.step = 0;
    this.cpu.rearmDebug();
    this.stop = { kind: 'step', pc };
    return true;
  }

  /**
   * The CPU caught a HostDebugTrap at pc, before the instruction there ran.
   * A watchpoint stops before its access too, as an aarch64 watchpoint
   * exception does: gdb knows (its aarch64 watchpoints are "non-steppable")
   * and steps the instruction itself with the watchpoints out, then reports.
   */
  trapped(trap: HostDebugTrap, pc: number): boolean {
    this.step = 0;
    this.cpu.rearmDebug();
    this.stop = trap.watch === undefined ? { kind: 'breakpoint', pc } : { kind: 'watch', pc, watch: trap.watch.watch, addr: trap.watch.addr };
    return true;
  }

  /** Called by the VM's slow path for every data access to a watched page. */
  checkAccess(addr: number, size: number, write: boolean): void {
    for (const w of this.watchpoints) {
      if (addr >= w.addr + w.len || addr + size <= w.addr) continue;
      if (w.kind === 'write' && !write) continue;
      if (w.kind === 'read' && write) continue;
      throw new HostDebugTrap({ watch: w, addr: Math.max(addr, w.addr) });
    }
  }

  private recomputePages(): void {
    this.watchedPages.clear();
    for (const w of this.watchpoints) {
      for (let p = w.addr - (w.addr & (PAGE - 1)); p < w.addr + w.len; p += PAGE) this.watchedPages.add(p);
    }
    this.cpu.dropDataTranslations();
  }
}
