// Compiled code leaves at a memory access its fast path does not take (a TLB
// miss, a page crossing): the run loop interprets from that instruction. A
// function that keeps missing compiles again with its slow accesses calling
// the host. Against the interpreter, and with the compiler's own counts.

import { describe, expect, it } from 'vitest';
import { MISS_LIMIT } from '../../board/aarch64/jit/block-compiler';
import { patchMarkedBranches, MARK_BYTES } from '../../board/jit/wasm-branches';
import { Op } from '../../board/jit/wasm-module';
import { BRK0, DATA, DATA_BYTES, runOnce } from './jit-diff-harness';

/** loop: ldr x1, [x0] ; add x3, x3, x1 ; add x9, x9, #1 ; subs x2, x2, #1 ; b.ne loop ; brk */
const LOOP = [0xf9400001, 0x8b010063, 0x91000529, 0xf1000442, 0x54ffff81, BRK0];

function run(x0: number, laps: number, jit: 'off' | 'always') {
  const regs = new Int32Array(64);
  regs[0] = x0;
  regs[4] = laps;
  const data = new Uint8Array(DATA_BYTES).map((_, i) => (i * 37 + 11) & 0xff);
  return runOnce({ code: LOOP, regs, v: new Int32Array(128), nzcv: 0, data }, jit, 100_000);
}

describe('compiled code leaves at a slow memory access', () => {
  it('runs a loop whose load crosses a page on every lap as the interpreter, and compiles it again with host calls', () => {
    // An 8-byte load at 4092 of a page: the fast path never takes a crossing access.
    const x0 = DATA + 0x1000 - 4;
    const a = run(x0, 500, 'off');
    const b = run(x0, 500, 'always');
    expect({ ...b.out, data: undefined }).toEqual({ ...a.out, data: undefined });
    expect(b.out.x[18]).toBe(500); // x9 counted every lap
    const stats = b.cpu.jit!.stats;
    expect(stats.missDemoted).toBe(1);
    // It left MISS_LIMIT times, then called the host for the rest of the laps.
    expect(stats.misses).toBe(MISS_LIMIT);
  });

  it('leaves only at the first touch of a page when the load stays inside it', () => {
    const a = run(DATA + 0x100, 500, 'off');
    const b = run(DATA + 0x100, 500, 'always');
    expect({ ...b.out, data: undefined }).toEqual({ ...a.out, data: undefined });
    const stats = b.cpu.jit!.stats;
    expect(stats.missDemoted).toBe(0);
    expect(stats.misses).toBeGreaterThan(0);
    expect(stats.misses).toBeLessThan(4);
  });

  it('calls the host on every slow access when SALTY_JIT_MISS=call', () => {
    const saved = process.env.SALTY_JIT_MISS;
    process.env.SALTY_JIT_MISS = 'call';
    try {
      const a = run(DATA + 0x1000 - 4, 200, 'off');
      const b = run(DATA + 0x1000 - 4, 200, 'always');
      expect({ ...b.out, data: undefined }).toEqual({ ...a.out, data: undefined });
      expect(b.cpu.jit!.stats.misses).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.SALTY_JIT_MISS;
      else process.env.SALTY_JIT_MISS = saved;
    }
  });
});

describe('marked branches', () => {
  it('get the depth of the block they leave for, counted through blocks, loops, ifs and trys', () => {
    // block $miss | block | loop | if | br MARK | end | br MARK | end | end | br MARK | end
    const code = new Uint8Array([
      Op.Block, 0x40, Op.Loop, 0x40, Op.I32Const, 1, Op.If, 0x40, Op.Br, ...MARK_BYTES, Op.End, Op.Br, ...MARK_BYTES,
      Op.End, Op.End, Op.I64Const, 0x80, 0x01, Op.Drop, Op.Br, ...MARK_BYTES, Op.End,
    ]);
    expect(patchMarkedBranches(code, 0)).toBe(3);
    const depths = [9, 13, 22].map((at) => (code[at] & 0x7f) | (code[at + 1] << 7));
    expect(depths).toEqual([3, 2, 0]);
  });

  it('refuse an opcode they cannot decode and a block that does not end', () => {
    expect(() => patchMarkedBranches(new Uint8Array([0xd2, 0, Op.End]), 0)).toThrow(/not decoded/);
    expect(() => patchMarkedBranches(new Uint8Array([Op.Block, 0x40, Op.End]), 0)).toThrow(/does not end/);
  });
});
