// Builds seeded cases for a list of instruction specs, compares our semantic
// functions with the native results (live when the runner can be built,
// otherwise the committed goldens), and reports the first mismatch per spec.

import { X86CpuState } from '../../../board/x86_64/cpu-state';
import type { XmmFile, XmmTemp } from '../../../board/x86_64/isa/sse-operands';
import { type Case, describeCase, describeRecord, loadGolden, nativeRunner, RESULT_BYTES, runNative, runOurs, saveGolden } from './harness';
import { runOnCpu } from './cpu-runner';
import { f32Lane, f64Lane, intWord, mxcsrFor, Rng } from './gen';

export interface Spec {
  name: string;
  /** Prefixes and opcode bytes before ModRM. */
  op: number[];
  /** Register-form ModRM (default 0xc1: reg = 0, rm = 1). */
  modrm?: number;
  /** Also test the memory form ([rsi]). */
  mem?: boolean;
  imm?: (r: Rng) => number;
  gen: (r: Rng, c: Case) => void;
  /** Our semantics: src/si is the r/m operand (the memory temporary with si = 0 for the memory form). */
  run: (s: X86CpuState, src: XmmFile, si: number, imm: number, isMem: boolean, memHi: XmmTemp, mem: XmmTemp) => number;
  /** Compare these RFLAGS bits (default none). */
  flags?: number;
}

function blankCase(code: number[]): Case {
  return { code, mxcsr: 0x1f80, flags: 0, rax: 0n, rcx: 0n, rdx: 0n, xmm: new Uint8Array(48), mem: new Uint8Array(32) };
}

export function buildCases(spec: Spec, seed: number, count: number): Array<{ c: Case; isMem: boolean; imm: number }> {
  const r = new Rng(seed);
  const out = [];
  for (let i = 0; i < count; i++) {
    const isMem = spec.mem !== false && r.chance(0.3);
    const rm = spec.modrm ?? 0xc1;
    const modrm = isMem ? ((rm >> 3) & 7) << 3 | 0x06 : rm;
    const imm = spec.imm ? spec.imm(r) & 0xff : -1;
    const code = [...spec.op, modrm, ...(imm >= 0 ? [imm] : [])];
    const c = blankCase(code);
    c.mxcsr = mxcsrFor(r);
    c.flags = r.u32() & 0x8d5;
    spec.gen(r, c);
    out.push({ c, isMem, imm });
  }
  return out;
}

function setWords(b: Uint8Array, words: number[]): void {
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  words.forEach((w, i) => v.setUint32(4 * i, w >>> 0, true));
}

/** xmm0, xmm1, xmm2 and the memory operand as singles (xmm1/mem lanes near xmm0's). */
export function genPs(r: Rng, c: Case): void {
  const a = [0, 1, 2, 3].map(() => f32Lane(r));
  setWords(c.xmm.subarray(0, 16), a);
  setWords(c.xmm.subarray(16, 32), a.map((x) => f32Lane(r, x)));
  setWords(c.xmm.subarray(32, 48), a.map(() => f32Lane(r)));
  setWords(c.mem, [...a.map((x) => f32Lane(r, x)), 0, 0, 0, 0]);
}

export function genPd(r: Rng, c: Case): void {
  const a = [0, 1].map(() => f64Lane(r));
  const near = () => a.flatMap((x) => f64Lane(r, x));
  setWords(c.xmm.subarray(0, 16), a.flat());
  setWords(c.xmm.subarray(16, 32), near());
  setWords(c.xmm.subarray(32, 48), near());
  setWords(c.mem, [...near(), 0, 0, 0, 0]);
}

export function genInt(r: Rng, c: Case): void {
  const w = () => Array.from({ length: 4 }, () => intWord(r));
  setWords(c.xmm.subarray(0, 16), w());
  if (r.chance(0.2)) c.xmm.copyWithin(16, 0, 16);
  else setWords(c.xmm.subarray(16, 32), w());
  setWords(c.xmm.subarray(32, 48), w());
  setWords(c.mem, [...w(), ...w()]);
  c.rax = BigInt(r.u32()) | (BigInt(r.u32()) << 32n);
  c.rcx = BigInt(r.u32()) | (BigInt(r.u32()) << 32n);
  c.rdx = BigInt(r.u32()) | (BigInt(r.u32()) << 32n);
}

export interface Outcome {
  cases: number;
  mismatches: number;
  first?: string;
}

/**
 * Checks a spec: against the native runner when available (seed given), else
 * against its golden file. `record` rewrites the golden from a native run.
 */
export function checkSpec(spec: Spec, seed: number, count: number, golden: string | null, record = false, viaCpu = false): Outcome {
  const cases = buildCases(spec, seed, count);
  let expected: Uint8Array | null = null;
  if (nativeRunner() && (record || !golden)) {
    expected = runNative(cases.map((x) => x.c));
    if (record && golden) saveGolden(golden, cases.map((x) => x.c), expected);
  } else if (golden) expected = loadGolden(golden, cases.map((x) => x.c));
  if (!expected) throw new Error(`${spec.name}: no native runner and no golden`);
  const mask = viaCpu ? 0x8d5 : (spec.flags ?? 0);
  let mismatches = 0;
  let first: string | undefined;
  cases.forEach(({ c, isMem, imm }, i) => {
    const ours = viaCpu
      ? runOnCpu(c)
      : runOurs(c, (s, mem, memHi) => {
          const rm = (spec.modrm ?? 0xc1) & 7;
          return spec.run(s, isMem ? mem : s, isMem ? 0 : rm, imm, isMem, memHi, mem);
        });
    const exp = expected!.subarray(i * RESULT_BYTES, (i + 1) * RESULT_BYTES);
    if (!sameRecord(ours, exp, mask)) {
      mismatches++;
      if (!first) first = `${spec.name} case ${i} ${describeCase(c)}\n  native: ${describeRecord(exp)}\n  ours:   ${describeRecord(ours)}`;
    }
  });
  return { cases: cases.length, mismatches, first };
}

function sameRecord(a: Uint8Array, b: Uint8Array, flagsMask: number): boolean {
  for (let k = 0; k < 108; k++) if (a[k] !== b[k]) return false;
  const va = new DataView(a.buffer, a.byteOffset);
  const vb = new DataView(b.buffer, b.byteOffset);
  if (((va.getUint32(108, true) ^ vb.getUint32(108, true)) & flagsMask) !== 0) return false;
  return va.getUint32(112, true) === vb.getUint32(112, true);
}
