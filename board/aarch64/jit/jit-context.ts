// The state of one block's translation to a WebAssembly function: guest
// registers as i64 locals (loaded at entry, stored at exits and before every
// call out), NZCV kept lazily as the operands of the last flag-setting
// instruction and computed only where a condition reads it or the block
// leaves, and the bookkeeping that keeps exceptions precise.
//
// Function: (entry PC f64, budget i32) -> next PC f64. Parameters 0 and 1; the prologue turns parameter 0
// into the page's address (P_PAGE_VA).

import { Code, Op, T } from '../../jit/wasm-module';
import { EntryPlan, RegFlow } from '../../jit/reg-flow';
import { MARK_BYTES, patchMarkedBranches } from '../../jit/wasm-branches';
import { CALLED_OUT_MISS, SLOT_CALLED_OUT, SLOT_FAULT_INDEX, SLOT_FLAGS, SLOT_LAZY_FLAGS, SLOT_RETIRED, SLOT_DATA_ASID, SLOT_TLB_BASE, SLOT_EPOCH, SLOT_LINK_DEPTH, SLOT_LINK_PC, SLOT_LINK_RETIRED, SLOT_LINK_SITE } from './cpu-slot';

/**
 * Bits of `where` for the instruction's index in its block (blocks hold at most 256 instructions); the rest,
 * signed, is the block's distance from its region's head in instructions (regions spanning pages reach 8 M).
 */
export const WHERE_BITS = 8;
const WHERE_MASK = (1 << WHERE_BITS) - 1;

/** The links of one function's exits (jump-cache.ts). */
export interface ExitLinks {
  /** Memory offset of the link of an exit to page offset `t${off}`, from the register branch at `d${off}`, or the shared link (''). */
  link(key: string): number;
  /** Functions of one dispatch that may go on through links, at most (the nesting depth). */
  readonly depth: number;
}

export const P_PAGE_VA = 0;
export const P_BUDGET = 1;

/** How NZCV is held at a point of the block. */
export const enum Flags {
  /** In the locals fN, fZ, fC, fV (0/1 each). */
  Locals,
  /** The last setter was a subtraction fa - fb (32-bit forms hold sign-extended operands). */
  Sub,
  /** An addition fa + fb. */
  Add,
  /** A logical result fr (sign-extended when 32-bit): C = V = 0. */
  Logic,
  /** Known only at run time (a region's block entered from several edges): local fk holds the kind (lazyKind). */
  Dyn,
}

/** The run-time kind in fk of a Dyn state: 0 the locals, else the lazy setter (lazyKind). */
export function lazyKind(flags: Flags, width: number): number {
  if (flags === Flags.Locals) return 0;
  return (flags === Flags.Sub ? 1 : flags === Flags.Add ? 3 : 5) + (width === 32 ? 1 : 0);
}

export class Jit {
  readonly code = new Code();
  readonly locals: T[] = [];
  // (A plain array: an Int32Array of 32 has its backing store outside V8's heap, costly to make per translation.)
  private readonly regLocal: number[] = new Array<number>(32).fill(-1);
  /** Registers the block writes (stored back at exits). */
  readonly written = new Set<number>();
  private flagState = Flags.Locals;
  /**
   * Whether the function reads or changes NZCV anywhere (else its prologue loads no flag and its exits store
   * none: the slot keeps the state the previous block left, lazy or not).
   */
  private flagsTouched = false;
  /** Width of the lazy flag setter: 32 or 64. */
  flagWidth = 64;
  flagsDirty = false;
  readonly fN: number;
  readonly fZ: number;
  readonly fC: number;
  readonly fV: number;
  readonly fa: number;
  readonly fb: number;
  /** Instructions retired by earlier iterations of a self-loop. */
  readonly done: number;
  /** 1 once the block called out to the host (a self-loop then returns to the run loop). */
  readonly calledOut: number;
  private tlbLocal = -1;
  private dataAsidLocal = -1;
  private pageVaLocal = -1;
  /** Reads, writes, stores and fault points of the registers' locals, for what the prologue loads (reg-flow.ts). */
  readonly flow = new RegFlow();
  /**
   * The previous pass's analysis, which decides the exits' fixups and the spills' skips of this pass; undefined
   * in a first pass; null: the prologue loads every register the function uses (the plan did not hold).
   */
  plan: EntryPlan | null | undefined;
  /** This pass's code depends on the next pass's plan (a first pass with exits or spills to decide): it loads everything. */
  private unplanned = false;
  /** The plan given did not hold for this pass's code (translate again with plan null). */
  planFailed = false;
  /** What this function's prologue loads and its handler stores (wrapThrows); null: everything. */
  private entry: EntryPlan | null = null;
  private insn = 0;
  /**
   * Which reads of a register load it from the slot rather than its local (a local then needs no load at
   * entry): none; 'straight', those before the register's first write since the entry or the last reload (a
   * first pass: right without back edges, else checked and translated again); 'planned', those where the
   * plan says the local is clean on every path.
   */
  slotReads: 'none' | 'straight' | 'planned' = 'none';
  /** Registers written since the entry or the last reload on the path being translated (slotReads 'straight'). */
  private dirtyNow = 0;
  private insnDirty = 0;
  private fastDirty = 0;
  /** Added to `index` for the fault index: a region's block lies this many instructions after the function's entry. */
  faultBase = 0;
  /** Local holding the Dyn kind, and the module's function that stores NZCV from the slot's SLOT_LAZY_FLAGS (regions only). */
  readonly fk: number;
  /** Where the last call out was made, for the fault handler: faultBase << WHERE_BITS | index (see beforeCall). */
  readonly where: number;
  flagsFunc = -1;
  /** Free scratch locals by type, at type - T.V128 (an array: an object keyed by the type codes is a dictionary). */
  private readonly tmpFree: number[][] = [[], [], [], [], []];
  /** Links of the function's exits (jump-cache.ts); undefined: the function returns every exit's PC. */
  links: ExitLinks | undefined;
  /** Whether the exits go on through their links: the function is a whole block's (a partial one hands over to the interpreter). */
  chains = false;
  private siteLocal = -1;
  /**
   * Whether a memory access that misses the TLB's fast path leaves the function (missExit) rather than calling
   * the host: the function then makes no call that returns into it for a slow access, and TurboFan keeps its
   * registers without the phis and spills such calls need. Needs the flags function (the handler's stores).
   */
  missExits = false;
  /**
   * Whether an access that misses the integer TLB test asks whether the entry holds a page of the kernel's
   * half (the module's KernelHit helper) before its slow path: not for code in the lower half, whose data
   * rarely lies in the upper one (such an access takes the slow path: it misses, or calls the host).
   */
  kernelData = true;
  /** Page offset of the function's first instruction (a miss returns its instruction's PC from it). */
  entryOff = 0;
  private misses = 0;
  /** Whether the function calls something that may throw a guest fault (the host, an interpreter op). */
  throwingCalls = false;

  constructor(readonly slot: number) {
    this.fN = this.local(T.I32);
    this.fZ = this.local(T.I32);
    this.fC = this.local(T.I32);
    this.fV = this.local(T.I32);
    this.fa = this.local(T.I64);
    this.fb = this.local(T.I64);
    this.done = this.local(T.I32);
    this.calledOut = this.local(T.I32);
    this.fk = this.local(T.I32);
    this.where = this.local(T.I32);
  }

  /** Index of the instruction being translated (instructions of the block retired before it). */
  get index(): number {
    return this.insn;
  }

  set index(i: number) {
    this.insn = i;
    this.insnDirty = this.dirtyNow;
    this.flow.startInsn();
  }

  /** The current instruction's interpreter call, from the state at its start (RegFlow.alternative). */
  alternative(): number {
    this.fastDirty = this.dirtyNow;
    this.dirtyNow = this.insnDirty;
    return this.flow.alternative();
  }

  join(fast: number): void {
    this.dirtyNow |= this.fastDirty;
    this.flow.join(fast);
  }

  private fromSlot(r: number): boolean {
    if (this.slotReads === 'straight') return (this.dirtyNow & (1 << r)) === 0;
    const dirty = this.plan?.readDirty[this.flow.reads];
    return this.slotReads === 'planned' && dirty === 0;
  }

  get flags(): Flags {
    return this.flagState;
  }

  set flags(f: Flags) {
    if (f !== Flags.Dyn) this.flagsTouched = true;
    this.flagState = f;
  }

  /** Local holding the current TLB's offset in memory (loaded by the prologue when used). */
  get tlb(): number {
    if (this.tlbLocal < 0) this.tlbLocal = this.local(T.I32);
    return this.tlbLocal;
  }

  /** Local holding the i64 a page's address * 16 plus it makes the bits of the page's data TLB tag (SLOT_DATA_ASID). */
  get dataAsid(): number {
    if (this.dataAsidLocal < 0) this.dataAsidLocal = this.local(T.I64);
    return this.dataAsidLocal;
  }

  /** Local holding the i64 value of the page's virtual address (ADR, BL, literal loads). */
  get pageVa64(): number {
    if (this.pageVaLocal < 0) this.pageVaLocal = this.local(T.I64);
    return this.pageVaLocal;
  }

  local(t: T): number {
    this.locals.push(t);
    return 2 + this.locals.length - 1;
  }

  /** A scratch local, returned with free(). */
  tmp(t: T): number {
    return this.tmpFree[t - T.V128].pop() ?? this.local(t);
  }

  free(t: T, l: number): void {
    this.tmpFree[t - T.V128].push(l);
  }

  private reg(r: number): number {
    if (this.regLocal[r] < 0) this.regLocal[r] = this.local(T.I64);
    return this.regLocal[r];
  }

  /** Pushes Xr (i64). r = 31 is SP when `sp`, else the zero register. */
  x(r: number, sp = false): this {
    if (r === 31 && !sp) this.code.i64(0);
    else if (this.fromSlot(r)) {
      this.flow.slotRead(r);
      this.code.i32(0).mem(Op.I64Load, this.slot + 8 * r);
    } else {
      this.flow.read(r);
      this.code.get(this.reg(r));
    }
    return this;
  }

  /** Pushes Wr zero-extended to i64. */
  wz(r: number, sp = false): this {
    this.x(r, sp);
    this.code.op(Op.I32WrapI64, Op.I64ExtendI32U);
    return this;
  }

  /** Pushes Wr sign-extended to i64. */
  ws(r: number, sp = false): this {
    this.x(r, sp);
    this.code.op(Op.I64Extend32S);
    return this;
  }

  /** Pops an i64 into Xr (32-bit results are zero-extended); r = 31 is SP when `sp`, else the value is dropped. */
  setX(r: number, sf: number, sp = false): this {
    if (sf === 0) this.code.op(Op.I32WrapI64, Op.I64ExtendI32U);
    if (r === 31 && !sp) {
      this.code.op(Op.Drop);
      return this;
    }
    this.written.add(r);
    this.dirtyNow |= 1 << r;
    this.flow.write(r);
    this.code.set(this.reg(r));
    return this;
  }

  /** Marks every register the block will write as written from the start (a self-loop's later iterations). */
  markWritten(regs: Iterable<number>): void {
    for (const r of regs) this.written.add(r);
  }

  /** Loads the used registers, the flags and what the body uses. Emitted into its own Code, placed first. */
  prologue(): Code {
    const c = new Code();
    // Called with the entry's PC: parameter 0 becomes its page's address.
    if (this.entryOff !== 0) c.get(P_PAGE_VA).f64(this.entryOff).op(Op.F64Sub).set(P_PAGE_VA);
    const load = this.entry === null ? ~0 : this.entry.loaded;
    for (let r = 0; r < 32; r++) {
      if (this.regLocal[r] >= 0 && (load & (1 << r)) !== 0) c.i32(0).mem(Op.I64Load, this.slot + 8 * r).set(this.regLocal[r]);
    }
    if (this.flagsTouched || this.flagsFunc < 0) {
      [this.fN, this.fZ, this.fC, this.fV].forEach((l, k) => c.i32(0).mem(Op.I32Load, this.slot + SLOT_FLAGS + 4 * k).set(l));
      if (this.flagsFunc >= 0) {
        // The previous block of a chain may have left NZCV lazy (storeFlagsLazy).
        c.i32(0).mem(Op.I32Load, this.slot + SLOT_LAZY_FLAGS + 16).set(this.fk);
        c.i32(0).mem(Op.I64Load, this.slot + SLOT_LAZY_FLAGS).set(this.fa);
        c.i32(0).mem(Op.I64Load, this.slot + SLOT_LAZY_FLAGS + 8).set(this.fb);
      }
    }
    // (i64.trunc_sat_f64_s: the page's address is an exact integer, and the saturating form needs no trap check.)
    if (this.pageVaLocal >= 0) c.get(P_PAGE_VA).op(0xfc).u(6).set(this.pageVaLocal);
    if (this.tlbLocal >= 0) c.i32(0).mem(Op.I32Load, this.slot + SLOT_TLB_BASE).set(this.tlbLocal);
    if (this.dataAsidLocal >= 0) c.i32(0).mem(Op.I64Load, this.slot + SLOT_DATA_ASID).set(this.dataAsidLocal);
    // An exit that named no link reads the shared one (the key '').
    if (this.siteLocal >= 0 && this.links !== undefined) c.i32(this.links.link('')).set(this.siteLocal);
    return c;
  }

  /** Stores the written registers (but `skip`). */
  spillRegs(skip = 0): void {
    for (const r of this.written) if ((skip & (1 << r)) === 0) this.storeReg(r);
  }

  private storeReg(r: number): void {
    this.code.i32(0).get(this.reg(r)).mem(Op.I64Store, this.slot + 8 * r);
  }

  private writtenMask(): number {
    let m = 0;
    for (const r of this.written) m |= 1 << r;
    return m;
  }

  /**
   * An exit to the function's tail, which stores every written register: those that may still be unloaded
   * and unwritten here are reloaded from the slot first (`tail`: the function's one exit, translated last).
   */
  exitPoint(tail = false): void {
    if (this.plan === undefined) {
      if (tail) this.flow.exit(0);
      else {
        this.flow.plan();
        this.unplanned = true;
      }
      return;
    }
    const fix = this.plan === null ? 0 : (this.plan.garbage[this.flow.points] ?? ~0) & ~this.plan.loaded & this.writtenMask();
    for (let r = 0; r < 32; r++) if ((fix & (1 << r)) !== 0) this.code.i32(0).mem(Op.I64Load, this.slot + 8 * r).set(this.reg(r));
    this.flow.exit(fix);
  }

  /** Before an interpreter op: stores the written registers but those that may still be unloaded and unwritten. */
  private spillPoint(): void {
    if (this.plan === undefined) {
      this.flow.plan();
      this.unplanned = true;
      this.spillRegs();
      return;
    }
    const skip = this.plan === null ? 0 : (this.plan.garbage[this.flow.points] ?? 0) & ~this.plan.loaded;
    this.spillRegs(skip);
    this.flow.spill(this.writtenMask() & ~skip);
  }

  /**
   * The fault handler's stores: a register the prologue loads is stored when written; one it does not, only
   * when `where` names a point where it may have been written (and so certainly was).
   */
  private handlerStores(): void {
    const e = this.entry;
    if (e === null) return this.spillRegs();
    const keys = [...e.faultDirty.keys()].sort((a, b) => a - b);
    const c = this.code;
    for (const r of this.written) {
      const bit = 1 << r;
      if ((e.loaded & bit) !== 0) {
        this.storeReg(r);
        continue;
      }
      const runs: Array<[number, number]> = [];
      keys.forEach((k, i) => {
        if ((e.faultDirty.get(k)! & bit) === 0) return;
        if (i > 0 && runs.length > 0 && runs[runs.length - 1][1] === keys[i - 1]) runs[runs.length - 1][1] = k;
        else runs.push([k, k]);
      });
      if (runs.length === 0) continue;
      runs.forEach(([lo, hi], i) => {
        c.get(this.where).i32(lo).op(Op.I32Sub).i32(hi - lo).op(Op.I32LeU);
        if (i > 0) c.op(Op.I32Or);
      });
      c.op(Op.If, 0x40);
      this.storeReg(r);
      c.op(Op.End);
    }
  }

  /** The analysis of this pass's recording for the next pass (slotReads 'planned'). */
  nextPlan(): EntryPlan {
    return this.flow.analyse(this.writtenMask(), 0, true);
  }

  /** What the prologue loads and the handler stores; null: every register (see plan). */
  private entryPlan(): EntryPlan | null {
    if (this.plan === null) return null;
    const a = this.flow.analyse(this.writtenMask(), this.plan?.loaded ?? 0);
    if (a.broken || (this.plan !== undefined && (a.loaded & ~this.plan.loaded) !== 0)) {
      this.planFailed = true;
      return null;
    }
    return this.flagsFunc < 0 || this.unplanned ? null : a;
  }

  /**
   * Stores the written registers and dirty flags: memory then holds the architectural state. `regs`: a spill
   * before an interpreter op (the default), the function's tail, or its fault handler.
   */
  spill(atEnd = false, regs: 'spill' | 'tail' | 'handler' = 'spill'): void {
    const c = this.code;
    if (regs === 'spill') this.spillPoint();
    else if (regs === 'tail') this.spillRegs();
    else this.handlerStores();
    // Mid-body (an interpreter op) a later instruction may touch NZCV, and a loop bring it back here: use the locals.
    if (!atEnd) this.flagsTouched = true;
    if (!this.flagsTouched && this.flagsFunc >= 0) {
      // NZCV is still what the slot held at entry, perhaps lazy: the flags function makes the words current.
      c.f64(0).i32(0).call(this.flagsFunc);
    } else if (this.flags === Flags.Dyn) {
      // (Entered with the slot's lazy state, flags unwritten or not, the words must be made current.)
      c.get(this.fk).op(Op.If, 0x40);
      this.storeLazyFlags();
      c.op(Op.Else);
      [this.fN, this.fZ, this.fC, this.fV].forEach((l, k) => c.i32(0).get(l).mem(Op.I32Store, this.slot + SLOT_FLAGS + 4 * k));
      c.i32(0).i32(0).mem(Op.I32Store, this.slot + SLOT_LAZY_FLAGS + 16);
      c.op(Op.End);
    } else if (this.flagsDirty) {
      if (this.flagsFunc >= 0) c.i32(0).i32(0).mem(Op.I32Store, this.slot + SLOT_LAZY_FLAGS + 16);
      for (let k = 0; k < 4; k++) {
        c.i32(0);
        this.flag(k);
        c.mem(Op.I32Store, this.slot + SLOT_FLAGS + 4 * k);
      }
    }
  }

  /**
   * Before a call to the host at instruction `index`: the state is the interpreter's if the call throws.
   * With a flags function the function's handler (wrapThrows) stores the registers, the flags, the fault
   * index and the retired count when a call throws, so a call that reads no state (a slow memory access)
   * only says where it is (the local `where`) and how the flags are held; `needsState` stores everything
   * first (an interpreter op reads the registers).
   */
  beforeCall(callsOut = true, needsState = false): void {
    const c = this.code;
    this.throwingCalls = true;
    if (this.flagsFunc < 0) {
      c.i32(0).i32(this.faultBase + this.index).mem(Op.I32Store, this.slot + SLOT_FAULT_INDEX);
      c.i32(0).get(this.done).i32(this.index).op(Op.I32Add).mem(Op.I32Store, this.slot + SLOT_RETIRED);
    } else this.markWhere();
    if (callsOut) this.markCalledOut();
    if (needsState || this.flagsFunc < 0) this.spill();
  }

  /** Says for the handler's stores where the current instruction is and how the flags are held. */
  private markWhere(): void {
    const c = this.code;
    c.i32((this.faultBase << WHERE_BITS) | this.index).set(this.where);
    this.flow.fault((this.faultBase << WHERE_BITS) | this.index);
    if (this.flags !== Flags.Dyn) c.i32(lazyKind(this.flags, this.flagWidth)).set(this.fk);
  }

  /**
   * A slow access with missExits: leaves for the function's miss tail, which stores the state before the
   * current instruction (the handler's stores) and returns its PC with SLOT_CALLED_OUT = CALLED_OUT_MISS.
   */
  missExit(): void {
    this.markWhere();
    this.code.op(Op.Br, ...MARK_BYTES);
    this.misses++;
  }

  /** The chain and a self-loop return to the run loop after this block (endBlock tells the dispatcher). */
  markCalledOut(): void {
    this.code.i32(1).set(this.calledOut);
  }

  /** At the function's end: whether it called out, for the dispatcher. */
  storeCalledOut(): void {
    this.code.i32(0).get(this.calledOut).mem(Op.I32Store, this.slot + SLOT_CALLED_OUT);
  }

  /**
   * The function's body with a handler around it (when there is a flags function): a host call that throws
   * (a guest fault) finds the registers and flags stored. The body's code ends at `from` in this.code; what
   * follows is appended here. Returns the whole function's code, prologue first.
   */
  wrapThrows(flagsWritten: boolean): Code {
    const c = this.code;
    const main = c.b.length;
    this.entry = this.entryPlan();
    const body = this.prologue();
    if (this.flagsFunc < 0) {
      body.append(c);
      c.release();
      return body;
    }
    this.flags = Flags.Dyn;
    this.flagsDirty = flagsWritten;
    // The instruction that threw (or missed): its index from the function's entry, and the instructions retired
    // before it. (faultBase is negative for a region block before its head: an arithmetic shift.)
    c.i32(0).get(this.where).i32(WHERE_BITS).op(Op.I32ShrS).get(this.where).i32(WHERE_MASK).op(Op.I32And, Op.I32Add).mem(Op.I32Store, this.slot + SLOT_FAULT_INDEX);
    c.i32(0).get(this.done).get(this.where).i32(WHERE_MASK).op(Op.I32And, Op.I32Add).mem(Op.I32Store, this.slot + SLOT_RETIRED);
    this.spill(true, 'handler');
    //   block $miss  [try] body [catch_all handler rethrow end] [chain tail] return  end
    //   handler's stores; SLOT_CALLED_OUT = miss; the instruction's PC
    const missStart = body.b.length + 2;
    if (this.misses > 0) body.op(Op.Block, 0x40);
    if (this.throwingCalls) {
      body.op(Op.Try, T.F64);
      body.append(c, 0, main);
      body.op(Op.CatchAll);
      body.append(c, main);
      body.op(Op.Rethrow, 0, Op.End);
    } else body.append(c, 0, main);
    if (this.chains && this.siteLocal >= 0) this.chainTail(body);
    if (this.misses > 0) {
      body.op(Op.Return, Op.End);
      body.append(c, main);
      body.i32(0).i32(CALLED_OUT_MISS).mem(Op.I32Store, this.slot + SLOT_CALLED_OUT);
      body.get(P_PAGE_VA).i32(0).mem(Op.I32Load, this.slot + SLOT_FAULT_INDEX).i32(2).op(Op.I32Shl).i32(this.entryOff).op(Op.I32Add, Op.F64ConvertI32S, Op.F64Add);
      if (patchMarkedBranches(body.b, missStart) !== this.misses) throw new Error('jit: a miss branch was not patched');
    }
    c.release();
    return body;
  }

  /** Before an exit: its link (key as for `links`) is the one the function's end reads. */
  exitSite(key: string): void {
    if (this.links === undefined) return;
    if (this.siteLocal < 0) this.siteLocal = this.local(T.I32);
    this.code.i32(this.links.link(key)).set(this.siteLocal);
  }

  /** Before an exit: the link on the stack (i32, a memory offset) is the one the function's end reads. */
  exitSiteValue(): void {
    if (this.siteLocal < 0) this.siteLocal = this.local(T.I32);
    this.code.set(this.siteLocal);
  }

  /**
   * After the handler's `try` (the next PC on the stack): when the exit's link holds that PC in the current
   * epoch, nothing called out, budget is left and the depth allows, calls the linked function with what is
   * left of the budget and returns its result (the slot's link words let the dispatcher account for this
   * function's instructions, and for a fault further on); else says which exit it was and returns the PC.
   */
  private chainTail(body: Code): void {
    const slot = this.slot;
    const next = this.local(T.F64);
    const site = this.siteLocal;
    body.set(next);
    body.get(site).mem(Op.F64Load, 0).get(next).op(Op.F64Eq);
    body.get(site).mem(Op.I32Load, 8).i32(0).mem(Op.I32Load, slot + SLOT_EPOCH).op(Op.I32Eq, Op.I32And);
    body.i32(0).mem(Op.I32Load, slot + SLOT_LINK_DEPTH).i32((this.links as ExitLinks).depth).op(Op.I32LtU, Op.I32And);
    body.get(this.calledOut).op(Op.I32Eqz, Op.I32And);
    body.get(this.done).get(P_BUDGET).op(Op.I32LtS, Op.I32And);
    body.op(Op.If, 0x40);
    body.i32(0).i32(0).mem(Op.I32Load, slot + SLOT_LINK_DEPTH).i32(1).op(Op.I32Add).mem(Op.I32Store, slot + SLOT_LINK_DEPTH);
    body.i32(0).i32(0).mem(Op.I32Load, slot + SLOT_LINK_RETIRED).get(this.done).op(Op.I32Add).mem(Op.I32Store, slot + SLOT_LINK_RETIRED);
    body.i32(0).get(next).mem(Op.F64Store, slot + SLOT_LINK_PC);
    body.get(next);
    body.get(P_BUDGET).get(this.done).op(Op.I32Sub);
    body.get(site).mem(Op.I32Load, 12).op(Op.CallIndirect, 0, 0, Op.Return);
    body.op(Op.End);
    body.i32(0).get(site).mem(Op.I32Store, slot + SLOT_LINK_SITE);
    body.get(next);
  }

  /** Registers held in locals so far. */
  usedRegs(): number[] {
    const used: number[] = [];
    this.regLocal.forEach((l, r) => l >= 0 && used.push(r));
    return used;
  }

  /**
   * After the host changed the state in the slot (an interpreted instruction): reloads the registers
   * in locals, `more` (registers the rest of the block uses), the flags, the TLB base and the ASID.
   */
  reload(more: Iterable<number>): void {
    const c = this.code;
    for (const r of more) this.reg(r);
    let m = 0;
    this.regLocal.forEach((l, r) => {
      if (l < 0) return;
      c.i32(0).mem(Op.I64Load, this.slot + 8 * r).set(l);
      m |= 1 << r;
    });
    this.flow.clean(m);
    this.dirtyNow &= ~m;
    [this.fN, this.fZ, this.fC, this.fV].forEach((l, k) => c.i32(0).mem(Op.I32Load, this.slot + SLOT_FLAGS + 4 * k).set(l));
    this.flags = Flags.Locals;
    c.i32(0).mem(Op.I32Load, this.slot + SLOT_TLB_BASE).set(this.tlb);
    c.i32(0).mem(Op.I64Load, this.slot + SLOT_DATA_ASID).set(this.dataAsid);
  }

  // ---- flags ----

  /** Records a flag setter; the operands (or result) are on the stack as i64, already sign-extended when 32-bit. */
  setFlagsLazy(kind: Flags.Sub | Flags.Add, width: number): void {
    this.code.set(this.fb).set(this.fa);
    this.flags = kind;
    this.flagWidth = width;
    this.flagsDirty = true;
  }

  setFlagsLogic(width: number): void {
    this.code.set(this.fa);
    this.flags = Flags.Logic;
    this.flagWidth = width;
    this.flagsDirty = true;
  }

  /** Sets NZCV from the i32 on the stack (bits 3..0 = N, Z, C, V). */
  setFlagsFromNibble(): void {
    const t = this.tmp(T.I32);
    const c = this.code.set(t);
    [this.fN, this.fZ, this.fC, this.fV].forEach((l, k) => c.get(t).i32(3 - k).op(Op.I32ShrU).i32(1).op(Op.I32And).set(l));
    this.free(T.I32, t);
    this.flags = Flags.Locals;
    this.flagsDirty = true;
  }

  /** Copies the current flags into the locals (a self-loop's back edge, or before a conditional flag write). */
  materialize(): void {
    this.flagsTouched = true;
    if (this.flags === Flags.Locals) return;
    if (this.flags === Flags.Dyn) {
      const c = this.code;
      c.get(this.fk).op(Op.If, 0x40);
      this.storeLazyFlags();
      [this.fN, this.fZ, this.fC, this.fV].forEach((l, k) => c.i32(0).mem(Op.I32Load, this.slot + SLOT_FLAGS + 4 * k).set(l));
      c.i32(0).set(this.fk);
      c.op(Op.End);
      this.flags = Flags.Locals;
      return;
    }
    const ls = [this.fN, this.fZ, this.fC, this.fV];
    const tmps = ls.map(() => this.tmp(T.I32));
    for (let k = 0; k < 4; k++) {
      this.flag(k);
      this.code.set(tmps[k]);
    }
    for (let k = 0; k < 4; k++) this.code.get(tmps[k]).set(ls[k]);
    tmps.forEach((t) => this.free(T.I32, t));
    this.flags = Flags.Locals;
  }

  /**
   * At a function's exit into a chain: NZCV left lazy in the slot (kind, a, b) for the next block's prologue;
   * the dispatcher makes the flag words current before the run loop sees them.
   */
  storeFlagsLazy(): void {
    const c = this.code;
    if (!this.flagsTouched) return;
    if (this.flags === Flags.Locals) {
      if (!this.flagsDirty) return;
      [this.fN, this.fZ, this.fC, this.fV].forEach((l, k) => c.i32(0).get(l).mem(Op.I32Store, this.slot + SLOT_FLAGS + 4 * k));
      c.i32(0).i32(0).mem(Op.I32Store, this.slot + SLOT_LAZY_FLAGS + 16);
      return;
    }
    if (this.flags !== Flags.Dyn) c.i32(lazyKind(this.flags, this.flagWidth)).set(this.fk);
    c.get(this.fk).op(Op.If, 0x40);
    c.i32(0).get(this.fa).mem(Op.I64Store, this.slot + SLOT_LAZY_FLAGS);
    c.i32(0).get(this.fb).mem(Op.I64Store, this.slot + SLOT_LAZY_FLAGS + 8);
    c.op(Op.Else);
    [this.fN, this.fZ, this.fC, this.fV].forEach((l, k) => c.i32(0).get(l).mem(Op.I32Store, this.slot + SLOT_FLAGS + 4 * k));
    c.op(Op.End);
    c.i32(0).get(this.fk).mem(Op.I32Store, this.slot + SLOT_LAZY_FLAGS + 16);
  }

  /** A Dyn state with fk != 0: NZCV into the slot's flag words, through the module's flags function. */
  private storeLazyFlags(): void {
    const c = this.code;
    c.i32(0).get(this.fa).mem(Op.I64Store, this.slot + SLOT_LAZY_FLAGS);
    c.i32(0).get(this.fb).mem(Op.I64Store, this.slot + SLOT_LAZY_FLAGS + 8);
    c.i32(0).get(this.fk).mem(Op.I32Store, this.slot + SLOT_LAZY_FLAGS + 16);
    c.f64(0).i32(0).call(this.flagsFunc);
  }

  /** Before an edge or exit of a region: fk says how the flags are held, and the next block starts in the Dyn state. */
  toDyn(): void {
    if (this.flags !== Flags.Dyn) this.code.i32(lazyKind(this.flags, this.flagWidth)).set(this.fk);
    this.flags = Flags.Dyn;
  }

  /** Pushes flag k (0 N, 1 Z, 2 C, 3 V) as an i32 0/1. */
  flag(k: number): void {
    const c = this.code;
    this.flagsTouched = true;
    if (this.flags === Flags.Dyn) this.materialize();
    const w32 = this.flagWidth === 32;
    switch (this.flags) {
      case Flags.Locals:
        c.get([this.fN, this.fZ, this.fC, this.fV][k]);
        return;
      case Flags.Logic:
        if (k === 0) c.get(this.fa).i64(0).op(Op.I64LtS);
        else if (k === 1) c.get(this.fa).op(Op.I64Eqz);
        else c.i32(0);
        return;
      case Flags.Sub:
      case Flags.Add: {
        const add = this.flags === Flags.Add;
        const r = () => c.get(this.fa).get(this.fb).op(add ? Op.I64Add : Op.I64Sub);
        if (k === 0) {
          r();
          if (w32) c.op(Op.I32WrapI64).i32(31).op(Op.I32ShrU);
          else c.i64(63).op(Op.I64ShrU, Op.I32WrapI64);
        } else if (k === 1) {
          r();
          if (w32) c.op(Op.I32WrapI64, Op.I32Eqz);
          else c.op(Op.I64Eqz);
        } else if (k === 2) {
          if (!add) c.get(this.fa).get(this.fb).op(Op.I64GeU);
          else if (w32) c.get(this.fa).i64(-1, 0).op(Op.I64And).get(this.fb).i64(-1, 0).op(Op.I64And, Op.I64Add).i64(32).op(Op.I64ShrU, Op.I32WrapI64);
          else r().get(this.fa).op(Op.I64LtU);
        } else if (w32) {
          r();
          r();
          c.op(Op.I64Extend32S, Op.I64Ne);
        } else {
          // Sub: (a ^ b) & (a ^ r); Add: ~(a ^ b) & (a ^ r); the sign bit.
          c.get(this.fa).get(this.fb).op(Op.I64Xor);
          if (add) c.i64(-1).op(Op.I64Xor);
          c.get(this.fa);
          r();
          c.op(Op.I64Xor, Op.I64And).i64(63).op(Op.I64ShrU, Op.I32WrapI64);
        }
        return;
      }
    }
  }

  /** Pushes the A64 condition `cond` (C1.2.4) as an i32 0/1. */
  condition(cond: number): void {
    const c = this.code;
    if (cond >>> 1 === 7) {
      c.i32(1);
      return;
    }
    if (this.flags === Flags.Sub && (cond >>> 1 === 0 || cond >>> 1 >= 4 || cond >>> 1 === 1)) {
      // A compare's operands decide the common conditions directly.
      const ops = [Op.I64Eq, Op.I64Ne, Op.I64GeU, Op.I64LtU, 0, 0, 0, 0, Op.I64GtU, Op.I64LeU, Op.I64GeS, Op.I64LtS, Op.I64GtS, Op.I64LeS];
      c.get(this.fa).get(this.fb).op(ops[cond]);
      return;
    }
    if (this.flags === Flags.Logic && cond >>> 1 !== 1 && cond >>> 1 !== 3 && cond >>> 1 !== 4) {
      const ops = [Op.I64Eq, Op.I64Ne, 0, 0, Op.I64LtS, Op.I64GeS, 0, 0, 0, 0, Op.I64GeS, Op.I64LtS, Op.I64GtS, Op.I64LeS];
      c.get(this.fa).i64(0).op(ops[cond]);
      return;
    }
    switch (cond >>> 1) {
      case 0:
        this.flag(1);
        break;
      case 1:
        this.flag(2);
        break;
      case 2:
        this.flag(0);
        break;
      case 3:
        this.flag(3);
        break;
      case 4: // HI: C && !Z
        this.flag(2);
        this.flag(1);
        c.op(Op.I32Eqz, Op.I32And);
        break;
      case 5: // GE: N == V
        this.flag(0);
        this.flag(3);
        c.op(Op.I32Eq);
        break;
      default: // GT: !Z && N == V
        this.flag(0);
        this.flag(3);
        c.op(Op.I32Eq);
        this.flag(1);
        c.op(Op.I32Eqz, Op.I32And);
        break;
    }
    if ((cond & 1) === 1) c.op(Op.I32Eqz);
  }

  /** Pushes pageVa + off as f64 (an address or PC for the host). */
  pcF64(off: number): void {
    this.code.get(P_PAGE_VA).f64(off).op(Op.F64Add);
  }
}
