// Real third-party arm64 programs from Debian (busybox-static, bash-static,
// mksh built with musl, klibc and dietlibc) on salty, compared with the
// committed qemu-aarch64 goldens and, where qemu-aarch64 is installed, live.
// A case in passing-cases.json must pass; every case is shown in a table.
// REALWORLD_RECORD=1 re-records the goldens (see docs/realworld.md).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BINARIES, packageVersion, unavailable } from './binaries';
import { busyboxCommandWords, CASES, type RealWorldCase } from './cases';
import { compare, enosysCalls, undefinedInstructions, type Verdict } from './comparison';
import { readGolden, writeGolden, type Golden } from './golden-file';
import { hasQemu, qemuCommandLine, qemuVersion, runOnQemu, runOnSalty, type Outcome } from './runners';

const RECORD = process.env.REALWORLD_RECORD === '1';
const PASSING: string[] = JSON.parse(readFileSync(join(__dirname, 'passing-cases.json'), 'utf8'));

interface Row {
  readonly name: string;
  readonly result: 'pass' | 'FAIL' | 'skipped';
  readonly detail: string;
}
const rows: Row[] = [];

function recordWith(c: RealWorldCase): string {
  const pkg = BINARIES[c.binary].pkg;
  return `${qemuVersion()}, ${pkg} ${packageVersion(pkg)}`;
}

/** Why a failing case fails, as far as salty can tell: ENOSYS syscalls and UNDEFINED instructions. */
function diagnose(c: RealWorldCase, got: Outcome): string {
  const traced = runOnSalty(c, true);
  const enosys = enosysCalls(traced.stderr);
  const undef = undefinedInstructions(got.stderr + traced.stderr);
  return [enosys.length ? `ENOSYS: ${enosys.join(', ')}` : '', undef.length ? `UNDEFINED: ${undef.join(', ')}` : ''].filter(Boolean).join('; ');
}

function check(c: RealWorldCase, golden: Golden): void {
  const got = runOnSalty(c);
  const verdicts: [string, Verdict][] = [['golden', compare(golden, got)]];
  if (hasQemu && !c.notLive) verdicts.push(['live qemu', compare(runOnQemu(c), got)]);
  const failed = verdicts.filter(([, v]) => !v.pass);
  const detail = failed.map(([what, v]) => `${what}: ${v.difference}`).join(' | ');
  const why = failed.length ? diagnose(c, got) : '';
  rows.push({ name: c.name, result: failed.length ? 'FAIL' : 'pass', detail: [detail, why].filter(Boolean).join(' || ') });
  if (PASSING.includes(c.name)) expect(failed.length, `${c.name}: ${detail}`).toBe(0);
}

function printTable(): void {
  if (rows.length === 0) return;
  const width = Math.max(...rows.map((r) => r.name.length));
  const count = (k: Row['result']) => rows.filter((r) => r.result === k).length;
  const lines = rows.map((r) => `${r.name.padEnd(width)}  ${r.result.padEnd(7)} ${r.detail}`);
  const head = `real-world cases: ${count('pass')} pass, ${count('FAIL')} fail, ${count('skipped')} skipped (${PASSING.length} required)`;
  console.log(`${head}\n${lines.join('\n')}`);
}

describe('real-world Debian arm64 binaries: salty matches qemu-aarch64', () => {
  afterAll(printTable);

  it('lists only known cases as passing, each with a golden', () => {
    const names = CASES.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of PASSING) expect(names).toContain(name);
  });

  it('busybox cases run at least 40 different applets', () => {
    const golden = readGolden('busybox-list');
    expect(golden, 'busybox-list has a golden').toBeDefined();
    const applets = new Set(golden!.stdout.split('\n'));
    const used = [...busyboxCommandWords()].filter((w) => applets.has(w));
    console.log(`busybox applets run: ${used.length}: ${used.sort().join(' ')}`);
    expect(used.length).toBeGreaterThanOrEqual(40);
  });

  it.runIf(RECORD && hasQemu)('records the goldens with qemu-aarch64', () => {
    for (const c of CASES.filter((c) => !unavailable(c.binary))) {
      writeGolden(c.name, { ...runOnQemu(c), recordedWith: recordWith(c), command: qemuCommandLine(c), stdin: c.stdin ?? '' });
    }
  }, 600_000);

  for (const c of CASES) {
    it(`${c.name}${PASSING.includes(c.name) ? '' : ' (not yet required)'}`, () => {
      const missing = unavailable(c.binary);
      if (missing) {
        console.log(`realworld: skipped ${c.name}: ${missing}`);
        rows.push({ name: c.name, result: 'skipped', detail: missing });
        return;
      }
      const golden = readGolden(c.name);
      expect(golden, `${c.name}: no golden; record with REALWORLD_RECORD=1`).toBeDefined();
      expect(golden!.command, `${c.name}: the golden was recorded for another command line; re-record`).toBe(qemuCommandLine(c));
      expect(golden!.stdin).toBe(c.stdin ?? '');
      check(c, golden!);
    }, 180_000);
  }
});
