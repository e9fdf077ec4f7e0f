// Replays a group against golden native results on our CPU and explains
// mismatches: which instruction first differs, its bytes and names, and what
// differs (from the live oracle when it runs here, else from a full record).

import { CODE_BASE, prefixCase, RawResult, X86Case } from './case-format';
import { diffCanonical, hashResult } from './canonical';
import { X86CpuRunner } from './cpu-runner';
import { Golden } from './golden';
import { comparedInstructions, PREFIX_BITS } from './recorder';
import { X86Group } from './generator';

/** Expected results fetched live, or undefined when only the golden hashes exist. */
export type LiveOracle = ((cases: X86Case[]) => RawResult[]) | undefined;

export interface Mismatch {
  index: number;
  insn: number;
  bytes: string;
  name: string;
  decoded: string | undefined;
}

export interface GroupReport {
  group: string;
  cases: number;
  instructions: number;
  mismatches: Mismatch[];
  /** Mismatching cases by the generator's name of their first differing instruction, most frequent first. */
  byName: Array<[string, number]>;
  /** Instructions our decoder does not know (the first differing one of a mismatch), by name. */
  unimplemented: Array<[string, number]>;
  explained: string[];
}

const EXPLAIN = 3;

export function replayGroup(group: X86Group, cases: X86Case[], golden: Golden, runner: X86CpuRunner, live: LiveOracle): GroupReport {
  const report: GroupReport = { group: group.name, cases: cases.length, instructions: 0, mismatches: [], byName: [], unimplemented: [], explained: [] };
  const byName = new Map<string, number>();
  const unimpl = new Map<string, number>();
  cases.forEach((c, i) => {
    const g = golden.cases[i];
    report.instructions += comparedInstructions(g, group.blockLength);
    const h = hashResult(c, runner.run(c));
    if (h[0] === g.hash[0] && h[1] === g.hash[1]) return;
    const k = firstDiffering(c, golden, i, runner);
    const bytes = c.code.slice(c.offsets[k], c.offsets[k + 1]);
    const decoded = runner.describe(bytes);
    const m: Mismatch = { index: i, insn: k, bytes: hexBytes(bytes), name: c.names[k] ?? 'end of block', decoded };
    report.mismatches.push(m);
    const key = `${m.name} (${m.bytes})`;
    if (decoded === undefined) unimpl.set(m.name, (unimpl.get(m.name) ?? 0) + 1);
    else byName.set(m.name, (byName.get(m.name) ?? 0) + 1);
    if (decoded !== undefined && report.explained.length < EXPLAIN) report.explained.push(explain(c, i, k, golden, runner, live, key));
  });
  report.byName = [...byName].sort((a, b) => b[1] - a[1]);
  report.unimplemented = [...unimpl].sort((a, b) => b[1] - a[1]);
  return report;
}

/** Index of the first instruction whose cut differs from the golden one (the stopping one when every earlier cut agrees). */
function firstDiffering(c: X86Case, golden: Golden, index: number, runner: X86CpuRunner): number {
  const g = golden.cases[index];
  for (let j = 0; j < g.prefixes.length; j++) {
    const cut = prefixCase(c, j + 1);
    if ((hashResult(cut, runner.run(cut))[0] & PREFIX_BITS) !== g.prefixes[j]) return j;
  }
  return Math.min(g.prefixes.length, c.offsets.length - 2);
}

function explain(c: X86Case, index: number, k: number, golden: Golden, runner: X86CpuRunner, live: LiveOracle, key: string): string {
  const g = golden.cases[index];
  const cut = prefixCase(c, k + 1);
  const actual = runner.run(cut);
  const lines = [
    `case ${index}: instruction ${k} at 0x${(CODE_BASE + c.offsets[k]).toString(16)}: ${key}, our decoder: ${runner.describe(c.code.slice(c.offsets[k], c.offsets[k + 1]))}`,
    `  block: ${c.names.map((n, j) => `${n} [${hexBytes(c.code.slice(c.offsets[j], c.offsets[j + 1]))}]`).join('; ')}`,
  ];
  let expected: RawResult | undefined = live?.([cut])[0];
  if (expected === undefined && k === Math.min(g.stop, c.offsets.length - 2) && index < golden.full.length) expected = golden.full[index];
  if (expected !== undefined) lines.push(...diffCanonical(cut, expected, actual).map((l) => '  ' + l));
  else lines.push(`  expected state known only by hash (native signal ${g.signal} at instruction ${g.stop}); ours: signal ${actual.signal} at 0x${actual.rip.toString(16)}`);
  return lines.join('\n');
}

export function hexBytes(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Every instruction of one case with what differs after it (our CPU against
 * the live oracle): X86_RISU_EXPLAIN=<group>:<case> prints it (x86-risu.test.ts).
 */
export function traceCase(c: X86Case, runner: X86CpuRunner, oracle: (cases: X86Case[]) => RawResult[]): string[] {
  const n = c.offsets.length - 1;
  const cuts = Array.from({ length: n }, (_, k) => prefixCase(c, k + 1));
  const expected = oracle(cuts);
  return cuts.map((cut, k) => {
    const actual = runner.run(cut);
    const bytes = hexBytes(c.code.slice(c.offsets[k], c.offsets[k + 1]));
    const where = (r: RawResult) => `signal ${r.signal} at +0x${(r.rip - CODE_BASE).toString(16)}`;
    const diff = diffCanonical(cut, expected[k], actual);
    const head = `${String(k).padStart(2)} +0x${c.offsets[k].toString(16).padStart(3, '0')} ${c.names[k]} [${bytes}] (ours: ${runner.describe(c.code.slice(c.offsets[k], c.offsets[k + 1])) ?? 'not decoded'}): host ${where(expected[k])}`;
    return diff.length ? `${head}\n     ${diff.join('\n     ')}` : `${head}, same`;
  });
}
