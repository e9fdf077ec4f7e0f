// Regions across calls and returns against the interpreter: random programs
// of one page where blocks call functions of the same page (BL) and the
// functions return (RET), so a region holds a caller, its callee and the
// block the callee returns to, and a RET goes back inside the region when
// X30 names one of its blocks. Run once interpreted and once compiled at
// first execution, with budgets that end runs everywhere: registers, NZCV,
// PC, instructions retired, the exception (syndrome, FAR) and the data
// memory must match.

import { describe, expect, it } from 'vitest';
import { Cpu, StopReason } from '../../board/aarch64/cpu';
import { b, bl, BRK0, condBranch, integerInsn, randomState, RET, rng, runOnce } from './jit-diff-harness';

const insn = (r: () => number): number => integerInsn(r);

function randomProgram(seed: number): number[] {
  const r = rng(seed);
  const code: number[] = [];
  const fixups: Array<() => void> = [];
  const mainBlocks = 2 + (r() % 4);
  const funcs = 1 + (r() % 3);
  const mainStarts: number[] = [];
  const funcStarts: number[] = [];
  const body = (): void => {
    const n = 1 + (r() % 5);
    for (let i = 0; i < n; i++) code.push(insn(r));
  };
  let brk = -1;
  for (let m = 0; m < mainBlocks; m++) {
    mainStarts.push(code.length);
    body();
    const at = code.length;
    code.push(0);
    const kind = r() % 3;
    if (kind === 0) fixups.push(() => (code[at] = bl(at, funcStarts[r() % funcs])));
    else if (kind === 1) fixups.push(() => (code[at] = condBranch(r, at, r() % 4 === 0 ? brk : mainStarts[r() % mainBlocks])));
    else fixups.push(() => (code[at] = b(at, r() % 5 === 0 ? brk : mainStarts[r() % mainBlocks])));
  }
  brk = code.length;
  code.push(BRK0);
  for (let f = 0; f < funcs; f++) {
    funcStarts.push(code.length);
    const blocks = 1 + (r() % 3);
    const starts: number[] = [];
    const ends: number[] = [];
    for (let k = 0; k < blocks; k++) {
      starts.push(code.length);
      body();
      ends.push(code.length);
      code.push(k === blocks - 1 ? RET : 0);
    }
    for (let k = 0; k < blocks - 1; k++) {
      const at = ends[k];
      // Forward within the function (to a later block or its RET block), sometimes a nested call.
      const to = starts[k + 1 + (r() % (blocks - 1 - k))];
      fixups.push(() => (code[at] = r() % 6 === 0 ? bl(at, funcStarts[r() % funcs]) : r() % 2 === 0 ? condBranch(r, at, to) : b(at, to)));
    }
  }
  for (const fix of fixups) fix();
  return code;
}

/** Regions that follow calls (off by default: BlockCompiler.regionCalls). */
const calls = (cpu: Cpu): void => {
  cpu.jit!.regionCalls = true;
};

describe('block compiler regions across calls and returns vs interpreter', () => {
  it('runs random programs of calls and returns in one page as the interpreter', () => {
    let regions = 0;
    let faulted = 0;
    let finished = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const code = randomProgram(seed);
      const c = { code, ...randomState(rng(seed * 31 + 7)) };
      const budget = 30 + (seed % 13) * 41;
      const a = runOnce(c, 'off', budget);
      const z = runOnce(c, 'always', budget, calls);
      regions += z.cpu.jit!.stats.regions;
      if (a.out.stop === StopReason.Exception && a.out.esr >>> 26 !== 0x3c) faulted++;
      if (a.out.stop === StopReason.Exception && a.out.esr >>> 26 === 0x3c) finished++;
      const label = `seed ${seed}: ${code.map((w) => w.toString(16).padStart(8, '0')).join(' ')}`;
      expect({ ...z.out, data: undefined }, label).toEqual({ ...a.out, data: undefined });
      expect(Buffer.compare(Buffer.from(z.out.data), Buffer.from(a.out.data)), label).toBe(0);
    }
    // The generator must make regions, reach the BRK and fault, not only run out of budget.
    expect(regions).toBeGreaterThan(100);
    expect(finished).toBeGreaterThan(5);
    expect(faulted).toBeGreaterThan(10);
  });

  it('returns into the region at every budget of a loop that calls a function', () => {
    // 0: mov x0, #0 ; 1: mov x1, #20
    // 2: loop: bl f ; 3: subs x1, x1, #1 ; 4: b.ne loop ; 5: brk
    // 6: f: add x0, x0, #3 ; 7: eor x0, x0, x1 ; 8: ret
    const code = [0xd2800000, 0xd2800281, 0x94000004, 0xf1000421, 0x54ffffc1, BRK0, 0x91000c00, 0xca010000, RET];
    const c = { code, ...randomState(rng(5)) };
    let regions = 0;
    for (let budget = 1; budget <= 130; budget++) {
      const a = runOnce(c, 'off', budget);
      const z = runOnce(c, 'always', budget, calls);
      regions += z.cpu.jit!.stats.regions;
      expect({ ...z.out, data: undefined }, `budget ${budget}`).toEqual({ ...a.out, data: undefined });
    }
    expect(regions).toBeGreaterThan(0);
    const done = runOnce(c, 'always', 1000, calls).out;
    expect(done.stop).toBe(StopReason.Exception);
    expect(done.retired).toBe(2 + 20 * 6);
  });
});
