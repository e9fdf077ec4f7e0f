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
import { BLOCK_TYPE, translateBlock, Translation } from './block-translator';
import { SLOT_SCRATCH, SLOT_SCRATCH16 } from './cpu-slot';
import { JumpCache } from './jump-cache';
import { interpreterOps } from './jit-interp-call';
import { buildModule, ImportedFunc, T } from './wasm-module';

export type JitMode = 'off' | 'on' | 'always';

/** (pageVa, budget) -> next PC; leaves the retired count in the slot. */
export type CompiledBlock = (pageVa: number, budget: number) => number;

/** What the compiler needs of a decoded block. */
export interface CompilableBlock {
  readonly startOff: number;
  readonly endOff: number;
  /** Offset in the board's memory of the block's page, and whether that page's code is still current. */
  readonly page: { readonly ramOffset: number; readonly valid: boolean };
  compiled: CompiledBlock | undefined;
  /** Instructions `compiled` covers (a prefix of the block). */
  compiledCount: number;
  /** Index of a whole block's function in the jump cache's table (-1: not chained). */
  tableIndex: number;
  /** Queued or compiled already, or known not to compile. */
  jitState: number;
  /** The interpreter's ops, one per instruction (compiled code calls them for slow cases: jit-interp-call.ts). */
  readonly ops?: ArrayLike<() => void>;
}

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
  compileMs: number;
  /** Of compileMs, the time V8 took to compile and instantiate the modules. */
  instantiateMs: number;
  /** First instruction not compiled, by encoding name: what to add next. */
  readonly stoppers: Map<string, number>;
  /** Instructions compiled with a call to the interpreter's op (always, or for their slow cases), by encoding name. */
  readonly interpreterCalls: Map<string, number>;
}

const I = T.I32;
const F = T.F64;
const HOST_TYPES: ImportedFunc[] = [
  { name: 'r8', type: { params: [F], results: [I] } },
  { name: 'r16', type: { params: [F], results: [I] } },
  { name: 'r32', type: { params: [F], results: [I] } },
  { name: 'r64', type: { params: [F], results: [] } },
  { name: 'w8', type: { params: [F, I], results: [] } },
  { name: 'w16', type: { params: [F, I], results: [] } },
  { name: 'w32', type: { params: [F, I], results: [] } },
  { name: 'w64', type: { params: [F, I, I], results: [] } },
  { name: 'tpidr', type: { params: [], results: [] } },
  { name: 'r128', type: { params: [F], results: [] } },
  { name: 'w128', type: { params: [F], results: [] } },
  { name: 'op', type: { params: [I, F], results: [] } },
];

/** Blocks compiled per module, at most. */
const BATCH = 64;
/**
 * Compiled blocks kept at once. Blocks whose code page went away stay in the
 * table (and keep their module alive) until then; past it everything is
 * forgotten and what is still hot compiles again.
 */
const MAX_COMPILED = 16384;

export class BlockCompiler {
  mode: JitMode;
  /** Compiled blocks kept before all are forgotten (tests lower it). */
  maxCompiled = MAX_COMPILED;
  readonly stats: JitStats = { blocks: 0, chains: 0, chained: 0, resets: 0, refused: 0, partial: 0, modules: 0, bytes: 0, compileMs: 0, instantiateMs: 0, stoppers: new Map(), interpreterCalls: new Map() };
  private queue: CompilableBlock[] = [];
  /** Interpreter ops compiled code calls, by id (jit-interp-call.ts). */
  private interpOps: ((() => void) | undefined)[] = [];
  /** The first id of the batch being compiled (forgetAll releases the ops before it). */
  private batchStart = 0;
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
    /** Before an interpreter op runs for compiled code: the page of its instruction (the op may report its PC). */
    setPageVa: (pageVa: number) => void = () => {},
  ) {
    this.mode = mode;
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
      r128: (a: number) => vm.read128(a, scratch16, 0),
      w128: (a: number) => vm.write128(a, scratch16, 0),
      op: (id: number, pageVa: number) => {
        setPageVa(pageVa);
        this.interpOps[id]!();
      },
      w64: (a: number, lo: number, hi: number) => {
        scratch[0] = lo;
        scratch[1] = hi;
        vm.write64(a, scratch, 0);
      },
    };
  }

  /** HINTs other than WFE, WFI, SEV and SEVL, and DMB/DSB, do nothing in the interpreter (isa/system.ts). */
  private readonly isNop = (insn: number): boolean => {
    const name = this.encodingName(insn);
    if (name === 'HINT') return ((insn >>> 5) & 0x7f) < 2 || ((insn >>> 5) & 0x7f) > 5;
    return name === 'CLREX/DSB/DMB/ISB/SB' && (((insn >>> 5) & 7) === 4 || ((insn >>> 5) & 7) === 5);
  };

  /** The interpreter ran the block `threshold` times (or, in 'always' mode, is about to run it first). */
  request(block: CompilableBlock): void {
    if (block.jitState !== JitState.Cold) return;
    block.jitState = JitState.Queued;
    this.queue.push(block);
    if (this.mode === 'always' || this.queue.length >= BATCH) this.flush();
  }

  /** The jump cache and its dispatcher, made with the first compiled block. */
  get cache(): JumpCache {
    if (this.jumpCache === undefined) this.jumpCache = new JumpCache(this.phys.memory, this.slot);
    return this.jumpCache;
  }

  get pending(): number {
    return this.queue.length;
  }

  private queuedAt = -1;

  private forgetAll(): void {
    for (const b of this.compiledBlocks) {
      b.compiled = undefined;
      b.compiledCount = 0;
      b.tableIndex = -1;
      b.jitState = JitState.Cold;
    }
    this.compiledBlocks = [];
    this.interpOps.fill(undefined, 0, this.batchStart);
    this.jumpCache?.reset();
    this.stats.resets++;
  }

  /** Between runs: compiles the queue once it is a batch or has waited `waitRetired` instructions. */
  maybeFlush(retired: number, waitRetired = 1 << 21): void {
    if (this.queue.length === 0) return;
    if (this.queuedAt < 0) this.queuedAt = retired;
    if (this.queue.length >= BATCH / 4 || retired - this.queuedAt >= waitRetired) {
      this.queuedAt = -1;
      this.flush();
    }
  }

  /** Compiles the queued blocks whose code is still current, in one module. */
  flush(): void {
    const blocks = this.queue.filter((b) => b.page.valid);
    this.queue = [];
    if (blocks.length === 0) return;
    const t0 = performance.now();
    this.batchStart = this.interpOps.length;
    const view = this.phys.view;
    const done: { block: CompilableBlock; t: Translation }[] = [];
    for (const block of blocks) {
      block.jitState = JitState.Done;
      const words: number[] = [];
      for (let off = block.startOff; off < block.endOff; off += 4) words.push(view.getUint32(block.page.ramOffset + off, true));
      const stopped = { insn: -1 };
      const ops = block.ops;
      interpreterOps.register =
        ops === undefined
          ? undefined
          : (i) => {
              const name = this.encodingName(words[i]) ?? 'unallocated';
              this.stats.interpreterCalls.set(name, (this.stats.interpreterCalls.get(name) ?? 0) + 1);
              return this.interpOps.push(ops[i]) - 1;
            };
      const t = translateBlock(words, block.startOff, this.slot, stopped, this.isNop);
      interpreterOps.register = undefined;
      if (stopped.insn !== -1) {
        const name = this.encodingName(stopped.insn) ?? 'unallocated';
        this.stats.stoppers.set(name, (this.stats.stoppers.get(name) ?? 0) + 1);
      }
      if (t === null) {
        this.stats.refused++;
        continue;
      }
      if (t.count < words.length) this.stats.partial++;
      done.push({ block, t });
    }
    if (done.length > 0 && this.compiledBlocks.length + done.length > this.maxCompiled) this.forgetAll();
    if (done.length > 0) {
      const bytes = buildModule(this.pages, HOST_TYPES, done.map((d) => d.t.func));
      this.stats.bytes += bytes.length;
      const t1 = performance.now();
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { mem: this.host.mem }, h: this.host });
      done.forEach((d, i) => {
        d.block.compiled = instance.exports[`f${i}`] as CompiledBlock;
        d.block.compiledCount = d.t.count;
        this.compiledBlocks.push(d.block);
        if (d.t.count === d.block.endOff - d.block.startOff >>> 2) d.block.tableIndex = this.cache.add(d.block.compiled);
      });
      this.stats.instantiateMs += performance.now() - t1;
      this.stats.modules++;
      this.stats.blocks += done.length;
    }
    this.stats.compileMs += performance.now() - t0;
  }
}

export { BLOCK_TYPE };
