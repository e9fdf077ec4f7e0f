// Add/subtract (shifted, extended, with carry) and logical (shifted register),
// checked against BigInt arithmetic over every pair of boundary values.

import { describe, expect, it } from 'vitest';
import { addWithCarry, EDGES, M64, nzcvOf, pairs, signed, Snippet } from './dp-register-harness';

type Ref = (a: bigint, b: bigint, carry: bigint) => { result?: bigint; nzcv?: number };

const mask = (w: number) => (1n << BigInt(w)) - 1n;

function shift(v: bigint, type: 'lsl' | 'lsr' | 'asr' | 'ror', amount: number, width: number): bigint {
  const m = mask(width);
  const a = BigInt(amount);
  v &= m;
  switch (type) {
    case 'lsl': return (v << a) & m;
    case 'lsr': return v >> a;
    case 'asr': return BigInt.asUintN(width, signed(v, width) >> a);
    case 'ror': return amount === 0 ? v : ((v >> a) | (v << BigInt(width - amount))) & m;
  }
}

const EXT: Record<string, (v: bigint) => bigint> = {
  uxtb: (v) => v & 0xffn,
  uxth: (v) => v & 0xffffn,
  uxtw: (v) => v & 0xffffffffn,
  uxtx: (v) => v & M64,
  sxtb: (v) => BigInt.asUintN(64, BigInt.asIntN(8, v)),
  sxth: (v) => BigInt.asUintN(64, BigInt.asIntN(16, v)),
  sxtw: (v) => BigInt.asUintN(64, BigInt.asIntN(32, v)),
  sxtx: (v) => v & M64,
};

const add = (w: number, flags: boolean, b: (v: bigint) => bigint): Ref => (x, y) => {
  const r = addWithCarry(x, b(y), 0n, w);
  return flags ? r : { result: r.result };
};
const sub = (w: number, flags: boolean, b: (v: bigint) => bigint): Ref => (x, y) => {
  const r = addWithCarry(x, ~b(y) & mask(w), 1n, w);
  return flags ? r : { result: r.result };
};
const flagsOnly = (ref: Ref): Ref => (x, y, c) => ({ nzcv: ref(x, y, c).nzcv });
const logic = (w: number, flags: boolean, f: (a: bigint, b: bigint) => bigint): Ref => (x, y) => {
  const result = f(x & mask(w), y & mask(w)) & mask(w);
  return flags ? { result, nzcv: nzcvOf(result, w) } : { result };
};
const id = (v: bigint) => v;
const sh = (type: 'lsl' | 'lsr' | 'asr' | 'ror', n: number, w: number) => (v: bigint) => shift(v, type, n, w);
const ext = (kind: string, n: number, w: number) => (v: bigint) => (EXT[kind](v) << BigInt(n)) & mask(w);

/** Runs `source` (inputs x0, x1; result x2) over all edge pairs and both carry values. */
function check(source: string, ref: Ref): void {
  const snippet = new Snippet(source);
  const sentinel = 0x5a5a5a5a5a5a5a5an;
  for (const [a, b] of pairs(EDGES)) {
    for (const nzcvIn of [0b1000, 0b0011]) {
      const carry = BigInt((nzcvIn >> 1) & 1);
      const out = snippet.run({ 0: a, 1: b, 2: sentinel }, nzcvIn);
      const want = ref(a, b, carry);
      const ctx = `${source} a=${a.toString(16)} b=${b.toString(16)} nzcv=${nzcvIn}`;
      expect(out.x(2), ctx).toBe(want.result ?? sentinel);
      expect(out.nzcv, ctx).toBe(want.nzcv ?? nzcvIn);
    }
  }
}

describe('add/subtract (shifted register)', () => {
  const cases: [string, Ref][] = [
    ['add x2, x0, x1', add(64, false, id)],
    ['sub w2, w0, w1', sub(32, false, id)],
    ['add w2, w0, w1', add(32, false, id)],
    ['sub x2, x0, x1', sub(64, false, id)],
    ['adds x2, x0, x1', add(64, true, id)],
    ['adds w2, w0, w1', add(32, true, id)],
    ['subs x2, x0, x1', sub(64, true, id)],
    ['subs w2, w0, w1', sub(32, true, id)],
    ['cmp x0, x1', flagsOnly(sub(64, true, id))],
    ['cmp w0, w1', flagsOnly(sub(32, true, id))],
    ['cmn x0, x1', flagsOnly(add(64, true, id))],
    ['cmn w0, w1', flagsOnly(add(32, true, id))],
    ['add x2, x0, x1, lsl #63', add(64, false, sh('lsl', 63, 64))],
    ['sub x2, x0, x1, lsr #1', sub(64, false, sh('lsr', 1, 64))],
    ['adds x2, x0, x1, asr #32', add(64, true, sh('asr', 32, 64))],
    ['subs x2, x0, x1, lsr #63', sub(64, true, sh('lsr', 63, 64))],
    ['cmp x0, x1, asr #7', flagsOnly(sub(64, true, sh('asr', 7, 64)))],
    ['subs w2, w0, w1, asr #31', sub(32, true, sh('asr', 31, 32))],
    ['add w2, w0, w1, lsl #31', add(32, false, sh('lsl', 31, 32))],
    ['sub w2, w0, w1, lsr #16', sub(32, false, sh('lsr', 16, 32))],
    ['adds w2, w0, w1, lsl #1', add(32, true, sh('lsl', 1, 32))],
    ['neg x2, x1, lsl #3', (_a, b) => sub(64, false, sh('lsl', 3, 64))(0n, b, 0n)],
    ['negs w2, w1', (_a, b) => sub(32, true, id)(0n, b, 0n)],
  ];
  for (const [source, ref] of cases) it(source, () => check(source, ref));
});

describe('add/subtract (extended register)', () => {
  const cases: [string, Ref][] = [
    ['add x2, x0, w1, uxtb #2', add(64, false, ext('uxtb', 2, 64))],
    ['add x2, x0, w1, sxtb', add(64, false, ext('sxtb', 0, 64))],
    ['sub x2, x0, w1, uxth #4', sub(64, false, ext('uxth', 4, 64))],
    ['adds x2, x0, w1, sxth #1', add(64, true, ext('sxth', 1, 64))],
    ['subs x2, x0, w1, uxtw #3', sub(64, true, ext('uxtw', 3, 64))],
    ['add x2, x0, w1, sxtw #4', add(64, false, ext('sxtw', 4, 64))],
    ['add x2, x0, x1, uxtx #1', add(64, false, ext('uxtx', 1, 64))],
    ['subs x2, x0, x1, sxtx #4', sub(64, true, ext('sxtx', 4, 64))],
    ['cmp x0, w1, sxtw', flagsOnly(sub(64, true, ext('sxtw', 0, 64)))],
    ['cmn x0, w1, uxtb #4', flagsOnly(add(64, true, ext('uxtb', 4, 64)))],
    ['add w2, w0, w1, sxtb #3', add(32, false, ext('sxtb', 3, 32))],
    ['sub w2, w0, w1, sxth #2', sub(32, false, ext('sxth', 2, 32))],
    ['subs w2, w0, w1, uxth', sub(32, true, ext('uxth', 0, 32))],
    ['adds w2, w0, w1, uxtx #2', add(32, true, ext('uxtx', 2, 32))],
    ['adds w2, w0, w1, sxtw #1', add(32, true, ext('sxtw', 1, 32))],
  ];
  for (const [source, ref] of cases) it(source, () => check(source, ref));

  it('reads and writes SP where Rn or Rd is 31, and XZR for the flag-setting forms', () => {
    const s = new Snippet(`
      add x3, sp, w1, uxtw #2
      sub sp, sp, x1
      mov x4, sp
      add wsp, w0, w1, uxtb
      mov x5, sp
      cmp sp, x0
    `);
    const out = s.run({ 0: 0xffffffff00001000n, 1: 0x80000010n, 31: 0x7ff0n });
    expect(out.x(3)).toBe(0x7ff0n + (0x80000010n << 2n));
    expect(out.x(4)).toBe((0x7ff0n - 0x80000010n) & M64);
    expect(out.x(5)).toBe(0x1010n);
    expect(out.nzcv).toBe(0b0000); // 0x1010 - 0xffffffff00001000: borrow, positive
  });

  it('leaves SP alone when ADDS/SUBS name register 31 as destination', () => {
    const s = new Snippet('adds xzr, sp, x1, uxtx #1\nmov x2, sp');
    const out = s.run({ 1: 0x8n, 31: 0x1000n });
    expect(out.x(2)).toBe(0x1000n);
  });
});

describe('add/subtract with carry', () => {
  const cases: [string, Ref][] = [
    ['adc x2, x0, x1', (a, b, c) => ({ result: addWithCarry(a, b, c, 64).result })],
    ['adc w2, w0, w1', (a, b, c) => ({ result: addWithCarry(a, b, c, 32).result })],
    ['adcs x2, x0, x1', (a, b, c) => addWithCarry(a, b, c, 64)],
    ['adcs w2, w0, w1', (a, b, c) => addWithCarry(a, b, c, 32)],
    ['sbc x2, x0, x1', (a, b, c) => ({ result: addWithCarry(a, ~b & M64, c, 64).result })],
    ['sbc w2, w0, w1', (a, b, c) => ({ result: addWithCarry(a, ~b & mask(32), c, 32).result })],
    ['sbcs x2, x0, x1', (a, b, c) => addWithCarry(a, ~b & M64, c, 64)],
    ['sbcs w2, w0, w1', (a, b, c) => addWithCarry(a, ~b & mask(32), c, 32)],
    ['ngcs w2, w1', (_a, b, c) => addWithCarry(0n, ~b & mask(32), c, 32)],
  ];
  for (const [source, ref] of cases) it(source, () => check(source, ref));
});

describe('logical (shifted register)', () => {
  const and = (a: bigint, b: bigint) => a & b;
  const orr = (a: bigint, b: bigint) => a | b;
  const eor = (a: bigint, b: bigint) => a ^ b;
  const withB = (w: number, f: (a: bigint, b: bigint) => bigint, g: (v: bigint) => bigint, invert = false) =>
    (a: bigint, b: bigint) => f(a, invert ? ~g(b) & mask(w) : g(b));
  const cases: [string, Ref][] = [
    ['and x2, x0, x1', logic(64, false, and)],
    ['and w2, w0, w1', logic(32, false, and)],
    ['orr x2, x0, x1', logic(64, false, orr)],
    ['orr w2, w0, w1, lsl #5', logic(32, false, withB(32, orr, sh('lsl', 5, 32)))],
    ['eor x2, x0, x1', logic(64, false, eor)],
    ['eor w2, w0, w1', logic(32, false, eor)],
    ['eor x2, x0, x1, lsr #63', logic(64, false, withB(64, eor, sh('lsr', 63, 64)))],
    ['ands x2, x0, x1', logic(64, true, and)],
    ['ands w2, w0, w1', logic(32, true, and)],
    ['ands x2, x0, x1, ror #32', logic(64, true, withB(64, and, sh('ror', 32, 64)))],
    ['ands w2, w0, w1, asr #3', logic(32, true, withB(32, and, sh('asr', 3, 32)))],
    ['bic x2, x0, x1, ror #13', logic(64, false, withB(64, and, sh('ror', 13, 64), true))],
    ['bic w2, w0, w1', logic(32, false, withB(32, and, id, true))],
    ['orn x2, x0, x1, asr #40', logic(64, false, withB(64, orr, sh('asr', 40, 64), true))],
    ['orn w2, w0, w1, ror #1', logic(32, false, withB(32, orr, sh('ror', 1, 32), true))],
    ['eon w2, w0, w1, ror #31', logic(32, false, withB(32, eor, sh('ror', 31, 32), true))],
    ['eon x2, x0, x1', logic(64, false, withB(64, eor, id, true))],
    ['bics x2, x0, x1, lsl #1', logic(64, true, withB(64, and, sh('lsl', 1, 64), true))],
    ['bics w2, w0, w1, lsr #31', logic(32, true, withB(32, and, sh('lsr', 31, 32), true))],
    ['tst x0, x1', (a, b) => ({ nzcv: nzcvOf(a & b, 64) })],
    ['tst w0, w1, ror #7', (a, b) => ({ nzcv: nzcvOf(a & sh('ror', 7, 32)(b), 32) })],
    ['mov x2, x1', (_a, b) => ({ result: b })],
    ['mov w2, w1', (_a, b) => ({ result: b & mask(32) })],
    ['mvn x2, x1', (_a, b) => ({ result: ~b & M64 })],
    ['mvn w2, w1, lsl #4', (_a, b) => ({ result: ~(b << 4n) & mask(32) })],
  ];
  for (const [source, ref] of cases) it(source, () => check(source, ref));
});
