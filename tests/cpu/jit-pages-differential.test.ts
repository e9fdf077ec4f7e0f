// Regions spanning code pages (BlockCompiler.regionPages, jit/traces.ts)
// against the interpreter: random programs over three pages whose blocks
// branch, call and return across the page boundaries (ADRP and literal
// loads in blocks of every page), run once interpreted and once compiled at
// first execution with budgets that end runs everywhere; and code that
// rewrites an instruction of the second page of a loop spanning two pages
// while the loop runs. Registers, NZCV, PC, instructions retired, the
// exception (syndrome, FAR) and the data memory must match.

import { describe, expect, it } from 'vitest';
import { Cpu, StopReason } from '../../board/aarch64/cpu';
import { b, BASE, bl, BRK0, condBranch, DATA, INTEGER_CLASSES, integerInsn, randomState, RET, rng, runOnce } from './jit-diff-harness';

/** The harness's integer classes less logical shifted (as this test was written). */
const CLASSES = INTEGER_CLASSES.filter(([v]) => v !== 0x0a000000);

function insn(r: () => number, at: number): number {
  // ADRP and ADR: their result depends on the page of the instruction.
  if (r() % 12 === 0) return (((r() % 2) << 31) | 0x10000000 | ((r() % 4) << 29) | ((r() % 64) << 5) | (r() % 13)) >>> 0;
  // A literal load from the data (a PC-relative address in every page).
  if (r() % 12 === 0) return (0x58000000 | ((((DATA - BASE - 4 * at) >> 2) + (r() % 512)) & 0x7ffff) << 5 | (r() % 13)) >>> 0;
  return integerInsn(r, CLASSES);
}

const PAGE = 1024;
const PAGES = 3;

/** Blocks scattered over three pages (some end at a page's last word and fall into the next), functions among them. */
function randomProgram(seed: number): number[] {
  const r = rng(seed);
  const code: number[] = new Array(PAGES * PAGE).fill(BRK0);
  const fixups: Array<() => void> = [];
  const mainStarts: number[] = [];
  const funcStarts: number[] = [];
  // Where the next block goes: near a page's end or start, somewhere in a page.
  const taken = new Set<number>();
  const place = (len: number): number => {
    for (;;) {
      const p = r() % PAGES;
      const k = r() % 3;
      const at = p * PAGE + (k === 0 ? PAGE - len - (r() % 3) : k === 1 ? r() % 4 : 16 + (r() % (PAGE - 32 - len)));
      let free = at >= 0 && at + len <= PAGES * PAGE;
      for (let i = at - 1; free && i <= at + len; i++) if (taken.has(i)) free = false;
      if (!free) continue;
      for (let i = at; i < at + len; i++) taken.add(i);
      return at;
    }
  };
  const brk = PAGES * PAGE - 1;
  taken.add(0);
  taken.add(brk);
  const mainBlocks = 2 + (r() % 5);
  const funcs = 1 + (r() % 3);
  const lens = Array.from({ length: mainBlocks }, () => 1 + (r() % 5));
  for (let m = 0; m < mainBlocks; m++) mainStarts.push(place(lens[m] + 1));
  const funcBlocks: number[][] = [];
  const funcSizes: number[][] = [];
  for (let f = 0; f < funcs; f++) {
    const blocks = 1 + (r() % 3);
    const starts: number[] = [];
    const sizes: number[] = [];
    for (let k = 0; k < blocks; k++) {
      sizes.push(1 + (r() % 4));
      starts.push(place(sizes[k] + 1));
    }
    funcBlocks.push(starts);
    funcSizes.push(sizes);
    funcStarts.push(starts[0]);
  }
  // The entry at BASE jumps to the first main block.
  for (let m = 0; m < mainBlocks; m++) {
    let at = mainStarts[m];
    for (let i = 0; i < lens[m]; i++, at++) code[at] = insn(r, at);
    const end = at;
    const kind = r() % 4;
    if (kind === 0) fixups.push(() => (code[end] = bl(end, funcStarts[r() % funcs])));
    else if (kind === 1) fixups.push(() => (code[end] = condBranch(r, end, r() % 4 === 0 ? brk : mainStarts[r() % mainBlocks])));
    else if (kind === 2) fixups.push(() => (code[end] = b(end, r() % 5 === 0 ? brk : mainStarts[r() % mainBlocks])));
    else fixups.push(() => (code[end] = insn(r, end))); // falls through into whatever follows (a BRK, or the next page)
  }
  funcBlocks.forEach((starts, f) => {
    starts.forEach((start, k) => {
      let at = start;
      const n = funcSizes[f][k];
      for (let i = 0; i < n; i++, at++) code[at] = insn(r, at);
      const end = at;
      if (k === starts.length - 1) code[end] = RET;
      else fixups.push(() => (code[end] = r() % 6 === 0 ? bl(end, funcStarts[r() % funcs]) : r() % 2 === 0 ? condBranch(r, end, starts[k + 1]) : b(end, starts[k + 1])));
    });
  });
  for (const fix of fixups) fix();
  code[0] = b(0, mainStarts[0]);
  return code;
}

const pages =
  (calls: boolean) =>
  (cpu: Cpu): void => {
    cpu.jit!.regionPages = true;
    cpu.jit!.regionCalls = calls;
  };

function compare(code: number[], seed: number, budget: number, calls: boolean): { traces: number; stop: StopReason; esr: number } {
  const c = { code, ...randomState(rng(seed * 31 + 7)) };
  const a = runOnce(c, 'off', budget);
  const z = runOnce(c, 'always', budget, pages(calls));
  const label = `seed ${seed} budget ${budget} calls ${calls}`;
  expect({ ...z.out, data: undefined }, label).toEqual({ ...a.out, data: undefined });
  expect(Buffer.compare(Buffer.from(z.out.data), Buffer.from(a.out.data)), label).toBe(0);
  return { traces: z.cpu.jit!.stats.traces, stop: a.out.stop, esr: a.out.esr };
}

describe('block compiler regions spanning code pages vs interpreter', () => {
  it('runs random programs over three pages as the interpreter', () => {
    let traces = 0;
    let faulted = 0;
    let finished = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const code = randomProgram(seed);
      for (const calls of [false, true]) {
        const o = compare(code, seed, 30 + (seed % 13) * 41, calls);
        traces += o.traces;
        if (o.stop === StopReason.Exception && o.esr >>> 26 !== 0x3c) faulted++;
        if (o.stop === StopReason.Exception && o.esr >>> 26 === 0x3c) finished++;
      }
    }
    // The generator must make regions across pages, reach the BRK and fault, not only run out of budget.
    expect(traces).toBeGreaterThan(100);
    expect(finished).toBeGreaterThan(5);
    expect(faulted).toBeGreaterThan(10);
  });

  it('runs the new code of the second page of a loop that rewrites it', () => {
    // page 0, 0: movz x0, #0 ; 1: movz x2, #40 ; 2: ldr w3, =sub ; 3: adr x4, page 1 ; 4: adr x5, loop
    // 5: loop: add x0, x0, #1 ; 6: cmp x2, #20 ; 7: b.ne 9 ; 8: str w3, [x4] ; 9: b page 1
    // page 1, 1024: add x1, x1, x0 (rewritten to sub x1, x1, x0) ; 1025: subs x2, x2, #1 ; 1026: b.eq 1028
    // 1027: br x5 (the loop's head is entered again through the dispatcher or the run loop) ; 1028: brk ; 1030: sub
    const code: number[] = new Array(PAGE + 8).fill(BRK0);
    const SUB = 0xcb000021;
    const head = [0xd2800000, 0xd2800502, 0x18000003 | ((PAGE + 4) << 5), 0x10000004 | ((PAGE - 3) << 5), 0x10000025];
    code.splice(0, 10, ...head, 0x91000400, 0xf100505f, 0x54000041, 0xb9000083, b(9, PAGE));
    code.splice(PAGE, 7, 0x8b000021, 0xf1000442, 0x54000040, 0xd61f00a0, BRK0, BRK0, SUB);
    for (const calls of [false, true]) {
      for (let budget = 1; budget <= 300; budget += 7) compare(code, 5, budget, calls);
      const a = runOnce({ code, ...randomState(rng(5)) }, 'off', 10000);
      const z = runOnce({ code, ...randomState(rng(5)) }, 'always', 10000, pages(calls));
      expect(a.out.stop).toBe(StopReason.Exception);
      expect(a.out.esr >>> 26).toBe(0x3c);
      expect(a.out.retired).toBe(5 + 40 * 8);
      expect(z.out).toEqual(a.out);
      expect(z.cpu.jit!.stats.traces).toBeGreaterThan(0);
      expect(z.cpu.jit!.stats.tracesDropped).toBeGreaterThan(0);
    }
  });
});
