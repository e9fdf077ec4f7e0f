// salty compare --build: one C source built for both arches with the cross
// compilers when they are installed; a clear message names the one missing.

import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/** node:child_process, loaded at the first build (loading it cost every start 3 ms). */
const childProcess = (): typeof import('node:child_process') => createRequire(import.meta.url)('node:child_process');

export interface BuiltPair {
  readonly aarch64: string;
  readonly x86_64: string;
}

export class BuildError extends Error {}

interface Compiler {
  readonly arch: 'aarch64' | 'x86_64';
  readonly cc: string;
  readonly hint: string;
}

/** The compilers: aarch64-linux-gnu-gcc, and the host's gcc when it targets x86_64 (else x86_64-linux-gnu-gcc). */
export function compilers(env: NodeJS.ProcessEnv = process.env): Compiler[] {
  const x86 = env.X86_64_CC ?? (targets('gcc', 'x86_64') ? 'gcc' : 'x86_64-linux-gnu-gcc');
  return [
    { arch: 'aarch64', cc: env.AARCH64_CC ?? 'aarch64-linux-gnu-gcc', hint: 'Debian: apt-get install gcc-aarch64-linux-gnu' },
    { arch: 'x86_64', cc: x86, hint: 'Debian: apt-get install gcc (on an x86_64 host) or gcc-x86-64-linux-gnu' },
  ];
}

function targets(cc: string, arch: string): boolean {
  const r = childProcess().spawnSync(cc, ['-dumpmachine'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.startsWith(arch);
}

function installed(cc: string): boolean {
  const r = childProcess().spawnSync(cc, ['--version'], { encoding: 'utf8' });
  return !r.error && r.status === 0;
}

export function buildBoth(source: string, env: NodeJS.ProcessEnv = process.env): BuiltPair {
  const ccs = compilers(env);
  const missing = ccs.filter((c) => !installed(c.cc));
  if (missing.length > 0) {
    throw new BuildError(missing.map((c) => `--build: the ${c.arch} compiler ${c.cc} is not installed (${c.hint})`).join('\n'));
  }
  const dir = mkdtempSync(join(tmpdir(), 'salty-compare-'));
  const name = basename(source).replace(/\.c$/, '');
  const out = { aarch64: join(dir, `${name}-aarch64`), x86_64: join(dir, `${name}-x86_64`) };
  for (const c of ccs) {
    const r = childProcess().spawnSync(c.cc, ['-O2', '-static', '-o', out[c.arch], source], { encoding: 'utf8' });
    if (r.status !== 0) throw new BuildError(`--build: ${c.cc} failed on ${source}:\n${(r.stderr || r.error?.message || '').trimEnd()}`);
  }
  return out;
}
