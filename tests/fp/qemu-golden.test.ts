// The FP library against results and FPSR flags recorded from qemu-aarch64
// (random and edge operands, every rounding mode, FZ, FZ16, DN and AHP).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCase } from './golden-dispatch';

interface Case {
  line: string;
  op: string;
  fpcr: number;
  a: bigint;
  b: bigint;
  c: bigint;
  result: string;
  fpsr: string;
}

const cases: Case[] = readFileSync(join(__dirname, 'qemu-golden.txt'), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'))
  .map((line) => {
    const [op, fpcr, a, b, c, result, fpsr] = line.split(' ');
    return { line, op, fpcr: parseInt(fpcr, 16), a: BigInt(`0x${a}`), b: BigInt(`0x${b}`), c: BigInt(`0x${c}`), result, fpsr };
  });

const byOp = new Map<string, Case[]>();
for (const c of cases) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);

describe('FP library against qemu-aarch64', () => {
  for (const [op, list] of byOp) {
    // fabs/fneg are pure bit operations done by the instructions, not the library.
    if (op.startsWith('fabs') || op.startsWith('fneg')) continue;
    it(op, () => {
      const wrong = list
        .map((c) => ({ c, got: runCase(c.op, c.fpcr, c.a, c.b, c.c) }))
        .filter(({ c, got }) => got[0] !== c.result || got[1] !== c.fpsr)
        .map(({ c, got }) => `${c.line}  got ${got.join(' ')}`);
      expect(wrong.slice(0, 8)).toEqual([]);
    });
  }
});
