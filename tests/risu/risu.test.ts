// Random-instruction differential test: our CPU against qemu-aarch64 (see docs/risu.md).
// Golden QEMU results are replayed everywhere; with qemu-aarch64 on PATH and CI set,
// a fresh seed is also compared live. RISU_RECORD=1 re-records the golden files.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashResult } from './case-format';
import { CpuRunner } from './cpu-runner';
import { generateCases } from './generator';
import { Golden, readGolden, stopIndex, writeGolden } from './golden';
import { GROUPS } from './groups';
import { haveQemu, runOnQemu } from './qemu-runner';
import { comparedInstructions, recordGroup } from './recorder';
import { GroupReport, replayGroup } from './replay';

const RECORD = process.env.RISU_RECORD === '1';
const RECORD_SEED = 0x5a17;
const LIVE = haveQemu() && !!process.env.CI;
const PASSING: string[] = JSON.parse(readFileSync(join(__dirname, 'passing-groups.json'), 'utf8'));

function show(r: GroupReport): string {
  const head = `${r.group.padEnd(24)} ${String(r.instructions).padStart(7)} instructions, ${r.cases} cases, ${r.mismatches} mismatching`;
  if (!r.firstMismatch) return head;
  const names = r.byEncoding.slice(0, 8).map(([n, k]) => `${n} x${k}`).join(', ');
  return `${head}\n  by encoding: ${names}\n  first: ${r.firstMismatch.replace(/\n/g, '\n  ')}`;
}

function check(r: GroupReport): void {
  console.log(show(r));
  if (PASSING.includes(r.group)) expect(r.mismatches, show(r)).toBe(0);
}

describe('RISU: random instructions against qemu-aarch64', () => {
  const runner = new CpuRunner();
  const goldens = new Map<string, Golden>();

  it.runIf(RECORD)('records the golden files', () => {
    for (const g of GROUPS) writeGolden(g.name, recordGroup(g, RECORD_SEED));
  }, 600_000);

  it('lists only known groups as passing', () => {
    for (const name of PASSING) expect(GROUPS.map((g) => g.name)).toContain(name);
  });

  it('golden files cover at least 200,000 instructions', () => {
    let total = 0;
    for (const g of GROUPS) {
      const golden = readGolden(g.name);
      goldens.set(g.name, golden);
      expect(golden.cases).toHaveLength(g.cases);
      total += golden.cases.reduce((n, c) => n + comparedInstructions(c, g.blockLength), 0);
    }
    console.log(`golden: ${total} instructions compared`);
    expect(total).toBeGreaterThanOrEqual(200_000);
  });

  it('golden full records agree with their hashes', () => {
    for (const g of GROUPS) {
      const golden = goldens.get(g.name) ?? readGolden(g.name);
      golden.full.forEach((r, i) => {
        expect(hashResult(r)).toEqual(golden.cases[i].hash);
        expect(stopIndex(r)).toBe(golden.cases[i].stop);
      });
    }
  });

  for (const g of GROUPS) {
    it(`replays ${g.name}${PASSING.includes(g.name) ? '' : ' (counted, not yet required)'}`, () => {
      const golden = goldens.get(g.name) ?? readGolden(g.name);
      const cases = generateCases(g, golden.seed, golden.cases.length);
      check(replayGroup(g, cases, golden, runner, haveQemu() ? runOnQemu : undefined));
    }, 120_000);
  }

  // CI also runs this file with SALTY_JIT=always: every case's block is then compiled to WebAssembly first.
  it.runIf(process.env.SALTY_JIT === 'always')('compiled the integer groups with the block compiler', () => {
    const stats = runner.cpu.jit?.stats;
    console.log(`block compiler: ${stats?.blocks} blocks in ${stats?.modules} modules, ${stats?.refused} refused`);
    expect(stats?.blocks ?? 0).toBeGreaterThan(8_000);
  });

  it.runIf(LIVE)('matches a live qemu-aarch64 run with a fresh seed', () => {
    const seed = freshSeed();
    console.log(`live RISU seed ${seed}`);
    for (const g of GROUPS) {
      const golden = recordGroup(g, seed, Math.ceil(g.cases / 8));
      const cases = generateCases(g, seed, golden.cases.length);
      check(replayGroup(g, cases, golden, runner, runOnQemu));
    }
  }, 600_000);
});

/**
 * A new seed for every commit, yet reproducible: derived from the commit being
 * tested (RISU_SEED overrides), so a CI failure replays on a developer's machine.
 */
function freshSeed(): number {
  if (process.env.RISU_SEED) return Number(process.env.RISU_SEED) >>> 0;
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    return parseInt(head.slice(0, 8), 16) >>> 0;
  } catch {
    return (Date.now() ^ process.pid) >>> 0;
  }
}
