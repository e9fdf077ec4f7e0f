// The SSE differential harness: cases (one instruction, its register and
// memory inputs, MXCSR), the native runner (runner.c on this x86-64 host) and
// our semantic functions run on the same cases, and the golden files that
// keep the native results for machines without gcc or without x86-64.

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Misc, X86CpuState } from '../../../board/x86_64/cpu-state';
import { XmmTemp } from '../../../board/x86_64/isa/sse-operands';

export const CASE_BYTES = 16 + 8 + 24 + 48 + 32;
export const RESULT_BYTES = 48 + 32 + 24 + 16;

export interface Case {
  code: number[];
  mxcsr: number;
  flags: number;
  rax: bigint;
  rcx: bigint;
  rdx: bigint;
  xmm: Uint8Array; // 48 bytes: xmm0..xmm2
  mem: Uint8Array; // 32 bytes at rsi
}

export function encodeCase(c: Case): Uint8Array {
  const b = new Uint8Array(CASE_BYTES);
  const v = new DataView(b.buffer);
  b.set(c.code, 0);
  b[15] = c.code.length;
  v.setUint32(16, c.mxcsr, true);
  v.setUint32(20, c.flags, true);
  v.setBigUint64(24, c.rax, true);
  v.setBigUint64(32, c.rcx, true);
  v.setBigUint64(40, c.rdx, true);
  b.set(c.xmm, 48);
  b.set(c.mem, 96);
  return b;
}

/** A result in the runner's layout: xmm0..2 (0), mem (48), rax rcx rdx (80), mxcsr (104), flags (108), fault signal (112). */
export function inputImage(c: Case): Uint8Array {
  const b = new Uint8Array(RESULT_BYTES);
  const v = new DataView(b.buffer);
  b.set(c.xmm, 0);
  b.set(c.mem, 48);
  v.setBigUint64(80, c.rax, true);
  v.setBigUint64(88, c.rcx, true);
  v.setBigUint64(96, c.rdx, true);
  v.setUint32(104, c.mxcsr, true);
  v.setUint32(108, c.flags & 0x8d5, true);
  return b;
}

let runnerPath: string | null | undefined;

/** The compiled native runner, or null when this host cannot run it (no gcc or not x86-64). */
export function nativeRunner(): string | null {
  if (runnerPath !== undefined) return runnerPath;
  runnerPath = null;
  if (arch() !== 'x64' || process.platform !== 'linux') return null;
  const src = fileURLToPath(new URL('./runner.c', import.meta.url));
  const hash = createHash('sha1').update(readFileSync(src)).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), 'salty-sse-oracle');
  const out = join(dir, `runner-${hash}`);
  if (!existsSync(out)) {
    if (spawnSync('gcc', ['--version']).status !== 0) return null;
    mkdirSync(dir, { recursive: true });
    execFileSync('gcc', ['-O2', '-o', out, src]);
  }
  runnerPath = out;
  return out;
}

/**
 * RCPSS/RSQRTSS approximations are the vendor's own: ours are Intel's tables,
 * so live comparisons of those four instructions run on Intel hosts only.
 */
export function hostMatchesEstimates(): boolean {
  try {
    return /vendor_id\s*:\s*GenuineIntel/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
}

export const ESTIMATE_SPECS = /^r(cp|sqrt)(ps|ss)$/;
/** Dot products: which NaN one returns when several products are NaN is the vendor's (salty models Intel's; an AMD host picks another). */
export const VENDOR_NAN_SPECS = /^dpp[sd]$/;

/** Runs the cases on the host CPU; one RESULT_BYTES record each. */
export function runNative(cases: Case[]): Uint8Array {
  const path = nativeRunner();
  if (!path) throw new Error('no native runner');
  const input = new Uint8Array(cases.length * CASE_BYTES);
  cases.forEach((c, i) => input.set(encodeCase(c), i * CASE_BYTES));
  const r = spawnSync(path, [], { input, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`runner failed: ${r.stderr}`);
  return new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.length);
}

export const SIGILL = 4;
export const SIGFPE = 8;
export const SIGSEGV = 11;

/** What our semantic function reports: 0, or an x86 exception vector. */
export type Exec = (s: X86CpuState, mem: XmmTemp, memHi: XmmTemp) => number;

const VECTOR_SIGNAL: Record<number, number> = { 6: SIGILL, 19: SIGFPE, 13: SIGSEGV };

/** Runs one case through our implementation, giving a record in the runner's layout. */
export function runOurs(c: Case, exec: Exec): Uint8Array {
  const s = new X86CpuState();
  for (let i = 0; i < 3; i++) s.setXmm(i, c.xmm.subarray(16 * i, 16 * i + 16));
  s.misc[Misc.Mxcsr] = c.mxcsr;
  s.setR(0, c.rax);
  s.setR(1, c.rcx);
  s.setR(2, c.rdx);
  const mem = new XmmTemp();
  const memHi = new XmmTemp();
  mem.xb.set(c.mem.subarray(0, 16));
  memHi.xb.set(c.mem.subarray(16, 32));
  FLAGS.value = c.flags & 0x8d5;
  const vector = exec(s, mem, memHi);
  const b = new Uint8Array(RESULT_BYTES);
  const v = new DataView(b.buffer);
  b.set(s.xb.subarray(0, 48), 0);
  b.set(mem.xb, 48);
  b.set(memHi.xb, 64);
  v.setBigUint64(80, s.getR(0), true);
  v.setBigUint64(88, s.getR(1), true);
  v.setBigUint64(96, s.getR(2), true);
  v.setUint32(104, s.misc[Misc.Mxcsr], true);
  v.setUint32(108, FLAGS.value & 0x8d5, true);
  v.setUint32(112, vector ? VECTOR_SIGNAL[vector] ?? 255 : 0, true);
  return b;
}

/** The arithmetic flags an exec may read and write (our stand-in for the core's RFLAGS). */
export const FLAGS = { value: 0 };

/** Golden files: the native records XORed with each case's input image, gzipped (unchanged bytes become zeros). */
export function saveGolden(path: string, cases: Case[], native: Uint8Array): void {
  const out = new Uint8Array(native.length);
  cases.forEach((c, i) => {
    const img = inputImage(c);
    for (let k = 0; k < RESULT_BYTES; k++) out[i * RESULT_BYTES + k] = native[i * RESULT_BYTES + k] ^ img[k];
  });
  writeFileSync(path, gzipSync(out, { level: 9 }));
}

export function loadGolden(path: string, cases: Case[]): Uint8Array | null {
  if (!existsSync(path)) return null;
  const raw = gunzipSync(readFileSync(path));
  if (raw.length !== cases.length * RESULT_BYTES) return null;
  const out = new Uint8Array(raw.length);
  cases.forEach((c, i) => {
    const img = inputImage(c);
    for (let k = 0; k < RESULT_BYTES; k++) out[i * RESULT_BYTES + k] = raw[i * RESULT_BYTES + k] ^ img[k];
  });
  return out;
}

const hex = (b: Uint8Array, from: number, to: number): string =>
  Array.from(b.subarray(from, to))
    .reverse()
    .map((x) => x.toString(16).padStart(2, '0'))
    .join('');

export function describeRecord(b: Uint8Array): string {
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  return (
    `xmm0=${hex(b, 0, 16)} xmm1=${hex(b, 16, 32)} xmm2=${hex(b, 32, 48)} mem=${hex(b, 48, 64)}:${hex(b, 64, 80)} ` +
    `rax=${hex(b, 80, 88)} rcx=${hex(b, 88, 96)} rdx=${hex(b, 96, 104)} mxcsr=${v.getUint32(104, true).toString(16)} ` +
    `flags=${v.getUint32(108, true).toString(16)} fault=${v.getUint32(112, true)}`
  );
}

export function describeCase(c: Case): string {
  const code = c.code.map((x) => x.toString(16).padStart(2, '0')).join(' ');
  return `[${code}] in: ${describeRecord(inputImage(c))}`;
}
