import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hexBytes, QC, toHex, VectorMachine } from './simd-arith-harness';

// Every integer AdvSIMD arithmetic instruction in every arrangement, run by
// qemu-aarch64 7.2 on four input sets (edge values at 8/16/32/64-bit lane
// sizes, shift amounts around the lane width for the shift-by-register forms).
// Each run: V0 (accumulator), V1, V2 in; Vd and FPSR.QC out.

interface GoldenCase {
  asm: string;
  word: number;
  d: number;
  runs: string[];
}

const golden = JSON.parse(readFileSync(join(__dirname, 'simd-arith.golden.json'), 'utf8')) as GoldenCase[];

function family(asm: string): string {
  return asm.split(' ')[0].replace(/2$/, '');
}

describe('AdvSIMD integer arithmetic against qemu-aarch64', () => {
  const m = new VectorMachine();
  const families = [...new Set(golden.map((c) => family(c.asm)))];
  for (const name of families) {
    it(name, () => {
      const failures: string[] = [];
      for (const c of golden.filter((g) => family(g.asm) === name)) {
        for (const run of c.runs) {
          const [inputs, want, qc] = run.split(' ');
          const ec = m.exec([c.word], { 0: hexBytes(inputs.slice(0, 32)), 1: hexBytes(inputs.slice(32, 64)), 2: hexBytes(inputs.slice(64, 96)) });
          const got = toHex(m.v(c.d));
          const gotQc = (m.cpu.fpsr & QC) !== 0 ? '1' : '0';
          if (ec !== 0x3c || got !== want || gotQc !== qc) failures.push(`${c.asm} [${inputs}]: got ${ec === 0x3c ? got : `EC ${ec}`} qc ${gotQc}, qemu ${want} qc ${qc}`);
        }
      }
      expect(failures).toEqual([]);
    });
  }
});
