// A hot block waiting in the compile queue compiles without waiting for the
// batch: without that rule a loop that turns hot while the queue holds a few
// blocks runs interpreted until the run loop's slice ends (bzip2's phases
// each ran ~2 M instructions interpreted so).

import { describe, expect, it } from 'vitest';
import { Cpu, StopReason } from '../../board/aarch64/cpu';
import { PhysicalMemory } from '../../board/memory/physical-memory';
import { BASE, BRK0, SIZE } from './jit-diff-harness';

// loop1: subs x2, x2, #1 ; b.ne loop1 ; loop2: subs x4, x4, #1 ; b.ne loop2 ; brk #0
const CODE = [0xf1000442, 0x54ffffe1, 0xf1000484, 0x54ffffe1, BRK0];

function run(jit: 'on' | 'off'): Cpu {
  const phys = new PhysicalMemory(BASE, SIZE);
  const cpu = new Cpu(phys, { hosted: true, jit });
  cpu.setEl(0);
  const page = new Uint8Array(4096);
  CODE.forEach((w, i) => new DataView(page.buffer).setUint32(4 * i, w, true));
  phys.writeBytes(BASE, page);
  cpu.x[4] = 300; // x2: loop1 turns hot and waits in the queue
  cpu.x[8] = 200_000; // x4
  cpu.pc = BASE;
  expect(cpu.run(1_000_000)).toBe(StopReason.Exception);
  return cpu;
}

describe('the compile queue', () => {
  it('compiles a queued block that keeps running, within one slice of the run loop', () => {
    const a = run('off');
    const b = run('on');
    expect(b.retired).toBe(a.retired);
    expect(Array.from(b.x.subarray(0, 62))).toEqual(Array.from(a.x.subarray(0, 62)));
    expect(b.pc).toBe(a.pc);
    // loop2 (400,000 instructions) compiles after at most 8 x the threshold of interpreted runs.
    expect(b.jit!.stats.blocks).toBeGreaterThanOrEqual(2);
    expect(b.jit!.stats.chained).toBeGreaterThan(390_000);
  });
});
