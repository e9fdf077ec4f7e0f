// Runs one assembled snippet many times with different register and flag
// inputs (one machine per snippet), and BigInt reference arithmetic for the
// data-processing (register) tests.

import { machine, RAM_BASE, TestMachine } from './machine';

export const M64 = (1n << 64n) - 1n;
export const M32 = 0xffffffffn;

/** Inputs that sit on every carry, overflow and sign boundary, plus a few ordinary values. */
export const EDGES: bigint[] = [
  0n, 1n, 2n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn,
  0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n,
  0x7fffffffffffffffn, 0x8000000000000000n, 0xfffffffffffffffen, M64,
  0x123456789abcdef0n, 0xfedcba9876543210n, 0x00000000deadbeefn, 0x1f00000000000003n,
];

export interface Outcome {
  x(n: number): bigint;
  nzcv: number;
}

export class Snippet {
  private readonly m: TestMachine;

  constructor(source: string) {
    this.m = machine(source);
  }

  /** Sets X registers and NZCV (bits 3..0 = N Z C V), runs to the BRK. */
  run(regs: Record<number, bigint>, nzcv = 0): Outcome {
    const cpu = this.m.cpu;
    for (const [n, v] of Object.entries(regs)) cpu.state.setX(Number(n), v);
    cpu.state.nzcv = nzcv << 28;
    cpu.pc = RAM_BASE;
    const ec = this.m.run();
    if (ec !== 0x3c) throw new Error(`stopped with exception class ${ec.toString(16)}`);
    return { x: (n) => cpu.state.getX(n), nzcv: cpu.state.nzcv >>> 28 };
  }

  cpuOf(): TestMachine['cpu'] {
    return this.m.cpu;
  }

  /** The exception class the snippet stops with (0 = UNDEFINED, 0x3c = the final BRK). */
  firstException(): number {
    this.m.cpu.pc = RAM_BASE;
    return this.m.run();
  }
}

/** A deterministic stream of 64-bit values for randomised comparisons. */
export function randoms(count: number, seed = 0x9e3779b97f4a7c15n): bigint[] {
  let s = seed;
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    s ^= (s << 13n) & M64;
    s ^= s >> 7n;
    s ^= (s << 17n) & M64;
    // Mix in narrow values so sign and carry edges come up often.
    const v = i % 4 === 0 ? s & 0xffffn : i % 4 === 1 ? s & M32 : s;
    out.push(v & M64);
  }
  return out;
}

export function signed(v: bigint, width: number): bigint {
  return BigInt.asIntN(width, v);
}

/** NZCV of AddWithCarry(a, b, carry) at `width` bits, as bits 3..0. */
export function addWithCarry(a: bigint, b: bigint, carry: bigint, width: number): { result: bigint; nzcv: number } {
  const mask = (1n << BigInt(width)) - 1n;
  const ua = a & mask;
  const ub = b & mask;
  const unsignedSum = ua + ub + carry;
  const signedSum = signed(ua, width) + signed(ub, width) + carry;
  const result = unsignedSum & mask;
  const n = Number(result >> BigInt(width - 1));
  const z = result === 0n ? 1 : 0;
  const c = unsignedSum === result ? 0 : 1;
  const v = signed(result, width) === signedSum ? 0 : 1;
  return { result, nzcv: (n << 3) | (z << 2) | (c << 1) | v };
}

export function nzcvOf(result: bigint, width: number): number {
  const n = Number((result >> BigInt(width - 1)) & 1n);
  return (n << 3) | ((result & ((1n << BigInt(width)) - 1n)) === 0n ? 4 : 0);
}

/** Every pair drawn from a list (both orders). */
export function pairs(values: bigint[]): [bigint, bigint][] {
  const out: [bigint, bigint][] = [];
  for (const a of values) for (const b of values) out.push([a, b]);
  return out;
}
