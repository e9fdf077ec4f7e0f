// Random-instruction differential test of the x86-64 CPU against the host CPU
// (see docs/x86-risu.md). Golden native results are replayed everywhere; on an
// x86_64 Linux host with CI set, a fresh seed is also compared live.
// X86_RISU_RECORD=1 re-records the golden files natively.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashResult, stopIndex } from './canonical';
import { X86CpuRunner } from './cpu-runner';
import { generateCases } from './generator';
import { Golden, readGolden, writeGolden } from './golden';
import { GROUPS } from './groups';
import { buildHarness, HARNESS, nativeUnavailable, runNative } from './native-runner';
import { comparedInstructions, recordGroup } from './recorder';
import { GroupReport, replayGroup, traceCase } from './replay';

const RECORD = process.env.X86_RISU_RECORD === '1';
const RECORD_SEED = 0x86a5;
const NO_NATIVE = nativeUnavailable();
const LIVE = NO_NATIVE === undefined && !!process.env.CI;
const PASSING: string[] = JSON.parse(readFileSync(join(__dirname, 'passing-groups.json'), 'utf8'));
const summary: string[] = [];
/**
 * The live oracle is the host CPU. Which NaN a dot product returns when several products are NaN is the
 * vendor's: salty models Intel's (its CPUID says GenuineIntel, the goldens were recorded on Intel), and an
 * AMD host picks another; on such a host the live run leaves DPPS/DPPD mismatches out and says so.
 */
const HOST_INTEL = (() => {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8').includes('GenuineIntel');
  } catch {
    return true;
  }
})();
const VENDOR_DEPENDENT = ['dpps', 'dppd'];
/** A case's instruction is a dot product, also in a generator's variant ("ignored-rex dppd"). */
const vendorDependent = (name: string): boolean => VENDOR_DEPENDENT.includes(name.slice(name.lastIndexOf(' ') + 1));

function withoutVendorDependent(r: GroupReport, notes: string[]): GroupReport {
  if (HOST_INTEL) return r;
  const left = r.mismatches.filter((m) => vendorDependent(m.name));
  if (left.length > 0) notes.push(`${r.group}: ${left.length} DPPS/DPPD cases left out (the host is not Intel)`);
  return { ...r, mismatches: r.mismatches.filter((m) => !vendorDependent(m.name)) };
}

function show(r: GroupReport): string {
  const lines = [`${r.group.padEnd(14)} ${String(r.instructions).padStart(7)} instructions, ${r.cases} cases, ${r.mismatches.length} mismatching`];
  if (r.unimplemented.length) lines.push(`  not decoded by our CPU: ${r.unimplemented.map(([n, k]) => `${n} x${k}`).join(', ')}`);
  if (r.byName.length) lines.push(`  wrong: ${r.byName.slice(0, 12).map(([n, k]) => `${n} x${k}`).join(', ')}`);
  for (const e of r.explained) lines.push('  ' + e.replace(/\n/g, '\n  '));
  return lines.join('\n');
}

function check(r: GroupReport, skip: (note: string) => void): void {
  const text = show(r);
  console.log(text);
  summary.push(text.split('\n').slice(0, 3).join('\n'));
  if (PASSING.includes(r.group)) {
    expect(r.mismatches.length, text).toBe(0);
    return;
  }
  if (r.unimplemented.length) skip(`${r.group}: not implemented yet: ${r.unimplemented.map(([n]) => n).join(', ')}`);
  else if (r.mismatches.length) skip(`${r.group}: ${r.mismatches.length} mismatching cases (not yet required)`);
  else console.log(`${r.group}: zero mismatches; add it to passing-groups.json`);
}

describe('x86 RISU: random instructions against the host CPU', () => {
  const runner = new X86CpuRunner();
  const goldens = new Map<string, Golden>();
  afterAll(() => console.log(`x86 RISU summary\n${summary.join('\n')}`));

  it.runIf(RECORD)('records the golden files natively', () => {
    if (NO_NATIVE) throw new Error(`cannot record: ${NO_NATIVE}`);
    // X86_RISU_ONLY=a,b records just those groups.
    const only = process.env.X86_RISU_ONLY?.split(',');
    for (const g of GROUPS) if (!only || only.includes(g.name)) writeGolden(g.name, recordGroup(g, RECORD_SEED));
  }, 1_800_000);

  it('lists only known groups as passing', () => {
    for (const name of PASSING) expect(GROUPS.map((g) => g.name)).toContain(name);
  });

  it('golden files cover at least 200,000 instructions', () => {
    let total = 0;
    for (const g of GROUPS) {
      const golden = readGolden(g.name);
      goldens.set(g.name, golden);
      expect(golden.cases).toHaveLength(g.cases);
      const n = golden.cases.reduce((a, c) => a + comparedInstructions(c, g.blockLength), 0);
      console.log(`golden ${g.name}: ${n} instructions in ${g.cases} cases`);
      total += n;
    }
    console.log(`golden: ${total} instructions compared`);
    expect(total).toBeGreaterThanOrEqual(200_000);
  });

  it('golden full records agree with their hashes', () => {
    for (const g of GROUPS) {
      const golden = goldens.get(g.name) ?? readGolden(g.name);
      const cases = generateCases(g, golden.seed, golden.full.length);
      golden.full.forEach((r, i) => {
        expect(hashResult(cases[i], r)).toEqual(golden.cases[i].hash);
        const s = stopIndex(cases[i], r);
        expect(s < 0 ? 255 : s).toBe(golden.cases[i].stop);
      });
    }
  });

  it.runIf(NO_NATIVE === undefined)('the native oracle still agrees with the golden files (first cases of every group)', () => {
    for (const g of GROUPS) {
      const golden = goldens.get(g.name) ?? readGolden(g.name);
      const cases = generateCases(g, golden.seed, 64);
      runNative(cases).forEach((r, i) => expect(hashResult(cases[i], r), `${g.name} case ${i}`).toEqual(golden.cases[i].hash));
    }
  }, 120_000);

  for (const g of GROUPS) {
    it(`replays ${g.name}${PASSING.includes(g.name) ? '' : ' (counted, not yet required)'}`, (ctx) => {
      const golden = goldens.get(g.name) ?? readGolden(g.name);
      const cases = generateCases(g, golden.seed, golden.cases.length);
      const live = NO_NATIVE === undefined ? (c: typeof cases) => runNative(c) : undefined;
      check(replayGroup(g, cases, golden, runner, live), (note) => ctx.skip(note));
    }, 300_000);
  }

  it.runIf(!!process.env.X86_RISU_EXPLAIN && NO_NATIVE === undefined)('explains one case instruction by instruction (X86_RISU_EXPLAIN=group:case)', () => {
    const [name, index] = process.env.X86_RISU_EXPLAIN!.split(':');
    const g = GROUPS.find((x) => x.name === name);
    if (!g) throw new Error(`no group ${name}`);
    const golden = readGolden(g.name);
    const c = generateCases(g, golden.seed, Number(index) + 1)[Number(index)];
    console.log(`${g.name} case ${index}, seed ${golden.seed}:\n${traceCase(c, runner, (cs) => runNative(cs)).join('\n')}`);
  }, 120_000);

  it.runIf(LIVE)('passing groups match a live native run with a fresh seed (harness rebuilt when gcc is present)', () => {
    const harness = buildHarness(join(__dirname, '..', '..', 'dist', 'x86-risu')) ?? HARNESS;
    const seed = freshSeed();
    console.log(`live x86 RISU seed ${seed} (harness ${harness})`);
    const notes: string[] = [];
    for (const g of GROUPS) {
      const golden = recordGroup(g, seed, Math.ceil(g.cases / 8), 'native', harness);
      const cases = generateCases(g, seed, golden.cases.length);
      check(withoutVendorDependent(replayGroup(g, cases, golden, runner, (c) => runNative(c, 'native', harness)), notes), (note) => notes.push(note));
    }
    if (notes.length) console.log(`live run: ${notes.join('; ')}`);
  }, 900_000);
});

/**
 * A new seed for every commit, yet reproducible: derived from the commit being
 * tested (X86_RISU_SEED overrides), so a CI failure replays on a developer's machine.
 */
function freshSeed(): number {
  if (process.env.X86_RISU_SEED) return Number(process.env.X86_RISU_SEED) >>> 0;
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    return parseInt(head.slice(0, 8), 16) >>> 0;
  } catch {
    return (Date.now() ^ process.pid) >>> 0;
  }
}
