// Goldens for the x87 oracle: per operation a seed, a case count and a hash
// of the host FPU's output per chunk of cases. Replaying regenerates the
// cases from the seed, runs them through our model and compares hashes; where
// gcc is present the oracle itself names the first differing case.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { genCase, Rng } from './cases';
import { runLine } from './model';

export const CHUNK = 2000;

export interface GoldenOp {
  op: string;
  seed: number;
  count: number;
  hashes: string[];
}

export function cases(op: string, seed: number, count: number): string[] {
  const r = new Rng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(genCase(op, r));
  return out;
}

export function chunkHashes(lines: string[]): string[] {
  const hashes: string[] = [];
  for (let i = 0; i < lines.length; i += CHUNK) {
    hashes.push(createHash('sha256').update(lines.slice(i, i + CHUNK).join('\n')).digest('hex').slice(0, 16));
  }
  return hashes;
}

export function parseGoldens(text: string): GoldenOp[] {
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op, seed, count, ...hashes] = l.split(' ');
      return { op, seed: +seed, count: +count, hashes };
    });
}

export function formatGolden(g: GoldenOp): string {
  return [g.op, g.seed, g.count, ...g.hashes].join(' ');
}

let built: string | null | undefined;

/** The oracle built with the host gcc, or null without gcc or on a non-x86_64 host. */
export function oracleBinary(): string | null {
  if (built !== undefined) return built;
  built = null;
  if (process.arch !== 'x64') return built;
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
  } catch {
    return built;
  }
  const dir = mkdtempSync(join(tmpdir(), 'x87-oracle-'));
  const bin = join(dir, 'oracle');
  execFileSync('gcc', ['-O1', '-o', bin, join(__dirname, 'oracle.c')]);
  built = existsSync(bin) ? bin : null;
  return built;
}

/** The host FPU's output lines for the given input lines. */
export function runOracle(bin: string, lines: string[]): string[] {
  const out = execFileSync(bin, { input: lines.join('\n') + '\n', maxBuffer: 1 << 28 }).toString();
  return out.trimEnd().split('\n');
}

/** Our output lines. */
export function runModel(lines: string[]): string[] {
  return lines.map(runLine);
}

/** The first case where our output differs from the host's, as a readable report, or null. */
export function firstMismatch(inputs: string[], ours: string[], host: string[]): string | null {
  for (let i = 0; i < inputs.length; i++) {
    if (ours[i] !== host[i]) return `case ${i}: ${inputs[i]}\n  host ${host[i]}\n  ours ${ours[i]}`;
  }
  return null;
}
