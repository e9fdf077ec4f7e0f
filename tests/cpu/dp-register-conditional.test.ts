// Conditional compare and conditional select, over every condition and every
// NZCV input, checked against a BigInt model of the Arm ARM pseudocode.

import { describe, expect, it } from 'vitest';
import { addWithCarry, M32, M64, Snippet } from './dp-register-harness';

const CONDS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'];

/** ConditionHolds over NZCV given as bits 3..0. */
function holds(cond: number, nzcv: number): boolean {
  const n = (nzcv >> 3) & 1;
  const z = (nzcv >> 2) & 1;
  const c = (nzcv >> 1) & 1;
  const v = nzcv & 1;
  const base = [z === 1, c === 1, n === 1, v === 1, c === 1 && z === 0, n === v, z === 0 && n === v, true][cond >> 1];
  return cond >= 14 ? true : (cond & 1) === 1 ? !base : base;
}

const VALUES: [bigint, bigint][] = [
  [5n, 5n],
  [0n, 1n],
  [0x7fffffffn, 0xffffffffn],
  [0x8000000000000000n, 1n],
  [M64, M64],
  [0x80000000n, 0x7fffffffn],
];

describe('conditional compare', () => {
  for (const width of [32, 64]) {
    const r = width === 64 ? 'x' : 'w';
    for (const negate of [false, true]) {
      const mnemonic = negate ? 'ccmn' : 'ccmp';
      it(`${mnemonic} ${r} register and immediate, every condition`, () => {
        const mask = width === 64 ? M64 : M32;
        for (let cond = 0; cond < 16; cond++) {
          const nzcvImm = (cond * 7 + 3) & 15;
          const reg = new Snippet(`${mnemonic} ${r}0, ${r}1, #${nzcvImm}, ${CONDS[cond]}`);
          const imm = new Snippet(`${mnemonic} ${r}0, #31, #${nzcvImm}, ${CONDS[cond]}`);
          for (let nzcvIn = 0; nzcvIn < 16; nzcvIn++) {
            for (const [a, b] of VALUES) {
              const expected = (operand: bigint) =>
                holds(cond, nzcvIn)
                  ? addWithCarry(a, negate ? operand : ~operand & mask, negate ? 0n : 1n, width).nzcv
                  : nzcvImm;
              expect(reg.run({ 0: a, 1: b }, nzcvIn).nzcv, `${cond} ${nzcvIn} ${a} ${b}`).toBe(expected(b));
              expect(imm.run({ 0: a }, nzcvIn).nzcv, `${cond} ${nzcvIn} ${a} #31`).toBe(expected(31n));
            }
          }
        }
      });
    }
  }
});

describe('conditional select', () => {
  const kinds: [string, (v: bigint, mask: bigint) => bigint][] = [
    ['csel', (v) => v],
    ['csinc', (v, m) => (v + 1n) & m],
    ['csinv', (v, m) => ~v & m],
    ['csneg', (v, m) => -v & m],
  ];
  for (const width of [32, 64]) {
    const r = width === 64 ? 'x' : 'w';
    for (const [mnemonic, alt] of kinds) {
      it(`${mnemonic} ${r}, every condition`, () => {
        const mask = width === 64 ? M64 : M32;
        const operands = [0n, 1n, M64, 0xffffffffn, 0x8000000000000000n, 0x80000000n, 0x123456789n];
        for (let cond = 0; cond < 16; cond++) {
          const s = new Snippet(`${mnemonic} ${r}2, ${r}0, ${r}1, ${CONDS[cond]}`);
          for (let nzcvIn = 0; nzcvIn < 16; nzcvIn++) {
            for (const b of operands) {
              const a = 0xfedcba9876543210n;
              const out = s.run({ 0: a, 1: b }, nzcvIn);
              const want = holds(cond, nzcvIn) ? a & mask : alt(b & mask, mask);
              expect(out.x(2), `${cond} ${nzcvIn} ${b}`).toBe(want);
              expect(out.nzcv).toBe(nzcvIn);
            }
          }
        }
      });
    }
  }

  it('gives the aliases CSET, CSETM, CINC, CNEG their meaning', () => {
    const s = new Snippet(`
      cmp x0, x1
      cset w2, lt
      csetm x3, lt
      cinc x4, x0, ge
      cneg w5, w1, lt
      csel x6, x0, x0, eq
    `);
    const out = s.run({ 0: M64, 1: 3n }); // -1 < 3 signed
    expect(out.x(2)).toBe(1n);
    expect(out.x(3)).toBe(M64);
    expect(out.x(4)).toBe(M64);
    expect(out.x(5)).toBe(0xfffffffdn);
    expect(out.x(6)).toBe(M64);
  });
});
