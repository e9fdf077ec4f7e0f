// The x87 group: loads and stores of every format through the hot slots,
// arithmetic in memory and register forms, compares (status-word and EFLAGS
// forms), FXAM, FPREM/FPREM1, FSQRT, FRNDINT, FSCALE, FXTRACT, stack and
// control-word instructions. Condition codes the SDM leaves undefined are
// tracked per instruction (FNSTSW is only drawn when all four are defined).

import { AF, C0, C1, C2, C3, CF, FCC, OF, PF, SF, Spec, ZF } from './encoder';
import { Op, X86Group } from './generator';
import { Slot } from './state-builder';

const C023 = C0 | C2 | C3;
/** Most x87 instructions: C1 defined, C0/C2/C3 undefined. */
const ARITH_FX = { fswWrites: C1, fswUndef: C023 };
const COMPARE_FX = { fswWrites: FCC };
const ALL_UNDEF = { fswUndef: FCC };

const st = (g: { rng: { below(n: number): number } }) => g.rng.below(8);

const load: Op = (g) => {
  const forms: Array<[string, number, number, number, Slot]> = [
    ['fld m32', 0xd9, 0, 4, Slot.F32], ['fld m64', 0xdd, 0, 8, Slot.F64], ['fld m80', 0xdb, 5, 10, Slot.F80],
    ['fild m16', 0xdf, 0, 2, Slot.Int], ['fild m32', 0xdb, 0, 4, Slot.Int], ['fild m64', 0xdf, 5, 8, Slot.Int],
    ['fbld', 0xdf, 4, 10, Slot.Bcd],
  ];
  const r = g.rng.below(forms.length + 3);
  if (r === forms.length) return { name: 'fld st(i)', op: [0xd9, 0xc0 + st(g)], ...ARITH_FX };
  if (r === forms.length + 1) return { name: 'fld constant', op: [0xd9, 0xe8 + g.rng.below(7)], ...ARITH_FX };
  if (r === forms.length + 2) return { name: 'fxch', op: [0xd9, 0xc8 + st(g)], ...ARITH_FX };
  const [name, op, digit, size, kind] = forms[r];
  const m = g.rng.chance(0.8) ? g.mem(size, { kind }) : g.mem(size, { align: 1 });
  return { name, op: [op], reg: digit, rm: m, ...ARITH_FX };
};

const store: Op = (g) => {
  const forms: Array<[string, number, number, number]> = [
    ['fst m32', 0xd9, 2, 4], ['fstp m32', 0xd9, 3, 4], ['fst m64', 0xdd, 2, 8], ['fstp m64', 0xdd, 3, 8], ['fstp m80', 0xdb, 7, 10],
    ['fist m16', 0xdf, 2, 2], ['fistp m16', 0xdf, 3, 2], ['fist m32', 0xdb, 2, 4], ['fistp m32', 0xdb, 3, 4], ['fistp m64', 0xdf, 7, 8],
    ['fisttp m16', 0xdf, 1, 2], ['fisttp m32', 0xdb, 1, 4], ['fisttp m64', 0xdd, 1, 8], ['fbstp', 0xdf, 6, 10],
  ];
  const r = g.rng.below(forms.length + 2);
  if (r === forms.length) return { name: 'fst st(i)', op: [0xdd, 0xd0 + st(g)], ...ARITH_FX };
  if (r === forms.length + 1) return { name: 'fstp st(i)', op: [0xdd, 0xd8 + st(g)], ...ARITH_FX };
  const [name, op, digit, size] = forms[r];
  return { name, op: [op], reg: digit, rm: g.mem(size, { align: Math.min(size, 8) }), ...ARITH_FX };
};

const ARITH_NAMES = ['fadd', 'fmul', 'fcom', 'fcomp', 'fsub', 'fsubr', 'fdiv', 'fdivr'];

const arith: Op = (g) => {
  const d = g.rng.below(8);
  const isCmp = d === 2 || d === 3;
  const fx = isCmp ? COMPARE_FX : ARITH_FX;
  switch (g.rng.below(5)) {
    case 0: return { name: `${ARITH_NAMES[d]} m32`, op: [0xd8], reg: d, rm: g.mem(4, { kind: Slot.F32 }), ...fx };
    case 1: return { name: `${ARITH_NAMES[d]} m64`, op: [0xdc], reg: d, rm: g.mem(8, { kind: Slot.F64 }), ...fx };
    case 2: {
      const wide = g.rng.chance(0.5);
      return { name: `fi${ARITH_NAMES[d].slice(1)} m${wide ? 32 : 16}`, op: [wide ? 0xda : 0xde], reg: d, rm: g.mem(wide ? 4 : 2, { kind: Slot.Int }), ...fx };
    }
    case 3: return { name: `${ARITH_NAMES[d]} st,st(i)`, op: [0xd8, 0xc0 + 8 * d + st(g)], ...fx };
    default: {
      if (isCmp) return { name: 'fcompp', op: [0xde, 0xd9], ...COMPARE_FX };
      const pop = g.rng.chance(0.5);
      return { name: `${ARITH_NAMES[d]}${pop ? 'p' : ''} st(i),st`, op: [pop ? 0xde : 0xdc, 0xc0 + 8 * d + st(g)], ...ARITH_FX };
    }
  }
};

const MISC: Array<[string, number, object]> = [
  ['fchs', 0xe0, ARITH_FX], ['fabs', 0xe1, ARITH_FX], ['ftst', 0xe4, COMPARE_FX], ['fxam', 0xe5, COMPARE_FX],
  ['fxtract', 0xf4, ARITH_FX], ['fprem1', 0xf5, COMPARE_FX], ['fdecstp', 0xf6, ARITH_FX], ['fincstp', 0xf7, ARITH_FX],
  ['fprem', 0xf8, COMPARE_FX], ['fsqrt', 0xfa, ARITH_FX], ['frndint', 0xfc, ARITH_FX], ['fscale', 0xfd, ARITH_FX],
  ['fnop', 0xd0, ALL_UNDEF],
];

const misc: Op = (g) => {
  const [name, b, fx] = g.rng.pick(MISC);
  return { name, op: [0xd9, b], ...fx } as Spec;
};

/**
 * FCOMI/FUCOMI(P): OF/SF/AF cleared always; ZF/PF/CF are left alone when an
 * unmasked #IA is raised, so they are not counted as surely written. C1 is
 * specified for a stack underflow only (the host leaves it alone otherwise).
 */
const FCOMI_FX = { writes: OF | SF | AF, fswUndef: C1 };

const compare: Op = (g) => {
  const i = st(g);
  switch (g.rng.below(6)) {
    case 0: return { name: 'fcomi', op: [0xdb, 0xf0 + i], ...FCOMI_FX };
    case 1: return { name: 'fcomip', op: [0xdf, 0xf0 + i], ...FCOMI_FX };
    case 2: return { name: 'fucomi', op: [0xdb, 0xe8 + i], ...FCOMI_FX };
    case 3: return { name: 'fucomip', op: [0xdf, 0xe8 + i], ...FCOMI_FX };
    case 4: return { name: g.rng.chance(0.5) ? 'fucom' : 'fucomp', op: [0xdd, (g.rng.chance(0.5) ? 0xe0 : 0xe8) + i], ...COMPARE_FX };
    default: return { name: 'fucompp', op: [0xda, 0xe9], ...COMPARE_FX };
  }
};

const FCMOV_READS = [CF, ZF, CF | ZF, PF];

const fcmov: Op = (g) => {
  const k = g.rng.below(4);
  const neg = g.rng.chance(0.5);
  // "C1: set to 0 if stack underflow occurred; C0, C2, C3 undefined": C1 otherwise unspecified.
  return { name: `fcmov${neg ? 'n' : ''}${['b', 'e', 'be', 'u'][k]}`, op: [neg ? 0xdb : 0xda, 0xc0 + 8 * k + st(g)], reads: FCMOV_READS[k], ...ALL_UNDEF };
};

const control: Op = (g) => {
  switch (g.rng.below(8)) {
    case 0: return { name: 'fldcw', op: [0xd9], reg: 5, rm: g.mem(2, { kind: Slot.Fcw }), ...ALL_UNDEF };
    case 1: return { name: 'fnstcw', op: [0xd9], reg: 7, rm: g.mem(2), ...ALL_UNDEF };
    case 2: return { name: 'fnstsw m16', op: [0xdd], reg: 7, rm: g.mem(2), fswReads: FCC };
    case 3: return { name: 'fnstsw ax', op: [0xdf, 0xe0], implicit: 1, fswReads: FCC };
    case 4: return { name: 'sahf', op: [0x9e], implicit: 1, writes: SF | ZF | AF | PF | CF };
    case 5: return { name: 'fnclex', op: [0xdb, 0xe2], ...ALL_UNDEF };
    case 6: return { name: 'ffree', op: [0xdd, 0xc0 + st(g)], ...ALL_UNDEF };
    default: return g.rng.chance(0.2) ? { name: 'fninit', op: [0xdb, 0xe3], fswWrites: FCC } : { name: 'fwait', op: [0x9b], ...ALL_UNDEF };
  }
};

export const X87: X86Group = {
  name: 'x87', blockLength: 16, cases: 2500, state: { unmaskX87: 0.1, unmaskSse: 0 }, rspBase: true, implicit: 1,
  ops: [[4, load], [3, store], [5, arith], [3, misc], [2, compare], [1, fcmov], [2, control]],
};

