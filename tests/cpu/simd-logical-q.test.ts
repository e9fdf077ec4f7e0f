// AND, BIC, ORR, ORN and EOR on full Q registers have unrolled closures: every
// byte of the result against the byte-wise definition, including Vd = Vn.

import { describe, expect, it } from 'vitest';
import { Ec } from '../../board/aarch64/exception-syndrome';
import { machine } from './machine';

const OPS: [string, (n: number, m: number) => number][] = [
  ['and', (n, m) => n & m],
  ['bic', (n, m) => n & ~m & 0xff],
  ['orr', (n, m) => n | m],
  ['orn', (n, m) => (n | ~m) & 0xff],
  ['eor', (n, m) => n ^ m],
];

const A = Array.from({ length: 16 }, (_, i) => (i * 37 + 11) & 0xff);
const B = Array.from({ length: 16 }, (_, i) => (i * 91 + 200) & 0xff);

describe('AdvSIMD logical, 16B', () => {
  for (const [name, ref] of OPS) {
    it(`${name} into another register and in place`, () => {
      const m = machine(`${name} v0.16b, v1.16b, v2.16b\n${name} v1.16b, v1.16b, v2.16b`, (cpu) => {
        cpu.state.setV(1, A);
        cpu.state.setV(2, B);
        cpu.state.setV(0, new Array(16).fill(0x5a));
      });
      expect(m.run()).toBe(Ec.Brk);
      const want = A.map((a, i) => ref(a, B[i]));
      expect([...m.cpu.state.getV(0)]).toEqual(want);
      expect([...m.cpu.state.getV(1)]).toEqual(want);
    });
  }
});
