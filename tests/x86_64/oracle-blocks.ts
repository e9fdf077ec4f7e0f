// Builds oracle cases that check one instruction form on many inputs at
// once: each block loads the inputs, sets RFLAGS, runs the instruction, and
// stores the named output registers and RFLAGS (ANDed with the flags the SDM
// defines for that instruction) into the buffer at DATA.

import { expect } from 'vitest';
import { BUF_BYTES, compare, OracleCase } from './native-oracle';
import { DATA } from './x86-test-machine';

export interface BlockInput {
  readonly regs: Readonly<Record<string, bigint>>;
  /** Initial arithmetic flags (CF..OF bits, DF). */
  readonly flags?: number;
}

const hex = (v: bigint): string => `0x${BigInt.asUintN(64, v).toString(16)}`;

/** Cases for `insn` over `inputs`, as many blocks per case as the buffer holds. */
export function blockCases(insn: string, inputs: readonly BlockInput[], outRegs: readonly string[], flagMask: number): OracleCase[] {
  const slot = 8 * (outRegs.length + 1);
  const perCase = Math.floor(BUF_BYTES / slot);
  const cases: OracleCase[] = [];
  for (let start = 0; start < inputs.length; start += perCase) {
    const lines: string[] = [];
    inputs.slice(start, start + perCase).forEach((inp, k) => {
      for (const [reg, v] of Object.entries(inp.regs)) lines.push(`mov ${reg}, ${hex(v)}`);
      lines.push(`push ${(inp.flags ?? 0) & 0xcd5 | 0x202}`, 'popfq', insn, 'pushfq');
      outRegs.forEach((reg, j) => lines.push(`mov qword ptr [${DATA + k * slot + 8 * j}], ${reg}`));
      const f = DATA + k * slot + 8 * outRegs.length;
      lines.push(`pop qword ptr [${f}]`, `and qword ptr [${f}], ${flagMask}`);
    });
    cases.push({ code: lines.join('\n') });
  }
  return cases;
}

/** Runs the cases natively (or from goldens) and on the emulator; the buffers must match. */
export function expectSameAsNative(cases: readonly OracleCase[]): void {
  for (const c of cases) {
    const r = compare(c, 0);
    expect(r.emulated, c.code).toEqual(r.native);
  }
}

/** A deterministic generator of interesting 64-bit values. */
export function values(seed: number, n: number): bigint[] {
  const edge = [0n, 1n, 2n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn, 0xfffffffffffffffen];
  const out: bigint[] = [];
  let s = BigInt(seed) | 1n;
  for (let k = 0; k < n; k++) {
    s = (s * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    const pick = Number(s >> 60n);
    if (pick < 6) out.push(edge[Number((s >> 32n) % BigInt(edge.length))]);
    else if (pick < 9) out.push((s >> 17n) & 0xffn);
    else out.push(s ^ (s >> 29n));
  }
  return out;
}
