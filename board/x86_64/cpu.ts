// The x86-64 processor in 64-bit long mode: architectural state, the run
// loop over decoded blocks, traps to the hosted kernel. Instructions live in
// the group files under ./isa (joined in isa/x86-table.ts); memory goes
// through ./x86-memory.

import { PhysicalMemory } from '../memory/physical-memory';
import { X86Block, X86CodePage, X86CodeCache } from './code-cache';
import { compileX86Block } from './block-function';
import { Misc, RCX, X86CpuState } from './cpu-state';
import { cpuid } from './cpuid';
import { InsnTooLong, MAX_INSN_LENGTH, NeedMoreBytes, X86DecodeTable, X86Insn, X86Op } from './decoder';
import { ARITH_FLAGS, getArithFlags, RFLAGS_IF, setArithFlags } from './flags';

export { RFLAGS_DF, RFLAGS_IF } from './flags';
import { x86Table } from './isa/x86-table';
import { TLB_MASK, X86Memory } from './x86-memory';
import { generalProtection, undefinedOpcode, Vector, X86Fault } from './x86-fault';

/** Why run() returned; the same values as the A64 CPU's StopReason. */
export const enum StopReason {
  None = 0,
  Budget = 1,
  /** A trap for the hosted kernel is waiting in cpu.lastTrap. */
  Exception = 2,
  /** HLT at CPL0 with nothing pending. */
  WaitForInterrupt = 3,
  Halt = 4,
}

export interface X86Trap {
  readonly kind: 'syscall' | 'exception' | 'interrupt';
  /** Exception or interrupt vector (SYSCALL: -1). */
  readonly vector: number;
  readonly errorCode: number;
  /** The faulting linear address for #PF, NaN otherwise. */
  readonly cr2: number;
  /**
   * The RIP the processor would save: the faulting instruction for faults,
   * the next instruction for traps (INT3, INT n, SYSCALL) and interrupts.
   * cpu.rip holds the same value.
   */
  readonly rip: number;
  /** Address of the instruction that trapped (for interrupts: rip). */
  readonly insnRip: number;
  /** That instruction's bytes (as far as they were fetched; empty for interrupts). */
  readonly bytes: Uint8Array;
}

/** The time-stamp counter as the CPU sees it. */
export interface X86Timer {
  readonly frequency: number;
  /** Leaves the 64-bit count in cpu.tscLo / cpu.tscHi. */
  readTsc(cpu: X86Cpu): void;
}

/** Default: one tick per retired instruction, so runs are deterministic. */
const instructionCounter: X86Timer = {
  frequency: 1_000_000_000,
  readTsc(cpu) {
    cpu.tscLo = cpu.retired | 0;
    cpu.tscHi = Math.floor(cpu.retired / 4294967296) | 0;
  },
};

export interface X86CpuOptions {
  /** The TypeScript kernel handles every exception, interrupt and SYSCALL: run() stops with lastTrap. */
  hosted?: boolean;
  timer?: X86Timer;
}

export const CR0_PE = 1;
export const CR0_WP = 1 << 16;
export const CR0_PG = 1 << 31;
export const CR4_PAE = 1 << 5;
export const CR4_PGE = 1 << 7;
export const CR4_OSFXSR = 1 << 9;
export const CR4_OSXMMEXCPT = 1 << 10;
export const CR4_PCIDE = 1 << 17;
export const EFER_SCE = 1 << 0;
export const EFER_LME = 1 << 8;
export const EFER_LMA = 1 << 10;
export const EFER_NXE = 1 << 11;

/** RFLAGS bits kept in misc[FlagsOther]: TF IF DF IOPL NT RF AC VIF VIP ID. */
const OTHER_FLAGS = 0x3d7700;
const MAX_BLOCK = 256;
/** Shared by every SYSCALL and interrupt trap (readers must not write them). */
const SYSCALL_BYTES = new Uint8Array([0x0f, 0x05]);
const NO_BYTES = new Uint8Array(0);

export class X86Cpu {
  readonly state = new X86CpuState();
  readonly r: Int32Array = this.state.r;
  readonly lz: Int32Array = this.state.lazy;
  readonly misc: Int32Array = this.state.misc;
  readonly code: X86CodeCache;
  readonly mem: X86Memory;
  readonly hosted: boolean;
  timer: X86Timer;

  /** RIP of the next block, as a signed-canonical number. */
  rip = 0;
  /** Linear address of the page of the executing block (RIP-relative ops add their page offset). */
  pageVa = 0;
  retired = 0;
  /** Blocks that ran this many times through the op loop get their own function (see block-function.ts). */
  hotBlockRuns = 65536;
  stop: StopReason = StopReason.None;
  lastTrap: X86Trap | undefined;
  /** Interrupt input: while irqLine is up and RFLAGS.IF = 1, irqVector is taken at the next block boundary. */
  irqLine = false;
  irqVector = 0;
  /** Scratch for RDTSC. */
  tscLo = 0;
  tscHi = 0;
  /** Scratch for 64-bit results (pairs): t[0] lo, t[1] hi, t[2..3] more. */
  readonly t = new Int32Array(8);

  private cplValue: 0 | 3 = 0;
  private cr0Value = CR0_PE | CR0_WP;
  private cr4Value = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
  private eferValue = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;
  private cr3Lo = 0;
  private cr3Hi = 0;
  /** MSRs with no other home (KERNEL_GS_BASE, STAR, LSTAR, FMASK...), as [lo, hi]. */
  readonly msrs = new Map<number, [number, number]>();
  private readonly table: X86DecodeTable;

  constructor(
    readonly phys: PhysicalMemory,
    options: X86CpuOptions = {},
  ) {
    this.hosted = options.hosted ?? false;
    this.timer = options.timer ?? instructionCounter;
    this.code = new X86CodeCache(phys.ramSize);
    this.mem = new X86Memory(phys, this.code);
    this.table = x86Table();
    phys.onRamWrite((first, last) => this.invalidateCode(first, last));
    this.applyPaging();
  }

  // ---- privilege, control registers, TLB ----

  get cpl(): 0 | 3 {
    return this.cplValue;
  }

  set cpl(c: 0 | 3) {
    if (c === this.cplValue) return;
    this.cplValue = c;
    this.mem.setUser(c === 3);
  }

  get cr0(): number {
    return this.cr0Value >>> 0;
  }

  get cr2(): number {
    return this.mem.cr2;
  }

  get cr4(): number {
    return this.cr4Value >>> 0;
  }

  get efer(): number {
    return this.eferValue >>> 0;
  }

  /** CR3 as [lo, hi] (PCID in bits 0..11 with CR4.PCIDE). */
  get cr3(): [number, number] {
    return [this.cr3Lo >>> 0, this.cr3Hi >>> 0];
  }

  setCr0(v: number): void {
    this.cr0Value = v | 0;
    this.applyPaging();
    this.mem.flushAll();
  }

  setCr4(v: number): void {
    const pcidChanged = ((this.cr4Value ^ v) & CR4_PCIDE) !== 0;
    this.cr4Value = v | 0;
    if (pcidChanged) this.mem.setPcid((v & CR4_PCIDE) !== 0 ? this.cr3Lo & 4095 : 0);
    this.applyPaging();
    this.mem.flushAll();
  }

  setEfer(v: number): void {
    this.eferValue = (v | EFER_LMA) & (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE);
    this.applyPaging();
    this.mem.flushAll();
  }

  /**
   * MOV to CR3. With CR4.PCIDE the low 12 bits select the PCID and bit 63
   * (bit 31 of hi) asks to keep that PCID's cached translations; otherwise
   * they are flushed (without PCIDE: every non-global entry, here all).
   */
  setCr3(lo: number, hi: number): void {
    const pcide = (this.cr4Value & CR4_PCIDE) !== 0;
    const noFlush = pcide && (hi & 0x80000000) !== 0;
    this.cr3Lo = pcide ? lo : lo & ~0xfff;
    this.cr3Hi = hi & 0x000fffff;
    const pcid = pcide ? lo & 4095 : 0;
    this.mem.setPcid(pcid);
    this.applyPaging();
    if (!noFlush) {
      if (pcide) this.mem.flushPcid(pcid);
      else this.mem.flushAll();
    }
  }

  private applyPaging(): void {
    const p = this.mem.paging;
    p.pg = (this.cr0Value & CR0_PG) !== 0;
    p.wp = (this.cr0Value & CR0_WP) !== 0;
    p.nxe = (this.eferValue & EFER_NXE) !== 0;
    p.cr3 = (this.cr3Hi & 0xfffff) * 4294967296 + ((this.cr3Lo & ~0xfff) >>> 0);
    this.mem.epoch++;
  }

  /** INVLPG. */
  flushPage(va: number): void {
    this.mem.flushPage(va);
  }

  /** Drops the cached translations of one PCID (INVPCID single-context, or a CR3 write without no-flush). */
  flushPcid(pcid: number): void {
    this.mem.flushPcid(pcid);
  }

  flushAll(): void {
    this.mem.flushAll();
  }

  // ---- flags ----

  getRflags(): number {
    return (getArithFlags(this.lz) | (this.misc[Misc.FlagsOther] & OTHER_FLAGS) | 2) >>> 0;
  }

  setRflags(v: number): void {
    setArithFlags(this.lz, v & ARITH_FLAGS);
    this.misc[Misc.FlagsOther] = (v & OTHER_FLAGS) | 2;
  }

  // ---- interrupts ----

  /** Raises the interrupt line with a vector; it is taken (and the line lowered) at a block boundary when IF = 1. */
  raiseInterrupt(vector: number): void {
    this.irqVector = vector & 0xff;
    this.irqLine = true;
  }

  clearInterrupt(): void {
    this.irqLine = false;
  }

  /** CPUID as the instruction reports it: [EAX, EBX, ECX, EDX]. */
  cpuid(leaf: number, subleaf: number): [number, number, number, number] {
    return cpuid(leaf, subleaf);
  }

  // ---- the run loop ----

  /** Executes up to `budget` instructions (block granularity) and says why it stopped. */
  run(budget: number): StopReason {
    const limit = this.retired + budget;
    const mem = this.mem;
    const misc = this.misc;
    this.stop = StopReason.None;
    let prev: X86Block | undefined;
    while (this.retired < limit) {
      if (this.irqLine && (misc[Misc.FlagsOther] & RFLAGS_IF) !== 0) {
        this.takeInterrupt();
        prev = undefined;
        if (this.stop !== StopReason.None) break;
      }
      const rip = this.rip;
      let block: X86Block | undefined;
      if (prev !== undefined && prev.linkEpoch === mem.epoch) {
        if (prev.link0Pc === rip) block = prev.link0;
        else if (prev.link1Pc === rip) block = prev.link1;
      }
      if (block === undefined) {
        try {
          block = this.fetchBlock(rip);
        } catch (e) {
          this.raise(e, rip, undefined);
          prev = undefined;
          if (this.stop !== StopReason.None) break;
          continue;
        }
        if (prev !== undefined && block.endOff <= 4096) prev.link(mem.epoch, rip, block);
      }
      const ops = block.ops;
      const n = ops.length;
      const pageVa = rip - (rip & 4095);
      this.pageVa = pageVa;
      this.rip = pageVa + block.endOff;
      let i = 0;
      const fn = block.fn;
      const page = block.page;
      try {
        if (fn !== undefined) {
          i = -1;
          fn(limit);
          if (block.smcIndex >= 0) {
            this.leaveModifiedBlock(block, block.smcIndex, pageVa);
            prev = undefined;
            if (this.stop !== StopReason.None) break;
            continue;
          }
        } else {
          for (; i < n; i++) {
            ops[i]();
            // A store into this block's own page: the rest of the block is stale.
            if (page !== undefined && !page.valid && i < n - 1) break;
          }
          if (i < n) {
            this.leaveModifiedBlock(block, i, pageVa);
            prev = undefined;
            if (this.stop !== StopReason.None) break;
            continue;
          }
          if (++block.runs === this.hotBlockRuns) block.fn = compileX86Block(block, this);
          this.retired += n;
        }
        prev = block;
      } catch (e) {
        if (i < 0) i = block.faultIndex;
        this.retired += i;
        prev = undefined;
        this.raise(e, pageVa + block.insns[i].pageOff, block.insns[i]);
      }
      if (this.stop !== StopReason.None) break;
    }
    return this.stop === StopReason.None ? StopReason.Budget : this.stop;
  }

  /** Instruction k of the block stored into the block's own code: it completed, the next one is decoded afresh. */
  private leaveModifiedBlock(block: X86Block, k: number, pageVa: number): void {
    block.smcIndex = -1;
    this.retired += k + 1;
    this.rip = pageVa + block.insns[k].nextOff;
  }

  private fetchBlock(rip: number): X86Block {
    const off = rip & 4095;
    const i = (rip >>> 12) & TLB_MASK;
    const mem = this.mem;
    let page: X86CodePage | undefined = mem.xPage[i];
    if (mem.xTag[i] !== rip - off + mem.pcid || page === undefined || !page.valid) page = mem.fetchPage(rip);
    return page.blocks[off] ?? this.decodeBlock(page, off, rip);
  }

  private decodeBlock(page: X86CodePage, startOff: number, rip: number): X86Block {
    const ops: X86Op[] = [];
    const insns: X86Insn[] = [];
    const bytes = this.phys.bytes;
    const base = page.ramOffset;
    let off = startOff;
    while (off < 4096 && ops.length < MAX_BLOCK) {
      const insn = new X86Insn();
      insn.pageOff = off;
      insn.indexInBlock = ops.length;
      try {
        this.table.decode(bytes, base + off, base + 4096, insn);
      } catch (e) {
        if (!(e instanceof NeedMoreBytes) && !(e instanceof InsnTooLong)) throw e;
        if (ops.length > 0) break;
        if (e instanceof NeedMoreBytes) return this.decodeCrossPage(page, off, rip);
        return this.tooLongBlock(insn, off);
      }
      ops.push(this.compile(insn));
      insns.push(insn);
      off += insn.length;
      if (insn.endsBlock) break;
    }
    this.eliminateDeadFlags(ops, insns);
    const block = new X86Block(ops, insns, startOff, off);
    block.page = page;
    const last = insns[insns.length - 1];
    block.selfLoop = last.branchTarget === startOff;
    page.blocks[startOff] = block;
    return block;
  }

  /**
   * Backward liveness of the arithmetic flags over a block: an instruction
   * whose flags are all overwritten before anything reads them, with no
   * instruction in between that can fault (a fault shows the flags as they
   * were), is compiled again without its flag work. Everything is live at
   * the block's end.
   */
  private eliminateDeadFlags(ops: X86Op[], insns: X86Insn[]): void {
    let live = ARITH_FLAGS;
    for (let k = insns.length - 1; k >= 0; k--) {
      const insn = insns[k];
      const use = insn.row?.flagUse?.(insn);
      if (use === undefined || insn.lock) {
        live = ARITH_FLAGS;
        continue;
      }
      const canFault = insn.isMem || insn.stack;
      if (use.writes !== 0 && (use.writes & live) === 0 && !canFault) {
        insn.flagsDead = true;
        ops[k] = this.compile(insn);
      }
      live = canFault ? ARITH_FLAGS : (live & ~use.writes) | use.reads;
    }
  }

  /** An instruction that continues on the next page: decoded every time, never cached. */
  private decodeCrossPage(page: X86CodePage, off: number, rip: number): X86Block {
    const first = 4096 - off;
    const buf = new Uint8Array(MAX_INSN_LENGTH + 1);
    buf.set(this.phys.bytes.subarray(page.ramOffset + off, page.ramOffset + 4096), 0);
    const nextPa = this.mem.translate(rip - off + 4096, 'fetch');
    const ro = nextPa - this.phys.ramBase;
    buf.set(this.phys.bytes.subarray(ro, ro + MAX_INSN_LENGTH + 1 - first), first);
    const insn = new X86Insn();
    insn.pageOff = off;
    try {
      this.table.decode(buf, 0, MAX_INSN_LENGTH + 1, insn);
    } catch (e) {
      if (!(e instanceof InsnTooLong)) throw e;
      return this.tooLongBlock(insn, off);
    }
    const op = this.compile(insn);
    return new X86Block([op], [insn], off, off + insn.length);
  }

  private tooLongBlock(insn: X86Insn, off: number): X86Block {
    insn.length = MAX_INSN_LENGTH;
    const op: X86Op = () => {
      throw generalProtection(0);
    };
    return new X86Block([op], [insn], off, off + MAX_INSN_LENGTH);
  }

  /** The closure of a decoded instruction; unknown or invalid encodings raise #UD when executed. */
  compile(insn: X86Insn): X86Op {
    const row = insn.row;
    if (row !== undefined && (!insn.lock || (row.lockable === true && insn.isMem))) {
      const op = row.handler(insn, this);
      if (op !== null) return op;
    }
    insn.endsBlock = true;
    return () => {
      throw undefinedOpcode();
    };
  }

  /** Decodes the instruction at bytes[0..] (tests and tools): its row name and length, or undefined for #UD. */
  describe(bytes: Uint8Array): { name: string | undefined; length: number } {
    const insn = new X86Insn();
    this.table.decode(bytes, 0, bytes.length, insn);
    return { name: insn.row?.name, length: insn.length };
  }

  private invalidateCode(firstPage: number, lastPage: number): void {
    const base = this.phys.ramBase / 4096;
    const count = this.phys.ramSize / 4096;
    for (let p = Math.max(firstPage, base); p <= lastPage && p < base + count; p++) this.code.invalidate((p - base) * 4096);
  }

  // ---- traps ----

  /** An exception raised while executing (or fetching) the instruction at `rip`. */
  private raise(e: unknown, rip: number, insn: X86Insn | undefined): void {
    if (!(e instanceof X86Fault)) throw e;
    let vector = e.vector;
    if (e.nonCanonical && insn?.stack === true) vector = Vector.SS;
    let next = rip;
    if (e.trap && insn !== undefined) {
      next = rip + insn.length;
      this.retired++;
    }
    this.rip = next;
    this.trap({ kind: 'exception', vector, errorCode: e.errorCode, cr2: e.cr2, rip: next, insnRip: rip, bytes: insn?.bytes ?? new Uint8Array(0) });
  }

  /** SYSCALL: RCX = next RIP, R11 = RFLAGS (RF clear); the hosted kernel takes it from there. */
  syscall(nextRip: number): void {
    const r = this.r;
    r[2 * RCX] = nextRip | 0;
    r[2 * RCX + 1] = Math.floor(nextRip / 4294967296) | 0;
    r[22] = this.getRflags() & ~0x10000;
    r[23] = 0;
    this.rip = nextRip;
    this.trap({ kind: 'syscall', vector: -1, errorCode: 0, cr2: NaN, rip: nextRip, insnRip: nextRip - 2, bytes: SYSCALL_BYTES });
  }

  private takeInterrupt(): void {
    this.irqLine = false;
    this.trap({ kind: 'interrupt', vector: this.irqVector, errorCode: 0, cr2: NaN, rip: this.rip, insnRip: this.rip, bytes: NO_BYTES });
  }

  private trap(t: X86Trap): void {
    this.lastTrap = t;
    if (!this.hosted) throw new Error(`x86 exception delivery through the IDT is not implemented (vector ${t.vector} at 0x${t.insnRip.toString(16)}); use hosted mode`);
    this.stop = StopReason.Exception;
  }
}
