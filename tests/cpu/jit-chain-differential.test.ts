// Links between compiled functions (jit/jump-cache.ts: an exit calls the
// function of its last target itself) against the interpreter: random
// programs of many small blocks over two code pages (each block compiled
// alone, or in regions), whose exits go to known targets (B, BL, B.cond,
// CBZ, TBZ taken and not, falling into the next block) and through
// registers (BR, RET), with loads that fault in the middle of chains and
// budgets that end slices mid-chain. Each program runs in three slices; a
// host write rewrites an instruction of the second page between them, so
// every link made to its old code must die with its epoch; a low limit on
// compiled blocks makes the compiler forget everything (the table's indexes
// are reused) again and again. Registers, flags, PC, the instructions
// retired, the fault and the data must be the interpreter's after every
// slice, and the run loop must see the same chains as without links.

import { describe, expect, it } from 'vitest';
import { Cpu, StopReason } from '../../board/aarch64/cpu';
import { PhysicalMemory } from '../../board/memory/physical-memory';
import { b, BASE, bl, BRK0, condBranch, DATA, INTEGER_CLASSES, integerInsn, outcomeOf, type Outcome, randomState, RET, rng, SIZE } from './jit-diff-harness';

/** Word index of the second code page. */
const PAGE2 = 1024;
/** BR x12 (x12 holds BASE: back to the first block). */
const BR_X12 = 0xd61f0180;
/** ldr x1, [x13]: x13 points past RAM in some programs (a fault in the middle of a chain). */
const LDR_X13 = 0xf94001a1;
/** Unallocated encodings would end most slices at once: programs take only what the interpreter runs. */
const undefinedInsn = ((): ((insn: number) => boolean) => {
  const phys = new PhysicalMemory(BASE, SIZE);
  const cpu = new Cpu(phys, { hosted: true, jit: 'off' });
  cpu.setEl(0);
  const word = new Uint8Array(8);
  return (insn) => {
    // The instruction, then a BRK (the run loop runs whole blocks).
    new DataView(word.buffer).setUint32(0, insn, true);
    new DataView(word.buffer).setUint32(4, BRK0, true);
    phys.writeBytes(BASE, word);
    cpu.pc = BASE;
    cpu.x.fill(0);
    return cpu.run(1) === StopReason.Exception && cpu.sysregs.getLo('ESR_EL1') >>> 26 === 0;
  };
})();
/** The harness's classes without loads and stores. */
const ALU = INTEGER_CLASSES.filter(([c]) => c !== 0x39000000 && c !== 0x28000000);

interface Program {
  code: number[];
  /** Word indexes of the second page's blocks' instructions (rewritten between slices). */
  rewritable: number[];
  state: ReturnType<typeof randomState>;
  budgets: number[];
}

function program(seed: number): Program {
  const r = rng(seed);
  const k = 4 + (r() % 8);
  // Block b's first word: page 1 and page 2 alternate so edges cross pages.
  const starts: number[] = [];
  const lens: number[] = [];
  let at = [0, PAGE2];
  for (let i = 0; i < k; i++) {
    const p = i % 2 === 0 || r() % 3 === 0 ? 0 : 1;
    starts.push(at[p]);
    lens.push(1 + (r() % 5));
    at[p] += lens[i] + 1;
  }
  const brk = at[0];
  const code = new Array<number>(PAGE2 + 64).fill(BRK0);
  const rewritable: number[] = [];
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < lens[i]; j++) {
      const w = starts[i] + j;
      // Mostly arithmetic and flag setters, so chains run long; loads and stores (some faulting) now and then.
      let insn = LDR_X13;
      if (i === 0 || r() % 16 !== 0) do insn = integerInsn(r, r() % 20 === 0 ? INTEGER_CLASSES : ALU);
      while (undefinedInsn(insn));
      // x12, x13 and x30 keep their addresses (a destination there becomes x(0-11)).
      code[w] = [12, 13, 30].includes(insn & 31) && insn !== LDR_X13 ? ((insn & ~31) | r() % 12) >>> 0 : insn;
      if (w >= PAGE2) rewritable.push(w);
    }
    const from = starts[i] + lens[i];
    const to = r() % 9 === 0 ? brk : starts[r() % k];
    const kind = r() % 10;
    // Mostly known targets; a conditional's fall-through goes to the next word (the next block of its page, or a BRK).
    if (kind < 4) code[from] = condBranch(r, from, to);
    else if (kind < 7) code[from] = b(from, to);
    else if (kind === 7) code[from] = bl(from, to);
    else if (kind === 8) code[from] = BR_X12;
    else code[from] = RET;
  }
  const state = randomState(r);
  // x13: in the data (no fault) or past RAM; x30: the first block (RET goes there).
  const x13 = r() % 4 === 0 ? BASE + SIZE + 0x1000 : DATA + 64;
  state.regs[26] = x13 | 0;
  state.regs[27] = 0;
  state.regs[60] = BASE | 0;
  state.regs[61] = 0;
  const budgets = [0, 1, 2].map(() => 20 + (r() % 2000));
  return { code, rewritable, state, budgets };
}

interface Variant {
  jit: 'off' | 'always';
  chain?: boolean;
  depth?: number;
  regions?: boolean;
  maxCompiled?: number;
  /** Functions compile again with host calls after this many misses (BlockCompiler.missLimit). */
  missLimit?: number;
}

interface Slices {
  outs: Outcome[];
  cpu: Cpu;
}

/** The program in three slices from the first block, one instruction of the second page rewritten by the host between them. */
function runSlices(p: Program, v: Variant, seed: number): Slices {
  const phys = new PhysicalMemory(BASE, SIZE);
  const cpu = new Cpu(phys, { hosted: true, jit: v.jit });
  const jit = cpu.jit!;
  jit.chain = v.chain === true;
  jit.chainDepth = v.depth ?? 16;
  jit.countDispatches = true;
  jit.regions = v.regions === true;
  if (v.missLimit !== undefined) jit.missLimit = v.missLimit;
  if (v.maxCompiled !== undefined) {
    // Forgotten blocks compile again after two interpreted runs.
    jit.maxCompiled = v.maxCompiled;
    cpu.jitThreshold = 2;
  }
  cpu.setEl(0);
  const bytes = new Uint8Array(4 * p.code.length);
  const dv = new DataView(bytes.buffer);
  p.code.forEach((w, i) => dv.setUint32(4 * i, w, true));
  phys.writeBytes(BASE, bytes);
  phys.writeBytes(DATA, p.state.data);
  cpu.x.set(p.state.regs.subarray(0, 64));
  cpu.state.nzcv = p.state.nzcv;
  const r = rng(seed * 31 + 7);
  const outs: Outcome[] = [];
  p.budgets.forEach((budget, i) => {
    if (i > 0 && p.rewritable.length > 0) {
      const w = p.rewritable[r() % p.rewritable.length];
      const word = new Uint8Array(4);
      new DataView(word.buffer).setUint32(0, integerInsn(r), true);
      phys.writeBytes(BASE + 4 * w, word);
    }
    cpu.pc = BASE;
    outs.push(outcomeOf(cpu, phys, cpu.run(budget)));
  });
  return { outs, cpu };
}

function same(a: Slices, b: Slices, label: string): void {
  a.outs.forEach((o, i) => {
    expect({ ...b.outs[i], data: undefined }, `${label}, slice ${i}`).toEqual({ ...o, data: undefined });
    expect(Buffer.compare(Buffer.from(b.outs[i].data), Buffer.from(o.data)), `${label}, slice ${i}: data`).toBe(0);
  });
}

describe('links between compiled functions vs interpreter', () => {
  it('runs random programs of linked blocks as the interpreter, through faults, budgets, rewritten code and resets', () => {
    let plain = 0;
    let linked = 0;
    let faults = 0;
    let resets = 0;
    let demoted = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const p = program(seed);
      const label = `seed ${seed}`;
      const a = runSlices(p, { jit: 'off' }, seed);
      const variant: Variant = { jit: 'always', depth: [1, 2, 16][seed % 3], regions: seed % 4 === 0, maxCompiled: seed % 5 === 0 ? 3 : undefined, missLimit: seed % 2 === 0 ? 1 : undefined };
      const without = runSlices(p, { ...variant, chain: false }, seed);
      const withLinks = runSlices(p, { ...variant, chain: true }, seed);
      same(a, without, `${label} without links`);
      same(a, withLinks, `${label} with links`);
      // Links change nothing the run loop sees: the same chains end where they did (a call out, the budget, a miss).
      expect(withLinks.cpu.jit!.stats.chains, label).toBe(without.cpu.jit!.stats.chains);
      expect(withLinks.cpu.jit!.stats.chained, label).toBe(without.cpu.jit!.stats.chained);
      plain += without.cpu.jit!.dispatches;
      linked += withLinks.cpu.jit!.dispatches;
      faults += a.outs.filter((o) => o.stop === StopReason.Exception && o.esr >>> 26 !== 0x3c).length;
      resets += withLinks.cpu.jit!.stats.resets;
      demoted += without.cpu.jit!.stats.missDemoted + withLinks.cpu.jit!.stats.missDemoted;
    }
    // Most dispatches went through links, some slices faulted, the compiler forgot everything often, and
    // functions that left at a miss compiled again with host calls (half the seeds: at their first miss).
    expect(linked).toBeLessThan(plain / 2);
    expect(faults).toBeGreaterThan(50);
    expect(resets).toBeGreaterThan(50);
    expect(demoted).toBeGreaterThan(100);
  }, 240_000);

  it('returns to the dispatcher after `depth` links (a long slice of two blocks calling each other does not exhaust the stack)', () => {
    // 0: add x0, x0, #1 ; b page2 ... page2: add x1, x1, #1 ; b 0
    const code = new Array<number>(PAGE2 + 2).fill(BRK0);
    code[0] = 0x91000400;
    code[1] = b(1, PAGE2);
    code[PAGE2] = 0x91000421;
    code[PAGE2 + 1] = b(PAGE2 + 1, 0);
    const p: Program = { code, rewritable: [], state: { ...randomState(rng(5)), regs: new Int32Array(64) }, budgets: [1_000_000, 3] };
    const a = runSlices(p, { jit: 'off' }, 1);
    const withLinks = runSlices(p, { jit: 'always', chain: true, depth: 16 }, 1);
    same(a, withLinks, 'two blocks');
    expect(a.outs[0].x[0] + a.outs[0].x[2]).toBe(500_000);
    // Of the 500,000 functions run, every 17th returns to the dispatcher.
    expect(withLinks.cpu.jit!.dispatches).toBeLessThan(500_000 / 16 + 100);
  });
});
