// The block compiler against the interpreter: random blocks of integer
// instructions (the compiled subset's classes with random fields, so some are
// unallocated or outside the subset), run once interpreted and once compiled
// at their first execution, from the same registers, flags and memory. Every
// architectural result must match: registers, NZCV, PC, the instructions
// retired, the exception taken (syndrome and FAR) and the data memory,
// including blocks that fault in the middle and blocks that loop on
// themselves until the budget ends.

import { describe, expect, it } from 'vitest';
import { Cpu, StopReason } from '../../board/aarch64/cpu';
import { CPU_SLOT_BYTES, PhysicalMemory } from '../../board/memory/physical-memory';
import { BASE, BRK0, DATA, DATA_BYTES, type Outcome, regField, rng, runOnce as runCase, SIZE } from './jit-diff-harness';
import { JUMP_ENTRIES, SLOT_JUMP_CACHE, SLOT_SCRATCH16, SLOT_TLB0 } from '../../board/aarch64/jit/cpu-slot';

/** Class value and the bits a random instruction keeps fixed (mask), per compiled class. */
const CLASSES: Array<[number, number]> = [
  [0x11000000, 0x1f800000], // add/sub immediate
  [0x12000000, 0x1f800000], // logical immediate
  [0x12800000, 0x1f800000], // move wide
  [0x13000000, 0x1f800000], // bitfield
  [0x13800000, 0x7fa00000], // extract
  [0x10000000, 0x1f000000], // adr/adrp
  [0x0b000000, 0x1f200000], // add/sub shifted
  [0x0b200000, 0x1fe00000], // add/sub extended
  [0x0a000000, 0x1f000000], // logical shifted
  [0x1a800000, 0x1fe00000], // conditional select
  [0x3a400000, 0x3fe00410], // conditional compare
  [0x1ac00000, 0x7fe00000], // two-source
  [0x1b000000, 0x7f000000], // three-source
  [0x5ac00000, 0x7ffff000], // one-source
  [0x39000000, 0x3b000000], // load/store unsigned offset
  [0x38000000, 0x3b200000], // load/store unscaled, pre/post
  [0x38200800, 0x3b200c00], // load/store register offset
  [0x18000000, 0x3b000000], // load literal
  [0x28000000, 0x3a000000], // load/store pair
  [0x3d000000, 0x3f000000], // SIMD&FP load/store unsigned offset
  [0x3c000000, 0x3f200000], // SIMD&FP load/store unscaled, pre/post
  [0x3c200800, 0x3f200c00], // SIMD&FP load/store register offset
  [0x1c000000, 0x3f000000], // SIMD&FP load literal
  [0x2c000000, 0x3e000000], // SIMD&FP load/store pair
  // Run by the interpreter's op inside compiled blocks (jit/interpreter-ops.ts):
  [0x08000000, 0x3f000000], // load/store exclusive, ordered, CAS
  [0x38200000, 0x3f200c00], // atomic memory operations
  [0x0e200400, 0x9f200400], // AdvSIMD three same
  [0x0e000400, 0x9fe08400], // AdvSIMD copy (DUP, INS, UMOV)
  [0x1e200000, 0x5f20fc00], // FP/integer conversions (FMOV, FCVTZS, SCVTF)
  [0xd50b7420, 0xffffffe0], // DC ZVA
];
const BRANCHES: Array<[number, number]> = [
  [0x54000000, 0xff000010], // b.cond
  [0x34000000, 0x7e000000], // cbz/cbnz
  [0x36000000, 0x7e000000], // tbz/tbnz
  [0xd61f0000, 0xfffffc1f], // br
  [0xd63f0000, 0xfffffc1f], // blr
  [0xd65f0000, 0xfffffc1f], // ret
  [0x14000000, 0x7c000000], // b, bl
];

function randomInsn(r: () => number, cls: [number, number]): number {
  let insn = ((r() & ~cls[1]) | cls[0]) >>> 0;
  // Registers at bits 4:0, 9:5, 20:16 and (for pairs and 3-source) 14:10.
  insn = (insn & ~0x1f) | regField(r);
  insn = (insn & ~(0x1f << 5)) | (regField(r) << 5);
  if (r() % 2 === 0) insn = (insn & ~(0x1f << 16)) | (regField(r) << 16);
  // Keep immediate offsets small most of the time so accesses land in the data.
  if (cls[0] === 0x39000000 && r() % 4 !== 0) insn &= ~(0xff0 << 10);
  // Classes with fixed register fields (DC ZVA) keep them.
  return ((insn & ~cls[1]) | cls[0]) >>> 0;
}

/** One run through the shared harness (vector registers zero unless given); `compiled`: blocks the compiler made. */
function runOnce(
  code: number[],
  regs: Int32Array,
  nzcv: number,
  data: Uint8Array,
  jit: 'off' | 'always',
  budget: number,
  tune?: (cpu: Cpu) => void,
  v: Int32Array = new Int32Array(128),
): { out: Outcome; compiled: number; cpu: Cpu } {
  const run = runCase({ code, regs, nzcv, data, v }, jit, budget, tune);
  return { ...run, compiled: run.cpu.jit?.stats.blocks ?? 0 };
}

function randomCase(seed: number): { code: number[]; regs: Int32Array; nzcv: number; data: Uint8Array; v: Int32Array } {
  const r = rng(seed);
  const n = 1 + (r() % 12);
  const code: number[] = [];
  for (let i = 0; i < n; i++) code.push(randomInsn(r, CLASSES[r() % CLASSES.length]));
  // End with a branch back to the start (a loop the budget ends) or forward to the BRK, or fall into the BRK.
  const kind = r() % 3;
  if (kind < 2) {
    const br = BRANCHES[r() % BRANCHES.length];
    let b = ((r() & ~br[1]) | br[0]) >>> 0;
    const back = kind === 0;
    const offWords = back ? -n : 1;
    if (br[0] === 0x36000000) b = (b & ~(0x3fff << 5)) | ((offWords & 0x3fff) << 5);
    else if (br[0] === 0x14000000) b = (b & ~0x3ffffff) | (offWords & 0x3ffffff);
    else if (br[1] === 0xfffffc1f) b = (b & ~(0x1f << 5)) | ((r() % 4 === 0 ? 12 : regField(r)) << 5);
    else b = (b & ~(0x7ffff << 5)) | ((offWords & 0x7ffff) << 5);
    if (br[1] !== 0xfffffc1f && br[0] !== 0x14000000) b = (b & ~0x1f) | (br[0] === 0x54000000 ? r() % 16 : regField(r));
    code.push(b >>> 0);
  }
  code.push(BRK0);
  const regs = new Int32Array(64);
  for (let i = 0; i < 31; i++) {
    const k = r() % 8;
    // Mostly pointers into the data area (some near its end, so pairs cross it), else random values.
    const v = k < 5 ? DATA + (r() % DATA_BYTES) : k === 5 ? DATA + DATA_BYTES - 8 : -1;
    regs[2 * i] = v === -1 ? r() | 0 : v | 0;
    regs[2 * i + 1] = v === -1 ? (k === 6 ? r() | 0 : r() % 3 === 0 ? -1 : 0) : 0;
  }
  regs[24] = BASE; // x12: register branches through it go back to the start
  regs[25] = 0;
  regs[62] = DATA + 0x4000;
  regs[63] = 0;
  const data = new Uint8Array(DATA_BYTES);
  for (let i = 0; i < DATA_BYTES; i += 4) new DataView(data.buffer).setUint32(i, r(), true);
  const v = new Int32Array(128).map(() => r() | 0);
  return { code, regs, nzcv: (r() & 0xf) << 28, data, v };
}

/** 2-5 blocks of random instructions, each ending in a conditional or direct branch to one of the blocks or to the BRK after them. */
function randomRegionCase(seed: number): ReturnType<typeof randomCase> {
  const c = randomCase(seed * 7919);
  const r = rng(seed);
  const k = 2 + (r() % 4);
  const starts: number[] = [];
  const code: number[] = [];
  const branchAt: number[] = [];
  for (let b = 0; b < k; b++) {
    starts.push(code.length);
    const n = 1 + (r() % 6);
    // Mostly flag setters, arithmetic and loads/stores (classes 0-18), so conditions depend on the data.
    for (let i = 0; i < n; i++) code.push(randomInsn(r, CLASSES[r() % 4 === 0 ? 10 : r() % 19]));
    branchAt.push(code.length);
    code.push(0);
  }
  const brk = code.length;
  code.push(BRK0);
  branchAt.forEach((at, b) => {
    const to = r() % 5 === 0 ? brk : starts[r() % k];
    const d = to - at;
    const kind = r() % 4;
    let insn: number;
    if (kind === 0) insn = 0x54000000 | ((d & 0x7ffff) << 5) | (r() % 15); // b.cond (not AL/NV)
    else if (kind === 1) insn = (0x34000000 | (r() % 2 << 31) | (r() % 2 << 24) | ((d & 0x7ffff) << 5) | regField(r)) >>> 0; // cbz/cbnz
    else if (kind === 2) insn = (0x36000000 | (r() % 2 << 31) | (r() % 2 << 24) | ((r() % 32) << 19) | ((d & 0x3fff) << 5) | regField(r)) >>> 0; // tbz/tbnz
    else insn = 0x14000000 | (d & 0x3ffffff); // b
    code[at] = insn >>> 0;
    void b;
  });
  return { ...c, code };
}

describe('block compiler vs interpreter on random integer blocks', () => {
  it('leaves the same architectural state, faults and memory', () => {
    let compiled = 0;
    let faulted = 0;
    for (let seed = 1; seed <= 1200; seed++) {
      const c = randomCase(seed);
      const budget = 50 + (seed % 7) * 13;
      const a = runOnce(c.code, c.regs, c.nzcv, c.data, 'off', budget, undefined, c.v);
      const b = runOnce(c.code, c.regs, c.nzcv, c.data, 'always', budget, undefined, c.v);
      compiled += b.compiled;
      if (a.out.stop === StopReason.Exception && (a.out.esr >>> 26) !== 0x3c) faulted++;
      const label = `seed ${seed}: ${c.code.map((w) => w.toString(16).padStart(8, '0')).join(' ')}`;
      expect({ ...b.out, data: undefined }, label).toEqual({ ...a.out, data: undefined });
      expect(Buffer.compare(Buffer.from(b.out.data), Buffer.from(a.out.data)), label).toBe(0);
    }
    // The generator must exercise the compiler and its fault paths, not only refusals.
    expect(compiled).toBeGreaterThan(400);
    expect(faulted).toBeGreaterThan(50);
  });

  it('faults in a later iteration of a compiled self-loop and in a chained block exactly as the interpreter', () => {
    // loop: ldr x1, [x0], #8 ; add x3, x3, x1 ; subs x2, x2, #1 ; b.ne loop ; then b next ; next: str x3, [x4] ; brk
    const code = [0xf8408401, 0x8b010063, 0xf1000442, 0x54ffffa1, 0x14000001, 0xf9000083, BRK0];
    const regs = new Int32Array(64);
    regs[0] = BASE + SIZE - 64; // x0 walks off the end of RAM after 8 loads
    for (const [count, x4] of [[20, DATA], [5, DATA], [5, BASE + SIZE + 4096]]) {
      regs[8] = x4 | 0; // (x_n's low word is regs[2n])
      regs[4] = count; // x2 = count: 20 faults mid-loop, 5 ends and chains to the store (which faults for the last x4)
      const a = runOnce(code, regs, 0, new Uint8Array(DATA_BYTES), 'off', 10_000);
      const b = runOnce(code, regs, 0, new Uint8Array(DATA_BYTES), 'always', 10_000);
      // With host calls the fault is thrown out of the chain instead of leaving it for the run loop.
      const c = runOnce(code, regs, 0, new Uint8Array(DATA_BYTES), 'always', 10_000, (cpu) => (cpu.jit!.missExits = false));
      expect(b.compiled).toBeGreaterThan(0);
      expect(a.out.stop).toBe(StopReason.Exception);
      expect({ ...c.out, data: undefined }).toEqual({ ...a.out, data: undefined });
      expect(Buffer.compare(Buffer.from(c.out.data), Buffer.from(a.out.data))).toBe(0);
      // Every instruction ran in compiled chains, those of the chain the fault ended too (--stats counts them).
      expect(c.cpu.jit!.stats.chained).toBe(c.cpu.retired);
      expect({ ...b.out, data: undefined }).toEqual({ ...a.out, data: undefined });
      expect(Buffer.compare(Buffer.from(b.out.data), Buffer.from(a.out.data))).toBe(0);
    }
  });

  it('forgets every compiled block past its limit and recompiles what stays hot, with the same results', () => {
    // Nested loops over three blocks: inner: ldr x1, [x0], #8 ; add x3, x3, x1 ; subs x2, x2, #1 ; b.ne inner
    // outer: sub x0, x0, #64 ; mov x2, #8 ; subs x5, x5, #1 ; b.ne inner ; brk
    const code = [0xf8408401, 0x8b010063, 0xf1000442, 0x54ffffa1, 0xd1010000, 0xd2800102, 0xf10004a5, 0x54ffff41, BRK0];
    const regs = new Int32Array(64);
    regs[0] = DATA;
    regs[4] = 8;
    regs[10] = 3000;
    const data = new Uint8Array(DATA_BYTES).map((_, i) => i * 7);
    const a = runOnce(code, regs, 0, data, 'off', 1_000_000);
    // 'always' compiles each block as it is decoded and again as soon as it has run twice after being forgotten.
    const b = runOnce(code, regs, 0, data, 'always', 1_000_000, (cpu) => {
      cpu.jitThreshold = 2;
      cpu.jit!.maxCompiled = 2;
      cpu.jit!.regions = false; // a region would hold both loops in one function, compiled once
    });
    expect(b.cpu.jit!.stats.resets).toBeGreaterThan(10);
    expect({ ...b.out, data: undefined }).toEqual({ ...a.out, data: undefined });
  });

  it('runs random multi-block regions (loops over several blocks) as the interpreter', () => {
    let regions = 0;
    let faulted = 0;
    for (let seed = 1; seed <= 500; seed++) {
      const c = randomRegionCase(seed);
      const budget = 40 + (seed % 11) * 37;
      const a = runOnce(c.code, c.regs, c.nzcv, c.data, 'off', budget, undefined, c.v);
      const b = runOnce(c.code, c.regs, c.nzcv, c.data, 'always', budget, (cpu) => (cpu.jit!.regions = true), c.v);
      regions += b.cpu.jit!.stats.regions;
      if (a.out.stop === StopReason.Exception && (a.out.esr >>> 26) !== 0x3c) faulted++;
      const label = `seed ${seed}: ${c.code.map((w) => w.toString(16).padStart(8, '0')).join(' ')}`;
      expect({ ...b.out, data: undefined }, label).toEqual({ ...a.out, data: undefined });
      expect(Buffer.compare(Buffer.from(b.out.data), Buffer.from(a.out.data)), label).toBe(0);
    }
    expect(regions).toBeGreaterThan(120);
    expect(faulted).toBeGreaterThan(20);
  });

  it('keeps the exclusive monitor exact through interpreted exclusives and atomics in compiled loops', () => {
    // loop: ldaxr w1, [x0] ; add w1, w1, #1 ; stlxr w2, w1, [x0] ; cbnz w2, loop
    //       ldadd x5, x6, [x4] ; subs x3, x3, #1 ; b.ne loop ; then: stxr w2, w1, [x0] (fails: the monitor is open) ; brk
    const code = [0x885ffc01, 0x11000421, 0x8802fc01, 0x35ffffa2, 0xf8250086, 0xf1000463, 0x54ffff41, 0x88027c01, BRK0];
    const regs = new Int32Array(64);
    regs[0] = DATA + 8;
    regs[6] = 1000; // x3
    regs[8] = DATA + 64; // x4
    regs[10] = 3; // x5
    for (const budget of [100_000, 1234]) {
      const a = runOnce(code, regs, 0, new Uint8Array(DATA_BYTES), 'off', budget);
      const b = runOnce(code, regs, 0, new Uint8Array(DATA_BYTES), 'always', budget);
      expect(b.cpu.jit!.stats.interpreted.size).toBeGreaterThan(0);
      expect({ ...b.out, data: undefined }).toEqual({ ...a.out, data: undefined });
      expect(Buffer.compare(Buffer.from(b.out.data), Buffer.from(a.out.data))).toBe(0);
    }
    const done = runOnce(code, regs, 0, new Uint8Array(DATA_BYTES), 'always', 100_000).out;
    expect(new DataView(done.data.buffer).getUint32(8, true)).toBe(1000);
    expect(new DataView(done.data.buffer).getUint32(64, true)).toBe(3000);
    expect(done.x[4]).toBe(1); // the last STXR failed
  });

  it('reads TPIDR_EL0 in compiled code', () => {
    // mrs x3, tpidr_el0 ; add x3, x3, #1 ; mrs x4, tpidr_el0 ; brk
    const code = [0xd53bd043, 0x91000463, 0xd53bd044, BRK0];
    const set = (cpu: Cpu) => cpu.sysregs.set('TPIDR_EL0', 0x12345678, 0x9abc);
    const a = runOnce(code, new Int32Array(64), 0, new Uint8Array(DATA_BYTES), 'off', 100, set);
    const b = runOnce(code, new Int32Array(64), 0, new Uint8Array(DATA_BYTES), 'always', 100, set);
    expect(b.cpu.jit!.stats.blocks).toBe(1);
    expect(b.out.x.slice(6, 10)).toEqual([0x12345679, 0x9abc, 0x12345678, 0x9abc]);
    expect({ ...b.out, data: undefined }).toEqual({ ...a.out, data: undefined });
  });

  it('reads in compiled code the TPIDR_EL0 an interpreted MSR wrote', () => {
    // mrs x3, tpidr_el0 ; msr tpidr_el0, x5 ; b 1f ; 1: mrs x4, tpidr_el0 ; brk
    const code = [0xd53bd043, 0xd51bd045, 0x14000001, 0xd53bd044, BRK0];
    const regs = new Int32Array(64);
    regs[10] = 0x0badcafe;
    regs[11] = 0x77;
    const set = (cpu: Cpu) => cpu.sysregs.set('TPIDR_EL0', 0x11, 0x22);
    const a = runOnce(code, regs, 0, new Uint8Array(DATA_BYTES), 'off', 100, set);
    const b = runOnce(code, regs, 0, new Uint8Array(DATA_BYTES), 'always', 100, set);
    expect(b.cpu.jit!.stats.blocks).toBe(2);
    expect(b.out.x.slice(6, 10)).toEqual([0x11, 0x22, 0x0badcafe, 0x77]);
    expect({ ...b.out, data: undefined }).toEqual({ ...a.out, data: undefined });
  });

  it('lays the CPU slot out inside its bytes', () => {
    expect(SLOT_SCRATCH16 + 16).toBeLessThanOrEqual(SLOT_TLB0);
    expect(SLOT_JUMP_CACHE + JUMP_ENTRIES * 16).toBeLessThanOrEqual(CPU_SLOT_BYTES);
  });
});
