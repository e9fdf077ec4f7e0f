// `salty compare`: the two builds of one program (or the built-in workloads),
// each on its own backend, reported as text, JSON or an HTML page.

import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseElfImage } from '../../loader/elf-image';
import { ElfError } from '../../loader/elf-error';
import { COMPARE_USAGE, parseCompareArgs, type CompareArgs } from './compare-args';
import { buildBoth, BuildError } from './compare-build';
import { formatText, workloadReport, type CompareReport, type WorkloadReport } from './compare-figures';
import { renderHtml } from './compare-html';
import { runBackend, type CompareRunOptions } from './compare-run';
import { BUILTIN_WORKLOADS, type Workload } from './compare-workloads';
import { UsageError } from './run-args';
import { parseSize } from './size';
import { VERSION } from './version';

class CompareError extends Error {}

/** Runs the command; returns the exit status (0 same, 1 different, 2 could not compare). */
export function compareCommand(argv: readonly string[], env: readonly string[]): number {
  try {
    return compare(parseCompareArgs(argv), env);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`salty: compare: ${e.message}\n${COMPARE_USAGE.trimEnd()}\n`);
      return 2;
    }
    if (e instanceof CompareError || e instanceof BuildError || e instanceof ElfError) {
      process.stderr.write(`salty: compare: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

function compare(a: CompareArgs, env: readonly string[]): number {
  if (a.help) {
    process.stdout.write(COMPARE_USAGE);
    return 0;
  }
  let memoryBytes: number;
  try {
    memoryBytes = parseSize(a.memory);
  } catch (e) {
    throw new CompareError((e as Error).message);
  }
  const workloads = a.build !== undefined ? [built(a.build)] : a.programs.length === 2 ? [given(a.programs[0], a.programs[1])] : BUILTIN_WORKLOADS;
  const reports: WorkloadReport[] = [];
  for (const w of workloads) {
    const argv0 = a.argv0 ?? (a.programs.length === 0 && a.build === undefined ? w.name : commonName(w.aarch64.file));
    const opts: CompareRunOptions = { args: a.args, argv0, env, memoryBytes, root: a.root, instructionLimit: a.maxInsns, sampleEvery: a.sampleEvery };
    const runA = runBackend(w.aarch64.file, w.aarch64.bytes, opts);
    const runX = runBackend(w.x86_64.file, w.x86_64.bytes, opts);
    reports.push(workloadReport(w.name, a.args, runA, runX));
  }
  const report: CompareReport = { tool: 'salty compare', version: VERSION, memoryBytes, workloads: reports };
  if (a.html !== undefined) {
    try {
      writeFileSync(a.html, renderHtml(report));
    } catch (e) {
      throw new CompareError(`--html ${a.html}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  process.stdout.write(a.json ? JSON.stringify(report) + '\n' : formatText(report));
  return reports.every((r) => r.same) ? 0 : 1;
}

function read(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CompareError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  }
}

/** Two ELFs, in either order: one must be aarch64 and the other x86_64. */
function given(first: string, second: string): Workload {
  const files = [first, second].map((file) => {
    const bytes = read(file);
    return { file, bytes, arch: parseElfImage(bytes, { fileName: file }).machine };
  });
  const a = files.find((f) => f.arch === 'aarch64');
  const x = files.find((f) => f.arch === 'x86_64');
  if (!a || !x) throw new CompareError(`need one aarch64 and one x86_64 build; ${first} is ${files[0].arch}, ${second} is ${files[1].arch}`);
  return { name: commonName(a.file), aarch64: { file: a.file, bytes: a.bytes }, x86_64: { file: x.file, bytes: x.bytes } };
}

function built(source: string): Workload {
  const out = buildBoth(source);
  return { name: basename(source), aarch64: { file: out.aarch64, bytes: read(out.aarch64) }, x86_64: { file: out.x86_64, bytes: read(out.x86_64) } };
}

/** A program's name with its arch suffix and extension gone: fork-aarch64.elf -> fork. */
export function commonName(file: string): string {
  return basename(file)
    .replace(/\.elf$/, '')
    .replace(/[-_.](aarch64|arm64|a64|x86_64|x86-64|amd64|x86)$/i, '');
}
