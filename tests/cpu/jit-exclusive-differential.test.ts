// Exclusives compiled inline (jit-exclusive.ts) against the interpreter:
// random blocks of LDXR/LDAXR, STXR/STLXR, LDAR/STLR of every size at
// aligned and misaligned addresses, mixed with pairs (LDXP/STXP, still the
// interpreter's op), ordinary stores and CLREX (which ends the compiled part:
// the rest of the block is interpreted), so the monitor passes between
// compiled code and the interpreter both ways. Registers, memory, the
// monitor, the stop, syndrome, FAR and retired count must match; a lock-style
// retry loop must stay in compiled code and count the same.

import { describe, expect, it } from 'vitest';
import { BRK0, DATA, DATA_BYTES, randomState, rng, runOnce } from './jit-diff-harness';

const CLREX = 0xd503305f;

function ldxr(size: number, acquire: number, rn: number, rt: number): number {
  return ((size << 30) | 0x085f7c00 | (acquire << 15) | (rn << 5) | rt) >>> 0;
}

function stxr(size: number, release: number, rs: number, rn: number, rt: number): number {
  return ((size << 30) | 0x08007c00 | (rs << 16) | (release << 15) | (rn << 5) | rt) >>> 0;
}

function ordered(size: number, isLoad: boolean, limited: number, rn: number, rt: number): number {
  return ((size << 30) | (isLoad ? 0x08df7c00 : 0x089f7c00) | ((1 - limited) << 15) | (rn << 5) | rt) >>> 0;
}

/** Base registers x0..x2 point into the data at random alignments; values in x3..x12. */
function randomBlock(r: () => number): number[] {
  const code: number[] = [];
  const n = 2 + (r() % 10);
  const base = (): number => r() % 3;
  const val = (): number => (r() % 8 === 0 ? 31 : 3 + (r() % 10));
  for (let i = 0; i < n; i++) {
    const k = r() % 20;
    const size = r() % 4;
    if (k < 5) {
      // A load and a store exclusive of the same size and base: mostly the success path.
      const rn = base();
      code.push(ldxr(size, r() & 1, rn, val()), stxr(r() % 3 === 0 ? r() % 4 : size, r() & 1, val(), r() % 4 === 0 ? base() : rn, val()));
    } else if (k < 8) code.push(ldxr(size, r() & 1, base(), val()));
    else if (k < 11) code.push(stxr(size, r() & 1, val(), base(), val()));
    else if (k < 13) code.push(ordered(size, (r() & 1) === 1, r() & 1, base(), val()));
    else if (k < 14) code.push((0xc87f0000 | (4 << 10) | (base() << 5) | 3) >>> 0); // ldxp x3, x4, [xn]
    else if (k < 15) code.push((0xc8200000 | (val() << 16) | (6 << 10) | (base() << 5) | 5) >>> 0); // stxp ws, x5, x6, [xn]
    else if (k < 16) code.push(CLREX);
    else if (k < 18) code.push((0xf9000000 | (base() << 5) | val()) >>> 0); // str xt, [xn]
    else code.push((0x91000000 | ((r() % 9) << 10) | (base() * 0x21)) >>> 0); // add xn, xn, #k
  }
  code.push(BRK0);
  return code;
}

function state(r: () => number): ReturnType<typeof randomState> {
  const s = randomState(r);
  for (let b = 0; b < 3; b++) {
    // Mostly aligned for 8 bytes, sometimes off by 1..7.
    s.regs[2 * b] = (DATA + 64 * (r() % 64) + (r() % 3 === 0 ? r() % 8 : 0)) | 0;
    s.regs[2 * b + 1] = 0;
  }
  return s;
}

describe('block compiler exclusives against the interpreter', () => {
  it('leaves the same registers, memory, monitor and faults on random exclusive blocks', () => {
    const r = rng(0x5eed_e8c1);
    let faults = 0;
    let compiledRuns = 0;
    for (let t = 0; t < 1500; t++) {
      const c = { code: randomBlock(r), ...state(r) };
      const a = runOnce(c, 'off', 1000);
      const b = runOnce(c, 'always', 1000);
      const label = `case ${t}: ${c.code.map((w) => w.toString(16)).join(' ')}`;
      expect({ ...b.out, data: undefined }, label).toEqual({ ...a.out, data: undefined });
      expect(Buffer.compare(Buffer.from(b.out.data), Buffer.from(a.out.data)), label).toBe(0);
      expect([b.cpu.exclusiveAddr, b.cpu.exclusiveSize], label).toEqual([a.cpu.exclusiveAddr, a.cpu.exclusiveSize]);
      if (a.out.esr >>> 26 === 0x24) faults++;
      if ((b.cpu.jit?.stats.blocks ?? 0) > 0) compiledRuns++;
    }
    // Alignment faults and compiled blocks both happen often.
    expect(faults).toBeGreaterThan(100);
    expect(compiledRuns).toBeGreaterThan(1400);
  });

  it('runs a lock-style retry loop compiled, with the same count, and faults at a misaligned lock as the interpreter', () => {
    // loop: ldaxr w2,[x0] ; add w2,w2,#1 ; stlxr w3,w2,[x0] ; cbnz w3,loop ; subs x4,x4,#1 ; b.ne loop ; brk
    const code = [ldxr(2, 1, 0, 2), 0x11000442, stxr(2, 1, 3, 0, 2), 0x35ffffa3, 0xf1000484, 0x54ffff61, BRK0];
    for (const at of [DATA + 0x100, DATA + 0x102]) {
      const regs = new Int32Array(64);
      regs[0] = at;
      regs[8] = 5000;
      const c = { code, regs, v: new Int32Array(128), nzcv: 0, data: new Uint8Array(DATA_BYTES).fill(0) };
      const a = runOnce(c, 'off', 100_000);
      let calls = 0;
      const b = runOnce(c, 'always', 100_000, (cpu) => {
        const ops = (cpu.jit as unknown as { interpreter: { run: (...a: unknown[]) => unknown } }).interpreter;
        const run = ops.run.bind(ops);
        ops.run = (...args: unknown[]) => (calls++, run(...args));
      });
      expect({ ...b.out, data: undefined }).toEqual({ ...a.out, data: undefined });
      expect(Buffer.compare(Buffer.from(b.out.data), Buffer.from(a.out.data))).toBe(0);
      if (at % 4 === 0) {
        expect(new DataView(b.out.data.buffer, b.out.data.byteOffset).getUint32(0x100, true)).toBe(5000);
        // No call to the interpreter: the exclusives ran inline.
        expect(calls).toBe(0);
      } else {
        expect(b.out.esr >>> 26).toBe(0x24);
        expect(calls).toBe(1);
      }
    }
  });
});
