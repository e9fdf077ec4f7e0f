// LTP's syscall tests (issue 17) under salty, against qemu-aarch64's results
// on the same binaries: tests/ltp/list.txt holds every in-scope test that
// passes under qemu-aarch64, qemu-golden.txt qemu's summary and status for
// each (qemu-skips.txt why it skipped what it skipped), salty-passing.txt
// the ones salty must keep passing. Needs the built LTP (tests/ltp/build.sh,
// or LTP_DIR=<built tree>) and dist/run-worker.mjs (npm run build); skips
// with the reason otherwise. See docs/ltp.md.
//   LTP_JOBS=N          tests run at once (default: one per CPU)
//   LTP_BUDGET=600      seconds for the salty run: the salty-passing tests
//                       run first (always all of them), then the rest of the
//                       list (rotated daily) while time remains; what did
//                       not run is printed
//   LTP_TIMEOUT=30      CPU seconds per test under salty (then "timeout");
//                       four times that for the tests of salty-passing.txt
//   LTP_QEMU_SAMPLE=30  salty-passing tests re-run live under qemu-aarch64 (0: none)
//   LTP_ONLY="a b"      only these tests

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as runner from './ltp-runner.mjs';
import type { Entry, Result } from './ltp-runner.mjs';
import { compareResults } from './same-summary.mjs';
import { rotation, writeDurations } from './ltp-order.mjs';

const HERE = __dirname;
const ltpDir: string | undefined = runner.findLtp();
const hasWorker = fs.existsSync(path.join(runner.REPO, 'dist/run-worker.mjs'));
const qemuSample = Number(process.env.LTP_QEMU_SAMPLE ?? process.env.LTP_QEMU_LIVE ?? 30);
const hasQemu = runner.which('qemu-aarch64') !== undefined && qemuSample > 0;
const jobs = Number(process.env.LTP_JOBS ?? runner.defaultJobs());
const budgetMs = Number(process.env.LTP_BUDGET ?? 600) * 1000;
const timeoutMs = Number(process.env.LTP_TIMEOUT ?? 30) * 1000;
const started = Date.now();
const only = (process.env.LTP_ONLY ?? '').split(/\s+/).filter(Boolean);
const listed: string[] = runner.readNames(path.join(HERE, 'list.txt'));
const names = only.length ? only : listed;
const required = new Set<string>(runner.readNames(path.join(HERE, 'salty-passing.txt')));
const golden: Map<string, Result> = runner.readGolden(path.join(HERE, 'qemu-golden.txt'));
const qemuSkips: Map<string, string[]> = runner.readQemuSkips();
// What salty must give: qemu's result, or Linux's where linux-golden.txt corrects qemu.
const expected: Map<string, Result> = runner.readExpected();
const excludedCount = runner.readNames(path.join(HERE, 'excluded.txt')).length;
const skipReason = !ltpDir
  ? 'LTP is not built: run `bash tests/ltp/build.sh` (needs ../shared/ltp, autoconf, automake, gcc-aarch64-linux-gnu) or set LTP_DIR'
  : !hasWorker
    ? 'dist/run-worker.mjs is not built (npm run build)'
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
  const entry = (n: string): Entry => ctx.entries.get(n) ?? { name: n, argv: [n] };
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('the list and its goldens agree', () => {
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(golden.has(n), `${n} has a qemu golden`).toBe(true);
    for (const n of required) expect(listed, `${n} (salty-passing.txt) is in list.txt`).toContain(n);
  });

  it('every test of salty-passing.txt passes under salty as under qemu-aarch64', async () => {
    // The required tests first, then the rest in an order that rotates daily, so a cut-short run still covers everything over days.
    const ordered = rotation(names, required, new Date());
    const deadline = started + budgetMs;
    const timeoutFor = (n: string): number => (required.has(n) ? 4 * timeoutMs : timeoutMs);
    const all = await runner.runAll(ordered.map(entry), 'salty', { ...ctx, jobs, timeoutMs, timeoutFor, deadline, mustRun: (n: string) => required.has(n) });
    const results = all.filter((r): r is Result => r !== undefined);
    const notRun = ordered.filter((_, i) => all[i] === undefined);
    const verdicts = results.map((r) => ({ r, v: compareResults(r, expected.get(r.name), qemuSkips.get(r.name)) }));
    // The rows of this run (update-passing.mjs --from, ordering): tests/ltp/.cache/.
    const cache = path.join(HERE, '.cache');
    fs.mkdirSync(cache, { recursive: true });
    const rows = verdicts.map(({ r, v }) => ['salty', r.name, v.same ? 'same' : 'differs', r.ms, r.cpuMs ?? '', r.retired ?? '', r.timedOut ? 'timeout' : '', runner.formatSummary(r), v.how, v.same ? '' : runner.firstCause(r.output)].join('\t'));
    fs.writeFileSync(path.join(cache, 'last-run.tsv'), `${rows.join('\n')}\n`);
    writeDurations(results, path.join(cache, 'durations.txt'));
    const failing = verdicts.filter((x) => !x.v.same);
    const timeouts = failing.filter((x) => x.r.timedOut).length;
    const secs = ((Date.now() - started) / 1000).toFixed(0);
    lines.push(
      `LTP syscalls: ${results.length - failing.length} passed, ${failing.length} failed (of ${names.length}; ${timeouts} timed out (limit ${timeoutMs / 1000} CPU s, ${(4 * timeoutMs) / 1000} for salty-passing tests); ${jobs} jobs, ${secs} s)`,
      `  same summary by the ENOSYS-skip rule (docs/ltp.md): ${verdicts.filter((x) => x.v.how === 'qemu-enosys-skips').map((x) => x.r.name).join(' ') || 'none'}`,
      `  excluded (out of scope, never run): ${excludedCount}, reasons in tests/ltp/excluded.txt and docs/ltp.md`,
    );
    if (notRun.length) lines.push(`  not run (the ${budgetMs / 1000} s budget ran out; LTP_BUDGET=seconds): ${notRun.length}: ${notRun.join(' ')}`);
    for (const { r, v } of failing) lines.push(`  FAIL ${r.name}: ${r.timedOut ? 'timeout' : runner.formatSummary(r)} (expected ${runner.formatSummary(expected.get(r.name))}; ${v.how}) ${runner.firstCause(r.output)}`);
    const regressions = failing.filter((x) => required.has(x.r.name)).map((x) => `${x.r.name}: ${x.v.how}: ${runner.firstCause(x.r.output)}`);
    const missed = [...required].filter((n) => notRun.includes(n));
    expect(regressions, 'tests of salty-passing.txt that no longer give qemu-aarch64\'s result').toEqual([]);
    expect(missed, 'salty-passing tests left unrun by the budget').toEqual([]);
  }, 60 * 60_000);

  // The host kernel may differ from the one qemu-golden.txt was recorded on:
  // a few tests may differ, but a sample of the required ones must still pass
  // under qemu as recorded, or the goldens are stale (re-record with make-list.mjs).
  it.skipIf(!hasQemu || required.size === 0)('qemu-aarch64 live on a sample of salty-passing.txt still gives the recorded results', async () => {
    const sample = rotation([...required], new Set(), new Date()).slice(0, qemuSample);
    const results = (await runner.runAll(sample.map(entry), 'qemu', { ...ctx, jobs, timeoutMs: 90_000 })).filter((r): r is Result => r !== undefined);
    const drift = results.filter((r) => !runner.sameResult(r, golden.get(r.name), qemuSkips.get(r.name)));
    lines.push(`LTP qemu-aarch64 live: ${results.length - drift.length} of ${results.length} sampled salty-passing tests as recorded`);
    if (drift.length) lines.push(`  differing from qemu-golden.txt: ${drift.map((r) => `${r.name} (${runner.formatSummary(r)})`).join(' ')}`);
    expect(drift.length, 'salty-passing tests whose live qemu result differs from the golden').toBeLessThanOrEqual(Math.floor(sample.length / 10));
  }, 15 * 60_000);
});
