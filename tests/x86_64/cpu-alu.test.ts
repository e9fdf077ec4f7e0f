// ALU forms against the host CPU (goldens in native-goldens.json).

import { describe, expect, it } from 'vitest';
import { RAX, RBX } from '../../board/x86_64/cpu-state';
import { blockCases, BlockInput, expectSameAsNative, values } from './oracle-blocks';
import { x86asm } from './x86-asm';
import { x86Machine } from './x86-test-machine';

const ALL = 0x8d5;
const NO_AF = 0x8c5;

function pairs(seed: number, n: number, flags = [0, 1, 0x8d5]): BlockInput[] {
  const a = values(seed, n);
  const b = values(seed + 7, n);
  return a.map((x, k) => ({ regs: { rax: x, rbx: b[k] }, flags: flags[k % flags.length] }));
}

describe('x86 ALU against the host CPU', () => {
  const widths: [string, string][] = [['al', 'bl'], ['ax', 'bx'], ['eax', 'ebx'], ['rax', 'rbx']];
  for (const op of ['add', 'adc', 'sub', 'sbb', 'cmp']) {
    it(`${op} in every width, register and memory forms`, () => {
      for (const [d, s] of widths) {
        expectSameAsNative(blockCases(`${op} ${d}, ${s}`, pairs(op.length * 31 + d.length, 20), ['rax', 'rbx'], ALL));
      }
      expectSameAsNative(blockCases(`mov [0x500f00], rbx\n${op} rax, [0x500f00]`, pairs(5, 10), ['rax'], ALL));
      expectSameAsNative(blockCases(`mov [0x500f00], rax\n${op} dword ptr [0x500f00], ebx\nmov rax, [0x500f00]`, pairs(6, 10), ['rax'], ALL));
      expectSameAsNative(blockCases(`mov rsi, 0x500f00\nmov [rsi + 8], rbx\n${op} rax, [rsi + 8]\n${op} ecx, [rsi + 8]\npushfq\npop rdx\n${op} dword ptr [rsi + 8], -3\n${op} qword ptr [rsi + 8], 0x7f\nmov rbx, [rsi + 8]`, pairs(13, 8).map((p) => ({ ...p, regs: { ...p.regs, rcx: p.regs.rbx! ^ 0x3cn } })), ['rax', 'rbx', 'rcx', 'rdx'], ALL));
      expectSameAsNative(blockCases(`${op} ah, bl`, pairs(8, 10), ['rax'], ALL));
      expectSameAsNative(blockCases(`${op} rax, -3`, pairs(9, 10), ['rax'], ALL));
      expectSameAsNative(blockCases(`${op} ax, 0x1234`, pairs(10, 10), ['rax'], ALL));
      expectSameAsNative(blockCases(`${op} rax, 0x7fffffff`, pairs(11, 10), ['rax'], ALL));
      expectSameAsNative(blockCases(`${op} cl, 0x80`, pairs(12, 10).map((p) => ({ ...p, regs: { rcx: p.regs.rax } })), ['rcx'], ALL));
    });
  }
  for (const op of ['and', 'or', 'xor', 'test']) {
    it(`${op} in every width`, () => {
      for (const [d, s] of widths) expectSameAsNative(blockCases(`${op} ${d}, ${s}`, pairs(d.length * 13, 12), ['rax'], NO_AF));
      expectSameAsNative(blockCases(`${op} rax, -0x100`, pairs(3, 10), ['rax'], NO_AF));
      expectSameAsNative(blockCases(`${op} bh, 0x81`, pairs(4, 10), ['rbx'], NO_AF));
    });
  }
  it('inc, dec, neg, not in every width', () => {
    for (const op of ['inc', 'dec', 'neg', 'not']) {
      for (const d of ['al', 'ax', 'eax', 'rax', 'ah']) expectSameAsNative(blockCases(`${op} ${d}`, pairs(d.length + op.length, 12, [0, 1]), ['rax'], ALL));
    }
  });
  it('LOCK-prefixed read-modify-write and LOCK on a register form (#UD)', () => {
    expectSameAsNative(blockCases('mov [0x500f00], rax\nlock add qword ptr [0x500f00], rbx\nmov rax, [0x500f00]', pairs(21, 8), ['rax'], ALL));
    const m = x86Machine(Uint8Array.from([0xf0, 0x48, 0x01, 0xd8])); // lock add rax, rbx
    expect(m.run()).toMatchObject({ vector: 6 });
  });
  it('xor eax, eax clears RAX entirely; a 16-bit write keeps the upper bits', () => {
    const m = x86Machine(x86asm('mov rax, -1\nmov rbx, -1\nxor eax, eax\nmov bx, 5'));
    m.runToBreakpoint();
    expect(m.reg(RAX)).toBe(0n);
    expect(m.reg(RBX)).toBe(0xffffffffffff0005n);
  });
});
