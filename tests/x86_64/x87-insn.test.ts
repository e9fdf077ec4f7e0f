// The x87 instructions on the emulated CPU against the host CPU: every form,
// random operands of every class (NaNs, denormals, unsupported encodings),
// random rounding/precision control and exception masks; snippets batched
// into one program per group (x87-oracle/insn-native.ts).

import { describe, expect, it } from 'vitest';
import { gen80, genFcw, Rng, V80 } from './x87-oracle/cases';
import { emulate, firstDifference, golden, nativeHex, Snippet } from './x87-oracle/insn-native';

function bytes80(v: V80): number[] {
  const out: number[] = [];
  for (let k = 0; k < 4; k++) out.push((v.lo >>> (8 * k)) & 0xff);
  for (let k = 0; k < 4; k++) out.push((v.hi >>> (8 * k)) & 0xff);
  out.push(v.se & 0xff, (v.se >>> 8) & 0xff);
  return out;
}

/** Input: a at IN, b at IN+10, 8 random bytes at IN+20 (memory operand), c at IN+30. */
function operands(r: Rng): number[] {
  const a = gen80(r);
  const b = gen80(r, a.se & 0x7fff);
  const m: number[] = [];
  for (let k = 0; k < 8; k++) m.push(r.below(256));
  // A float32/float64 memory operand near a's magnitude now and then.
  if (r.below(2)) {
    const f = new DataView(new ArrayBuffer(8));
    f.setFloat64(0, (r.below(2) ? -1 : 1) * Math.pow(2, r.below(40) - 20) * (1 + r.below(1 << 20) / (1 << 20)), true);
    for (let k = 0; k < 8; k++) m[k] = f.getUint8(k);
  }
  return [...bytes80(a), ...bytes80(b), ...m, ...bytes80(gen80(r))];
}

function batch(name: string, forms: string[], perForm: number, seed: number, fcw: (r: Rng) => number = genFcw): void {
  it(`${name}: ${forms.length} forms x ${perForm}`, () => {
    const r = new Rng(seed);
    const snippets: Snippet[] = [];
    for (const code of forms) for (let k = 0; k < perForm; k++) snippets.push({ code, input: operands(r), fcw: fcw(r) });
    const g = golden(name, snippets);
    const ours = emulate(g, snippets);
    expect(firstDifference(snippets, nativeHex(g), ours)).toBeNull();
  });
}

const LOAD2 = 'fld tbyte ptr [IN+10]\nfld tbyte ptr [IN]\n';
const ARITH = ['fadd', 'fmul', 'fsub', 'fsubr', 'fdiv', 'fdivr'];

describe('x87 instructions against the host CPU', () => {
  batch('arith-reg', ARITH.flatMap((op) => [`${LOAD2}${op} st(0), st(1)`, `${LOAD2}${op} st(1), st(0)`, `${LOAD2}${op}p st(1), st(0)`]), 24, 1);
  batch(
    'arith-mem',
    ARITH.flatMap((op) => [`fld tbyte ptr [IN]\n${op} dword ptr [IN+20]`, `fld tbyte ptr [IN]\n${op} qword ptr [IN+20]`, `fld tbyte ptr [IN]\nfi${op.slice(1)} word ptr [IN+20]`, `fld tbyte ptr [IN]\nfi${op.slice(1)} dword ptr [IN+20]`]),
    20,
    2,
  );
  batch(
    'load-store',
    [
      'fld dword ptr [IN+20]',
      'fld qword ptr [IN+20]',
      'fld tbyte ptr [IN]\nfst dword ptr [OUT]',
      'fld tbyte ptr [IN]\nfstp qword ptr [OUT]',
      'fld tbyte ptr [IN]\nfstp tbyte ptr [OUT]',
      'fild word ptr [IN+20]',
      'fild dword ptr [IN+20]',
      'fild qword ptr [IN+20]',
      'fld tbyte ptr [IN]\nfist word ptr [OUT]',
      'fld tbyte ptr [IN]\nfistp dword ptr [OUT]',
      'fld tbyte ptr [IN]\nfistp qword ptr [OUT]',
      'fld tbyte ptr [IN]\nfisttp word ptr [OUT]',
      'fld tbyte ptr [IN]\nfisttp dword ptr [OUT]',
      'fld tbyte ptr [IN]\nfisttp qword ptr [OUT]',
      'fld tbyte ptr [IN]\nfbstp tbyte ptr [OUT]',
      `${LOAD2}fld st(1)`,
      `${LOAD2}fst st(2)`,
      `${LOAD2}fstp st(1)`,
      `${LOAD2}fxch st(1)`,
      `${LOAD2}fxch st(3)`,
      `${LOAD2}ffree st(1)`,
      `${LOAD2}fincstp`,
      `${LOAD2}fdecstp`,
      `${LOAD2}fchs`,
      `${LOAD2}fabs`,
    ],
    16,
    3,
  );
  batch(
    'compare',
    [
      `${LOAD2}fcom st(1)\nfnstsw ax`,
      `${LOAD2}fcomp st(1)\nfnstsw ax`,
      `${LOAD2}fcompp\nfnstsw ax`,
      `${LOAD2}fucom st(1)\nfnstsw ax`,
      `${LOAD2}fucomp st(1)`,
      `${LOAD2}fucompp`,
      `${LOAD2}fcomi st(0), st(1)`,
      `${LOAD2}fcomip st(0), st(1)`,
      `${LOAD2}fucomi st(0), st(1)`,
      `${LOAD2}fucomip st(0), st(1)`,
      'fld tbyte ptr [IN]\nfcom dword ptr [IN+20]',
      'fld tbyte ptr [IN]\nfcomp qword ptr [IN+20]',
      'fld tbyte ptr [IN]\nficom word ptr [IN+20]',
      'fld tbyte ptr [IN]\nficomp dword ptr [IN+20]',
      'fld tbyte ptr [IN]\nftst',
      'fld tbyte ptr [IN]\nfxam',
      'fxam',
    ],
    16,
    4,
  );
  batch(
    'unary',
    [
      'fld tbyte ptr [IN]\nfsqrt',
      'fld tbyte ptr [IN]\nfrndint',
      `${LOAD2}fscale`,
      'fld tbyte ptr [IN]\nfxtract',
      `${LOAD2}fprem`,
      `${LOAD2}fprem1`,
      'fld1\nfldl2t\nfldl2e\nfldpi\nfldlg2\nfldln2\nfldz',
      ...['fcmovb', 'fcmove', 'fcmovbe', 'fcmovu', 'fcmovnb', 'fcmovne', 'fcmovnbe', 'fcmovnu'].map((op) => `${LOAD2}mov ecx, [IN+20]\ncmp cl, 0x80\n${op} st(0), st(1)`),
    ],
    16,
    5,
  );
  batch(
    'stack-faults',
    [
      'fadd st(0), st(1)',
      'fld1\nfadd st(0), st(1)',
      'fld1\nfaddp st(2), st(0)',
      'fst dword ptr [OUT]',
      'fistp word ptr [OUT]',
      'fstp tbyte ptr [OUT]',
      'fld1\nfld1\nfld1\nfld1\nfld1\nfld1\nfld1\nfld1\nfld tbyte ptr [IN]',
      'fld1\nfld1\nfld1\nfld1\nfld1\nfld1\nfld1\nfld tbyte ptr [IN]\nfxtract',
      'fxch st(2)',
      'fld1\nfcom st(3)\nfnstsw ax',
      'fld1\nfcomi st(0), st(3)',
      'fsqrt',
      'fld1\nfscale',
      'fld1\nfyl2x',
      'fchs',
    ],
    6,
    6,
  );
  batch(
    'control',
    [
      `${LOAD2}fnstcw word ptr [OUT]\nfnstsw word ptr [OUT+2]`,
      `${LOAD2}fdiv st(0), st(1)\nfnclex`,
      `${LOAD2}fnstenv [OUT-64]\nfldenv [IN+30]`,
      `${LOAD2}fnsave [OUT-64]\nfld1\nfrstor [OUT-64]`,
      `${LOAD2}fldcw word ptr [IN+20]`,
      `${LOAD2}fnop\nfwait`,
    ],
    6,
    7,
    (r) => 0x37f & ~(r.below(2) ? 0 : 0),
  );
});
