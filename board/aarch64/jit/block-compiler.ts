// The A64 block compiler's driver: blocks that ran `threshold` times through
// the interpreter are queued and compiled in batches, many functions per
// WebAssembly module (V8 compiles a module per instantiation, so one module
// per block would cost more than it saves). The module imports the board's
// memory (RAM, the register file and the TLB in the CPU slot) and the
// VirtualMemory accessors for slow accesses.
//
// A compiled function belongs to its Block, which belongs to its physical
// code page: a write to the page drops both. Nothing else is assumed about
// addresses (the page's virtual address, the TLB and the ASID are read when
// the function runs), so TLB maintenance and ASID changes need no action here.

import type { PhysicalMemory } from '../../memory/physical-memory';
import type { VirtualMemory } from '../virtual-memory';
import { BLOCK_TYPE } from './block-translator';
import { SLOT_DISPATCHES, SLOT_SCRATCH, SLOT_SCRATCH16, SLOT_TRACE_CHECKS } from './cpu-slot';
import { JumpCache } from './jump-cache';
import { findRegion, pageOf } from './region-translator';
import { FetchProbe, Trace, Traces } from './traces';
import { TLB_MASK } from '../virtual-memory';
import { isNopHint, type InterpreterOps } from './interpreter-ops';
import type { Op as InterpreterOp } from '../decoder';
import { exportName } from '../../jit/wasm-module';
import { InstructionFacts, JobItem, JobResult, RegionPlan, TranslationJob, translateJob } from './translation-job';
import { Landed, offThreadTranslator, type OffThreadTranslator } from './off-thread';
import type { ExitLinks } from './jit-context';

export type JitMode = 'off' | 'on' | 'always';

/** (entry PC, budget) -> next PC; leaves the retired count in the slot. */
export type CompiledBlock = (pc: number, budget: number) => number;

/** What the compiler needs of a decoded block. */
export interface CompilableBlock {
  readonly startOff: number;
  readonly endOff: number;
  /** Offset in the board's memory of the block's page, and whether that page's code is still current. */
  readonly page: { readonly ramOffset: number; readonly valid: boolean; readonly blocks: ArrayLike<{ readonly runs: number; readonly jitState: number } | undefined> };
  compiled: CompiledBlock | undefined;
  /** Instructions `compiled` covers (a prefix of the block). */
  compiledCount: number;
  /** Index of a whole block's function in the jump cache's table (-1: not chained). */
  tableIndex: number;
  /** Queued or compiled already, or known not to compile. */
  jitState: number;
  /** A region spanning pages (traces.ts): checked by `enterTrace` before each entry from the run loop. */
  trace: Trace | undefined;
  /** Times its function left at a slow memory access (Jit.missExits); at MISS_LIMIT it compiles again with calls. */
  jitMisses: number;
  /** Its slow accesses call the host (it missed too often to leave at each). */
  missCalls: boolean;
}

/** Misses after which a function compiles again with its slow accesses calling the host (a hot MMIO or code-page store). */
export const MISS_LIMIT = 64;

/** What a region needs of a code page: its RAM offset, its blocks' heat, whether its code is current. */
type RegionPage = CompilableBlock['page'];

export const enum JitState {
  Cold = 0,
  Queued = 1,
  Done = 2,
}

export interface JitStats {
  blocks: number;
  /** Blocks whose first instruction is outside the subset. */
  refused: number;
  /** Blocks compiled only up to an instruction outside the subset. */
  partial: number;
  modules: number;
  /** Times the run loop entered the dispatcher, and the instructions those chains retired. */
  chains: number;
  chained: number;
  /** Times every compiled block was forgotten (MAX_COMPILED reached). */
  resets: number;
  /** Bytes of WebAssembly generated. */
  bytes: number;
  /** Guest instructions the functions compiled (a region's blocks all count). */
  insns: number;
  compileMs: number;
  /** Of compileMs, the time V8 took to compile and instantiate the modules. */
  instantiateMs: number;
  /** First instruction not compiled, by encoding name: what to add next. */
  readonly stoppers: Map<string, number>;
  /** Functions holding a region of several blocks (region-translator.ts), and the blocks in them. */
  regions: number;
  regionBlocks: number;
  /** Regions spanning code pages (traces.ts), and those forgotten because a page of theirs lost its code. */
  traces: number;
  tracesDropped: number;
  /** Instructions compiled as calls to the interpreter's op, by encoding name. */
  readonly interpreted: Map<string, number>;
  /** Times a function left at a slow memory access (Jit.missExits), and functions compiled again with host calls after MISS_LIMIT. */
  misses: number;
  missDemoted: number;
  /** Batches translated on another thread (off-thread.ts), its time, and batches it failed or that came back too late to use. */
  offThread: number;
  offThreadMs: number;
  offThreadLost: number;
}

/** Blocks compiled per module, at most. */
const BATCH = 64;
/**
 * Compiled blocks kept at once. Blocks whose code page went away stay in the
 * table (and keep their module alive) until then; past it everything is
 * forgotten and what is still hot compiles again.
 */
const MAX_COMPILED = 16384;

/** Interpreted runs that make a block of the page worth a place in another block's region. */
const REGION_RUNS = 32;

/** Whether the instruction before `off` (in its page) is a BL or BLR: the block at `off` is a return address. */
function returnsHere(word: (off: number) => number, off: number): boolean {
  if ((off & 4095) < 4) return false;
  const w = word(off - 4);
  return (w & 0xfc000000) >>> 0 === 0x94000000 || (w & 0xfffffc1f) >>> 0 === 0xd63f0000;
}

export class BlockCompiler {
  mode: JitMode;
  /** Whether hot blocks take the hot blocks their branches reach in their page along (region-translator.ts). */
  regions = true;
  /**
   * Regions hold only the blocks on a loop through their head (else every hot block the head's branches reach).
   * Every hot successor is the default: bash's loop -15% CPU, sort -8%, gzip -4%, bzip2 and sha256sum unchanged
   * (docs/performance.md, session 7); `SALTY_JIT_REGIONS=loops` restores loops only.
   */
  regionLoopsOnly = false;
  /**
   * Regions also follow BL into a callee of the page and RET back to the block after the BL. Off by default:
   * bash's loop and sort took as much CPU as without regions of every successor (bigger functions, 16% more
   * bytes); `SALTY_JIT_REGIONS=calls` turns it on (tests/cpu/jit-calls-differential.test.ts).
   */
  regionCalls = false;
  /**
   * Regions also take hot blocks of other code pages their direct branches reach (traces.ts), each such
   * page's mapping checked once per epoch. Off by default (`SALTY_JIT_REGIONS=pages`, or `calls,pages`):
   * see docs/performance.md, session 8.
   */
  regionPages = false;
  /**
   * Exits go on to the function of their last target through a link (jump-cache.ts) instead of returning to
   * the dispatcher; 'static' gives only exits to a known target a link of their own (a register branch's share
   * one). Off by default (SALTY_JIT_CHAIN=1 or static): see docs/performance.md, session 9. Read when the jump
   * cache is made (with the first compiled block).
   */
  chain: false | true | 'static' = false;
  /** Functions of one dispatch that go on through links, at most (the stack's depth; SALTY_JIT_CHAIN_DEPTH). */
  chainDepth = 16;
  /** The dispatcher counts its lookups (SALTY_JIT_COUNT=1; --stats prints them). */
  countDispatches = false;
  /**
   * A slow memory access leaves the function for the run loop, which interprets from it (Jit.missExits),
   * until the function misses MISS_LIMIT times; SALTY_JIT_MISS=call makes every slow access call the host.
   */
  missExits = true;
  /** Misses after which a function compiles again with host calls (tests lower it). */
  missLimit = MISS_LIMIT;
  private readonly traces: Traces;
  /** What a virtual address fetches from now (traces.ts). */
  private readonly probe: FetchProbe;
  /**
   * Virtual address of the page each queued block was requested from: regions spanning pages look at the
   * pages around it, and code of the lower half skips the kernel-half test of its accesses (accessMode).
   */
  private readonly queuedVa = new Map<CompilableBlock, number>();
  /** Compiled blocks kept before all are forgotten (tests lower it). */
  maxCompiled = MAX_COMPILED;
  readonly stats: JitStats = { traces: 0, tracesDropped: 0, regions: 0, regionBlocks: 0, blocks: 0, chains: 0, chained: 0, resets: 0, refused: 0, partial: 0, modules: 0, bytes: 0, insns: 0, compileMs: 0, instantiateMs: 0, stoppers: new Map(), interpreted: new Map(), misses: 0, missDemoted: 0, offThread: 0, offThreadMs: 0, offThreadLost: 0 };
  private queue: CompilableBlock[] = [];
  /** Blocks holding a compiled function, to forget them all at MAX_COMPILED. */
  private compiledBlocks: CompilableBlock[] = [];
  private readonly host: Record<string, unknown>;
  private readonly pages: number;
  private jumpCache: JumpCache | undefined;

  constructor(
    private readonly phys: PhysicalMemory,
    vm: VirtualMemory,
    private readonly slot: number,
    mode: JitMode,
    private readonly encodingName: (insn: number) => string | undefined,
    /** TPIDR_EL0's value into (lo, hi) of the scratch pair (MRS TPIDR_EL0, libc's thread pointer). */
    readTpidr: (out: Int32Array) => void,
    /** Runs instructions outside the subset inside compiled blocks (without it they end the compiled part). */
    private readonly interpreter?: InterpreterOps,
  ) {
    this.mode = mode;
    this.offThread = mode === 'on' ? offThreadTranslator() : undefined;
    // SALTY_JIT_REGIONS: 0 (none), or any of loops, calls, pages joined by commas.
    const regions = typeof process !== 'undefined' ? (process.env.SALTY_JIT_REGIONS ?? '').split(',') : [];
    if (regions.includes('0')) this.regions = false;
    if (regions.includes('loops')) this.regionLoopsOnly = true;
    if (regions.includes('calls')) this.regionCalls = true;
    if (regions.includes('pages')) this.regionPages = true;
    const env = typeof process !== 'undefined' ? process.env : {};
    if (env.SALTY_JIT_CHAIN === '1') this.chain = true;
    if (env.SALTY_JIT_CHAIN === 'static') this.chain = 'static';
    if (env.SALTY_JIT_CHAIN_DEPTH !== undefined) this.chainDepth = Number(env.SALTY_JIT_CHAIN_DEPTH);
    if (env.SALTY_JIT_COUNT === '1') this.countDispatches = true;
    if (env.SALTY_JIT_MISS === 'call') this.missExits = false;
    // What a virtual address fetches from now: the fetch TLB, else a translation (its fault only says no).
    const probe: FetchProbe = (va) => {
      const i = (va >>> 12) & TLB_MASK;
      const p = vm.xPage[i];
      if (vm.xTag[i] === va * 16 + vm.asid && p !== undefined && p.valid) return p;
      try {
        return vm.fetchSlow(va);
      } catch {
        return undefined;
      }
    };
    this.probe = probe;
    const interpretable = new Map<number, boolean>();
    this.facts = {
      interpretable: (insn) => {
        if (interpreter === undefined) return false;
        let yes = interpretable.get(insn);
        if (yes === undefined) interpretable.set(insn, (yes = interpreter.decode(insn, 0) !== undefined));
        return yes;
      },
      isNop: this.isNop,
    };
    this.traces = new Traces(phys.memory.buffer, slot, probe);
    this.pages = phys.memory.buffer.byteLength / 65536;

    const scratch = new Int32Array(phys.memory.buffer, slot + SLOT_SCRATCH, 2);
    const scratch16 = new Int32Array(phys.memory.buffer, slot + SLOT_SCRATCH16, 4);
    this.host = {
      mem: phys.memory,
      r8: (a: number) => vm.read8(a),
      r16: (a: number) => vm.read16(a),
      r32: (a: number) => vm.read32(a),
      r64: (a: number) => vm.read64(a, scratch, 0),
      w8: (a: number, v: number) => vm.write8(a, v & 0xff),
      w16: (a: number, v: number) => vm.write16(a, v & 0xffff),
      w32: (a: number, v: number) => vm.write32(a, v),
      tpidr: () => readTpidr(scratch),
      op: () => {
        throw new Error('block compiler: an interpreter op without interpreter ops');
      },
      r128: (a: number) => vm.read128(a, scratch16, 0),
      w128: (a: number) => vm.write128(a, scratch16, 0),
      w64: (a: number, lo: number, hi: number) => {
        scratch[0] = lo;
        scratch[1] = hi;
        vm.write64(a, scratch, 0);
      },
    };
  }

  /** HINTs without effect, DMB and DSB: the interpreter runs them as no-ops. */
  private readonly isNop = (insn: number): boolean => isNopHint(insn, this.encodingName);

  /**
   * How `block`'s accesses take their slow path: leaving at a miss unless it missed too often (or misses are
   * off), and testing for kernel-half entries unless its code lies in the lower half and it may still miss.
   */
  private accessMode(block: CompilableBlock): { missExits: boolean; kernelData: boolean } {
    const missExits = this.missExits && !block.missCalls;
    return { missExits, kernelData: !missExits || (this.queuedVa.get(block) ?? -1) < 0 };
  }

  /**
   * The function of `block` (at page `pageVa`) left at a slow memory access. At `missLimit` misses it is
   * queued to compile again with host calls; the jump cache's entries for it go (the old function is still a
   * right translation, but it would go on missing).
   */
  noteMiss(block: CompilableBlock, pageVa: number): void {
    this.stats.misses++;
    if (++block.jitMisses < this.missLimit || block.missCalls) return;
    this.stats.missDemoted++;
    block.missCalls = true;
    block.compiled = undefined;
    block.compiledCount = 0;
    block.jitState = JitState.Cold;
    this.jumpCache?.forget(pageVa + block.startOff);
    this.request(block, pageVa);
  }

  /** The interpreter ran the block `threshold` times (or, in 'always' mode, is about to run it first) at page `pageVa`. */
  request(block: CompilableBlock, pageVa?: number): void {
    if (block.jitState !== JitState.Cold) return;
    block.jitState = JitState.Queued;
    this.queue.push(block);
    if (pageVa !== undefined) this.queuedVa.set(block, pageVa);
    if (this.mode === 'always' || this.queue.length >= BATCH) this.flush();
  }

  /** The jump cache and its dispatcher, made with the first compiled block. */
  get cache(): JumpCache {
    if (this.jumpCache === undefined) this.jumpCache = new JumpCache(this.phys.memory, this.slot, { chain: this.chain !== false, count: this.countDispatches });
    return this.jumpCache;
  }

  /** Lookups the dispatcher made (counted only with `countDispatches`). */
  get dispatches(): number {
    return this.jumpCache === undefined ? 0 : new Int32Array(this.phys.memory.buffer, this.slot + SLOT_DISPATCHES, 1)[0];
  }

  /** Links taken by compiled exits since the last reset. */
  get linksTaken(): number {
    return this.jumpCache?.linksTaken ?? 0;
  }

  /** The links of one function's exits (Jit.links), one per target, the same in each of its translation passes; undefined without chaining. */
  private linksOf(): ExitLinks | undefined {
    if (this.chain === false) return undefined;
    const cache = this.cache;
    const shared = cache.sharedLink;
    const mine = new Map<string, number>();
    const indirect = this.chain === true;
    const link = (key: string): number => {
      if (key === '' || (!indirect && key[0] === 'd')) return shared;
      let l = mine.get(key);
      if (l === undefined) mine.set(key, (l = cache.allocLink()));
      return l;
    };
    return { link, depth: this.chainDepth };
  }

  /** Blocks waiting to compile: queued, or in a batch on another thread. */
  get pending(): number {
    return this.queue.length + this.away;
  }

  /** Batches on another thread (off-thread.ts). */
  private away = 0;
  /** Counts forgetAll: a batch planned before the last one comes back to nothing. */
  private generation = 0;
  /** Translates batches in 'on' mode when the host gave one (without links, which are this thread's). */
  private readonly offThread: OffThreadTranslator | undefined;

  private queuedAt = -1;

  private forgetAll(): void {
    for (const b of this.compiledBlocks) {
      b.compiled = undefined;
      b.compiledCount = 0;
      b.tableIndex = -1;
      b.trace = undefined;
      b.jitState = JitState.Cold;
    }
    this.compiledBlocks = [];
    this.generation++;
    this.traces.reset();
    this.jumpCache?.reset();
    this.stats.resets++;
  }

  /** Between runs: compiles the queue once it is a batch or has waited `waitRetired` instructions. */
  maybeFlush(retired: number, waitRetired = 1 << 21): void {
    if (this.away > 0) this.offThread?.poll();
    if (this.queue.length === 0) return;
    if (this.queuedAt < 0) this.queuedAt = retired;
    if (this.queue.length >= BATCH / 4 || retired - this.queuedAt >= waitRetired) {
      this.queuedAt = -1;
      this.flush();
    }
  }

  /**
   * The region `block` heads (the hot blocks its direct branches reach in its page) as an item of `job`, or
   * undefined (a region of one, or regions off). Its blocks go into `covered`: they compile alone in this batch.
   */
  private region(block: CompilableBlock, job: JobPlan, covered: Set<number>): RegionPlan | undefined {
    if (!this.regions || (this.interpreter !== undefined && !this.interpreter.regionsAllowed())) return undefined;
    const view = this.phys.view;
    const va = this.regionPages ? this.queuedVa.get(block) : undefined;
    // Pages by index from the head's (0): other pages only around a known virtual address (traces.ts).
    const pages = new Map<number, RegionPage | undefined>([[0, block.page]]);
    const pageAt = (p: number): RegionPage | undefined => {
      if (!pages.has(p)) pages.set(p, va === undefined ? undefined : (this.probe(va + p * 4096) as RegionPage | undefined));
      return pages.get(p);
    };
    const head = block.page.ramOffset;
    const word = (off: number): number => {
      if (off >= 0 && off < 4096) return view.getUint32(head + off, true);
      const page = pageAt(pageOf(off));
      return page === undefined ? 0 : view.getUint32(page.ramOffset + (off & 4095), true);
    };
    const always = this.mode === 'always';
    // 'always' (tests) takes every block its branches reach, decoded or not.
    const include = (off: number): boolean => {
      const page = off >= 0 && off < 4096 ? block.page : pageAt(pageOf(off));
      if (page === undefined || !page.valid) return false;
      const b = page.blocks[(off & 4095) >>> 2];
      return always || (b !== undefined && (b.runs >= REGION_RUNS || b.jitState !== JitState.Cold));
    };
    let blocks = findRegion(word, block.startOff, block.endOff, include, this.regionLoopsOnly, this.regionCalls, va !== undefined);
    // (A head alone lies in its page: no other page to check, no region.)
    if (blocks.length < 2) return undefined;
    const others = [...new Set(blocks.map((b) => pageOf(b.start)).filter((p) => p !== 0))];
    const check = others.length > 0 ? this.traces.allocate() : -1;
    if (others.length > 0 && check < 0) blocks = findRegion(word, block.startOff, block.endOff, include, this.regionLoopsOnly, this.regionCalls);
    if (blocks.length < 2) return undefined;
    const otherPages = check < 0 ? [] : others.map((p) => [p, job.page(pageAt(p) as RegionPage)] as const);
    if (check >= 0) job.traces.set(block, { check, pages: others.map((p) => ({ delta: p * 4096, page: pageAt(p) as RegionPage })), failedEpoch: -1 });
    // A block a callee returns to is also entered from the dispatcher (a RET from outside the region): with
    // calls it keeps its own region (else it compiles alone, and bash's loop went through the dispatcher 30% more).
    for (const b of blocks) if (!this.regionCalls || !returnsHere(word, b.start)) covered.add((pageAt(pageOf(b.start)) as RegionPage).ramOffset + (b.start & 4095));
    return { blocks, otherPages, crossCheck: check < 0 ? undefined : this.slot + SLOT_TRACE_CHECKS + 4 * check };
  }

  /** Answers the translator's questions about instructions (the interpreter's decoder). */
  private readonly facts: InstructionFacts;

  /**
   * The run loop enters `block`'s compiled function at `pc` (a region spanning pages): checks its other pages
   * for this epoch, and forgets the function when one lost its code (this entry still runs it, stopping there).
   */
  enterTrace(block: CompilableBlock, pc: number, epoch: number): void {
    const t = block.trace as Trace;
    if (this.traces.validate(t, pc, epoch)) return;
    block.compiled = undefined;
    block.compiledCount = 0;
    block.trace = undefined;
    block.jitState = JitState.Cold;
    this.stats.tracesDropped++;
  }

  /** Compiles the queued blocks whose code is still current, in one module (here, or on the translator's thread: off-thread.ts). */
  flush(): void {
    const blocks = this.queue.filter((b) => b.page.valid);
    this.queue = [];
    if (blocks.length === 0) {
      this.queuedVa.clear();
      return;
    }
    const t0 = performance.now();
    const away = this.offThread !== undefined && this.mode === 'on' && this.chain === false;
    const plan = this.plan(blocks, away);
    this.queuedVa.clear();
    const generation = this.generation;
    if (away && this.offThread!.submit(plan.job, (l) => this.landed(plan, generation, l))) this.away++;
    else this.install(plan, translateJob(plan.job, this.facts, this.chain === false ? undefined : () => this.linksOf(), this.chain !== false));
    this.stats.compileMs += performance.now() - t0;
  }

  /**
   * A batch came back from the other thread. Its blocks ran interpreted meanwhile; after a forgetAll they may
   * compile again, and a block whose page lost its code is gone with the page.
   */
  private landed(plan: Plan, generation: number, l: Landed): void {
    this.away--;
    const t0 = performance.now();
    if ('error' in l || generation !== this.generation) {
      this.stats.offThreadLost++;
      // (A batch the translator failed stays interpreted: asking again would fail again.)
      if (generation !== this.generation) for (const b of plan.heads) b.jitState = JitState.Cold;
      return;
    }
    this.stats.offThread++;
    this.stats.offThreadMs += l.ms;
    this.install(plan, l.result, l.module === undefined ? undefined : { module: l.module, size: l.size });
    this.stats.compileMs += performance.now() - t0;
  }

  /**
   * The batch as a job: each block's item (a region it heads, or the block alone) and the code pages they read
   * (views of RAM, or copies when the job goes to another thread).
   */
  private plan(blocks: CompilableBlock[], copy: boolean): Plan {
    const buffer = this.phys.memory.buffer;
    const pages: Uint32Array[] = [];
    const pageIndex = new Map<number, number>();
    const plan: JobPlan = {
      traces: new Map(),
      page: (p) => {
        let i = pageIndex.get(p.ramOffset);
        if (i === undefined) {
          pageIndex.set(p.ramOffset, (i = pages.length));
          const words = new Uint32Array(buffer, p.ramOffset, 1024);
          pages.push(copy ? words.slice() : words);
        }
        return i;
      },
    };
    // Blocks inside a region of this batch compile alone (the loop is compiled once).
    const covered = new Set<number>();
    const items: JobItem[] = [];
    for (const block of blocks) {
      block.jitState = JitState.Done;
      const region = covered.has(block.page.ramOffset + block.startOff) ? undefined : this.region(block, plan, covered);
      items.push({ page: plan.page(block.page), startOff: block.startOff, endOff: block.endOff, ...this.accessMode(block), region });
    }
    const job: TranslationJob = { slot: this.slot, memoryPages: this.pages, calls: this.regionCalls, pages, items };
    return { job, heads: blocks, traces: plan.traces };
  }

  /** Instantiates a translated batch (`built`: compiled already, of `size` bytes) and gives each block whose code is current its function. */
  private install(plan: Plan, result: JobResult, built?: { module: WebAssembly.Module; size: number }): void {
    const interpreter = this.interpreter;
    const ops: InterpreterOp[] = [];
    for (let i = 0; i < result.ops.length; i += 2) {
      const op = interpreter?.decode(result.ops[i], result.ops[i + 1]);
      if (op === undefined) {
        // (The other thread's decoder took an instruction this one leaves to the interpreter's block: not used.)
        this.stats.offThreadLost++;
        return;
      }
      const name = this.encodingName(result.ops[i]) ?? '?';
      this.stats.interpreted.set(name, (this.stats.interpreted.get(name) ?? 0) + 1);
      ops.push(op);
    }
    let compiled = 0;
    result.items.forEach((r, i) => {
      if (r.stopped !== -1) {
        const name = this.encodingName(r.stopped) ?? 'unallocated';
        this.stats.stoppers.set(name, (this.stats.stoppers.get(name) ?? 0) + 1);
      }
      if (r.func < 0) this.stats.refused++;
      else {
        compiled++;
        const head = plan.heads[i];
        if (r.regionBlocks > 0) {
          this.stats.regions++;
          this.stats.regionBlocks += r.regionBlocks;
          if (plan.traces.has(head)) this.stats.traces++;
        } else if (r.count < (head.endOff - head.startOff) >>> 2) this.stats.partial++;
        this.stats.insns += r.insns;
      }
    });
    if (built === undefined && result.bytes === undefined) return;
    if (this.compiledBlocks.length + compiled > this.maxCompiled) this.forgetAll();
    const t1 = performance.now();
    const host = interpreter === undefined ? this.host : { ...this.host, op: (pageVa: number, id: number) => interpreter.run(ops[id], pageVa) };
    const chain = this.chain !== false;
    const instance = new WebAssembly.Instance(built?.module ?? new WebAssembly.Module(result.bytes!), { m: chain ? { mem: this.host.mem, table: this.cache.table } : { mem: this.host.mem }, h: host });
    this.stats.bytes += built?.size ?? result.bytes!.length;
    result.items.forEach((r, i) => {
      const block = plan.heads[i];
      if (r.func < 0 || !block.page.valid) return;
      block.compiled = instance.exports[exportName(r.func)] as CompiledBlock;
      block.compiledCount = r.count;
      block.trace = plan.traces.get(block);
      this.compiledBlocks.push(block);
      if (r.count === block.endOff - block.startOff >>> 2) block.tableIndex = this.cache.add(block.compiled);
    });
    this.stats.instantiateMs += performance.now() - t1;
    this.stats.modules++;
    this.stats.blocks += compiled;
  }
}

/** A planned batch: the job, its blocks (item i's head is heads[i]) and the traces of its regions spanning pages. */
interface Plan {
  readonly job: TranslationJob;
  readonly heads: CompilableBlock[];
  readonly traces: Map<CompilableBlock, Trace>;
}

/** A batch being planned: its traces (regions spanning pages) by head, and the job's index of a code page. */
interface JobPlan {
  readonly traces: Map<CompilableBlock, Trace>;
  page(p: RegionPage): number;
}

export { BLOCK_TYPE };
