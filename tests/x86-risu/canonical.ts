// The form results are compared in: what the SDM defines after the block, with
// the undefined parts (per instruction, see docs/x86-risu.md) cleared, and a
// 64-bit hash of it.

import { CODE_BASE, RawResult, S_FCW, S_FSW, S_FTW, S_MXCSR, S_RFLAGS, S_ST, S_XMM, SIGTRAP, Undefined, X86Case } from './case-format';

/** RFLAGS bits compared: CF PF AF ZF SF DF OF. */
export const RFLAGS_COMPARED = 0xcd5;
const GPR_NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

/** Where the block stopped: the offset of the faulting instruction, or of the INT3 that ended it. */
export function stopOffset(r: RawResult): number {
  return r.rip - CODE_BASE - (r.signal === SIGTRAP ? 1 : 0);
}

/** Index of the instruction the block stopped at (the block's length when it ran through), -1 off the boundaries. */
export function stopIndex(c: X86Case, r: RawResult): number {
  return c.offsets.indexOf(stopOffset(r));
}

function undefinedAt(c: X86Case, r: RawResult): Undefined {
  const i = stopIndex(c, r);
  if (i >= 0) return c.undef[i];
  // Landed between boundaries (a branch past a cut): everything undefined anywhere in the block.
  return c.undef.reduce((a, u) => ({ flags: a.flags | u.flags, fsw: a.fsw | u.fsw, gprs: a.gprs | u.gprs }), { flags: 0, fsw: 0, gprs: 0 });
}

export interface Canonical {
  words: Uint32Array;
  names: string[];
}

/** The compared words with a name each (for the diff), undefined parts cleared. */
export function canonical(c: X86Case, r: RawResult, withNames = false): Canonical {
  const u = undefinedAt(c, r);
  const dv = new DataView(r.state.buffer, r.state.byteOffset, r.state.byteLength);
  const w: number[] = [];
  const names: string[] = [];
  const push = (name: string, v: number) => {
    w.push(v >>> 0);
    if (withNames) names.push(name);
  };
  push('signal', r.signal);
  push('stop offset', stopOffset(r));
  for (let n = 0; n < 16; n++) {
    const poisoned = (u.gprs >> n) & 1;
    push(`${GPR_NAMES[n]}.lo`, poisoned ? 0 : dv.getUint32(8 * n, true));
    push(`${GPR_NAMES[n]}.hi`, poisoned ? 0 : dv.getUint32(8 * n + 4, true));
  }
  push('rflags', dv.getUint32(S_RFLAGS, true) & RFLAGS_COMPARED & ~u.flags);
  push('fcw', dv.getUint16(S_FCW, true) & 0x0f3f); // masks, PC, RC (bit 6 and 12..15 reserved)
  const fsw = dv.getUint16(S_FSW, true);
  push('fsw', fsw & ~u.fsw);
  const ftw = dv.getUint8(S_FTW);
  push('ftw', ftw);
  const top = (fsw >> 11) & 7;
  for (let i = 0; i < 8; i++) {
    const valid = (ftw >> ((top + i) & 7)) & 1;
    const p = S_ST + 16 * i;
    push(`st${i}.lo`, valid ? dv.getUint32(p, true) : 0);
    push(`st${i}.hi`, valid ? dv.getUint32(p + 4, true) : 0);
    push(`st${i}.se`, valid ? dv.getUint16(p + 8, true) : 0);
  }
  push('mxcsr', dv.getUint32(S_MXCSR, true));
  for (let x = 0; x < 16; x++) for (let k = 0; k < 4; k++) push(`xmm${x}[${k}]`, dv.getUint32(S_XMM + 16 * x + 4 * k, true));
  for (const [i, v] of r.changed) push(`mem[${hex(HOT_REL(i), 4)}]`, v);
  return { words: Uint32Array.from(w), names };
}

/** Data word index as an offset from the data window's start. */
const HOT_REL = (i: number) => 4 * i;

/** 64-bit digest as two MurmurHash3-style lanes with different seeds (every input bit reaches every output bit). */
export function hashWords(words: Uint32Array): [number, number] {
  let a = 0x811c9dc5 ^ words.length;
  let b = 0x3c6ef372 ^ words.length;
  for (let i = 0; i < words.length; i++) {
    let k = Math.imul(words[i], 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    a ^= k;
    a = (Math.imul((a << 13) | (a >>> 19), 5) + 0xe6546b64) | 0;
    b ^= Math.imul(k ^ i, 0x85ebca6b);
    b = (Math.imul((b << 17) | (b >>> 15), 9) + 0x7f4a7c15) | 0;
  }
  return [fmix(a) >>> 0, fmix(b ^ 0x9e3779b9) >>> 0];
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export function hashResult(c: X86Case, r: RawResult): [number, number] {
  return hashWords(canonical(c, r).words);
}

const hex = (v: number, digits: number) => '0x' + (v >>> 0).toString(16).padStart(digits, '0');

/** One line per differing compared word: "name: expected E, actual A" (memory words absent on one side read "unchanged"). */
export function diffCanonical(c: X86Case, expected: RawResult, actual: RawResult): string[] {
  const e = toMap(canonical(c, expected, true));
  const a = toMap(canonical(c, actual, true));
  const names = [...new Set([...e.keys(), ...a.keys()])];
  return names
    .filter((n) => e.get(n) !== a.get(n))
    .map((n) => `${n}: expected ${e.has(n) ? hex(e.get(n)!, 8) : 'unchanged'}, actual ${a.has(n) ? hex(a.get(n)!, 8) : 'unchanged'}`);
}

function toMap(k: Canonical): Map<string, number> {
  return new Map(k.names.map((n, i) => [n, k.words[i]]));
}
