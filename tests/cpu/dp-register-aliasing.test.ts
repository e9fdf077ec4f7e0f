// A destination that is also a source must see the old source values: each
// form with Rd = Rn or Rd = Rm gives the same result as with a fresh Rd.

import { describe, expect, it } from 'vitest';
import { EDGES, randoms, Snippet } from './dp-register-harness';

/** `{d}`, `{n}`, `{m}` and `{a}` stand for register numbers; the W/X prefix is part of the template. */
const FORMS = [
  'add x{d}, x{n}, x{m}', 'adds x{d}, x{n}, x{m}, asr #5', 'sub w{d}, w{n}, w{m}, lsl #7', 'subs x{d}, x{n}, w{m}, sxtw #2',
  'add x{d}, x{n}, w{m}, uxtb', 'adc x{d}, x{n}, x{m}', 'sbcs w{d}, w{n}, w{m}',
  'and x{d}, x{n}, x{m}', 'bics x{d}, x{n}, x{m}, ror #9', 'eon w{d}, w{n}, w{m}', 'orr x{d}, x{n}, x{m}, lsr #33',
  'csel x{d}, x{n}, x{m}, ne', 'csinc x{d}, x{n}, x{m}, eq', 'csneg x{d}, x{n}, x{m}, eq', 'csinv w{d}, w{n}, w{m}, eq',
  'madd x{d}, x{n}, x{m}, x{a}', 'msub w{d}, w{n}, w{m}, w{a}', 'smaddl x{d}, w{n}, w{m}, x{a}', 'umsubl x{d}, w{n}, w{m}, x{a}',
  'umulh x{d}, x{n}, x{m}', 'smulh x{d}, x{n}, x{m}', 'udiv x{d}, x{n}, x{m}', 'sdiv x{d}, x{n}, x{m}',
  'lsl x{d}, x{n}, x{m}', 'asr x{d}, x{n}, x{m}', 'ror x{d}, x{n}, x{m}', 'crc32cx w{d}, w{n}, x{m}', 'crc32h w{d}, w{n}, w{m}',
];

const fill = (form: string, d: number, n: number, m: number, a: number) =>
  form.replace('{d}', String(d)).replace('{n}', String(n)).replace('{m}', String(m)).replace('{a}', String(a));

describe('destination aliasing a source', () => {
  const values = [...EDGES.slice(9), ...randoms(8)];
  for (const form of FORMS) {
    it(form, () => {
      const fresh = new Snippet(fill(form, 9, 0, 1, 3));
      const aliases = [
        { s: new Snippet(fill(form, 0, 0, 1, 3)), d: 0 },
        { s: new Snippet(fill(form, 1, 0, 1, 3)), d: 1 },
        ...(form.includes('{a}') ? [{ s: new Snippet(fill(form, 3, 0, 1, 3)), d: 3 }] : []),
      ];
      for (let i = 0; i < values.length; i++) {
        const regs = { 0: values[i], 1: values[(i * 5 + 1) % values.length], 3: values[(i * 3 + 2) % values.length] };
        const want = fresh.run({ ...regs, 9: 0n }, 0b0110);
        for (const { s, d } of aliases) {
          const got = s.run(regs, 0b0110);
          expect(got.x(d), `${form} d=${d} i=${i}`).toBe(want.x(9));
          expect(got.nzcv).toBe(want.nzcv);
        }
      }
    });
  }
});
