// x87 arithmetic and compares with a denormal float32/float64 memory operand
// against the host CPU, with the denormal exception masked and unmasked, C1
// set beforehand (FXAM of a negative ST0) or ST0 empty: live x86-risu seeds
// found the condition codes wrong here (seeds 4118326041 and 3391627134).
// Precision control 01 (reserved) rounds as 64-bit precision does (seed
// 542587089). Also FBLD of packed decimals with invalid digits (nibbles above 9, a random
// sign byte), which the host reads as sum(digit * 10^k) whatever the digits.

import { describe, expect, it } from 'vitest';
import { gen80, Rng, V80 } from './x87-oracle/cases';
import { emulate, firstDifference, golden, nativeHex, Snippet } from './x87-oracle/insn-native';

function bytes80(v: V80): number[] {
  const out: number[] = [];
  for (let k = 0; k < 4; k++) out.push((v.lo >>> (8 * k)) & 0xff);
  for (let k = 0; k < 4; k++) out.push((v.hi >>> (8 * k)) & 0xff);
  out.push(v.se & 0xff, (v.se >>> 8) & 0xff);
  return out;
}

/** A denormal (now and then a zero or the smallest normal) float32 at IN+20 and float64 at IN+24. */
function denormals(r: Rng): number[] {
  const sign = r.below(2);
  const tiny = (bits: number) => {
    const k = r.below(8);
    if (k === 0) return 0; // a zero
    if (k === 1) return 1; // the smallest denormal
    if (k === 2) return (2 ** bits) - 1; // the largest
    return 1 + r.below(2 ** Math.min(bits, 30) - 1);
  };
  const f32 = ((sign << 31) | (r.below(9) === 0 ? 0x800000 : tiny(23))) >>> 0;
  const lo64 = r.below(2) ? tiny(30) : r.next();
  const hi64 = ((sign << 31) | (r.below(9) === 0 ? 0x100000 : r.below(3) ? 0 : r.below(0x100000))) >>> 0;
  const out: number[] = [];
  for (const w of [f32, lo64, hi64]) for (let k = 0; k < 4; k++) out.push((w >>> (8 * k)) & 0xff);
  return out;
}

/**
 * ST0 of every class; a quarter of the time near the denormal range's
 * magnitude or a huge one (underflow and overflow of x/denormal), a fifth of
 * the time a zero (FDIVR: denormal / 0 raises ZE, not DE).
 */
function st0(r: Rng): V80 {
  const v = gen80(r);
  const k = r.below(20);
  if (k < 4) return { se: r.below(2) << 15, hi: 0, lo: 0 };
  if (k < 9 && (v.se & 0x7fff) !== 0 && (v.se & 0x7fff) !== 0x7fff) v.se = (v.se & 0x8000) | (0x3f00 - r.below(0x100) + (r.below(2) ? 0x3c0 : 0));
  return v;
}

/** Any precision and rounding control; DE masked or not, the other exceptions mostly masked. */
function fcw(r: Rng): number {
  const rc = r.below(4);
  const pc = [0, 2, 3][r.below(3)];
  const others = r.below(3) === 0 ? r.next() & 0x3d : 0x3d;
  return 0x40 | (rc << 10) | (pc << 8) | others | (r.below(2) ? 2 : 0);
}

function batch(name: string, forms: string[], perForm: number, seed: number, input: (r: Rng) => number[], control: (r: Rng) => number): void {
  it(`${name}: ${forms.length} forms x ${perForm}`, () => {
    const r = new Rng(seed);
    const snippets: Snippet[] = [];
    for (const code of forms) for (let k = 0; k < perForm; k++) snippets.push({ code, input: input(r), fcw: control(r) });
    const g = golden(name, snippets);
    expect(firstDifference(snippets, nativeHex(g), emulate(g, snippets))).toBeNull();
  });
}

const OPS = ['fadd', 'fmul', 'fcom', 'fcomp', 'fsub', 'fsubr', 'fdiv', 'fdivr'];

describe('x87 denormal memory operands and invalid BCD against the host CPU', () => {
  batch(
    'mem-denormal',
    OPS.flatMap((op) => [`fld tbyte ptr [IN]\nfxam\n${op} dword ptr [IN+20]`, `fld tbyte ptr [IN]\nfxam\n${op} qword ptr [IN+24]`, `${op} dword ptr [IN+20]`]),
    24,
    11,
    (r) => [...bytes80(st0(r)), ...Array(10).fill(0), ...denormals(r)],
    fcw,
  );
  batch(
    'reserved-precision-control',
    [
      ...['fadd', 'fsub', 'fmul', 'fdiv'].flatMap((op) => [`fld tbyte ptr [IN+10]\nfld tbyte ptr [IN]\n${op} st(0), st(1)`, `fld tbyte ptr [IN]\n${op} qword ptr [IN+24]`]),
      'fld tbyte ptr [IN]\nfsqrt',
      'fld tbyte ptr [IN]\nfrndint',
    ],
    24,
    13,
    (r) => [...bytes80(gen80(r)), ...bytes80(gen80(r)), 0, 0, 0, 0, ...Array.from({ length: 8 }, () => r.below(256))],
    (r) => 0x140 | (r.below(4) << 10) | (r.below(4) === 0 ? r.next() & 0x3f : 0x3f),
  );
  batch(
    'fbld-invalid-digits',
    ['fbld tbyte ptr [IN]', 'fld1\nfxam\nfbld tbyte ptr [IN]\nfld1\nfcomp st(1)\nfnstsw ax'],
    48,
    12,
    (r) => Array.from({ length: 10 }, (_, k) => (k < 9 && r.below(3) === 0 ? 0x99 & r.next() : r.below(256))),
    fcw,
  );
});
