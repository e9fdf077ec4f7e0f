// The A64 processor: architectural state, the run loop over decoded basic
// blocks, and exception entry/return. Instructions live in the encoding-group
// files under ./isa; memory goes through ./virtual-memory.

import { PhysicalMemory } from '../memory/physical-memory';
import { compileBlock } from './block-function';
import { Block, CodeCache, CodePage } from './code-cache';
import { CpuState, SP, STATE_BYTES } from './cpu-state';
import { BlockCompiler, JitState, type JitMode } from './jit/block-compiler';
import { interpreterOps } from './jit/interpreter-ops';
import { CALLED_OUT_MISS, SLOT_CALLED_OUT, SLOT_CHAIN_PC, SLOT_CHAIN_RETIRED, SLOT_EXCLUSIVE, SLOT_FAULT_INDEX, SLOT_RETIRED, SLOT_TPIDR } from './jit/cpu-slot';
import { DecodeContext, DecodeTable, Op } from './decoder';
import { Ec, esr, GuestFault, undefinedInstruction } from './exception-syndrome';
import type { GicSystemRegisters } from './gic-system-registers';
import { fpAccessTrap, fpTrappedAt, FPEN_ENABLED, isFpInstruction } from './fp-access';
import { a64Table } from './isa/a64-table';
import { Pmu } from './pmu';
import { debugBeforeBlock, mdscrArmsDebug } from './self-hosted-debug';
import { HostDebug, HostDebugTrap } from './host-debug';
import { SysRegStore } from './system-registers';
import { TLB_MASK, VirtualMemory } from './virtual-memory';

export const enum StopReason {
  None = 0,
  /** The instruction budget given to run() is spent. */
  Budget = 1,
  /** Hosted mode: an exception to EL1 is waiting for the TypeScript kernel (see cpu.esr/far/elr). */
  Exception = 2,
  /** WFI/WFE with nothing pending: the board may skip time ahead. */
  WaitForInterrupt = 3,
  /** A device or the host asked to stop (power off, semihosting exit). */
  Halt = 4,
  /** The host's debugger (gdb) stopped the CPU: cpu.hostDebug.stop says why; pc is the next instruction. */
  Debug = 5,
}

/** The kind of an exception taken to EL1: its vector's offset within a group of four, divided by 0x80. */
export const enum ExceptionKind {
  Sync = 0,
  Irq = 1,
  Fiq = 2,
  SError = 3,
}

/** The generic timer's counter as the CPU sees it; the board supplies the real one. */
export interface CpuTimer {
  readonly frequency: number;
  /** Leaves the 64-bit count in cpu.sysLo / cpu.sysHi. */
  readCounter(cpu: Cpu): void;
  /**
   * The EL1 physical (0) and virtual (1) timers' CTL/CVAL/TVAL registers. A
   * board with a generic timer supplies these; without them the registers only store values.
   */
  readTimerRegister?(cpu: Cpu, timer: 0 | 1, reg: TimerRegister): void;
  writeTimerRegister?(cpu: Cpu, timer: 0 | 1, reg: TimerRegister, lo: number, hi: number): void;
}

export type TimerRegister = 'ctl' | 'cval' | 'tval';

/** Default counter: one tick per retired instruction, so runs are deterministic. */
const instructionCounter: CpuTimer = {
  frequency: 62_500_000,
  readCounter(cpu) {
    cpu.sysLo = cpu.retired | 0;
    cpu.sysHi = Math.floor(cpu.retired / 4294967296) | 0;
  },
};

/** How many exceptions a run of `budget` instructions may take: a fault loop ends in about the time of the budget. */
export function exceptionBudget(budget: number): number {
  return Math.floor(budget / 16) + 1;
}

const DAIF_I = 1 << 7;
const DAIF_F = 1 << 6;
const MAX_BLOCK = 256;

export interface CpuOptions {
  /** The TypeScript kernel is EL1: exceptions from EL0 stop run() instead of vectoring. */
  hosted?: boolean;
  timer?: CpuTimer;
  /** Where the register file lives (default: the CPU slot in the board's memory, or a buffer of its own). */
  state?: CpuState;
  /** The block compiler (default: SALTY_JIT from the environment, else DEFAULT_JIT_MODE). */
  jit?: JitMode;
}

/** The block compiler's mode when neither the board nor SALTY_JIT says. */
export const DEFAULT_JIT_MODE: JitMode = 'on';

function defaultJitMode(): JitMode {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.SALTY_JIT;
  return env === 'off' || env === 'on' || env === 'always' ? env : DEFAULT_JIT_MODE;
}

export class Cpu {
  readonly state: CpuState;
  readonly x: Int32Array;
  readonly f: Int32Array;
  readonly code: CodeCache;
  readonly vm: VirtualMemory;
  readonly sysregs = new SysRegStore();
  readonly pmu = new Pmu();
  /** MDSCR_EL1.MDE or SS is set, or the host steps: blocks are checked for breakpoints and steps (self-hosted-debug.ts). */
  debugArmed = false;
  /** The host's debugger (host-debug.ts); undefined, and free, until a gdb stub asks for it. */
  hostDebug: HostDebug | undefined;
  /** PSTATE.SS: 1 while a stepped instruction may run, 0 once it has (or after an exception). */
  pstateSs = 0;
  /** The instruction about to run (or just run) is a stepped one: its step exception follows it. */
  stepDone = false;
  readonly hosted: boolean;
  timer: CpuTimer;

  /** PC of the next block, as a signed-canonical number. */
  pc = 0;
  /** Virtual address of the page of the block that is executing (PC-relative ops add their page offset). */
  pageVa = 0;
  retired = 0;
  /** Exceptions taken (synchronous and interrupts), so budgets also bound runs that retire nothing. */
  exceptionsTaken = 0;
  /**
   * Runs through the op loop before a block gets its own function. V8 then
   * optimises each such function separately, which only pays off for blocks
   * that run very often: at 64 a busybox shell loop took twice the CPU time of
   * no compilation at all; at 65536 it takes the same, and the benchmarks'
   * hot loops still compile early enough (see docs/performance.md).
   */
  hotBlockRuns = 65536;
  /**
   * Runs through the op loop before a block is queued for the WebAssembly compiler. 64 since V8's workers
   * run below the main thread (tools/cli/background-priority.ts): compiling sooner then no longer takes
   * the guest's core (docs/performance.md, session 12; 256 before).
   */
  jitThreshold = 64;
  el = 1;
  spsel = 1;
  /** PSTATE.{D,A,I,F} in their SPSR bit positions (9..6). */
  daif = 0x3c0;
  /** FPCR and FPSR live in the register file (compiled FP code reads and updates them there). */
  get fpcr(): number {
    return this.fpcrValue;
  }

  /** Kept in a field too: the interpreter's FP reads it on every operation. */
  set fpcr(value: number) {
    this.fpcrValue = value >>> 0;
    this.state.fpc[0] = value;
  }

  private fpcrValue = 0;

  get fpsr(): number {
    return this.state.fpc[1];
  }

  set fpsr(value: number) {
    this.state.fpc[1] = value;
  }

  /** CPACR_EL1 (only FPEN is kept); write it through setCpacr. */
  cpacr = FPEN_ENABLED;
  /** CPACR_EL1.FPEN traps FP/AdvSIMD at the current EL: blocks stop at their first FP instruction. */
  fpTrapped = false;
  elr = 0;
  far = 0;
  vbar = 0;
  /** Scratch for 64-bit system register transfers. */
  sysLo = 0;
  sysHi = 0;
  /** Exclusive monitor: [the reserved address (NaN when open), its size], in the CPU slot when there is one (compiled code shares it). */
  private readonly exclusive: Float64Array;
  get exclusiveAddr(): number {
    return this.exclusive[0];
  }
  set exclusiveAddr(a: number) {
    this.exclusive[0] = a;
  }
  get exclusiveSize(): number {
    return this.exclusive[1];
  }
  set exclusiveSize(n: number) {
    this.exclusive[1] = n;
  }
  /** MPIDR_EL1: bit 31 set, the affinity the board gives this CPU (QEMU numbers CPUs Aff0 = 0, 1, ...). */
  mpidr = 0x80000000;
  /** The event register WFE waits on (set by SEV on any CPU, SEVL, exception return, a cleared monitor). */
  eventRegister = false;
  /** The last stop was a WFE (not a WFI): an event as well as an interrupt ends the wait. */
  waitingForEvent = false;
  /** The CPUs a broadcast (inner shareable) TLB maintenance operation or SEV reaches, this one included. */
  innerShareable: readonly Cpu[] = [this];
  /** Level-sensitive interrupt lines driven by the interrupt controller. */
  irqLine = false;
  fiqLine = false;
  stop: StopReason = StopReason.None;
  /** The board's firmware behind HVC (PSCI); returns false for calls it does not take. */
  hypervisorCall: ((cpu: Cpu) => boolean) | undefined;
  /** The GICv3 CPU interface behind ICC_*_EL1; undefined (the registers UNDEFINED) with a GICv2. */
  gicSystemRegisters: GicSystemRegisters | undefined;
  /** Semihosting behind HLT #imm; returns false when imm is not a semihosting call. */
  semihostingCall: ((cpu: Cpu, imm: number) => boolean) | undefined;
  /** The kind of the last exception taken (a hosted kernel reads it: ESR_EL1 describes synchronous exceptions only). */
  lastException: ExceptionKind = ExceptionKind.Sync;
  /** Called after each exception is taken (a debug log; undefined, and free, by default). */
  onException: ((cpu: Cpu, kind: ExceptionKind, fromEl: number) => void) | undefined;
  /** The encoding of the last UNDEFINED instruction and its address, for reports. */
  lastUndefined: { pc: number; insn: number } | undefined;

  /** The block compiler, when the register file is in the board's memory (jit/block-compiler.ts). */
  readonly jit: BlockCompiler | undefined;
  /** The CPU slot as int32 words: the retired count and fault index compiled blocks leave there. */
  private readonly jitWords: Int32Array | undefined;
  /** The last chain left at a slow memory access: the run loop interprets the next block. */
  private jitMissed = false;
  private readonly jitChainPc: Float64Array | undefined;

  /** The stack pointer not currently in slot 31: [SP_EL0 lo, hi, SP_EL1 lo, hi]. */
  private readonly bankedSp = new Int32Array(4);
  private readonly table: DecodeTable;

  constructor(
    readonly phys: PhysicalMemory,
    options: CpuOptions = {},
  ) {
    const slot = phys.allocCpuSlot();
    this.exclusive = slot >= 0 ? new Float64Array(phys.memory.buffer, slot + SLOT_EXCLUSIVE, 2) : new Float64Array(2);
    this.exclusive[0] = NaN;
    this.state = options.state ?? (slot >= 0 ? new CpuState(phys.memory.buffer, slot) : new CpuState());
    this.x = this.state.x;
    this.f = this.state.f;
    this.hosted = options.hosted ?? false;
    this.timer = options.timer ?? instructionCounter;
    this.code = new CodeCache(phys.ramSize + phys.romSize);
    this.vm = new VirtualMemory(phys, this.code, slot);
    this.table = a64Table();
    // Compiled code reaches the registers only when they live in the slot.
    if (slot >= 0 && options.state === undefined) {
      this.jitWords = new Int32Array(phys.memory.buffer, slot, STATE_BYTES / 4 + 16);
      this.jitChainPc = new Float64Array(phys.memory.buffer, slot + SLOT_CHAIN_PC, 1);
      this.sysregs.tpidrMirror = new Int32Array(phys.memory.buffer, slot + SLOT_TPIDR, 2);
      this.sysregs.tpidrMirror.fill(0);
      this.jit = new BlockCompiler(phys, this.vm, slot, options.jit ?? defaultJitMode(), (insn) => this.encodingName(insn), (out) => {
        out[0] = this.sysregs.getLo('TPIDR_EL0');
        out[1] = this.sysregs.getHi('TPIDR_EL0');
      }, interpreterOps(this));
    }
    phys.onRamWrite((first, last) => this.invalidateCode(first, last));
    this.vm.setEl(this.el);
  }

  get sctlrLo(): number {
    return this.vm.regs.sctlrLo;
  }

  // ---- the run loop ----

  /** Executes up to `budget` instructions (block granularity) and says why it stopped. */
  run(budget: number): StopReason {
    const limit = this.retired + budget;
    // An exception taken before its instruction completes retires nothing: counting those too ends a fault
    // loop. An exception costs tens of instructions' time, hence the smaller share of the budget.
    const exceptionLimit = this.exceptionsTaken + exceptionBudget(budget);
    const vm = this.vm;
    this.stop = StopReason.None;
    this.waitingForEvent = false;
    let prev: Block | undefined;
    while (this.retired < limit && this.exceptionsTaken < exceptionLimit) {
      if ((this.irqLine && (this.daif & DAIF_I) === 0) || (this.fiqLine && (this.daif & DAIF_F) === 0)) {
        this.takeInterrupt(this.irqLine && (this.daif & DAIF_I) === 0 ? 0x80 : 0x100);
        prev = undefined;
        if (this.stop !== StopReason.None) break;
      }
      const pc = this.pc;
      // Compiled code left at a slow memory access here: the interpreter runs the block from it.
      const missed = this.jitMissed;
      this.jitMissed = false;
      let block: Block | undefined;
      if (prev !== undefined && prev.linkEpoch === vm.epoch) {
        if (prev.link0Pc === pc) block = prev.link0;
        else if (prev.link1Pc === pc) block = prev.link1;
      }
      if (block === undefined) {
        try {
          block = this.fetchBlock(pc);
        } catch (e) {
          this.raise(e, pc);
          prev = undefined;
          if (this.stop !== StopReason.None) break;
          continue;
        }
        if (prev !== undefined) prev.link(vm.epoch, pc, block);
      }
      const ops = block.ops;
      let n = this.fpTrapped ? block.fpCut : ops.length;
      let debugCut = false;
      if (this.debugArmed) {
        const k = debugBeforeBlock(this, pc);
        if (k === 0) {
          prev = undefined;
          if (this.stop !== StopReason.None) break;
          continue;
        }
        debugCut = true;
        if (k < n) n = k;
        // The stepped instruction completes the step; an ERET among them sets PSTATE.SS anew from SPSR.
        this.pstateSs = 0;
      }
      const pageVa = pc - (pc & 4095);
      this.pageVa = pageVa;
      this.pc = pageVa + block.endOff;
      let i = 0;
      const fn = block.fn;
      const compiled = block.compiled;
      let chained = false;
      try {
        if (compiled !== undefined && n === ops.length && !debugCut && !missed) {
          const left = limit - this.retired;
          const budget = left < 0x7fffffff ? left : 0x7fffffff;
          const k = block.compiledCount;
          if (k === n) {
            // Whole blocks chain in WebAssembly through the jump cache (jit/jump-cache.ts).
            i = -3;
            const jit = this.jit!;
            const cache = jit.cache;
            jit.stats.chains++;
            if (block.trace !== undefined) jit.enterTrace(block, pc, vm.epoch);
            cache.enter(pc, vm.epoch, block.tableIndex);
            this.pc = cache.dispatch(pc, budget);
            const ran = this.jitWords![SLOT_CHAIN_RETIRED >> 2];
            this.retired += ran;
            jit.stats.chained += ran;
            chained = true;
            if (this.jitWords![SLOT_CALLED_OUT >> 2] === CALLED_OUT_MISS) this.jitMiss(this.pc - 4 * this.jitWords![SLOT_FAULT_INDEX >> 2]);
          } else {
            i = -2;
            compiled(pc, budget);
            // The rest of the block is interpreted (the compiled prefix holds no branch), from a slow access it left at.
            let from = k;
            if (this.jitWords![SLOT_CALLED_OUT >> 2] === CALLED_OUT_MISS) {
              from = this.jitWords![SLOT_FAULT_INDEX >> 2];
              this.jit!.noteMiss(block, pageVa);
            }
            for (i = from; i < n; i++) ops[i]();
            this.retired += n;
          }
        } else if (fn !== undefined && n === ops.length && !debugCut) {
          i = -1;
          fn(limit);
        } else {
          for (; i < n; i++) ops[i]();
          if (debugCut) {
            if (n !== ops.length && (!this.fpTrapped || n < block.fpCut)) this.pc = pc + 4 * n;
            else if (n !== ops.length) throw fpAccessTrap();
          } else if (n !== ops.length) throw fpAccessTrap();
          if (missed) {
            // (Not counted: a block from the middle of a compiled one runs only after a miss.)
          } else if (++block.runs === this.hotBlockRuns) block.fn = compileBlock(block, this);
          else if (block.runs >= this.jitThreshold && block.jitState === JitState.Cold && this.jit !== undefined && this.jit.mode !== 'off') this.jit.request(block, pageVa);
          // Still running hot while queued: the batch compiles now, not when the slice ends (bzip2's new loops ran 2 M instructions interpreted).
          else if (block.runs === this.jitThreshold * 8 && block.jitState === JitState.Queued) this.jit?.flush();
          this.retired += n;
        }
        prev = chained ? undefined : block;
      } catch (e) {
        prev = undefined;
        const w = this.jitWords!;
        if (i === -3) {
          // A call out of a chained block threw: the slot holds the state before its instruction `fault index`.
          const ran = w[SLOT_CHAIN_RETIRED >> 2] + w[SLOT_RETIRED >> 2];
          this.retired += ran;
          this.jit!.stats.chained += ran;
          this.raise(e, this.jitChainPc![0] + 4 * w[SLOT_FAULT_INDEX >> 2]);
        } else {
          if (i === -2) {
            i = w[SLOT_FAULT_INDEX >> 2];
            this.retired += w[SLOT_RETIRED >> 2] - i;
          } else if (i < 0) i = block.faultIndex;
          this.retired += i;
          this.raise(e, pageVa + block.startOff + 4 * i);
        }
      }
      if (this.stop !== StopReason.None) break;
    }
    if (this.jit !== undefined && this.jit.pending > 0) this.jit.maybeFlush(this.retired);
    return this.stop === StopReason.None ? StopReason.Budget : this.stop;
  }

  /** A chain left at a slow memory access of the function entered at `entry`: the next block runs interpreted (from the access). */
  private jitMiss(entry: number): void {
    this.jitMissed = true;
    let block: Block;
    try {
      block = this.fetchBlock(entry);
    } catch {
      return;
    }
    this.jit!.noteMiss(block, entry - (entry & 4095));
  }

  private fetchBlock(pc: number): Block {
    const off = pc & 4095;
    if ((off & 3) !== 0) throw new GuestFault(esr(Ec.PcAlignment, 0), pc);
    const i = (pc >>> 12) & TLB_MASK;
    let page: CodePage | undefined = this.vm.xPage[i];
    if (this.vm.xTag[i] !== (pc - off) * 16 + this.vm.asid || page === undefined || !page.valid) page = this.vm.fetchSlow(pc);
    return page.blocks[off >>> 2] ?? this.decodeBlock(page, off, pc - off);
  }

  private decodeBlock(page: CodePage, startOff: number, pageVa: number): Block {
    const host = this.hostDebug !== undefined && this.hostDebug.breakpointCount > 0 ? this.hostDebug : undefined;
    const ops: Op[] = [];
    const view = this.phys.view;
    let off = startOff;
    let ctx: DecodeContext | undefined;
    let fpCut = -1;
    while (off < 4096 && ops.length < MAX_BLOCK) {
      // A host breakpoint starts a block of its own, whose first op is the trap.
      const breakpoint = host !== undefined && host.hasBreakpoint(pageVa + off);
      if (breakpoint && ops.length > 0) break;
      const insn = view.getUint32(page.ramOffset + off, true);
      ctx = { cpu: this, pageOff: off, endsBlock: false };
      const op = this.decodeKnown(insn, ctx);
      // An unallocated FP encoding is UNDEFINED whatever FPEN says (as QEMU decodes it).
      if (op !== null && fpCut < 0 && isFpInstruction(insn)) fpCut = ops.length;
      const decoded = op ?? this.undefinedOp(insn, ctx);
      ops.push(breakpoint ? host.breakpointOp(pageVa + off, decoded) : decoded);
      off += 4;
      if (ctx.endsBlock) break;
    }
    const block = new Block(page, ops, startOff, off, fpCut < 0 ? ops.length : fpCut);
    block.selfLoop = ctx?.branchTarget === startOff;
    // The block compiler translates instructions, not ops: a block that starts with a host breakpoint stays interpreted.
    if (host !== undefined && host.hasBreakpoint(pageVa + startOff)) block.jitState = JitState.Done;
    page.blocks[startOff >>> 2] = block;
    if (this.jit !== undefined && this.jit.mode === 'always') this.jit.request(block, pageVa);
    return block;
  }

  /** Decodes one instruction into its Op; unknown encodings become an Op that raises UNDEFINED. */
  decodeOne(insn: number, ctx: DecodeContext): Op {
    return this.decodeKnown(insn, ctx) ?? this.undefinedOp(insn, ctx);
  }

  private decodeKnown(insn: number, ctx: DecodeContext): Op | null {
    const enc = this.table.lookup(insn);
    return enc === undefined ? null : enc.handler(insn, ctx);
  }

  private undefinedOp(insn: number, ctx: DecodeContext): Op {
    ctx.endsBlock = true;
    const pageOff = ctx.pageOff;
    return () => {
      this.lastUndefined = { pc: this.pageVa + pageOff, insn };
      throw undefinedInstruction();
    };
  }

  /** Name of the encoding that decodes insn (for --trace and error reports). */
  encodingName(insn: number): string | undefined {
    return this.table.lookup(insn)?.name;
  }

  private invalidateCode(firstPage: number, lastPage: number): void {
    const base = this.phys.ramBase / 4096;
    const count = this.phys.ramSize / 4096;
    if (firstPage >= base && lastPage < base + count) {
      for (let p = firstPage; p <= lastPage; p++) this.code.invalidate((p - base) * 4096);
      return;
    }
    // Outside RAM: a ROM device's storage (flash program, erase or a change of mode).
    for (let p = firstPage; p <= lastPage; p++) {
      const off = this.phys.storageOffset(p * 4096);
      if (off >= 0) this.code.invalidate(off);
    }
  }

  // ---- exceptions ----

  /** An exception raised while executing the instruction at `pc`. */
  private raise(e: unknown, pc: number): void {
    if (e instanceof HostDebugTrap) {
      this.pc = pc;
      if (this.hostDebug!.trapped(e, pc)) this.stop = StopReason.Debug;
      return;
    }
    if (!(e instanceof GuestFault)) throw e;
    this.takeSyncException(e.esr, e.far, pc);
  }

  /**
   * Synchronous exception to EL1 with preferred return address `returnPc`.
   * `far` is the faulting address, or NaN when the exception has none.
   */
  takeSyncException(syndrome: number, far: number, returnPc: number): void {
    this.sysregs.set('ESR_EL1', syndrome, 0);
    if (far === far) this.far = far;
    this.enterEl1(returnPc, 0);
  }

  /** Exception-generating instructions (SVC, HVC, BRK...) call this with the return address. */
  exception(ec: Ec, iss: number, returnPc: number): void {
    this.takeSyncException(esr(ec, iss), NaN, returnPc);
  }

  private takeInterrupt(vectorOffset: number): void {
    this.enterEl1(this.pc, vectorOffset);
  }

  private enterEl1(returnPc: number, vectorOffset: number): void {
    const spsr = this.pstateBits();
    this.pstateSs = 0;
    this.stepDone = false;
    this.sysregs.set('SPSR_EL1', spsr, 0);
    this.elr = returnPc;
    this.exclusiveAddr = NaN;
    this.lastException = (vectorOffset >>> 7) as ExceptionKind;
    this.exceptionsTaken++;
    if (this.hosted && this.el === 0) {
      // The TypeScript kernel handles it; the CPU stays at EL0, resuming at ELR unless the kernel changes pc.
      this.pc = returnPc;
      this.stop = StopReason.Exception;
      return;
    }
    const base = this.el === 0 ? 0x400 : this.spsel === 1 ? 0x200 : 0;
    const fromEl = this.el;
    this.setEl(1);
    this.setSpSel(1);
    this.daif = 0x3c0;
    this.pc = this.vbar + base + vectorOffset;
    if (this.onException !== undefined) this.onException(this, this.lastException, fromEl);
  }

  /** ERET: restore PSTATE from SPSR_EL1 and branch to ELR_EL1. */
  exceptionReturn(): void {
    const spsr = this.sysregs.getLo('SPSR_EL1');
    const m = spsr & 0xf;
    this.state.nzcv = spsr & 0xf0000000;
    this.daif = spsr & 0x3c0;
    this.pstateSs = (spsr >>> 21) & 1;
    this.exclusiveAddr = NaN;
    this.eventRegister = true;
    if (m === 0) {
      this.setEl(0);
      this.setSpSel(0);
    } else if (m === 4 || m === 5) {
      this.setEl(1);
      this.setSpSel(m & 1);
    } else {
      // An illegal return: PSTATE.IL is set and the next instruction faults (EC 0x0E).
      this.pc = this.elr;
      this.takeSyncException(esr(Ec.IllegalState, 0), NaN, this.elr);
      return;
    }
    this.pc = this.elr;
  }

  /** PSTATE as SPSR_EL1 records it. */
  pstateBits(): number {
    return (this.state.nzcv | (this.pstateSs << 21) | this.daif | (this.el << 2) | (this.el === 0 ? 0 : this.spsel)) >>> 0;
  }

  setEl(el: number): void {
    if (el === this.el) return;
    // Which stack pointer is live depends on (EL, SPSel): save it before the change.
    this.saveSp();
    this.el = el;
    this.vm.setEl(el);
    this.fpTrapped = fpTrappedAt(this.cpacr, el);
    this.loadSp();
  }

  setSpSel(spsel: number): void {
    if (spsel === this.spsel) return;
    this.saveSp();
    this.spsel = spsel;
    this.loadSp();
  }

  private liveSpBank(): number {
    return this.el === 0 || this.spsel === 0 ? 0 : 2;
  }

  private saveSp(): void {
    const b = this.liveSpBank();
    this.bankedSp[b] = this.x[2 * SP];
    this.bankedSp[b + 1] = this.x[2 * SP + 1];
  }

  private loadSp(): void {
    const b = this.liveSpBank();
    this.x[2 * SP] = this.bankedSp[b];
    this.x[2 * SP + 1] = this.bankedSp[b + 1];
  }

  readSpEl0(): void {
    if (this.liveSpBank() === 0) {
      this.sysLo = this.x[2 * SP];
      this.sysHi = this.x[2 * SP + 1];
    } else {
      this.sysLo = this.bankedSp[0];
      this.sysHi = this.bankedSp[1];
    }
  }

  writeSpEl0(lo: number, hi: number): void {
    if (this.liveSpBank() === 0) {
      this.x[2 * SP] = lo;
      this.x[2 * SP + 1] = hi;
    } else {
      this.bankedSp[0] = lo;
      this.bankedSp[1] = hi;
    }
  }

  /** Sets the live stack pointer of EL0 and EL1 (hosted kernels and tests). */
  setStackPointers(el0: { lo: number; hi: number }, el1: { lo: number; hi: number }): void {
    this.saveSp();
    this.bankedSp[0] = el0.lo;
    this.bankedSp[1] = el0.hi;
    this.bankedSp[2] = el1.lo;
    this.bankedSp[3] = el1.hi;
    this.loadSp();
  }

  // ---- the host's debugger ----

  /** The host debugger's state, created on first use. */
  enableHostDebug(): HostDebug {
    this.hostDebug ??= new HostDebug({
      rearmDebug: () => this.rearmDebug(),
      dropDecodedCode: () => this.code.invalidateAll(),
      dropDataTranslations: () => {
        this.vm.hostWatch = this.hostDebug!.watchedPages.size > 0 ? this.hostDebug : undefined;
        this.vm.flushAll();
      },
    });
    return this.hostDebug;
  }

  /** Per-instruction debug checks are needed while the guest's MDSCR_EL1 or the host's step asks for them. */
  rearmDebug(): void {
    this.debugArmed = mdscrArmsDebug(this.sysregs.getLo('MDSCR_EL1')) || (this.hostDebug?.stepping ?? false);
  }

  // ---- system state shared with the instruction handlers ----

  setTranslationReg(field: 'sctlr' | 'ttbr0' | 'ttbr1' | 'tcr' | 'mair', lo: number, hi: number): void {
    const r = this.vm.regs;
    let changed: boolean;
    if (field === 'sctlr') {
      changed = r.sctlrLo !== lo >>> 0;
      r.sctlrLo = lo >>> 0;
    } else {
      changed = r[`${field}Lo`] !== lo >>> 0 || r[`${field}Hi`] !== hi >>> 0;
      r[`${field}Lo`] = lo >>> 0;
      r[`${field}Hi`] = hi >>> 0;
    }
    // TTBR writes keep cached entries (they are ASID-tagged; software issues TLBI); a change of SCTLR or TCR flushes
    // (rewriting the value they hold changes no translation, so a context switch that rewrites TCR keeps the TLB).
    this.vm.regsChanged(changed && (field === 'sctlr' || field === 'tcr'));
  }

  /** CPACR_EL1 write: only FPEN (bits 21:20) is implemented. */
  setCpacr(value: number): void {
    this.cpacr = value & (3 << 20);
    this.fpTrapped = fpTrappedAt(this.cpacr, this.el);
    // Chained compiled blocks may hold FP loads and stores: entries made while FP was enabled must go.
    this.vm.bumpEpoch();
  }

  setFpcr(value: number): void {
    this.fpcr = value >>> 0;
  }

  /** Clears the exclusive monitor (CLREX, exception entry/return). */
  clearExclusive(): void {
    this.exclusiveAddr = NaN;
  }

  /** An event for WFE (SEV from any CPU, a cleared monitor): ends a WFE wait, else sets the event register. */
  signalEvent(): void {
    if (this.waitingForEvent) this.waitingForEvent = false;
    else this.eventRegister = true;
  }
}
