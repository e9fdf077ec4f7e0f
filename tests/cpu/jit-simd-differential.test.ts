// The block compiler's AdvSIMD subset against the interpreter: random blocks
// of AdvSIMD and FP instructions (the compiled classes with random fields, so some
// are unallocated or outside the subset, mixed with integer instructions and
// LD1/ST1 through registers pointing into the data or near its end), run
// interpreted and compiled at their first execution from the same state.
// Registers (general and vector), NZCV, FPSR, PC, instructions retired, the
// exception taken and the data memory must match.

import { describe, expect, it } from 'vitest';
import { StopReason } from '../../board/aarch64/cpu';
import { BASE, BRK0, Case, DATA, DATA_BYTES, randomState, regField, rng, runOnce, SIZE } from './jit-diff-harness';

/** Class value and the bits a random instruction keeps fixed (mask). */
const SIMD: Array<[number, number]> = [
  [0x0e200400, 0x9f200400], // three same
  [0x0e200800, 0x9f3e0c00], // two-register misc
  [0x0e300800, 0x9f3e0c00], // across lanes
  [0x0f000400, 0x9ff80400], // modified immediate
  [0x0f000400, 0x9f800400], // shift by immediate
  [0x0f000000, 0x9f000400], // by element
  [0x0e000400, 0x9fe08400], // copy
  [0x0e000800, 0xbf208c00], // permute
  [0x2e000000, 0xbfe08400], // EXT
  [0x0e000000, 0xbfe08c00], // TBL/TBX
  [0x0c000000, 0xbfbf0000], // LD1-LD4/ST1-ST4 multiple
  [0x0c800000, 0xbfa00000], // the same, post-index
  [0x5ef1b800, 0xfffffc00], // ADDP (scalar)
  [0x0e200000, 0x9f200c00], // three different
  [0x5e000400, 0xffe0fc00], // DUP (element, scalar)
  [0xd50b7420, 0xffffffe0], // DC ZVA
  [0x5ac00000, 0x7ffffc00], // RBIT
  [0x1e260000, 0x7f36fc00], // FMOV and conversions between general and FP registers
  [0x1e204000, 0xff3ffc00], // FMOV (register)
];
/** Scalar FP and the structure loads and stores the compiler takes inline or as calls to the interpreter. */
const FP: Array<[number, number]> = [
  [0x1e200800, 0xff200c00], // FP 2-source
  [0x1f000000, 0xff000000], // FP 3-source
  [0x1e202000, 0xff203c00], // FP compare
  [0x1e200400, 0xff200c00], // FP conditional compare
  [0x1e200c00, 0xff200c00], // FP conditional select
  [0x1e204000, 0xff207c00], // FP 1-source
  [0x1e200000, 0x7f20fc00], // FP <-> integer conversions
  [0x1e201000, 0xff201fe0], // FMOV (scalar, immediate)
  [0x1e000000, 0x7f200000], // FP <-> fixed-point conversions
  [0x0e20c400, 0x9f20c400], // AdvSIMD FP three same (FADD/FSUB/FMUL/FDIV inline, the rest interpreter calls)
  [0x0d000000, 0xbe000000], // LD1-LD4/ST1-ST4 single structure, LD1R-LD4R
];
const INTEGER: Array<[number, number]> = [
  [0x11000000, 0x1f800000], // add/sub immediate
  [0x39000000, 0x3b000000], // load/store unsigned offset
];

/** The opcodes of the LD1/ST1 forms (the rest of the class is mostly other structures). */
const LD1_OPCODES = [0b0111, 0b1010, 0b0110, 0b0010];

function randomInsn(r: () => number, cls: [number, number]): number {
  if (cls[0] === 0xd50b7420) return (cls[0] | regField(r)) >>> 0; // DC ZVA Xt
  let insn = ((r() & ~cls[1]) | cls[0]) >>> 0;
  insn = (insn & ~0x1f) | (r() % 32);
  const memory = cls[0] === 0x0c000000 || cls[0] === 0x0c800000 || cls[0] === 0x0d000000 || cls[0] === 0x39000000;
  // Base registers of memory accesses point into the data; other fields are any register.
  insn = (insn & ~(0x1f << 5)) | ((memory ? regField(r) : r() % 32) << 5);
  if (memory && cls[0] !== 0x39000000) {
    if (r() % 4 !== 0) insn = (insn & ~(0xf << 12)) | (LD1_OPCODES[r() % 4] << 12);
    if (cls[0] === 0x0c800000) insn = (insn & ~(0x1f << 16)) | ((r() % 2 === 0 ? 31 : regField(r)) << 16);
  }
  // The common FP 1-source and integer conversion opcodes more often than their share of the fields.
  if (cls[0] === 0x1e204000 && r() % 2 === 0) insn = (insn & ~(0x3f << 15)) | ((r() % 6) << 15);
  if (cls[0] === 0x1e200000 && r() % 2 === 0) insn = (insn & ~(0x1f << 16)) | ([0b00010, 0b00011, 0b11000, 0b11001][r() % 4] << 16);
  // Same source registers now and then (equal compares, x - x, x / x).
  if (!memory && r() % 4 === 0) insn = (insn & ~(0x1f << 16)) | (((insn >>> 5) & 31) << 16);
  if (cls[0] === 0x39000000) {
    insn = (insn & ~0x1f) | regField(r);
    if (r() % 4 !== 0) insn &= ~(0xff0 << 10);
  }
  return insn >>> 0;
}

function randomCase(seed: number, fpOnly = false): Case {
  const r = rng(seed);
  const n = 1 + (r() % 10);
  const code: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = fpOnly ? 3 + (r() % 2) : r() % 10;
    code.push(randomInsn(r, k < 2 ? INTEGER[r() % INTEGER.length] : k < 5 ? FP[r() % FP.length] : SIMD[r() % SIMD.length]));
  }
  // Sometimes loop back to the start with b (the budget ends it).
  if (r() % 3 === 0) code.push((0x14000000 | (-n & 0x3ffffff)) >>> 0);
  code.push(BRK0);
  const state = randomState(r);
  fpValues(r, state.v);
  // Integers at the edges of the conversions: 2^63 - 1, 2^64 - 1, 2^53 + 1, 2^24 + 1, -1, 2^31 - 1 and neighbours.
  const edges = [[-1, 0x7fffffff], [-1, -1], [1, 0x200000], [0x1000001, 0], [-1, 0], [0x7fffffff, 0], [-0x200, 0x7fffffff], [0x400, -1]];
  for (let i = 13; i < 31; i++) if (r() % 3 === 0) [state.regs[2 * i], state.regs[2 * i + 1]] = edges[r() % edges.length];
  // FPCR mostly the default, else random AHP/DN/FZ/RMode/FZ16; FPSR with or without IXC already set.
  const fpcr = r() % 3 === 0 ? r() & ((0x1f << 22) | (1 << 19)) : 0;
  return { code, ...state, fpcr, fpsr: r() % 2 === 0 ? 0x10 : 0 };
}

const DOUBLES = [0, -0, 1, -1.5, 0.1, 3, 1e300, -1e-300, 2 ** -1074, 2 ** -1022, Infinity, -Infinity, NaN, 2 ** 63, -(2 ** 63), 2 ** 64, 4294967295.5, -2147483648.5, 1 / 3, 2 ** 52 + 0.5];
const FLOATS = [0, -0, 1, -1.5, 0.1, 3, 1e38, -1e-38, 2 ** -149, 2 ** -126, Infinity, -Infinity, NaN, 2 ** 31, 2 ** 63, 16777217, 1 / 3];

/** Some vector register halves hold interesting doubles or pairs of floats (and signalling NaNs) instead of random bits. */
function fpValues(r: () => number, v: Int32Array): void {
  const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
  for (let h = 0; h < 64; h++) {
    const k = r() % 4;
    if (k === 0) dv.setFloat64(8 * h, DOUBLES[r() % DOUBLES.length], true);
    else if (k === 1) {
      dv.setFloat32(8 * h, FLOATS[r() % FLOATS.length], true);
      dv.setFloat32(8 * h + 4, FLOATS[r() % FLOATS.length], true);
    } else if (k === 2 && r() % 4 === 0) dv.setUint32(8 * h + 4, r() % 2 ? 0x7ff00001 : 0x7f800001, true);
  }
}

describe('block compiler vs interpreter on random AdvSIMD and FP blocks', () => {
  it('leaves the same registers, vector registers, faults and memory', () => {
    let compiled = 0;
    let faulted = 0;
    for (let seed = 1; seed <= 1500; seed++) {
      const c = randomCase(seed);
      const budget = 40 + (seed % 7) * 11;
      const a = runOnce(c, 'off', budget);
      const b = runOnce(c, 'always', budget);
      compiled += b.cpu.jit!.stats.blocks;
      if (a.out.stop === StopReason.Exception && a.out.esr >>> 26 !== 0x3c) faulted++;
      const label = `seed ${seed}: ${c.code.map((w) => w.toString(16).padStart(8, '0')).join(' ')}`;
      expect({ ...b.out, data: undefined }, label).toEqual({ ...a.out, data: undefined });
      expect(Buffer.compare(Buffer.from(b.out.data), Buffer.from(a.out.data)), label).toBe(0);
    }
    expect(compiled).toBeGreaterThan(700);
    expect(faulted).toBeGreaterThan(20);
  });

  it('leaves the same FP results, NZCV and FPSR on random scalar FP blocks', () => {
    for (let seed = 1; seed <= 1000; seed++) {
      const c = randomCase(100_000 + seed, true);
      const a = runOnce(c, 'off', 60);
      const b = runOnce(c, 'always', 60);
      const label = `seed ${100_000 + seed}: ${c.code.map((w) => w.toString(16).padStart(8, '0')).join(' ')}`;
      expect({ ...b.out, data: undefined }, label).toEqual({ ...a.out, data: undefined });
    }
  });

  it('converts the integers at the edges of double and single precision as the interpreter (value and IXC)', () => {
    // SCVTF/UCVTF to D and S from X and W, then FCVTZS/FCVTZU back, of x1.
    const ops = [0x9e620020, 0x9e630020, 0x9e220020, 0x9e230020, 0x1e220020, 0x1e230020, 0x1e620020, 0x1e630020];
    const back = [0x9e780001, 0x9e790001, 0x1e780001, 0x1e790001, 0x9e380001, 0x9e390001];
    const values = [[-1, 0x7fffffff], [0, -0x80000000], [-1, -1], [1, 0x200000], [3, 0x200000], [0x1000001, 0], [0x1000003, 0], [-1, 0], [0x7fffffff, 0], [-0x200, 0x7fffffff], [-0x400, 0x7fffffff], [0x400, -1], [0, 1]];
    let cases = 0;
    for (const op of ops) {
      for (const b of back) {
        for (const [lo, hi] of values) {
          const c: Case = { code: [op, b, BRK0], ...randomState(rng(op ^ lo)), fpsr: 0 };
          c.regs[2] = lo;
          c.regs[3] = hi;
          const x = runOnce(c, 'off', 10);
          const y = runOnce(c, 'always', 10);
          expect(y.cpu.jit!.stats.blocks).toBe(1);
          expect({ ...y.out, data: undefined }, `${op.toString(16)} ${b.toString(16)} ${hi}:${lo}`).toEqual({ ...x.out, data: undefined });
          cases++;
        }
      }
    }
    expect(cases).toBe(ops.length * back.length * values.length);
  });

  it('compiles DC ZVA, LD1 and scalar FP inside whole blocks, faulting precisely', () => {
    // dc zva, x0 ; add x1, x1, #1 ; ld1 {v0.16b}, [x3] ; fadd d1, d1, d2 ; dc zva, x2 ; brk
    const code = [0xd50b7420, 0x91000421, 0x4c407060, 0x1e622821, 0xd50b7422, BRK0];
    for (const x2 of [DATA + 0x100, BASE + SIZE + 64]) {
      const c: Case = { code, ...randomState(rng(x2)) };
      c.regs[0] = (DATA + 0x47) | 0;
      c.regs[1] = 0;
      c.regs[4] = x2 | 0;
      c.regs[5] = 0;
      c.regs[6] = (DATA + 0x200) | 0;
      c.regs[7] = 0;
      const a = runOnce(c, 'off', 100);
      const b = runOnce(c, 'always', 100);
      expect(b.cpu.jit!.stats.blocks).toBe(1);
      // Compiled up to the BRK, which ends every test block.
      expect([...b.cpu.jit!.stats.stoppers.keys()]).toEqual([b.cpu.encodingName(BRK0)]);
      expect({ ...b.out, data: undefined }).toEqual({ ...a.out, data: undefined });
      expect(Buffer.compare(Buffer.from(b.out.data), Buffer.from(a.out.data))).toBe(0);
    }
  });

  it('runs a compiled LD1/ST1 copy loop across a page boundary and faults at the end of RAM as the interpreter', () => {
    // loop: ld1 {v0.16b, v1.16b}, [x0], #32 ; st1 {v0.16b, v1.16b}, [x1], #32 ; subs x2, x2, #1 ; b.ne loop ; brk
    const code = [0x4cdfa000, 0x4c9fa020, 0xf1000442, 0x54ffffa1, BRK0];
    for (const [src, count] of [[DATA + 0x0ff0, 40], [BASE + SIZE - 0x100, 40]]) {
      const c: Case = { code, ...randomState(rng(count + src)) };
      c.regs[0] = src | 0;
      c.regs[1] = 0;
      c.regs[2] = (DATA + 0x3000) | 0;
      c.regs[3] = 0;
      c.regs[4] = count;
      c.regs[5] = 0;
      const a = runOnce(c, 'off', 10_000);
      const b = runOnce(c, 'always', 10_000);
      expect(b.cpu.jit!.stats.blocks).toBeGreaterThan(0);
      expect({ ...b.out, data: undefined }).toEqual({ ...a.out, data: undefined });
      expect(Buffer.compare(Buffer.from(b.out.data), Buffer.from(a.out.data))).toBe(0);
    }
  });

  it('shifts every element by the signed low byte of Vm (SSHL/USHL, every size) as the interpreter, inline', () => {
    // Shift amounts: small left and right, the element size and past it both ways, the extremes of the byte.
    const amounts = [0, 1, 7, 8, 15, 16, 31, 32, 63, 64, 100, 127, -1, -7, -8, -9, -16, -31, -32, -33, -63, -64, -65, -128];
    let cases = 0;
    for (const u of [0, 1]) {
      for (const size of [0, 1, 2, 3]) {
        for (const q of size === 3 ? [1] : [0, 1]) {
          // sshl/ushl v2.<T>, v0.<T>, v1.<T> ; sshl/ushl v3.<T>, v3.<T>, v3.<T> (Vd = Vn = Vm) ; brk
          const op = (0x0e204400 | (q << 30) | (u << 29) | (size << 22)) >>> 0;
          const code = [(op | (1 << 16) | (0 << 5) | 2) >>> 0, (op | (3 << 16) | (3 << 5) | 3) >>> 0, BRK0];
          for (let seed = 0; seed < 6; seed++) {
            const c: Case = { code, ...randomState(rng(op + seed)) };
            const bytes = new Uint8Array(c.v.buffer);
            for (let i = 0; i < 16; i++) {
              bytes[16 + i] = amounts[(i + 5 * seed) % amounts.length] & 0xff;
              if (seed % 2 === 0) bytes[48 + i] = amounts[(3 * i + seed) % amounts.length] & 0xff;
            }
            const a = runOnce(c, 'off', 10);
            const b = runOnce(c, 'always', 10);
            expect(b.cpu.jit!.stats.interpreted.size, `${op.toString(16)} stays inline`).toBe(0);
            expect({ ...b.out, data: undefined }, `${op.toString(16)} seed ${seed}`).toEqual({ ...a.out, data: undefined });
            cases++;
          }
        }
      }
    }
    expect(cases).toBe(2 * 7 * 6);
  });

  it('fuses FMLA/FMLS (vector) of 2D, 4S and 2S as the interpreter, inline where the interpreter takes its fast path', () => {
    const r = rng(0xf3a);
    const f64 = (): number => (r() % 2 ? -1 : 1) * (1 + r() / 2 ** 32) * 2 ** ((r() % 200) - 100);
    const f32 = (): number => Math.fround((r() % 2 ? -1 : 1) * (1 + (r() % 64) / 2 ** 23) * 2 ** ((r() % 40) - 20));
    // Lanes (x, y, z): random; z cancelling x*y (the fused result is the product's rounding error); a zero
    // product; a sum on a tie between two singles; out of the fast path's range; NaN and infinities.
    const lane = (double: boolean, k: number): [number, number, number] => {
      const v = double ? f64 : f32;
      const x = v();
      const y = v();
      const p = double ? x * y : Math.fround(x * y);
      switch (k % 8) {
        case 0:
        case 1:
          return [x, y, v()];
        case 2:
          return [x, y, -p];
        case 3:
          return [r() % 2 ? 0 : -0, y, r() % 2 ? -0 : v()];
        case 4: {
          // Where one rounding differs from two: a single sum on a tie whose error decides it; a double sum whose
          // second TwoSum rounds onto a tie (u must be rounded to odd). Scaled by powers of two, either sign.
          const sign = r() % 2 ? -1 : 1;
          const a = 2 ** ((r() % 20) - 10);
          const b = 2 ** ((r() % 20) - 10);
          if (double) return [sign * (2 ** 27 + 1) * a, (2 ** 27 - 1) * b, sign * (2 ** 107 + 2 ** 55) * a * b];
          return [sign * Math.fround(1 + 2 ** -23) * a, Math.fround(1 - 2 ** -24) * b, sign * Math.fround(2 ** -47 * (1 + 2 ** -20)) * a * b];
        }
        case 5:
          return double ? [2 ** -600, 2 ** -500, v()] : [1e-30, 1e-20, Math.fround(1e-40)];
        case 6:
          return double ? [1e300, 1e10, 1] : [1e30, 1e20, 1];
        default:
          return [[NaN, Infinity, -Infinity][r() % 3], y, v()];
      }
    };
    let cases = 0;
    let calls = 0;
    let normal = 0;
    for (const sub of [0, 1]) {
      for (const [q, sz] of [[1, 1], [1, 0], [0, 0]]) {
        // fmla/fmls v2.<T>, v0.<T>, v1.<T> ; brk
        const op = (0x0e20cc00 | (q << 30) | (sub << 23) | (sz << 22) | (1 << 16) | (0 << 5) | 2) >>> 0;
        for (let seed = 0; seed < 120; seed++) {
          const c: Case = { code: [op, BRK0], ...randomState(rng(op + seed)), fpcr: seed % 10 === 9 ? 1 << 24 : 0, fpsr: seed % 2 ? 0x10 : 0 };
          const dv = new DataView(c.v.buffer);
          const double = sz === 1;
          // Every third case mixes every kind of lane; the others hold ordinary lanes only.
          const mixed = seed % 3 === 0;
          for (let i = 0; i < (double ? 2 : 4); i++) {
            const [x, y, z] = lane(double, mixed ? seed + i * 3 : (seed + i) % 3);
            if (double) [x, y, z].forEach((v, k) => dv.setFloat64(16 * [0, 1, 2][k] + 8 * i, v, true));
            else [x, y, z].forEach((v, k) => dv.setFloat32(16 * [0, 1, 2][k] + 4 * i, v, true));
          }
          const a = runOnce(c, 'off', 10);
          let n = 0;
          const b = runOnce(c, 'always', 10, (cpu) => {
            const ops = (cpu.jit as unknown as { interpreter: { run: (...a: unknown[]) => number } }).interpreter;
            const run = ops.run.bind(ops);
            ops.run = (...args) => (n++, run(...args));
          });
          expect(b.cpu.jit!.stats.blocks).toBe(1);
          expect({ ...b.out, data: undefined }, `${op.toString(16)} seed ${seed}`).toEqual({ ...a.out, data: undefined });
          if (!mixed && c.fpcr === 0) {
            normal++;
            calls += n;
          }
          cases++;
        }
      }
    }
    expect(cases).toBe(6 * 120);
    // Lanes in the ordinary range run compiled: the interpreter is called for few of them.
    expect(normal).toBeGreaterThan(200);
    expect(calls).toBeLessThan(normal / 10);
  });
});
