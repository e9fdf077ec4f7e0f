// Blocks that run often get their own straight-line function
// (board/aarch64/block-function.ts): faults inside them must stay precise, and
// code written after compiling must run as written.

import { describe, expect, it } from 'vitest';
import { StopReason } from '../../board/aarch64/cpu';
import { Ec } from '../../board/aarch64/exception-syndrome';
import { machine as bareMachine, RAM_BASE } from './machine';

const RAM_END = RAM_BASE + 4 * 1024 * 1024;
const HOT = 64;

/** A test machine whose blocks get their own function after HOT runs, so a few hundred iterations exercise it. */
const machine: typeof bareMachine = (source, init = () => {}) =>
  bareMachine(source, (cpu) => {
    cpu.hotBlockRuns = HOT;
    init(cpu);
  });

describe('hot blocks', () => {
  it('a load that faults after hundreds of runs stops at the load, with the ops before it retired', () => {
    const m = machine(
      `
      mov x1, #0
      mov x5, #0
    loop:
      add x1, x1, #1
      ldr x4, [x2], #8
      add x5, x5, #1
      b loop
      `,
      (cpu) => cpu.state.setX(2, RAM_END - 8 * 300),
    );
    expect(m.run()).toBe(Ec.DataAbortLower);
    expect(m.x(1)).toBe(301n); // the add before the load ran
    expect(m.x(5)).toBe(300n); // the add after it did not
    expect(m.x(2)).toBe(BigInt(RAM_END)); // no write-back
    expect(m.cpu.elr).toBe(RAM_BASE + 12);
    expect(m.cpu.far).toBe(RAM_END);
    expect(m.cpu.retired).toBe(2 + 4 * 300 + 1);
  });

  it('runs new code after a hot block is overwritten', () => {
    const m = machine(
      `
      mov x1, #0
    loop:
      add x1, x1, #1
      cmp x1, #500
      b.ne loop
      add x3, x3, #7
      `,
    );
    expect(m.run()).toBe(Ec.Brk);
    expect(m.x(1)).toBe(500n);
    expect(m.x(3)).toBe(7n);
    // Patch the loop's add to add 2 (add x1, x1, #2) and run it again from the start.
    const add2 = 0x91000821;
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, add2, true);
    m.phys.writeBytes(RAM_BASE + 4, bytes);
    m.cpu.pc = RAM_BASE;
    expect(m.run()).toBe(Ec.Brk);
    expect(m.x(1)).toBe(500n);
    expect(m.x(3)).toBe(14n);
    expect(m.cpu.retired).toBe(1 + 3 * 500 + 1 + (1 + 3 * 250 + 1));
  });

  it('a block that loops on itself stops at the same instruction count as block-by-block execution', () => {
    const m = machine(
      `
    loop:
      add x1, x1, #1
      b loop
      `,
    );
    // The run loop starts a block while fewer than `budget` instructions have retired.
    expect(m.cpu.run(1001)).toBe(StopReason.Budget);
    expect(m.cpu.retired).toBe(1002);
    expect(m.x(1)).toBe(501n);
    expect(m.cpu.pc).toBe(RAM_BASE);
    expect(m.cpu.run(5000)).toBe(StopReason.Budget);
    expect(m.cpu.retired).toBe(6002);
    expect(m.x(1)).toBe(3001n);
  });

  it('a looping block gives way to an interrupt', () => {
    const m = machine(
      `
    loop:
      add x1, x1, #1
      b loop
      `,
    );
    m.cpu.run(400); // hot and compiled by now
    const count = m.x(1);
    // EL1 vectors at RAM_BASE + 0x800, each a branch to itself (b .).
    const vectors = new Uint8Array(0x800);
    for (let o = 0; o < vectors.length; o += 4) new DataView(vectors.buffer).setUint32(o, 0x14000000, true);
    m.phys.writeBytes(RAM_BASE + 0x800, vectors);
    m.cpu.vbar = RAM_BASE + 0x800;
    m.cpu.setEl(1);
    m.cpu.daif = 0;
    m.cpu.irqLine = true;
    expect(m.cpu.run(1000)).toBe(StopReason.Budget);
    expect(m.x(1)).toBe(count); // the loop did not run again
    expect(m.cpu.elr).toBe(RAM_BASE);
    expect(m.cpu.pc).toBe(RAM_BASE + 0x800 + 0x280); // IRQ, current EL with SP_ELx
  });

  it('a loop polling the counter sees it advance on every iteration', () => {
    const m = machine(
      `
    loop:
      mrs x0, cntvct_el0
      cmp x0, #3000
      b.lo loop
      `,
    );
    expect(m.run()).toBe(Ec.Brk);
    // The default counter is the retired count; a read is at most one iteration stale.
    expect(Number(m.x(0))).toBeGreaterThanOrEqual(3000);
    expect(Number(m.x(0))).toBeLessThan(3006);
    expect(m.cpu.retired).toBe(Number(m.x(0)) + 3);
  });
});
