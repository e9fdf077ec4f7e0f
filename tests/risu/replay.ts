// Replays a group against golden QEMU results on our CPU and explains the
// first mismatch: which instruction, its encoding and name, and what differs.

import { CODE_BASE, hashResult, RisuCase, RisuResult } from './case-format';
import { CpuRunner } from './cpu-runner';
import { Golden } from './golden';
import { comparedInstructions, prefixCase } from './recorder';
import { describeResult, diffResults } from './result-diff';
import { RisuGroup } from './risu-group';

export interface GroupReport {
  group: string;
  cases: number;
  instructions: number;
  mismatches: number;
  /** Mismatching cases by the encoding name of their first differing instruction, most frequent first. */
  byEncoding: Array<[string, number]>;
  firstMismatch?: string;
}

/** Expected results fetched live (QEMU on PATH), or undefined when only the golden hashes exist. */
export type LiveOracle = ((cases: RisuCase[]) => RisuResult[]) | undefined;

export function replayGroup(group: RisuGroup, cases: RisuCase[], golden: Golden, runner: CpuRunner, live: LiveOracle): GroupReport {
  const report: GroupReport = { group: group.name, cases: cases.length, instructions: 0, mismatches: 0, byEncoding: [] };
  const tally = new Map<string, number>();
  cases.forEach((c, i) => {
    const g = golden.cases[i];
    report.instructions += comparedInstructions(g, c.code.length);
    const h = hashResult(runner.run(c));
    if (h[0] === g.hash[0] && h[1] === g.hash[1]) return;
    report.mismatches++;
    const insn = c.code[firstDiffering(c, i, golden, runner)];
    const name = runner.cpu.encodingName(insn) ?? `not decoded: ${group.patterns.find((p) => ((insn & p.mask) >>> 0) === p.value)?.name ?? 'block'}`;
    tally.set(name, (tally.get(name) ?? 0) + 1);
    if (report.firstMismatch === undefined) report.firstMismatch = explain(c, i, golden, runner, live);
  });
  report.byEncoding = [...tally].sort((a, b) => b[1] - a[1]);
  return report;
}

/** Index of the first instruction whose cut differs from QEMU's (the stopping one when every earlier cut agrees). */
function firstDiffering(c: RisuCase, index: number, golden: Golden, runner: CpuRunner): number {
  const g = golden.cases[index];
  const k = g.prefixes.findIndex((h, j) => hashResult(runner.run(prefixCase(c, j + 1)))[0] !== h);
  return k >= 0 ? k : Math.min(g.prefixes.length, c.code.length - 1);
}

function explain(c: RisuCase, index: number, golden: Golden, runner: CpuRunner, live: LiveOracle): string {
  const g = golden.cases[index];
  const k = firstDiffering(c, index, golden, runner);
  const cut = prefixCase(c, k + 1);
  const actual = runner.run(cut);
  const insn = c.code[k];
  const lines = [
    `case ${index}: instruction ${k} at ${hexAddr(CODE_BASE + 4 * k)} ${insn.toString(16).padStart(8, '0')} ` +
      `(${runner.cpu.encodingName(insn) ?? 'no encoding'}); block ${[...c.code].map((w) => w.toString(16).padStart(8, '0')).join(' ')}`,
  ];
  let expected: RisuResult | undefined = live?.([cut])[0];
  if (expected === undefined && k === Math.min(g.stop, c.code.length - 1) && index < golden.full.length) expected = golden.full[index];
  if (expected !== undefined) lines.push(...diffResults(expected, actual).map((l) => '  ' + l));
  else lines.push(`  expected state known only by hash (QEMU signal ${g.signal} at instruction ${g.stop}); actual: ${describeResult(actual).join(', ')}`);
  return lines.join('\n');
}

const hexAddr = (a: number) => '0x' + a.toString(16);
