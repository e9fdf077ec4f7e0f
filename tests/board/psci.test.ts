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

describe('PSCI with several CPUs', () => {
  it('hands CPU_ON its target, entry point and context (SMC32: the low halves only) and AFFINITY_INFO its target at level 0', () => {
    const seen: unknown[] = [];
    const psci = new Psci({
      systemOff: () => {},
      systemReset: () => {},
      cpuOff: () => {},
      waitForInterrupt: () => {},
      cpus: {
        cpuOn: (lo, hi, entry, context) => (seen.push(['on', lo, hi, entry, context]), 0),
        affinityInfo: (lo, hi) => (seen.push(['info', lo, hi]), 1),
      },
    });
    const x = new Int32Array(68);
    const call = (...args: number[]): number => {
      x.fill(-1); // upper halves the 32-bit calls must ignore
      args.forEach((a, i) => {
        x[2 * i] = a | 0;
        if (i > 0) x[2 * i + 1] = 0;
      });
      psci.call({ x } as unknown as Cpu);
      return x[0];
    };
    expect(call(0xc400_0003, 0x0102, 0x4008_0000, 7)).toBe(0);
    expect(call(0x8400_0003, 0x8000_0003, 0x4008_0000, 9)).toBe(0);
    x.fill(0);
    x[0] = 0xc400_0003 | 0;
    x[2] = 1;
    x[3] = 2; // Aff3
    x[4] = 0x1000;
    x[5] = 1; // entry above 4 GiB
    x[6] = 5;
    x[7] = 6;
    psci.call({ x } as unknown as Cpu);
    expect(call(0xc400_0004, 2, 0)).toBe(1);
    expect(call(0xc400_0004, 2, 1)).toBe(-2); // only level 0
    expect(seen).toEqual([
      ['on', 0x0102, 0, 0x4008_0000, { lo: 7, hi: 0 }],
      ['on', 3, 0, 0x4008_0000, { lo: 9, hi: 0 }],
      ['on', 1, 2, 0x1_0000_1000, { lo: 5, hi: 6 }],
      ['info', 2, 0],
    ]);
  });
});
