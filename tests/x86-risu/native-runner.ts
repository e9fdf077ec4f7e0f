// Runs batches of cases through the native harness (the host CPU is the
// oracle), or through qemu-x86_64 as a second one.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { arch } from 'node:os';
import { join } from 'node:path';
import { decodeResults, encodeCases, RawResult, X86Case } from './case-format';

export const HARNESS_DIR = join(__dirname, 'harness');
export const HARNESS = join(HARNESS_DIR, 'x86-risu-harness.elf');
const BATCH = 2048;

export type Oracle = 'native' | 'qemu';

/** Why the native oracle cannot run here, or undefined when it can. */
export function nativeUnavailable(): string | undefined {
  if (process.env.X86_RISU_NO_NATIVE) return 'X86_RISU_NO_NATIVE is set';
  if (arch() !== 'x64' || process.platform !== 'linux') return `host is ${process.platform}/${arch()}, not x86_64 Linux`;
  if (!existsSync(HARNESS)) return `${HARNESS} is missing (run tests/x86-risu/harness/build.sh)`;
  return undefined;
}

export function haveQemuX86(): boolean {
  return spawnSync('qemu-x86_64', ['--version']).status === 0;
}

/** Rebuilds the harness from source into dist/ when gcc is present (CI's fresh build), else undefined. */
export function buildHarness(outDir: string): string | undefined {
  if (spawnSync('gcc', ['--version']).status !== 0) return undefined;
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, 'x86-risu-harness.elf');
  const r = spawnSync('sh', [join(HARNESS_DIR, 'build.sh'), out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`harness build failed: ${r.stderr}`);
  return out;
}

export function runNative(cases: readonly X86Case[], oracle: Oracle = 'native', harness = HARNESS): RawResult[] {
  const out: RawResult[] = [];
  for (let i = 0; i < cases.length; i += BATCH) out.push(...runBatch(cases.slice(i, i + BATCH), oracle, harness));
  return out;
}

function runBatch(cases: readonly X86Case[], oracle: Oracle, harness: string): RawResult[] {
  const [cmd, args] = oracle === 'qemu' ? ['qemu-x86_64', [harness]] : [harness, []];
  const r = spawnSync(cmd, args, { input: encodeCases(cases), maxBuffer: 1 << 30, timeout: 300_000 });
  if (r.status !== 0) throw new Error(`${oracle} harness exited with ${r.status ?? r.signal}: ${r.stderr}`);
  const results = decodeResults(new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.byteLength));
  if (results.length !== cases.length) throw new Error(`${oracle} harness answered ${results.length} of ${cases.length} cases`);
  return results;
}
