// Vector-register access for the scalar FP instruction tests.

import type { Cpu } from '../../board/aarch64/cpu';

export function setV(cpu: Cpu, n: number, value: bigint): void {
  for (let i = 0; i < 4; i++) cpu.state.vw[4 * n + i] = Number((value >> BigInt(32 * i)) & 0xffffffffn) | 0;
}

/** The whole 128-bit register, so tests see that scalar writes zero the upper bits. */
export function getV(cpu: Cpu, n: number): bigint {
  let v = 0n;
  for (let i = 3; i >= 0; i--) v = (v << 32n) | BigInt(cpu.state.vw[4 * n + i] >>> 0);
  return v;
}

export const f64 = (x: number): bigint => {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, x);
  return b.getBigUint64(0);
};

export const f32 = (x: number): bigint => {
  const b = new DataView(new ArrayBuffer(4));
  b.setFloat32(0, x);
  return BigInt(b.getUint32(0));
};
