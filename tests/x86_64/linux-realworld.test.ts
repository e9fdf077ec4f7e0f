// Debian's amd64 busybox-static, bash-static and mksh (musl, klibc and
// dietlibc builds), fetched at test time by fetch-amd64.sh, running the
// real-world cases of tests/realworld on salty's x86_64 machine, compared
// with the host CPU running the same binaries: the goldens in
// linux-realworld-golden.json (REALWORLD_RECORD=1 re-records them natively)
// and a live native run where the host is x86_64. A case in REQUIRED must
// pass; every case is shown in a table.

import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CASES, ENV, type RealWorldCase } from '../realworld/cases';
import { compare, type Verdict } from '../realworld/comparison';
import type { BinaryName } from '../realworld/binaries';
import { runProgram } from '../../tools/cli/run-program';

const ROOT = 'tests/realworld/.cache/amd64/root';
const BINARIES: Record<BinaryName, { path: string; pkg: string }> = {
  busybox: { path: `${ROOT}/bin/busybox`, pkg: 'busybox-static' },
  bash: { path: `${ROOT}/bin/bash-static`, pkg: 'bash-static' },
  'mksh-musl': { path: `${ROOT}/usr/lib/x86_64-linux-musl/bin/mksh`, pkg: 'mksh' },
  'mksh-klibc': { path: `${ROOT}/usr/lib/klibc/bin/mksh`, pkg: 'mksh' },
  'mksh-dietlibc': { path: `${ROOT}/usr/lib/diet/bin/mksh`, pkg: 'mksh' },
};
const GOLDEN_FILE = join(__dirname, 'linux-realworld-golden.json');
const RECORD = process.env.REALWORLD_RECORD === '1';
const INSTRUCTION_LIMIT = 1_500_000_000;
const nativeX86 = process.arch === 'x64' && process.platform === 'linux';

/**
 * The cases salty's x86_64 machine must pass: all of them. dietlibc's mksh
 * takes AT_SYSINFO_EHDR and looks __vdso_gettimeofday up in the vDSO (when
 * the auxv has none it would parse the vsyscall page as one, a read that is
 * SIGSEGV under vsyscall=xonly): salty's own vDSO (kernel/arch/x86_64/vdso).
 */
const NOT_YET = new Set<string>();
const REQUIRED = new Set<string>(CASES.map((c) => c.name).filter((n) => !NOT_YET.has(n)));

interface Outcome {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number;
}

function unavailable(c: RealWorldCase): string | undefined {
  const b = BINARIES[c.binary];
  if (existsSync(b.path) && existsSync(join(ROOT, `.extracted-${b.pkg}`))) return undefined;
  return `${b.pkg} (amd64): not fetched (run bash tests/x86_64/fetch-amd64.sh)`;
}

function runOnSalty(c: RealWorldCase): Outcome {
  const file = BINARIES[c.binary].path;
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let input = Buffer.from(c.stdin ?? '');
  const status = runProgram(
    { file, bytes: readFileSync(file), args: [...c.args], env: ENV, memoryBytes: 256 << 20, strace: false, stats: false, instructionLimit: INSTRUCTION_LIMIT },
    {
      writeOut: (d) => out.push(Buffer.from(d)),
      writeErr: (d) => err.push(Buffer.from(d)),
      readIn: (max) => {
        const chunk = input.subarray(0, max);
        input = input.subarray(chunk.length);
        return chunk;
      },
      isTty: () => false,
    },
  );
  // salty's own line about a process's death is not the program's output.
  const stderr = Buffer.concat(err)
    .toString('latin1')
    .split('\n')
    .filter((l) => !l.startsWith('salty: '))
    .join('\n');
  return { stdout: Buffer.concat(out).toString('latin1'), stderr, status };
}

/** The host CPU runs the case, with files for stdio (bash reads ~/.bashrc when stdin is a socket). */
function runNatively(c: RealWorldCase): Outcome {
  const dir = mkdtempSync(join(tmpdir(), 'salty-amd64-'));
  const paths = ['in', 'out', 'err'].map((n) => join(dir, n));
  writeFileSync(paths[0], c.stdin ?? '');
  const fds = [openSync(paths[0], 'r'), openSync(paths[1], 'w'), openSync(paths[2], 'w')];
  try {
    const r = spawnSync(BINARIES[c.binary].path, [...c.args], { stdio: fds, env: Object.fromEntries(ENV.map((kv) => kv.split(/=(.*)/s, 2))), timeout: 120_000 });
    const signal = r.signal ? constants.signals[r.signal] : 0;
    return { stdout: readFileSync(paths[1], 'latin1'), stderr: readFileSync(paths[2], 'latin1'), status: r.status ?? 128 + signal };
  } finally {
    fds.forEach((fd) => closeSync(fd));
    rmSync(dir, { recursive: true, force: true });
  }
}

function goldens(): Record<string, Outcome> {
  return existsSync(GOLDEN_FILE) ? (JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) as Record<string, Outcome>) : {};
}

interface Row {
  readonly name: string;
  readonly result: 'pass' | 'FAIL' | 'skipped';
  readonly detail: string;
}

describe('real-world Debian amd64 binaries: salty against the host CPU', () => {
  const rows: Row[] = [];
  const golden = goldens();

  afterAll(() => {
    if (rows.length === 0) return;
    const width = Math.max(...rows.map((r) => r.name.length));
    const count = (k: Row['result']) => rows.filter((r) => r.result === k).length;
    console.log(
      [`amd64 real-world cases: ${count('pass')} pass, ${count('FAIL')} fail, ${count('skipped')} skipped (${REQUIRED.size} required)`, ...rows.map((r) => `${r.name.padEnd(width)}  ${r.result.padEnd(7)} ${r.detail}`)].join('\n'),
    );
  });

  it.runIf(RECORD && nativeX86)('records the goldens natively', () => {
    const out: Record<string, Outcome> = {};
    for (const c of CASES.filter((x) => !unavailable(x))) out[c.name] = runNatively(c);
    writeFileSync(GOLDEN_FILE, JSON.stringify(out, null, 1) + '\n');
  }, 600_000);

  for (const c of CASES) {
    it(`${c.name}${REQUIRED.has(c.name) ? '' : ' (not yet required)'}`, () => {
      const missing = unavailable(c);
      if (missing) {
        rows.push({ name: c.name, result: 'skipped', detail: missing });
        return;
      }
      const want = golden[c.name];
      expect(want, `${c.name}: no golden; record with REALWORLD_RECORD=1`).toBeDefined();
      const got = runOnSalty(c);
      const verdicts: [string, Verdict][] = [['golden', compare(want, got)]];
      if (nativeX86 && !c.notLive) verdicts.push(['live native', compare(runNatively(c), got)]);
      const failed = verdicts.filter(([, v]) => !v.pass);
      const detail = failed.map(([what, v]) => `${what}: ${v.difference}`).join(' | ');
      rows.push({ name: c.name, result: failed.length ? 'FAIL' : 'pass', detail });
      if (REQUIRED.has(c.name)) expect(failed.length, `${c.name}: ${detail}`).toBe(0);
    }, 180_000);
  }
});
