// The jump cache's sets: blocks whose PCs hash to one set all stay in it
// (up to its ways), so a loop through them chains without leaving the
// dispatcher. With two ways, three hot PCs of bash's loop shared a set and
// each missed once an iteration (a return to the run loop each time).

import { describe, expect, it } from 'vitest';
import type { CompiledBlock } from '../../board/aarch64/jit/block-compiler';
import { BLOCK_TYPE } from '../../board/aarch64/jit/block-translator';
import { jumpSet, JUMP_WAYS, SLOT_CALLED_OUT, SLOT_CHAIN_RETIRED, SLOT_EPOCH, SLOT_RETIRED } from '../../board/aarch64/jit/cpu-slot';
import { JumpCache } from '../../board/aarch64/jit/jump-cache';
import { buildModule, Code, Op } from '../../board/jit/wasm-module';
import { CPU_SLOT_BYTES } from '../../board/memory/physical-memory';

const SLOT = 0;
const PAGES = Math.ceil(CPU_SLOT_BYTES / 65536) + 1;

/** A block function that retires one instruction and returns `next`. */
function block(memory: WebAssembly.Memory, next: number): CompiledBlock {
  const c = new Code();
  c.i32(0).i32(1).mem(Op.I32Store, SLOT + SLOT_RETIRED);
  c.i32(0).i32(0).mem(Op.I32Store, SLOT + SLOT_CALLED_OUT);
  c.f64(next);
  const bytes = buildModule(PAGES, [], [{ type: BLOCK_TYPE, locals: [], code: c }]);
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { mem: memory }, h: {} }).exports.f0 as CompiledBlock;
}

/** `n` code addresses (4-byte aligned) whose jump-cache set is the same. */
function sameSet(n: number): number[] {
  const pcs: number[] = [];
  const set = jumpSet(0x400000);
  for (let pc = 0x400000; pcs.length < n; pc += 4) if (jumpSet(pc) === set) pcs.push(pc);
  return pcs;
}

function loopThrough(pcs: number[], from = 0): { ran: number; stoppedAt: number } {
  const memory = new WebAssembly.Memory({ initial: PAGES });
  const cache = new JumpCache(memory, SLOT);
  const words = new Int32Array(memory.buffer);
  words[(SLOT + SLOT_EPOCH) >> 2] = 7;
  pcs.forEach((pc, i) => cache.enter(pc, 7, cache.add(block(memory, pcs[(i + 1) % pcs.length]))));
  const stoppedAt = cache.dispatch(pcs[from], 100);
  return { ran: words[(SLOT + SLOT_CHAIN_RETIRED) >> 2], stoppedAt };
}

describe('the jump cache', () => {
  it('keeps as many blocks of one set as it has ways: a loop through them runs out its budget', () => {
    const r = loopThrough(sameSet(JUMP_WAYS));
    expect(r.ran).toBe(100);
  });

  it('misses the oldest block of a set when more blocks share it than it has ways', () => {
    const pcs = sameSet(JUMP_WAYS + 1);
    const r = loopThrough(pcs, 1);
    // The first block entered was pushed out by the last: the chain stops when it is next.
    expect(r.stoppedAt).toBe(pcs[0]);
    expect(r.ran).toBe(pcs.length - 1);
  });

  it('moves a block entered again to the first way without taking a second way', () => {
    const memory = new WebAssembly.Memory({ initial: PAGES });
    const cache = new JumpCache(memory, SLOT);
    const words = new Int32Array(memory.buffer);
    words[(SLOT + SLOT_EPOCH) >> 2] = 3;
    const pcs = sameSet(JUMP_WAYS);
    const index = pcs.map((pc, i) => cache.add(block(memory, pcs[(i + 1) % pcs.length])));
    pcs.forEach((pc, i) => cache.enter(pc, 3, index[i]));
    // Entering the oldest again, then again the others, keeps all four.
    cache.enter(pcs[0], 3, index[0]);
    cache.enter(pcs[0], 3, index[0]);
    expect(cache.dispatch(pcs[0], 50)).toBe(pcs[(50 % JUMP_WAYS)]);
    expect(words[(SLOT + SLOT_CHAIN_RETIRED) >> 2]).toBe(50);
  });
});
