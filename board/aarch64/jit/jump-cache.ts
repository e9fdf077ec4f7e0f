// Chaining compiled blocks without returning to the run loop. Every compiled
// (whole) block's function sits in one WebAssembly.Table; the jump cache in
// the CPU slot maps a PC to its table index, tagged with the translation
// epoch in which the run loop saw that block at that PC (a TLB, ASID or code
// change bumps the epoch and so retires every entry at once). The dispatcher,
// a small module of its own, calls block after block while the next PC is in
// the cache, the budget lasts and no block called out to the host (a call
// out could raise an interrupt line, ask to stop or drop code).
//
// When a block throws, the slot says which block was running (its PC) and
// how many instructions the chain retired before it.
//
// Links (`chain`): each exit of a compiled function has a link in the slot
// (SLOT_LINKS), a copy of the jump cache entry of the PC it last left for,
// which the dispatcher fills when it finds that PC in the cache. At its end
// (outside its fault handler's `try`) the function calls the linked function
// itself when the link holds its next PC in the current epoch, nothing called
// out, budget is left and fewer than `depth` functions of this dispatch went
// on that way; it returns that call's result. Each exit site then makes its
// own indirect call, which the host's branch predictor can learn, where the
// dispatcher's single call site mispredicts. A link is valid exactly when a
// jump cache entry with the same contents would be; `reset` clears them when
// the table's indexes are reused.

import { BLOCK_TYPE } from './block-translator';
import { jumpSet, JUMP_ENTRIES, JUMP_HASH, JUMP_SET_BITS, JUMP_WAYS, SLOT_CALLED_OUT, SLOT_CHAIN_PC, SLOT_CHAIN_RETIRED, SLOT_DISPATCHES, SLOT_EPOCH, SLOT_JUMP_CACHE, SLOT_LAZY_FLAGS, SLOT_LINK_DEPTH, SLOT_LINK_PC, SLOT_LINK_RETIRED, SLOT_LINK_SITE, SLOT_LINKS, SLOT_RETIRED } from './cpu-slot';
import { CPU_SLOT_BYTES } from '../../memory/physical-memory';
import { flagsFunction } from './region-translator';
import { buildModule, Code, Op, T } from '../../jit/wasm-module';
import type { CompiledBlock } from './block-compiler';

/** (pc, budget) -> next PC; the slot's SLOT_CHAIN_RETIRED holds the instructions retired. */
export type Dispatcher = (pc: number, budget: number) => number;

/** Links in the slot after the jump cache; the last is the shared one. */
const LINKS = (CPU_SLOT_BYTES - SLOT_LINKS) >> 4;

export interface JumpCacheOptions {
  /** The dispatcher fills the links of compiled functions' exits (they must be compiled with `Jit.links`). */
  readonly chain?: boolean;
  /** The dispatcher counts its lookups in SLOT_DISPATCHES (measuring). */
  readonly count?: boolean;
}

export class JumpCache {
  table!: WebAssembly.Table;
  dispatch!: Dispatcher;
  private readonly f64: Float64Array;
  private readonly i32: Int32Array;
  private readonly links: Float64Array;
  private size = 0;
  private linksUsed = 0;

  private readonly module: WebAssembly.Module;

  constructor(private readonly memory: WebAssembly.Memory, private readonly slot: number, private readonly options: JumpCacheOptions = {}) {
    this.f64 = new Float64Array(memory.buffer, slot + SLOT_JUMP_CACHE, JUMP_ENTRIES * 2).fill(NaN);
    this.i32 = new Int32Array(memory.buffer, slot + SLOT_JUMP_CACHE, JUMP_ENTRIES * 4);
    this.links = new Float64Array(memory.buffer, slot + SLOT_LINKS, LINKS * 2).fill(NaN);
    const bytes = buildModule(memory.buffer.byteLength / 65536, [], [{ type: BLOCK_TYPE, locals: [T.I32, T.I32, T.I32, T.I32, T.I64, T.I32], code: dispatcherCode(slot, options) }, flagsFunction(slot)], true, [BLOCK_TYPE]);
    this.module = new WebAssembly.Module(bytes);
    this.newTable();
  }

  /** A new table and the dispatcher over it. */
  private newTable(): void {
    this.table = new WebAssembly.Table({ initial: 256, element: 'anyfunc' });
    const instance = new WebAssembly.Instance(this.module, { m: { mem: this.memory, table: this.table }, h: {} });
    this.dispatch = instance.exports.f0 as Dispatcher;
  }

  /** Memory offset of a new exit's link (the shared one when every link is taken until `reset`). */
  allocLink(): number {
    const k = this.linksUsed < LINKS - 1 ? this.linksUsed++ : LINKS - 1;
    return this.slot + SLOT_LINKS + 16 * k;
  }

  /** Memory offset of the link shared by exits without one of their own. */
  get sharedLink(): number {
    return this.slot + SLOT_LINKS + 16 * (LINKS - 1);
  }

  get linksTaken(): number {
    return this.linksUsed;
  }

  /** Puts a compiled block's function in the table; returns its index. */
  add(fn: CompiledBlock): number {
    if (this.size === this.table.length) this.table.grow(this.size);
    this.table.set(this.size, fn);
    return this.size++;
  }

  get count(): number {
    return this.size;
  }

  /** Forgets every function and entry (the compiler then recompiles what is still hot). */
  reset(): void {
    // With links every module of compiled functions imports the table, and the engine keeps each importer
    // alive and updated at every set while the table lives: a new table lets the forgotten ones go.
    if (this.options.chain === true) this.newTable();
    else for (let i = 0; i < this.size; i++) this.table.set(i, null);
    this.size = 0;
    this.f64.fill(NaN);
    // The indexes are reused: no link may name one (their epoch is still current).
    this.links.fill(NaN);
    this.linksUsed = 0;
  }

  /** Drops the entries of `pc` (and every exit's link, when links are on: a link may hold that PC too). */
  forget(pc: number): void {
    const e = jumpSet(pc) >> 3;
    for (let way = 0; way < JUMP_WAYS; way++) if (this.f64[e + 2 * way] === pc) this.f64[e + 2 * way] = NaN;
    if (this.options.chain === true) this.links.fill(NaN);
  }

  /** The block at `pc` is `index` in the current epoch: it takes the first way, the newer entries before its old place (or all but the oldest) move down one. */
  enter(pc: number, epoch: number, index: number): void {
    const e = jumpSet(pc) >> 3;
    const f = this.f64;
    const w = this.i32;
    let way = 0;
    while (way < JUMP_WAYS - 1 && !(f[e + 2 * way] === pc && w[2 * e + 4 * way + 2] === epoch)) way++;
    for (; way > 0; way--) {
      f[e + 2 * way] = f[e + 2 * way - 2];
      w[2 * e + 4 * way + 2] = w[2 * e + 4 * way - 2];
      w[2 * e + 4 * way + 3] = w[2 * e + 4 * way - 1];
    }
    f[e] = pc;
    w[2 * e + 2] = epoch;
    w[2 * e + 3] = index;
  }
}

/** Locals: 2 total (i32), 3 set (i32), 4 table index (i32), 5 link (i32), 6 the PC's bits (i64), 7 the epoch (i32); params 0 pc (f64), 1 budget (i32). */
function dispatcherCode(slot: number, options: JumpCacheOptions): Code {
  const c = new Code();
  const PC = 0;
  const BUDGET = 1;
  const TOTAL = 2;
  const E = 3;
  const IDX = 4;
  const LINK = 5;
  const BITS = 6;
  const EPOCH = 7;
  const base = slot + SLOT_JUMP_CACHE;
  const chain = options.chain === true;
  // The run loop's PC came from no exit: its entry fills the shared link (harmless: a link is a valid entry wherever it is).
  if (chain) {
    c.i32(0).i32(slot + SLOT_LINKS + 16 * (LINKS - 1)).mem(Op.I32Store, slot + SLOT_LINK_SITE);
    resetLinks(c, slot);
  }
  // A block that throws leaves the chain's retired count and its own PC for the run loop (the handler at the end).
  c.op(Op.Try, 0x40);
  c.op(Op.Block, 0x40, Op.Loop, 0x40);
  if (options.count === true) c.i32(0).i32(0).mem(Op.I32Load, slot + SLOT_DISPATCHES).i32(1).op(Op.I32Add).mem(Op.I32Store, slot + SLOT_DISPATCHES);
  // e = jumpSet(pc), from the PC's bits (a conversion to an integer cost a round trip through the FPU and a
  // range test on every lookup). An entry's PC is compared by its bits too (the same number has the same
  // bits: PCs are never NaN or -0).
  c.get(PC).op(Op.I64ReinterpretF64).tee(BITS).op(Op.I32WrapI64).get(BITS).i64(32).op(Op.I64ShrU, Op.I32WrapI64, Op.I32Xor);
  c.i32(JUMP_HASH).op(Op.I32Mul).i32(32 - JUMP_SET_BITS).op(Op.I32ShrU).i32(6).op(Op.I32Shl).set(E);
  c.i32(0).mem(Op.I32Load, slot + SLOT_EPOCH).set(EPOCH);
  // The first way, else the next, ..., else back to the run loop.
  for (let way = 0; way < JUMP_WAYS; way++) {
    c.get(E).mem(Op.I64Load, base + 16 * way).get(BITS).op(Op.I64Eq);
    c.get(E).mem(Op.I32Load, base + 16 * way + 8).get(EPOCH).op(Op.I32Eq, Op.I32And);
    c.op(Op.If, 0x40).get(E).mem(Op.I32Load, base + 16 * way + 12).set(IDX);
    c.op(Op.Else);
  }
  // Inside JUMP_WAYS ifs, the loop and the block.
  c.op(Op.Br, JUMP_WAYS + 1);
  for (let way = 0; way < JUMP_WAYS; way++) c.op(Op.End);
  if (chain) {
    // The exit the PC came from links to this function from now on (in this epoch).
    c.i32(0).mem(Op.I32Load, slot + SLOT_LINK_SITE).tee(LINK).get(PC).mem(Op.F64Store, 0);
    c.get(LINK).get(EPOCH).mem(Op.I32Store, 8);
    c.get(LINK).get(IDX).mem(Op.I32Store, 12);
  }
  // next = table[entry](pc, budget - total)
  c.get(PC);
  c.get(BUDGET).get(TOTAL).op(Op.I32Sub);
  c.get(IDX).op(Op.CallIndirect, 0, 0).set(PC);
  c.get(TOTAL).i32(0).mem(Op.I32Load, slot + SLOT_RETIRED).op(Op.I32Add).set(TOTAL);
  if (chain) {
    // The functions that went on through links retired these too.
    c.get(TOTAL).i32(0).mem(Op.I32Load, slot + SLOT_LINK_RETIRED).op(Op.I32Add).set(TOTAL);
    resetLinks(c, slot);
  }
  // A call out ends the chain (every block stores the flag); so does the budget.
  c.i32(0).mem(Op.I32Load, slot + SLOT_CALLED_OUT).op(Op.BrIf, 1);
  c.get(TOTAL).get(BUDGET).op(Op.I32LtS, Op.BrIf, 0);
  c.op(Op.End, Op.End);
  c.op(Op.CatchAll);
  c.i32(0).get(TOTAL);
  if (chain) c.i32(0).mem(Op.I32Load, slot + SLOT_LINK_RETIRED).op(Op.I32Add);
  c.mem(Op.I32Store, slot + SLOT_CHAIN_RETIRED);
  // The function that threw: the last one entered through a link, if any, else the one called here.
  c.i32(0);
  if (chain) c.i32(0).mem(Op.F64Load, slot + SLOT_LINK_PC).get(PC).i32(0).mem(Op.I32Load, slot + SLOT_LINK_DEPTH).op(Op.Select);
  else c.get(PC);
  c.mem(Op.F64Store, slot + SLOT_CHAIN_PC);
  c.op(Op.Rethrow, 0, Op.End);
  c.i32(0).get(TOTAL).mem(Op.I32Store, slot + SLOT_CHAIN_RETIRED);
  // The run loop reads NZCV from the flag words: make them current if the last block left them lazy.
  c.i32(0).mem(Op.I32Load, slot + SLOT_LAZY_FLAGS + 16).op(Op.If, 0x40).f64(0).i32(0).call(1).op(Op.End);
  c.get(PC);
  return c;
}

/** No function of the next dispatch went on through a link yet. */
function resetLinks(c: Code, slot: number): void {
  c.i32(0).i32(0).mem(Op.I32Store, slot + SLOT_LINK_RETIRED);
  c.i32(0).i32(0).mem(Op.I32Store, slot + SLOT_LINK_DEPTH);
}
