// LTP's syscall tests (issue 17) under salty, against qemu-aarch64's results
// on the same binaries: tests/ltp/list.txt holds every in-scope test that
// passes under qemu-aarch64, qemu-golden.txt qemu's summary and status for
// each, salty-passing.txt the ones salty must keep passing. Needs the built
// LTP (tests/ltp/build.sh, or LTP_DIR=<built tree>); skips with the reason
// otherwise. See docs/ltp.md.
//   LTP_JOBS=2          tests run at once
//   LTP_BUDGET=420      seconds for the salty run: the salty-passing tests
//                       run first, the rest of the list while time remains
//   LTP_TIMEOUT=60      seconds per test under salty
//   LTP_QEMU_LIVE=0     do not re-run the salty-passing tests under qemu-aarch64
//   LTP_ONLY="a b"      only these tests

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as runner from './ltp-runner.mjs';
import type { Entry, Result } from './ltp-runner.mjs';

const HERE = __dirname;
const ltpDir: string | undefined = runner.findLtp();
const hasSalty = fs.existsSync(runner.SALTY);
const hasQemu = runner.which('qemu-aarch64') !== undefined && process.env.LTP_QEMU_LIVE !== '0';
const jobs = Number(process.env.LTP_JOBS ?? 2);
const budgetMs = Number(process.env.LTP_BUDGET ?? 420) * 1000;
const timeoutMs = Number(process.env.LTP_TIMEOUT ?? 60) * 1000;
const started = Date.now();
const only = (process.env.LTP_ONLY ?? '').split(/\s+/).filter(Boolean);
const names: string[] = only.length ? only : runner.readNames(path.join(HERE, 'list.txt'));
const required = new Set<string>(runner.readNames(path.join(HERE, 'salty-passing.txt')));
const golden: Map<string, Result> = runner.readGolden(path.join(HERE, 'qemu-golden.txt'));
const skipReason = !ltpDir
  ? 'LTP is not built: run `bash tests/ltp/build.sh` (needs ../shared/ltp, autoconf, automake, gcc-aarch64-linux-gnu) or set LTP_DIR'
  : !hasSalty
    ? 'dist/salty.mjs is not built (npm run build)'
    : '';
const lines: string[] = [];
afterAll(() => {
  if (lines.length) console.log(lines.join('\n'));
});

describe('LTP syscalls: salty matches qemu-aarch64', () => {
  if (skipReason) {
    it.skip(`skipped: ${skipReason}`, () => {});
    return;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ltp-vitest-'));
  const ctx = runner.prepare(ltpDir as string, work);
  const entries: Entry[] = names.map((n) => ctx.entries.get(n) ?? { name: n, argv: [n] });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('the list and its goldens agree', () => {
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(golden.has(n), `${n} has a qemu golden`).toBe(true);
    for (const n of required) expect(names, `${n} (salty-passing.txt) is in list.txt`).toContain(n);
  });

  it('every test of salty-passing.txt passes under salty as under qemu-aarch64', async () => {
    // The required tests first, then the rest of the list while the budget lasts.
    const ordered = [...entries.filter((e) => required.has(e.name)), ...entries.filter((e) => !required.has(e.name))];
    const deadline = started + budgetMs;
    const all = await runner.runAll(ordered, 'salty', { ...ctx, jobs, timeoutMs, deadline });
    const results = all.filter((r): r is Result => r !== undefined);
    const notRun = ordered.filter((_, i) => all[i] === undefined).map((e) => e.name);
    const failing = results.filter((r) => !runner.sameResult(r, golden.get(r.name)));
    const cut = notRun.length ? ` (${notRun.length} not run: the ${budgetMs / 1000} s budget ran out; LTP_BUDGET=seconds)` : '';
    lines.push(`LTP syscalls: ${results.length - failing.length} passed, ${failing.length} failed${cut}`);
    if (failing.length) {
      lines.push(`failing: ${failing.map((r) => r.name).join(' ')}`);
      for (const r of failing) lines.push(`  ${r.name}: ${runner.formatSummary(r)} (qemu ${runner.formatSummary(golden.get(r.name))}) ${runner.firstCause(r.output)}`);
    }
    const missed = [...required].filter((n) => notRun.includes(n));
    const regressions = failing.filter((r) => required.has(r.name)).map((r) => `${r.name}: ${runner.formatSummary(r)}, qemu ${runner.formatSummary(golden.get(r.name))}: ${runner.firstCause(r.output)}`);
    expect(regressions).toEqual([]);
    expect(missed, 'salty-passing tests left unrun by the budget').toEqual([]);
  }, 30 * 60_000);

  // The host kernel may differ from the one qemu-golden.txt was recorded on:
  // a few tests may differ, but the required ones must still pass under qemu
  // as recorded, or the goldens are stale (re-record with make-list.mjs).
  it.skipIf(!hasQemu || required.size === 0)('qemu-aarch64 live on salty-passing.txt still gives the recorded results', async () => {
    const mine = entries.filter((e) => required.has(e.name));
    const results = (await runner.runAll(mine, 'qemu', { ...ctx, jobs, timeoutMs: 90_000 })).filter((r): r is Result => r !== undefined);
    const drift = results.filter((r) => !runner.sameResult(r, golden.get(r.name)));
    lines.push(`LTP qemu-aarch64 live: ${results.length - drift.length} of ${results.length} salty-passing tests as recorded`);
    if (drift.length) lines.push(`  differing from qemu-golden.txt: ${drift.map((r) => `${r.name} (${runner.formatSummary(r)})`).join(' ')}`);
    expect(drift.length, 'salty-passing tests whose live qemu result differs from the golden').toBeLessThanOrEqual(Math.floor(mine.length / 10));
  }, 15 * 60_000);
});
