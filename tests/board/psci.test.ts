import { describe, expect, it } from 'vitest';
import type { Cpu } from '../../board/aarch64/cpu';
import { Psci } from '../../board/virt/psci';

function firmware() {
  const calls: string[] = [];
  const psci = new Psci({
    systemOff: () => calls.push('off'),
    systemReset: () => calls.push('reset'),
    cpuOff: () => calls.push('cpu-off'),
    waitForInterrupt: () => calls.push('wfi'),
  });
  const x = new Int32Array(68);
  const cpu = { x } as unknown as Cpu;
  const call = (fn: number, a1 = 0, a1hi = 0): bigint => {
    x.fill(0);
    x[0] = fn | 0;
    x[1] = 0x1234; // upper half of x0 is ignored for the 32-bit function ids
    x[2] = a1 | 0;
    x[3] = a1hi | 0;
    expect(psci.call(cpu)).toBe(true);
    return BigInt.asIntN(64, (BigInt(x[1] >>> 0) << 32n) | BigInt(x[0] >>> 0));
  };
  return { call, calls, x };
}

describe('PSCI over HVC, as QEMU 7.2 answers for one CPU', () => {
  it('reports version 1.1 and the features it implements', () => {
    const { call } = firmware();
    expect(call(0x8400_0000)).toBe(0x10001n);
    expect(call(0x8400_000a, 0x8400_0000)).toBe(0n);
    expect(call(0x8400_000a, 0xc400_0003)).toBe(0n);
    expect(call(0x8400_000a, 0x8400_0005)).toBe(-1n); // MIGRATE
    expect(call(0x8400_000a, 0x8400_0007)).toBe(-1n);
    expect(call(0x8400_0006)).toBe(2n);
  });

  it('answers CPU_ON and AFFINITY_INFO for CPU 0 and rejects other CPUs', () => {
    const { call } = firmware();
    expect(call(0xc400_0003, 0)).toBe(-4n); // ALREADY_ON
    expect(call(0xc400_0003, 1)).toBe(-2n);
    expect(call(0xc400_0003, 0, 1)).toBe(-2n); // Aff3 is in the upper half for SMC64
    expect(call(0x8400_0003, 0x8000_0000)).toBe(-4n); // MPIDR bit 31 is not affinity
    expect(call(0xc400_0004, 0)).toBe(0n);
    expect(call(0xc400_0004, 2)).toBe(-2n);
  });

  it('returns -1 in all of x0 for an unknown function', () => {
    expect(firmware().call(0x8400_0042)).toBe(-1n);
    expect(firmware().call(0x1)).toBe(-1n);
  });

  it('turns the system off, resets it, turns the CPU off, and suspends as a WFI', () => {
    const { call, calls } = firmware();
    call(0x8400_0008);
    call(0x8400_0009);
    call(0x8400_0002);
    expect(call(0xc400_0001, 0)).toBe(0n);
    expect(call(0xc400_0001, 1 << 20)).toBe(-2n);
    expect(calls).toEqual(['off', 'reset', 'cpu-off', 'wfi']);
  });
});
