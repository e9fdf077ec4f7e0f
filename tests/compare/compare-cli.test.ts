// `salty compare` as a user meets it: the built bundle in dist/.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompareReport } from '../../tools/cli/compare-figures';

const SALTY = join(process.cwd(), 'dist/salty.mjs');
const FIX = 'tests/fixtures/compare';

function salty(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, [SALTY, ...args], { encoding: 'utf8', env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function installed(cc: string): boolean {
  const r = spawnSync(cc, ['--version']);
  return !r.error && r.status === 0;
}

beforeAll(() => {
  if (!existsSync(SALTY)) spawnSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit' });
});

describe('salty compare: two builds of one program', () => {
  it('runs each on its own backend with the same arguments and says they behaved the same', () => {
    const r = salty(['compare', '--json', `${FIX}/probe-x86_64.elf`, `${FIX}/probe-aarch64.elf`, 'touch', '9']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as CompareReport;
    expect(report.workloads).toHaveLength(1);
    const w = report.workloads[0];
    expect(w.name).toBe('probe');
    expect(w.args).toEqual(['touch', '9']);
    expect(w.same).toBe(true);
    expect(w.firstDifference).toBeNull();
    expect(w.aarch64.arch).toBe('aarch64');
    expect(w.x86_64.arch).toBe('x86_64');
    expect(w.aarch64.stdout).toBe('probe done\n');
    const fig = (key: string) => w.figures.find((f) => f.key === key)!;
    for (const key of ['instructions', 'mips', 'wall-ms', 'syscalls', 'tables.peak', 'entries.upper', 'entries.leaves', 'faults.demand', 'faults.cow', 'faults.access-flag', 'faults.spurious', 'faults.unresolved', 'cow.copies', 'cow.handovers', 'tlb.page', 'tlb.asid', 'tlb.all', 'asids.assigned', 'frames.peak.page-table', 'frames.exit.free']) {
      expect(fig(key), key).toBeDefined();
    }
    expect(fig('instructions').aarch64).toBe(w.aarch64.instructions);
    expect(fig('instructions').ratio).toBeCloseTo(w.x86_64.instructions / w.aarch64.instructions, 3);
    expect(fig('faults.demand').x86_64).toBe(w.x86_64.faults.demand);
    // No fork: no fork figures.
    expect(w.figures.some((f) => f.key.startsWith('fork.'))).toBe(false);
    // Frames sampled at one interval for both sides, from 0 to the end of the run.
    expect(w.aarch64.samples.every).toBe(w.x86_64.samples.every);
    const pts = w.aarch64.samples.points;
    expect(pts[0].insns).toBe(0);
    expect(pts[pts.length - 1].insns).toBe(w.aarch64.instructions);
  });

  it('names the first difference when the programs behave differently', () => {
    const r = salty(['compare', `${FIX}/fork-aarch64.elf`, `${FIX}/churn-x86_64.elf`]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('behaviour: DIFFERENT: stdout differs at character 0 (line 1): aarch64 "fork: children 16, check…" vs x86_64 "churn: rounds 300, check…"');
    expect(r.stdout).toContain('1 of 1 behaved differently');
  });

  it('wants one aarch64 and one x86_64 build', () => {
    const r = salty(['compare', `${FIX}/fork-aarch64.elf`, `${FIX}/churn-aarch64.elf`]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`salty: compare: need one aarch64 and one x86_64 build; ${FIX}/fork-aarch64.elf is aarch64, ${FIX}/churn-aarch64.elf is aarch64\n`);
    const one = salty(['compare', `${FIX}/fork-aarch64.elf`]);
    expect(one.status).toBe(2);
    expect(one.stderr).toContain('give two programs');
    const missing = salty(['compare', '/nonexistent/a', `${FIX}/fork-x86_64.elf`]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('salty: compare: /nonexistent/a: no such file\n');
  });

  it('says when the page cannot be written', () => {
    const r = salty(['compare', '--html', '/nonexistent/dir/report.html', `${FIX}/probe-aarch64.elf`, `${FIX}/probe-x86_64.elf`, 'touch', '1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('salty: compare: --html /nonexistent/dir/report.html: ENOENT\n');
  });

  it('prints its usage', () => {
    const r = salty(['compare', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: salty compare/);
    expect(r.stdout).toContain('--html FILE');
  });
});

describe('salty compare: the built-in workloads', () => {
  it('runs fork, churn, sparse, threads and filemap on both backends, all behaving the same', () => {
    const r = salty(['compare', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as CompareReport;
    expect(report.workloads.map((w) => w.name)).toEqual(['fork', 'churn', 'sparse', 'threads', 'filemap']);
    for (const w of report.workloads) expect(w.same, `${w.name}: ${w.firstDifference}`).toBe(true);
    const byName = Object.fromEntries(report.workloads.map((w) => [w.name, w]));
    // What each workload's source says it does, seen on both sides.
    for (const arch of ['aarch64', 'x86_64'] as const) {
      expect(byName.fork[arch].fork.count).toBe(16);
      expect(byName.fork[arch].cow.copies).toBeGreaterThanOrEqual(16 * 4.5);
      expect(byName.churn[arch].syscalls).toBeGreaterThanOrEqual(600);
      expect(byName.sparse[arch].tableFramesAtPeak).toBeGreaterThanOrEqual(8 * 3 + 1 + 32 * 2 + 1 + 32);
      expect(byName.threads[arch].stdout).toBe('threads: 4, sum 6710476800\n');
    }
  }, 120_000);
});

describe('salty compare --build', () => {
  it('names the compiler that is missing', () => {
    const r = salty(['compare', '--build', `${FIX}/hello-build.c`], { ...process.env, AARCH64_CC: 'salty-no-such-gcc' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('salty: compare: --build: the aarch64 compiler salty-no-such-gcc is not installed (Debian: apt-get install gcc-aarch64-linux-gnu)\n');
  });

  it.skipIf(!installed('aarch64-linux-gnu-gcc') || !installed('gcc'))('builds a libc program for both arches and compares the builds', () => {
    const r = salty(['compare', '--build', `${FIX}/hello-build.c`, '3', '4', '12']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('== hello-build.c 3 4 12:');
    // "3 arguments, sum 19\n" on both, and 19 % 7 as the exit status.
    expect(r.stdout).toContain('behaviour: the same (stdout 20 chars, stderr 0 chars, exit status 5)');
  }, 120_000);
});
