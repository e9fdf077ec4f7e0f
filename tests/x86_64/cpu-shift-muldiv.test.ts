// Shifts, rotates, multiplies and divides against the host CPU. Flags the
// SDM leaves undefined are masked per instruction and count.

import { describe, it } from 'vitest';
import { blockCases, BlockInput, expectSameAsNative, values } from './oracle-blocks';

const ALL = 0x8d5;

function inputs(seed: number, n: number, counts: readonly number[]): BlockInput[] {
  const a = values(seed, n);
  const b = values(seed + 3, n);
  return a.map((x, k) => ({ regs: { rax: x, rbx: b[k], rcx: BigInt(counts[k % counts.length]) }, flags: k % 2 === 0 ? 1 : 0x8d4 }));
}

describe('x86 shifts and rotates against the host CPU', () => {
  const regs = ['al', 'ax', 'eax', 'rax'];
  for (const op of ['shl', 'shr', 'sar']) {
    it(`${op}: by 1 (OF defined), by CL and imm (OF undefined), count 0 (nothing changes)`, () => {
      for (const d of regs) {
        expectSameAsNative(blockCases(`${op} ${d}, 1`, inputs(d.length, 10, [1]), ['rax'], 0x8c5));
        expectSameAsNative(blockCases(`${op} ${d}, cl`, inputs(d.length + 1, 20, [2, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64]), ['rax'], 0x0c5));
        expectSameAsNative(blockCases(`${op} ${d}, cl`, inputs(d.length + 2, 6, [0, 32, 64]).filter((_, k) => d === 'rax' ? k % 3 !== 1 : true), ['rax'], ALL));
        expectSameAsNative(blockCases(`${op} ${d}, 3`, inputs(d.length + 3, 8, [3]), ['rax'], 0x0c5));
      }
      expectSameAsNative(blockCases(`mov [0x500f00], rax\n${op} qword ptr [0x500f00], cl\nmov rax, [0x500f00]`, inputs(4, 10, [1, 4, 63]), ['rax'], 0x0c5));
    });
  }
  for (const op of ['rol', 'ror', 'rcl', 'rcr']) {
    it(`${op}: CF always, OF for count 1`, () => {
      for (const d of regs) {
        expectSameAsNative(blockCases(`${op} ${d}, 1`, inputs(d.length + 5, 10, [1]), ['rax'], ALL));
        expectSameAsNative(blockCases(`${op} ${d}, cl`, inputs(d.length + 6, 24, [2, 3, 7, 8, 9, 10, 16, 17, 18, 31, 32, 33, 63]), ['rax'], 0x0d5));
      }
      expectSameAsNative(blockCases(`${op} bh, cl`, inputs(7, 10, [1, 9]).map((p) => ({ ...p })), ['rbx'], 0x0d5));
    });
  }
  it('rotates keep SF/ZF/AF/PF of the instruction before them', () => {
    const ins = inputs(40, 12, [0]).map((p) => ({ ...p, regs: { ...p.regs, rcx: p.regs.rbx! ^ 0x5an } }));
    for (const [code, mask] of [
      ['add eax, ebx\nrol rcx, 5', 0x0d5], ['sub ax, bx\nrcr rcx, 1', 0x8d5], ['inc bl\nror eax, 1', 0x8d5], ['dec rax\nrcl ecx, 3', 0x0d5],
      ['xor eax, ebx\nrol cl, 1', 0x8c5], ['imul rax, rbx\nrol rcx, 1', 0x801], ['shl rax, 1\nror rcx, 1', 0x8c5], ['adc rax, rbx\nrol rax, 7\nror rbx, 1', 0x8d5 & ~0x800 | 0x800],
      ['sbb al, bl\nrol rcx, 1\nrcl rax, 1', 0x8d5],
    ] as [string, number][]) expectSameAsNative(blockCases(code, ins, ['rax', 'rbx', 'rcx'], mask));
  });
  it('shld / shrd by 1, imm and CL', () => {
    for (const op of ['shld', 'shrd']) {
      for (const [d, s] of [['ax', 'bx'], ['eax', 'ebx'], ['rax', 'rbx']]) {
        expectSameAsNative(blockCases(`${op} ${d}, ${s}, 1`, inputs(d.length, 10, [1]), ['rax'], 0x8c5));
        const max = d === 'ax' ? 16 : d === 'eax' ? 31 : 63;
        expectSameAsNative(blockCases(`${op} ${d}, ${s}, cl`, inputs(d.length + 9, 16, [2, 5, 8, 15, max, 0].filter((c) => c <= max)), ['rax'], 0x0c5));
      }
    }
  });
});

describe('x86 multiply and divide against the host CPU', () => {
  it('mul / imul one-operand in every width (CF, OF defined)', () => {
    for (const op of ['mul', 'imul']) {
      for (const s of ['bl', 'bx', 'ebx', 'rbx']) expectSameAsNative(blockCases(`${op} ${s}`, inputs(s.length + op.length, 20, [0]), ['rax', 'rdx'], 0x801));
    }
  });
  it('imul two and three operands', () => {
    for (const [d, s] of [['ax', 'bx'], ['eax', 'ebx'], ['rax', 'rbx']]) {
      expectSameAsNative(blockCases(`imul ${d}, ${s}`, inputs(d.length * 3, 20, [0]), ['rax'], 0x801));
      expectSameAsNative(blockCases(`imul ${d}, ${s}, -7`, inputs(d.length * 5, 10, [0]), ['rax'], 0x801));
      expectSameAsNative(blockCases(`imul ${d}, ${s}, 0x12345`, inputs(d.length * 7, 10, [0]), ['rax'], 0x801));
    }
  });
  it('div / idiv in every width on inputs that do not fault', () => {
    const cases: [string, bigint[], bigint[], bigint[]][] = [
      // [divisor reg, rax values, rdx values, divisor values]
      ['bl', [1000n, 0xffffn, 0x8000n, 0x7f00n], [0n], [7n, 0xffn, 0x81n, 0x80n]],
      ['bx', [0x1234n, 0xffffn], [0x1n, 0xffffn, 0x7fffn], [0x8000n, 0xffffn, 0x7fffn, 3n]],
      ['ebx', [0xdeadbeefn, 0n], [0x12n, 0xffffffffn], [0x80000000n, 0xffffffffn, 0x12345n, 0xfffffff0n]],
      ['rbx', [0x123456789abcdefn, 0xfffffffffffffff0n], [0n, 0xffffffffffffffffn, 0x5n], [0x8000000000000000n, 0xffffffffffffffffn, 0x10000000fn, 7n]],
    ];
    for (const op of ['div', 'idiv']) {
      for (const [reg, as, ds, bs] of cases) {
        const ins: BlockInput[] = [];
        for (const a of as) for (const d of ds) for (const b of bs) {
          if (!fitsQuotient(op === 'idiv', reg, a, d, b)) continue;
          ins.push({ regs: { rax: a, rdx: d, rbx: b } });
        }
        expectSameAsNative(blockCases(`${op} ${reg}`, ins, ['rax', 'rdx'], 0));
      }
    }
  });
  it('div / idiv raise #DE on zero and on quotient overflow, as SIGFPE natively', () => {
    const fault: [string, bigint, bigint, bigint][] = [
      ['div bl', 0x100n, 0n, 1n], ['idiv bl', 0x80n, 0n, 0xffn].map((v, k) => (k === 1 ? 0x8000n : v)) as [string, bigint, bigint, bigint],
      ['div ebx', 0n, 0n, 0n], ['idiv rbx', 0n, 0x8000000000000000n, 0xffffffffffffffffn],
      ['div rbx', 0n, 5n, 5n], ['idiv ebx', 0x80000000n, 0n, 0xffffffffn],
    ];
    for (const [insn, a, d, b] of fault) expectSameAsNative([{ code: insn, regs: { 0: a, 2: d, 3: b } }]);
  });
});

function fitsQuotient(signed: boolean, reg: string, a: bigint, d: bigint, b: bigint): boolean {
  const bits = reg === 'bl' ? 8 : reg === 'bx' ? 16 : reg === 'ebx' ? 32 : 64;
  const m = (1n << BigInt(bits)) - 1n;
  const lo = bits === 8 ? a & 0xffffn : a & m;
  const hi = bits === 8 ? 0n : d & m;
  const nbits = bits === 8 ? 16 : 2 * bits;
  let n = bits === 8 ? lo : (hi << BigInt(bits)) | lo;
  let dv = b & m;
  if (dv === 0n) return false;
  if (signed) {
    if (n >> BigInt(nbits - 1)) n -= 1n << BigInt(nbits);
    if (dv >> BigInt(bits - 1)) dv -= 1n << BigInt(bits);
    const q = n / dv;
    return q >= -(1n << BigInt(bits - 1)) && q < 1n << BigInt(bits - 1);
  }
  return n / dv <= m;
}
