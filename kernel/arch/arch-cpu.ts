// The arch CPU interface, beside the arch MMU one (arch.ts): what the hosted
// kernel and its Linux personality need of a CPU and its board, in
// arch-neutral terms. A backend (kernel/arch/<arch>/hosted-machine.ts) enters
// user mode with a thread's saved context, runs until the CPU traps, saves the
// context back and decodes the trap itself; it also knows its user context's
// syscall registers, its signal frame and its thread pointer.

import type { PhysicalMemory } from '../../board/memory/physical-memory';
import type { ArchFactory, ArchName, RawFault, TableRoot, TlbHooks } from './arch';
import type { DebugRegisters, MachineDebug } from './machine-debug';

/** A thread's user-mode registers, saved while it is off the CPU. */
export interface UserContext {
  readonly arch: ArchName;
  pc: number;
  /** The stack pointer, unsigned. */
  sp: number;
  /** TPIDR_EL0 on aarch64, the FS base on x86_64. */
  threadPointer: number;
  /** The syscall number register (x8; rax). */
  syscallNumber(): number;
  /** Argument i of six (x0-x5; rdi, rsi, rdx, r10, r8, r9), as a signed 64-bit value. */
  syscallArg(i: number): number;
  /** The result register (x0; rax), signed. */
  result(): number;
  setResult(value: number): void;
  /** What restartSyscall needs from the registers at syscall entry (x0; the syscall number in rax). */
  restartToken(): number;
  /** Points the thread back at its syscall instruction with the entry registers it had. */
  restartSyscall(token: number): void;
  /** Loads the registers a syscall instruction traps with: the number and six arguments (the syscall fuzzer injects calls so). */
  loadSyscall(nr: number, args: readonly number[]): void;
  /** Register n of the arch's integer file (tests and diagnostics). */
  reg(n: number): number;
  setReg(n: number, value: number): void;
  /** A new program's entry state: every register zero (FP control at its reset value), pc and sp set. */
  reset(entry: number, sp: number): void;
  copyFrom(other: UserContext): void;
}

/** How a return to user mode ended, in arch-neutral terms. */
export type Trap =
  /**
   * A system call instruction. native: it was the native ABI's trap (aarch64:
   * `svc #0x5a17`, docs/native-abi.md); the Linux personality treats it as any
   * other system call, as Linux ignores the SVC immediate.
   */
  | { readonly kind: 'syscall'; readonly native?: boolean }
  /**
   * A call through a legacy fixed entry (x86_64's vsyscall page): the call's
   * number, its arguments in the syscall registers; the kernel checks the
   * user pointers it writes (address, size; 0 is none), runs it and returns to
   * returnTo with sp popped by popBytes, or faults at pc when a pointer is bad.
   */
  | { readonly kind: 'vsyscall'; readonly nr: number; readonly returnTo: number; readonly popBytes: number; readonly pointers: ReadonlyArray<readonly [number, number]> }
  /** A timer (or other) interrupt, already acknowledged: the slice is over. */
  | { readonly kind: 'interrupt' }
  /** The instruction budget ran out. */
  | { readonly kind: 'budget' }
  /** The backend emulated the trapping instruction as Linux does (aarch64 ID-register MRS); the thread goes on. */
  | { readonly kind: 'resumed' }
  | { readonly kind: 'page-fault'; readonly raw: RawFault; readonly address: number }
  /** SIGILL; code is the si_code this arch's Linux gives. */
  | { readonly kind: 'undefined'; readonly pc: number; readonly code: number; readonly detail: string }
  | { readonly kind: 'breakpoint'; readonly pc: number; readonly code: number; readonly detail: string }
  | { readonly kind: 'alignment'; readonly address: number; readonly detail: string }
  /** SIGFPE: integer divide error or an unmasked FP exception; code is the si_code. */
  | { readonly kind: 'arithmetic'; readonly pc: number; readonly code: number; readonly detail: string }
  /** SIGSEGV without a page: x86 #GP (privileged instruction, non-canonical address). */
  | { readonly kind: 'protection'; readonly pc: number; readonly detail: string }
  /** The host's debugger stopped the CPU (machine-debug.ts: a breakpoint, a step, a watchpoint). */
  | { readonly kind: 'debug' };

/** What a signal handler is entered with. */
export interface SignalFrameRequest {
  readonly signo: number;
  /** The 128-byte siginfo_t. */
  readonly siginfo: Uint8Array;
  /** The mask to restore at sigreturn. */
  readonly mask: { readonly lo: number; readonly hi: number };
  readonly altStack: { readonly sp: number; readonly size: number; readonly flags: number };
  /** The stack to build the frame below: sp, or the alternate stack's top. */
  readonly stackTop: number;
  /** stackTop is the alternate stack's (x86_64 then leaves no red zone). */
  readonly onAltStack: boolean;
  readonly handler: number;
  /** SA_RESTORER's address, or 0. */
  readonly restorer: number;
  readonly faultAddress: number;
}

export interface ArchSignals {
  /**
   * Writes the frame through write (which throws on a bad address) and points
   * ctx at the handler. Returns the frame's address, or null when this arch's
   * Linux refuses to deliver (x86_64 without SA_RESTORER: SIGSEGV).
   */
  enterHandler(ctx: UserContext, req: SignalFrameRequest, write: (addr: number, bytes: Uint8Array) => void): number | null;
  /** rt_sigreturn: restores ctx from the frame its sp points at; the saved mask, or null for a bad frame. */
  sigreturn(ctx: UserContext, read: (addr: number, len: number) => Uint8Array): { lo: number; hi: number } | null;
  /** The page the kernel maps for handlers without SA_RESTORER, and its code (null: this arch's Linux maps none). */
  readonly trampoline: { readonly address: number; readonly code: Uint8Array } | null;
}

/** The clock the kernel keeps time with (the generic timer's counter; the local APIC's). */
export interface KernelClock {
  readonly ticksPerMs: number;
  ticks(): number;
  nowMs(): number;
  /** The first count at which nowMs() >= ms holds. */
  ticksAt(ms: number): number;
}

export interface HostedMachineOptions {
  /** The counter follows the host's clock and idle waits really wait; default: retired instructions. */
  readonly wallClock?: boolean;
}

/** One arch's CPU and board as the hosted kernel drives them. */
export interface HostedMachine {
  readonly arch: ArchName;
  readonly phys: PhysicalMemory;
  readonly ramBase: number;
  readonly mmu: ArchFactory;
  readonly tlb: TlbHooks;
  readonly clock: KernelClock;
  readonly signals: ArchSignals;
  /** Interrupts taken, by vector/INTID; timerVector names the preemption timer's. */
  readonly interrupts: Map<number, number>;
  readonly timerVector: number;
  /** Instructions retired so far. */
  readonly retired: number;
  /** The pc where the CPU stopped last (diagnostics). */
  readonly pc: number;
  newContext(): UserContext;
  /** Makes userRoot (tagged with its ASID/PCID) the user half's translation; kernelRoot holds the kernel half. */
  switchTo(userRoot: TableRoot, kernelRoot: TableRoot): void;
  /** Loads ctx, runs user mode until a trap, the timer at `until` (ticks) or `budget` instructions, saves ctx back. */
  runUser(ctx: UserContext, until: number, budget: number): Trap;
  /** Nothing can run before `until` (ticks): waits for the timer (skipping ahead, or sleeping the host). */
  idleUntil(until: number): void;
  /** Kernel work that takes the guest's time: an instruction-counted clock moves on by `ticks`; host time passes by itself. Returns the ticks added. */
  spendTicks(ticks: number): number;
  /** One past the top of a new process's stack (just under the user half's end, as Linux puts it). */
  readonly userStackTop: number;
  /** Linux's AT_HWCAP for this CPU. */
  /** The vDSO image mapped into every process (AT_SYSINFO_EHDR); none on this arch when absent. */
  readonly vdso?: Uint8Array;
  readonly hwcap: number;
  /** The CPU's block compiler: 'off', 'on' (hot blocks) or 'always' (every block); absent where there is none. */
  setJitMode?(mode: 'off' | 'on' | 'always'): void;
  /** Lines for --stats about the CPU (the block compiler's figures). */
  cpuReport?(): string[];
  /** The host debugger's control of the CPU (a gdb stub), where the arch has one. */
  debug?(): MachineDebug;
  /** A thread's registers as gdb numbers them, where the arch has a gdb stub. */
  readonly debugRegisters?: DebugRegisters;
  /** arch_prctl(code, addr) where the arch has it; the value to return, or a negative errno. */
  archPrctl?(ctx: UserContext, code: number, addr: number, write: (addr: number, bytes: Uint8Array) => void): number;
}
