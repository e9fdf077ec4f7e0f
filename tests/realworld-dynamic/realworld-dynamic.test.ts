// Real dynamically linked Debian arm64 programs (coreutils, grep, sed, gawk,
// python3.11, lua5.4, sqlite3, perl) and their libraries, in a sysroot that
// fetch.sh extracts at test time, run by salty with -L SYSROOT: compared with
// the committed goldens of qemu-aarch64 -L SYSROOT and, where qemu-aarch64 is
// installed, live. Every case must pass. A table shows each case with its
// instruction count and time. REALWORLD_RECORD=1 re-records the goldens.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compare, enosysCalls, undefinedInstructions, type Verdict } from '../realworld/comparison';
import { readGolden, writeGolden } from '../realworld/golden-file';
import { CASES, SYSROOT, type DynamicCase } from './cases';
import { hasQemu, qemuCommandLine, qemuVersion, runOnQemu, runOnSalty } from './runners';

const RECORD = process.env.REALWORLD_RECORD === '1';
const GOLDEN_DIR = join(__dirname, 'golden');
const CACHE = 'tests/realworld-dynamic/.cache';
const rows: string[] = [];

/** fetch.sh's record of a complete sysroot: one "package version" line each; empty when incomplete. */
function stamp(): string {
  if (!existsSync(SYSROOT)) return '';
  const name = readdirSync(SYSROOT).find((n) => n.startsWith('.complete-'));
  return name ? readFileSync(join(SYSROOT, name), 'utf8') : '';
}

/** Why the sysroot cannot be used here (fetch.sh's note), or undefined when it is complete. */
function unavailable(): string | undefined {
  if (stamp() !== '') return undefined;
  const notes = join(CACHE, 'unavailable.txt');
  return existsSync(notes) ? readFileSync(notes, 'utf8').split('\n')[0] : 'no sysroot (run bash tests/realworld-dynamic/fetch.sh)';
}

function packageVersion(pkg: string): string {
  return new RegExp(`^${pkg.replace(/[.+]/g, '\\$&')} (\\S+)$`, 'm').exec(stamp())?.[1] ?? 'unknown';
}

function diagnose(c: DynamicCase): string {
  const traced = runOnSalty(c, true);
  const enosys = enosysCalls(traced.stderr);
  const undef = undefinedInstructions(traced.stderr);
  return [enosys.length ? `ENOSYS: ${enosys.join(', ')}` : '', undef.length ? `UNDEFINED: ${undef.join(', ')}` : ''].filter(Boolean).join('; ');
}

describe('real-world dynamically linked Debian arm64 programs: salty -L matches qemu-aarch64 -L', () => {
  afterAll(() => {
    if (rows.length) console.log(`real-world dynamic cases (instructions, seconds on salty):\n${rows.join('\n')}`);
  });

  it.runIf(RECORD && hasQemu && !unavailable())('records the goldens with qemu-aarch64', () => {
    for (const c of CASES) {
      const recordedWith = `${qemuVersion()}, ${c.pkg} ${packageVersion(c.pkg)}`;
      writeGolden(c.name, { ...runOnQemu(c), recordedWith, command: qemuCommandLine(c), stdin: c.stdin ?? '' }, GOLDEN_DIR);
    }
  }, 600_000);

  for (const c of CASES) {
    it(c.name, () => {
      const missing = unavailable();
      if (missing) {
        console.log(`realworld-dynamic: skipped ${c.name}: ${missing}`);
        rows.push(`${c.name.padEnd(16)} skipped: ${missing}`);
        return;
      }
      const golden = readGolden(c.name, GOLDEN_DIR);
      expect(golden, `${c.name}: no golden; record with REALWORLD_RECORD=1`).toBeDefined();
      expect(golden!.command, `${c.name}: the golden was recorded for another command line; re-record`).toBe(qemuCommandLine(c));
      expect(golden!.stdin).toBe(c.stdin ?? '');
      const got = runOnSalty(c);
      const verdicts: [string, Verdict][] = [['golden', compare(golden!, got)]];
      if (hasQemu) verdicts.push(['live qemu', compare(runOnQemu(c), got)]);
      const failed = verdicts.filter(([, v]) => !v.pass);
      const detail = failed.map(([what, v]) => `${what}: ${v.difference}`).join(' | ');
      rows.push(`${c.name.padEnd(16)} ${failed.length ? 'FAIL' : 'pass'} ${String(got.instructions).padStart(11)} ${got.seconds.toFixed(1).padStart(6)} s ${detail}`);
      expect(failed.length, `${c.name}: ${detail} ${failed.length ? diagnose(c) : ''}`).toBe(0);
    }, 300_000);
  }
});
