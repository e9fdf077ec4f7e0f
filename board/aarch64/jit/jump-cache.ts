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

import { BLOCK_TYPE } from './block-translator';
import { jumpSet, JUMP_ENTRIES, JUMP_HASH, JUMP_SET_BITS, JUMP_WAYS, SLOT_CALLED_OUT, SLOT_CHAIN_PC, SLOT_CHAIN_RETIRED, SLOT_EPOCH, SLOT_JUMP_CACHE, SLOT_LAZY_FLAGS, SLOT_RETIRED } from './cpu-slot';
import { flagsFunction } from './region-translator';
import { buildModule, Code, Op, T } from './wasm-module';
import type { CompiledBlock } from './block-compiler';

/** (pc, budget) -> next PC; the slot's SLOT_CHAIN_RETIRED holds the instructions retired. */
export type Dispatcher = (pc: number, budget: number) => number;

export class JumpCache {
  readonly table: WebAssembly.Table;
  readonly dispatch: Dispatcher;
  private readonly f64: Float64Array;
  private readonly i32: Int32Array;
  private size = 0;

  constructor(memory: WebAssembly.Memory, private readonly slot: number) {
    this.table = new WebAssembly.Table({ initial: 256, element: 'anyfunc' });
    this.f64 = new Float64Array(memory.buffer, slot + SLOT_JUMP_CACHE, JUMP_ENTRIES * 2).fill(NaN);
    this.i32 = new Int32Array(memory.buffer, slot + SLOT_JUMP_CACHE, JUMP_ENTRIES * 4);
    const bytes = buildModule(memory.buffer.byteLength / 65536, [], [{ type: BLOCK_TYPE, locals: [T.I32, T.I32, T.I32], code: dispatcherCode(slot) }, flagsFunction(slot)], true, [BLOCK_TYPE]);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { mem: memory, table: this.table }, h: {} });
    this.dispatch = instance.exports.f0 as Dispatcher;
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
    for (let i = 0; i < this.size; i++) this.table.set(i, null);
    this.size = 0;
    this.f64.fill(NaN);
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

/** Locals: 2 total (i32), 3 set (i32), 4 table index (i32); params 0 pc (f64), 1 budget (i32). */
function dispatcherCode(slot: number): Code {
  const c = new Code();
  const PC = 0;
  const BUDGET = 1;
  const TOTAL = 2;
  const E = 3;
  const IDX = 4;
  const base = slot + SLOT_JUMP_CACHE;
  // A block that throws leaves the chain's retired count and its own PC for the run loop (the handler at the end).
  c.op(Op.Try, 0x40);
  c.op(Op.Block, 0x40, Op.Loop, 0x40);
  // e = jumpSet(pc)
  c.get(PC).op(Op.I64TruncF64S, Op.I32WrapI64).i32(2).op(Op.I32ShrU).i32(JUMP_HASH).op(Op.I32Mul).i32(32 - JUMP_SET_BITS).op(Op.I32ShrU);
  c.i32(6).op(Op.I32Shl).set(E);
  // The first way, else the next, ..., else back to the run loop.
  for (let way = 0; way < JUMP_WAYS; way++) {
    c.get(E).mem(Op.F64Load, base + 16 * way).get(PC).op(Op.F64Eq);
    c.get(E).mem(Op.I32Load, base + 16 * way + 8).i32(0).mem(Op.I32Load, slot + SLOT_EPOCH).op(Op.I32Eq, Op.I32And);
    c.op(Op.If, 0x40).get(E).mem(Op.I32Load, base + 16 * way + 12).set(IDX);
    c.op(Op.Else);
  }
  // Inside JUMP_WAYS ifs, the loop and the block.
  c.op(Op.Br, JUMP_WAYS + 1);
  for (let way = 0; way < JUMP_WAYS; way++) c.op(Op.End);
  // next = table[entry](pc - (pc & 4095), budget - total)
  c.get(PC).get(PC).op(Op.I64TruncF64S, Op.I32WrapI64).i32(4095).op(Op.I32And, Op.F64ConvertI32S, Op.F64Sub);
  c.get(BUDGET).get(TOTAL).op(Op.I32Sub);
  c.get(IDX).op(Op.CallIndirect, 0, 0).set(PC);
  c.get(TOTAL).i32(0).mem(Op.I32Load, slot + SLOT_RETIRED).op(Op.I32Add).set(TOTAL);
  // A call out ends the chain (every block stores the flag); so does the budget.
  c.i32(0).mem(Op.I32Load, slot + SLOT_CALLED_OUT).op(Op.BrIf, 1);
  c.get(TOTAL).get(BUDGET).op(Op.I32LtS, Op.BrIf, 0);
  c.op(Op.End, Op.End);
  c.op(Op.CatchAll);
  c.i32(0).get(TOTAL).mem(Op.I32Store, slot + SLOT_CHAIN_RETIRED);
  c.i32(0).get(PC).mem(Op.F64Store, slot + SLOT_CHAIN_PC);
  c.op(Op.Rethrow, 0, Op.End);
  c.i32(0).get(TOTAL).mem(Op.I32Store, slot + SLOT_CHAIN_RETIRED);
  // The run loop reads NZCV from the flag words: make them current if the last block left them lazy.
  c.i32(0).mem(Op.I32Load, slot + SLOT_LAZY_FLAGS + 16).op(Op.If, 0x40).f64(0).i32(0).call(1).op(Op.End);
  c.get(PC);
  return c;
}
