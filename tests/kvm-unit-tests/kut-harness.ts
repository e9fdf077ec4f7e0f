// Runs kvm-unit-tests entries on qemu-system-aarch64 and on `salty boot`, and
// keeps QEMU's result lines as goldens so the comparison runs without QEMU.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { KutEntry, parseUnittestsCfg, qemuCommand, resultLines, saltyCommand, tcgEntries } from './unittests-cfg';

// Bundled into dist/ by record-goldens.sh, __dirname is dist/: that script runs from the repo root.
export const HERE = existsSync(join(__dirname, 'unittests-cfg.ts')) ? __dirname : join(process.cwd(), 'tests', 'kvm-unit-tests');
export const KUT_DIR = join(HERE, '.cache', 'kvm-unit-tests');
export const GOLDENS = join(HERE, 'goldens');
export const MATCHING_LIST = join(HERE, 'matching.txt');
const SALTY = join(HERE, '..', '..', 'dist', 'salty.mjs');

export function kutBuilt(): boolean {
  return existsSync(join(KUT_DIR, 'arm', 'selftest.flat')) && existsSync(join(KUT_DIR, 'arm', 'unittests.cfg'));
}

export function kutEntries(): KutEntry[] {
  return tcgEntries(parseUnittestsCfg(readFileSync(join(KUT_DIR, 'arm', 'unittests.cfg'), 'utf8')));
}

export function flatPath(e: KutEntry): string {
  return join(KUT_DIR, 'arm', e.file);
}

export function haveQemu(): boolean {
  return spawnSync('qemu-system-aarch64', ['--version']).status === 0;
}

export interface RunOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
}

function run(cmd: string, args: readonly string[], timeoutMs: number): Promise<RunOutput> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('latin1')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, status });
    });
  });
}

export function runQemu(e: KutEntry): Promise<RunOutput> {
  return run('qemu-system-aarch64', qemuCommand(e, flatPath(e)), (e.timeoutSeconds + 5) * 1000);
}

/** salty gets its own --timeout; the kill is only a backstop should that fail. */
export function runSalty(e: KutEntry, timeoutSeconds: number): Promise<RunOutput> {
  return run(process.execPath, [SALTY, ...saltyCommand(e, flatPath(e), timeoutSeconds)], (timeoutSeconds + 20) * 1000);
}

export function goldenFile(name: string): string {
  return join(GOLDENS, `${name}.txt`);
}

/** Entries with a golden: the ones QEMU ran. */
export function goldenNames(): string[] {
  return readdirSync(GOLDENS).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4)).sort();
}

export function readGolden(name: string): string[] {
  return readFileSync(goldenFile(name), 'utf8').split('\n').filter((l) => l !== '');
}

export function readMatchingList(): string[] {
  return readFileSync(MATCHING_LIST, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

export function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((l, i) => l === b[i]);
}

/** Runs fn over items, at most `width` at a time. */
export async function pool<T, R>(items: readonly T[], width: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}

export { resultLines };
