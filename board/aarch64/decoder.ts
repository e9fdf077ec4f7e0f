// The A64 decoder: a table of encodings, one line each, built from bit
// patterns. Each encoding names one handler that decodes the fields once and
// returns a closure (an Op) executed every time the instruction runs.

import type { Cpu } from './cpu';

export type Op = () => void;

export interface DecodeContext {
  readonly cpu: Cpu;
  /** Byte offset of the instruction inside its 4 KiB page (PC-relative code adds it to cpu.pageVa). */
  readonly pageOff: number;
  /** Set by a handler whose instruction must end the basic block (branches, exceptions, system writes). */
  endsBlock: boolean;
  /** Set by a direct branch: the page offset of its target (may lie outside 0..4095). */
  branchTarget?: number;
}

/** Returns the Op, or null when the fields select an unallocated encoding (UNDEFINED). */
export type Handler = (insn: number, ctx: DecodeContext) => Op | null;

export interface Encoding {
  /** Instruction name as the Arm ARM gives it, e.g. 'ADD (immediate)'. */
  readonly name: string;
  /** 32 characters, bit 31 first: '0' and '1' are fixed, any other character is an operand bit. Spaces are ignored. */
  readonly pattern: string;
  readonly handler: Handler;
}

interface CompiledEncoding extends Encoding {
  readonly mask: number;
  readonly value: number;
  readonly fixedBits: number;
}

const KEY_SHIFT = 21; // bucket by bits [31:21]
const KEY_BITS = 11;
const KEY_MASK = ((1 << KEY_BITS) - 1) << KEY_SHIFT;

const SPACE = 0x20;
const ZERO = 0x30;
const ONE = 0x31;

/** Mask, value and number of fixed bits of a pattern (its characters one by one: this runs for every encoding at every start). */
export function compilePattern(pattern: string): { mask: number; value: number; fixedBits: number } {
  let mask = 0;
  let value = 0;
  let fixedBits = 0;
  let n = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c === SPACE) continue;
    const bit = 31 - n++;
    if (c === ZERO || c === ONE) {
      mask |= 1 << bit;
      if (c === ONE) value |= 1 << bit;
      fixedBits++;
    }
  }
  if (n !== 32) throw new Error(`pattern '${pattern}' has ${n} bits, expected 32`);
  return { mask: mask >>> 0, value: value >>> 0, fixedBits };
}

export class DecodeTable {
  /** By bits [31:21]: the encodings that may match, most specific first; filled at a key's first lookup. */
  private readonly buckets: (CompiledEncoding[] | undefined)[] = new Array(1 << KEY_BITS);
  readonly encodings: readonly CompiledEncoding[];

  constructor(encodings: readonly Encoding[]) {
    const compiled = encodings.map((e): CompiledEncoding => {
      const p = compilePattern(e.pattern);
      return { name: e.name, pattern: e.pattern, handler: e.handler, mask: p.mask, value: p.value, fixedBits: p.fixedBits };
    });
    checkDuplicates(compiled);
    // Most specific first; among equals, table order.
    const ordered = compiled.map((e, i) => ({ e, i })).sort((a, b) => b.e.fixedBits - a.e.fixedBits || a.i - b.i).map((x) => x.e);
    this.encodings = ordered;
  }

  /** The most specific encoding whose fixed bits match, or undefined. */
  lookup(insn: number): CompiledEncoding | undefined {
    const key = insn >>> KEY_SHIFT;
    const bucket = this.buckets[key] ?? this.fill(key);
    for (let i = 0; i < bucket.length; i++) {
      const e = bucket[i];
      if (((insn & e.mask) >>> 0) === e.value) return e;
    }
    return undefined;
  }

  /**
   * The bucket of a key: the encodings whose fixed key bits agree with it. Built when a program first decodes
   * an instruction with that key (a few hundred keys a run) rather than all 2,048 at every start (5-13 ms).
   */
  private fill(key: number): CompiledEncoding[] {
    const bits = key << KEY_SHIFT;
    const bucket = this.encodings.filter((e) => ((bits ^ e.value) & e.mask & KEY_MASK) === 0);
    this.buckets[key] = bucket;
    return bucket;
  }
}

function checkDuplicates(list: readonly CompiledEncoding[]): void {
  const seen = new Map<string, string>();
  for (const e of list) {
    const key = `${e.mask}:${e.value}`;
    const other = seen.get(key);
    if (other !== undefined) throw new Error(`encodings '${other}' and '${e.name}' have the same pattern`);
    seen.set(key, e.name);
  }
}

// ---- field extraction helpers used by every handler ----

/** Unsigned bits [hi:lo] of insn. */
export function bits(insn: number, hi: number, lo: number): number {
  return (insn >>> lo) & ((hi - lo === 31 ? 0 : 1 << (hi - lo + 1)) - 1);
}

export function bit(insn: number, n: number): number {
  return (insn >>> n) & 1;
}

/** Signed value of bits [hi:lo]. */
export function sbits(insn: number, hi: number, lo: number): number {
  const width = hi - lo + 1;
  return ((insn << (31 - hi)) >> (32 - width));
}
