// What a compiled function's prologue loads (jit/reg-flow.ts) against the
// interpreter: random regions and blocks whose registers are mostly written
// before they are read, in loops over several blocks (so a register one block
// writes is dirty where another reads it on the next iteration), with exits
// from every block, interpreter ops (LDXP) and misaligned exclusives (whose
// interpreter call runs beside a compiled fast path), and a faulting access
// put at every position of each program in turn. Every register starts with
// a distinct value, so a local never loaded (zero) that reaches the slot, or
// a read of one, shows in the registers the fault or exit leaves.

import { describe, expect, it } from 'vitest';
import { StopReason } from '../../board/aarch64/cpu';
import { RegFlow } from '../../board/jit/reg-flow';
import { BASE, BRK0, DATA, DATA_BYTES, rng, runOnce, SIZE } from './jit-diff-harness';

const movz = (d: number, imm: number): number => (0xd2800000 | ((imm & 0xffff) << 5) | d) >>> 0;
const addImm = (d: number, n: number, imm: number): number => (0x91000000 | ((imm & 0xfff) << 10) | (n << 5) | d) >>> 0;
const addReg = (d: number, n: number, m: number): number => (0x8b000000 | (m << 16) | (n << 5) | d) >>> 0;
const ldr = (t: number, n: number, off: number): number => (0xf9400000 | ((off & 0xfff) << 10) | (n << 5) | t) >>> 0;
const str = (t: number, n: number, off: number): number => (0xf9000000 | ((off & 0xfff) << 10) | (n << 5) | t) >>> 0;
const ldp = (t: number, t2: number, n: number): number => (0xa9400000 | (t2 << 10) | (n << 5) | t) >>> 0;
const ldxp = (t: number, t2: number, n: number): number => (0xc87f0000 | (t2 << 10) | (n << 5) | t) >>> 0;
const ldxr = (t: number, n: number): number => (0xc85f7c00 | (n << 5) | t) >>> 0;
const subs1 = (d: number): number => (0xf1000400 | (d << 5) | d) >>> 0;
const bcond = (from: number, to: number, cond: number): number => (0x54000000 | (((to - from) & 0x7ffff) << 5) | cond) >>> 0;
const cbz = (from: number, to: number, t: number): number => (0xb4000000 | (((to - from) & 0x7ffff) << 5) | t) >>> 0;
const b = (from: number, to: number): number => (0x14000000 | ((to - from) & 0x3ffffff)) >>> 0;

/** x0-x2 point into the data, x3 outside RAM, x4 into the data misaligned, x5 counts loop iterations; x6-x15 are values. */
const BAD = 3;
const MISALIGNED = 4;
const COUNT = 5;
const val = (r: () => number): number => 6 + (r() % 10);
const ptr = (r: () => number): number => r() % 3;

/** An instruction that mostly writes a value register before anything reads it, or reads one. */
function body(r: () => number): number {
  const k = r() % 16;
  if (k < 4) return movz(val(r), r());
  if (k < 7) return addImm(val(r), val(r), r() % 64);
  if (k < 9) return addReg(val(r), val(r), val(r));
  if (k < 11) return ldr(val(r), ptr(r), r() % 64);
  if (k < 13) return str(val(r), ptr(r), r() % 64);
  if (k < 14) return ldp(val(r), val(r), ptr(r));
  if (k < 15) return ldxp(val(r), val(r), ptr(r));
  return ldxr(val(r), r() % 4 === 0 ? MISALIGNED : ptr(r));
}

/** 1-4 blocks; each ends in a branch back (counted by x5), forward, or out to the BRK after them. */
function program(r: () => number): number[] {
  const k = 1 + (r() % 4);
  const code: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for (let blk = 0; blk < k; blk++) {
    starts.push(code.length);
    const n = 1 + (r() % 6);
    for (let i = 0; i < n; i++) code.push(body(r));
    if (r() % 2 === 0) code.push(subs1(COUNT));
    ends.push(code.length);
    code.push(0);
  }
  const brk = code.length;
  code.push(BRK0);
  ends.forEach((at, blk) => {
    const to = r() % 4 === 0 ? brk : starts[r() % k];
    const kind = r() % 3;
    // Branches back only while x5 counts down (b.ne after a subs, or cbz x5 out), so every program ends.
    if (to <= at) code[at] = code[at - 1] === subs1(COUNT) ? bcond(at, to, 1) : cbz(at, brk, COUNT);
    else code[at] = kind === 0 ? b(at, to) : kind === 1 ? bcond(at, to, r() % 14) : cbz(at, to, val(r));
    void blk;
  });
  return code;
}

function state(r: () => number): { regs: Int32Array; v: Int32Array; nzcv: number; data: Uint8Array } {
  const regs = new Int32Array(64);
  for (let i = 0; i < 32; i++) {
    regs[2 * i] = (0x1000_0000 + i * 0x0101_0101 + (r() & 0xff)) | 0;
    regs[2 * i + 1] = (0x7000_0000 + i) | 0;
  }
  for (let p = 0; p < 3; p++) {
    regs[2 * p] = (DATA + 8 * (r() % 256)) | 0;
    regs[2 * p + 1] = 0;
  }
  regs[2 * BAD] = (BASE + SIZE + 0x1000) | 0;
  regs[2 * BAD + 1] = 0;
  regs[2 * MISALIGNED] = (DATA + 8 * (r() % 256) + 3) | 0;
  regs[2 * MISALIGNED + 1] = 0;
  regs[2 * COUNT] = 1 + (r() % 4);
  regs[2 * COUNT + 1] = 0;
  regs[62] = (DATA + 0x4000) | 0;
  regs[63] = 0;
  const data = new Uint8Array(DATA_BYTES);
  for (let i = 0; i < DATA_BYTES; i += 4) new DataView(data.buffer).setUint32(i, r(), true);
  return { regs, v: new Int32Array(128).map(() => r() | 0), nzcv: (r() & 0xf) << 28, data };
}

/** The program with instruction p replaced by an access through x3 (outside RAM), when p is not a branch. */
function faultAt(code: readonly number[], p: number, r: () => number): number[] | null {
  const w = code[p];
  if (w === BRK0 || (w & 0xfc000000) >>> 0 === 0x14000000 || (w & 0xff000010) >>> 0 === 0x54000000 || (w & 0xff000000) >>> 0 === 0xb4000000) return null;
  const out = [...code];
  out[p] = r() % 2 === 0 ? ldr(val(r), BAD, r() % 8) : str(val(r), BAD, r() % 8);
  return out;
}

describe('compiled function entries against the interpreter', () => {
  it('leave the registers of every exit and of a fault at every position as the interpreter does', () => {
    let compiled = 0;
    let faults = 0;
    let regions = 0;
    for (let seed = 1; seed <= 25; seed++) {
      const r = rng(seed * 0x9e37);
      const base = program(r);
      const s = state(r);
      const variants = [base, ...base.map((_, p) => faultAt(base, p, r)).filter((c): c is number[] => c !== null)];
      for (const code of variants) {
        const c = { code, ...s };
        const budget = 20 + (r() % 200);
        const a = runOnce(c, 'off', budget);
        const bOut = runOnce(c, 'always', budget, (cpu) => (cpu.jit!.regions = seed % 4 !== 0));
        const label = `seed ${seed} budget ${budget}: ${code.map((w) => w.toString(16).padStart(8, '0')).join(' ')}`;
        expect({ ...bOut.out, data: undefined }, label).toEqual({ ...a.out, data: undefined });
        expect(Buffer.compare(Buffer.from(bOut.out.data), Buffer.from(a.out.data)), label).toBe(0);
        compiled += bOut.cpu.jit?.stats.blocks ?? 0;
        regions += bOut.cpu.jit?.stats.regions ?? 0;
        if (a.out.stop === StopReason.Exception && a.out.esr >>> 26 !== 0x3c) faults++;
      }
    }
    expect(compiled).toBeGreaterThan(250);
    expect(regions).toBeGreaterThan(180);
    expect(faults).toBeGreaterThan(120);
  }, 120_000);
});

describe('RegFlow', () => {
  const X = (r: number): number => 1 << r;

  it('loads only what is read or stored before every path writes it', () => {
    const f = new RegFlow();
    f.startInsn();
    f.write(6); // x6 written first: not loaded
    f.read(6);
    f.read(7); // x7 read first: loaded
    f.exit(0);
    const p = f.analyse(X(6));
    expect(p.loaded & (X(6) | X(7))).toBe(X(7));
  });

  it('loads a register an exit or a fault point may store unwritten on one path and written on another', () => {
    // Block 0 exits, or goes on to block 1, which writes x6 and loops back to block 0.
    const f = new RegFlow();
    f.enterBlock(0);
    f.fault(0);
    f.plan();
    f.linkBlock(1);
    f.enterBlock(1);
    f.write(6);
    f.linkBlock(0);
    const p = f.analyse(X(6), 0, true);
    expect(p.loaded & X(6)).toBe(X(6));
    // Without the back edge x6 is never dirty where block 0 exits or faults: the exit reloads it instead.
    const g = new RegFlow();
    g.enterBlock(0);
    g.fault(0);
    g.plan();
    g.linkBlock(1);
    g.enterBlock(1);
    g.write(6);
    g.exit(0);
    const q = g.analyse(X(6), 0, true);
    expect(q.loaded & X(6)).toBe(0);
    expect(q.garbage[0] & X(6)).toBe(X(6));
    expect(q.faultDirty.get(0)! & X(6)).toBe(0);
  });

  it('starts an interpreter call from the state at its instruction start, not after its fast way', () => {
    const call = (store: number): { f: RegFlow; spill: number } => {
      const f = new RegFlow();
      f.startInsn();
      f.write(6); // the fast way writes x6
      const fast = f.alternative();
      f.fault(5);
      // The spill before the interpreter call, where x6 is still unwritten.
      const spill = store < 0 ? f.plan() : f.spill(store);
      f.clean(X(6));
      f.join(fast);
      return { f, spill };
    };
    const planned = call(-1);
    const p = planned.f.analyse(X(6), 0, true);
    expect(p.garbage[planned.spill] & X(6)).toBe(X(6));
    expect(p.loaded & X(6)).toBe(0);
    // A spill that stores x6 there stores the unloaded local: x6 must be loaded.
    expect(call(X(6)).f.analyse(X(6)).loaded & X(6)).toBe(X(6));
  });

  it('says a slot read of a possibly dirty register breaks the code', () => {
    const f = new RegFlow();
    f.enterBlock(0);
    f.slotRead(6);
    f.linkBlock(1);
    f.enterBlock(1);
    f.write(6);
    f.linkBlock(0);
    expect(f.analyse(X(6)).broken).toBe(true);
    // As a plan for the next pass: that read must use the local, which must then be loaded.
    const next = f.analyse(X(6), 0, true);
    expect(next.readDirty[0]).toBe(1);
    expect(next.loaded & X(6)).toBe(X(6));
  });
});
