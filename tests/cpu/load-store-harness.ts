// Shared set-up for the load/store tests: registers and memory before a run,
// and readers for memory after it.

import type { Cpu } from '../../board/aarch64/cpu';
import { DATA, machine, TestMachine } from './machine';

export { DATA };

export interface Setup {
  x?: Record<number, bigint | number>;
  /** Bytes written at DATA + offset. */
  mem?: [number, ArrayLike<number>][];
  v?: Record<number, ArrayLike<number>>;
  init?: (cpu: Cpu) => void;
}

/** A machine with the given state; by convention x10 = DATA unless set otherwise. */
export function prepared(source: string, setup: Setup = {}): TestMachine {
  return machine(source, (cpu) => {
    cpu.state.setX(10, DATA);
    for (const [r, v] of Object.entries(setup.x ?? {})) cpu.state.setX(Number(r), v);
    for (const [r, bytes] of Object.entries(setup.v ?? {})) cpu.state.setV(Number(r), bytes);
    for (const [off, bytes] of setup.mem ?? []) cpu.phys.writeBytes(DATA + off, Uint8Array.from(bytes));
    setup.init?.(cpu);
  });
}

/** Little-endian bytes of a 64-bit value. */
export function le64(v: bigint): number[] {
  return Array.from({ length: 8 }, (_, i) => Number((BigInt.asUintN(64, v) >> BigInt(8 * i)) & 0xffn));
}

export function mem64(m: TestMachine, off: number): bigint {
  const b = m.phys.readBytes(DATA + off, 8);
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  return v;
}

export function memBytes(m: TestMachine, off: number, n: number): number[] {
  return [...m.phys.readBytes(DATA + off, n)];
}

export function vBytes(m: TestMachine, r: number): number[] {
  return [...m.cpu.state.getV(r)];
}

/** 0, 1, 2, ... n-1 plus `start`, as bytes. */
export function seq(n: number, start = 0): number[] {
  return Array.from({ length: n }, (_, i) => (start + i) & 0xff);
}

export const BRK = 0x3c;
export const DATA_ABORT_LOWER = 0x24;
