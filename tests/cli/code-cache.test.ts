// dist/salty.mjs compiles the command line's bundle (held in a comment at its end) through V8's code cache
// (tools/salty-launcher.ts): the first run writes the cache beside the
// bundle, later runs use it, and a damaged or stale cache is replaced.

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DIST = join(process.cwd(), 'dist');
const FIXTURE = join(process.cwd(), 'tests/fixtures/linux/files.elf');
let dir = '';

function salty(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [join(dir, 'salty.mjs'), ...args], { encoding: 'utf8' });
}

const caches = (): string[] => (existsSync(join(dir, '.code-cache')) ? readdirSync(join(dir, '.code-cache')) : []);

beforeAll(() => {
  if (!existsSync(join(DIST, 'salty.mjs'))) spawnSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit' });
  // A copy, so the cache is this test's alone.
  dir = mkdtempSync(join(tmpdir(), 'salty-code-cache-'));
  copyFileSync(join(DIST, 'salty.mjs'), join(dir, 'salty.mjs'));
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('the command line through V8 code cache', () => {
  it('writes the cache on the first run and runs the same from it', () => {
    const first = salty('run', FIXTURE);
    expect(caches()).toHaveLength(1);
    const size = statSync(join(dir, '.code-cache', caches()[0])).size;
    expect(size).toBeGreaterThan(100_000);
    const second = salty('run', FIXTURE);
    const golden = readFileSync(FIXTURE.replace(/\.elf$/, '.golden'), 'utf8');
    const status = Number(readFileSync(FIXTURE.replace(/\.elf$/, '.status'), 'utf8'));
    for (const r of [first, second]) expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status, stdout: golden, stderr: '' });
    // The cache is not written again when V8 took it.
    expect(statSync(join(dir, '.code-cache', caches()[0])).size).toBe(size);
  });

  it('is written again after a run that used more than the runs that wrote it', () => {
    rmSync(join(dir, '.code-cache'), { recursive: true, force: true });
    expect(salty('--version').status).toBe(0);
    const name = join(dir, '.code-cache', caches()[0]);
    const small = statSync(name).size;
    // The argument parser's functions only: a program's run adds the emulator's, once.
    expect(salty('run', FIXTURE).status).toBe(Number(readFileSync(FIXTURE.replace(/\.elf$/, '.status'), 'utf8')));
    const grown = statSync(name).size;
    expect(grown).toBeGreaterThan(small + 100_000);
    const mtime = statSync(name).mtimeMs;
    expect(salty('--version').status).toBe(0);
    expect(salty('run', FIXTURE).status).toBe(Number(readFileSync(FIXTURE.replace(/\.elf$/, '.status'), 'utf8')));
    expect(statSync(name).mtimeMs).toBe(mtime);
    expect(caches()).toHaveLength(1);
  });

  it('replaces a truncated cache', () => {
    const name = join(dir, '.code-cache', caches()[0]);
    writeFileSync(name, 'not a code cache');
    const v = salty('--version');
    expect(v.status).toBe(0);
    expect(v.stdout).toMatch(/\d+\.\d+\.\d+/);
    expect(statSync(name).size).toBeGreaterThan(100_000);
  });

  it('keeps only the cache of the current bundle', () => {
    const before = caches();
    // A rebuilt bundle has another mtime: its own cache, the old one removed.
    const t = new Date(Date.now() + 5000);
    utimesSync(join(dir, 'salty.mjs'), t, t);
    expect(salty('--version').status).toBe(0);
    const after = caches();
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
  });
});
