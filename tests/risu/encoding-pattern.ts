// Random encodings from bit patterns written from the Arm ARM's encoding
// tables: '0'/'1' are fixed bits, any other character a random operand bit.

import { Rng } from './random';
import { StateBuilder } from './state-builder';

export interface FixContext {
  rng: Rng;
  state: StateBuilder;
  /** Byte offset of the instruction in the code page. */
  offset: number;
  /** The data page's initial words. */
  data: Uint32Array;
}

/** Returns the (possibly adjusted) encoding, or null to draw another one. */
export type Fix = (insn: number, ctx: FixContext) => number | null;

export interface InsnPattern {
  name: string;
  mask: number;
  value: number;
  weight: number;
  fix?: Fix;
}

export function pattern(name: string, bitsText: string, fix?: Fix, weight = 1): InsnPattern {
  const text = bitsText.replace(/\s+/g, '');
  if (text.length !== 32) throw new Error(`pattern ${name} has ${text.length} bits`);
  let mask = 0;
  let value = 0;
  for (let i = 0; i < 32; i++) {
    const bit = 31 - i;
    if (text[i] === '0' || text[i] === '1') {
      mask |= 1 << bit;
      if (text[i] === '1') value |= 1 << bit;
    }
  }
  return { name, mask: mask >>> 0, value: value >>> 0, weight, fix };
}

export function draw(p: InsnPattern, rng: Rng): number {
  return ((rng.u32() & ~p.mask) | p.value) >>> 0;
}

export function bits(insn: number, hi: number, lo: number): number {
  return (insn >>> lo) & ((1 << (hi - lo + 1)) - 1);
}

export function withBits(insn: number, hi: number, lo: number, v: number): number {
  const m = ((1 << (hi - lo + 1)) - 1) << lo;
  return ((insn & ~m) | ((v << lo) & m)) >>> 0;
}

export function sext(v: number, width: number): number {
  return (v << (32 - width)) >> (32 - width);
}

/** Picks a pattern by weight. */
export function choose(patterns: readonly InsnPattern[], rng: Rng): InsnPattern {
  let total = 0;
  for (const p of patterns) total += p.weight;
  let r = rng.below(total);
  for (const p of patterns) {
    if (r < p.weight) return p;
    r -= p.weight;
  }
  return patterns[patterns.length - 1];
}
