// The 80-bit library (board/fp80) against the host x87: recorded goldens
// replayed everywhere, and a fresh random seed run natively where gcc is.
// X87_RECORD=1 rewrites the goldens from the host FPU.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostMatchesEstimates as intelHost } from './sse-oracle/harness';
import { cases, chunkHashes, firstMismatch, formatGolden, GoldenOp, oracleBinary, parseGoldens, runModel, runOracle } from './x87-oracle/replay';

const GOLDEN = join(__dirname, 'x87-oracle', 'goldens.txt');

/** Operations and case counts: arithmetic and conversions get the most. */
const PLAN: [string, number][] = [
  ...['add', 'sub', 'subr', 'mul', 'div', 'divr', 'sqrt'].map((op): [string, number] => [op, 20000]),
  ...['fst32', 'fst64', 'fld32', 'fld64', 'fist16', 'fist32', 'fist64', 'fisttp16', 'fisttp32', 'fisttp64'].map((op): [string, number] => [op, 12000]),
  ...['frndint', 'fscale', 'fxtract', 'fprem', 'fprem1', 'fbstp', 'fbld'].map((op): [string, number] => [op, 12000]),
  ...['fcom', 'fucom', 'fcomi', 'fucomi', 'ftst', 'fxam'].map((op): [string, number] => [op, 10000]),
  ...['fld1', 'fldl2t', 'fldl2e', 'fldpi', 'fldlg2', 'fldln2'].map((op): [string, number] => [op, 2000]),
];

if (process.env.X87_RECORD) {
  const bin = oracleBinary();
  if (!bin) throw new Error('X87_RECORD needs gcc on an x86_64 host');
  const goldens: GoldenOp[] = PLAN.map(([op, count], i) => {
    const seed = 0x5a170000 + i;
    return { op, seed, count, hashes: chunkHashes(runOracle(bin, cases(op, seed, count))) };
  });
  writeFileSync(GOLDEN, '# op seed count sha256/16 of each 2000 host output lines (tests/x86_64/x87-library.test.ts)\n' + goldens.map(formatGolden).join('\n') + '\n');
}

const goldens = parseGoldens(readFileSync(GOLDEN, 'utf8'));

describe('x87 library replays the host FPU goldens', () => {
  it('covers every planned operation', () => {
    expect(goldens.map((g) => g.op)).toEqual(PLAN.map(([op]) => op));
  });
  for (const g of goldens) {
    it(`${g.op}: ${g.count} cases`, () => {
      const inputs = cases(g.op, g.seed, g.count);
      const ours = runModel(inputs);
      const hashes = chunkHashes(ours);
      const bad = hashes.findIndex((h, i) => h !== g.hashes[i]);
      if (bad >= 0) {
        const bin = oracleBinary();
        const slice = inputs.slice(bad * 2000, bad * 2000 + 2000);
        const detail = bin ? firstMismatch(slice, ours.slice(bad * 2000), runOracle(bin, slice)) : 'no gcc here to name the case';
        expect.fail(`${g.op}: chunk ${bad} differs from the host\n${detail}`);
      }
      expect(hashes).toEqual(g.hashes);
    });
  }
});

const bin = oracleBinary();

/**
 * Where Intel and AMD differ (salty models Intel, as its CPUID says): with
 * underflow unmasked, FSCALE of a denormal by zero and FPREM/FPREM1 of a
 * denormal by infinity leave ST0 on Intel; AMD rounds it as a tiny result
 * and raises UE.
 */
function vendorCase(line: string): boolean {
  const [op, cw, st0, st1] = line.split(' ');
  const ueUnmasked = (parseInt(cw, 16) & 0x10) === 0;
  const denormal = /^[08]000/.test(st0) && !/^[08]0{19}$/.test(st0);
  const second = op === 'fscale' ? /^[08]0{19}$/.test(st1) : /^(fprem|fprem1)$/.test(op) && /^[7f]fff80{15}$/.test(st1);
  return ueUnmasked && denormal && second;
}

describe.skipIf(!bin)('x87 library against the host FPU live (fresh seed)', () => {
  const seed = (Date.now() ^ (process.pid << 16)) >>> 0;
  const intel = intelHost();
  it('knows the vendor cases it leaves out on other hosts', () => {
    expect(vendorCase('fscale 847 000000000000001f09a9 80000000000000000000 a5a5a5a5a5a5a5a5a5a5')).toBe(true);
    expect(vendorCase('fprem c6b 800000000000000002f4 7fff8000000000000000 a5a5a5a5a5a5a5a5a5a5')).toBe(true);
    expect(vendorCase('fscale 857 000000000000001f09a9 80000000000000000000 a5a5a5a5a5a5a5a5a5a5')).toBe(false);
    expect(vendorCase('fscale 847 3fff8000000000000000 80000000000000000000 a5a5a5a5a5a5a5a5a5a5')).toBe(false);
  });
  for (const [op] of PLAN) {
    it(`${op}: 2000 cases, seed ${seed}`, () => {
      const inputs = cases(op, seed, 2000).filter((l) => intel || !vendorCase(l));
      const mismatch = firstMismatch(inputs, runModel(inputs), runOracle(bin!, inputs));
      expect(mismatch, `seed ${seed}`).toBeNull();
    });
  }
});
