// What one CPU's instructions do to the others on a board with several CPUs:
// TLBI's IS forms reach every TLB (the local forms only the executing CPU's),
// SEV sets every event register, WFE consumes the event register or waits.
import { describe, expect, it } from 'vitest';
import { StopReason } from '../../board/aarch64/cpu';
import { RAM_BASE } from '../../board/virt/memory-map';
import { VirtBoard } from '../../board/virt/virt-board';

const TLBI_VMALLE1IS = 0xd508831f;
const TLBI_VMALLE1 = 0xd508871f;
const SEV = 0xd503209f;
const SEVL = 0xd50320bf;
const WFE = 0xd503205f;
const NOP = 0xd503201f;
const MSR_CNTKCTL_X0 = 0xd518e100;
const B_SELF = 0x14000000;

function board(code: number[]): VirtBoard {
  const b = new VirtBoard({ ramSize: 1 << 20, cpus: 2, console: { write: () => {}, writeErr: () => {}, readChar: () => -1 } });
  const bytes = new Uint8Array(new Uint32Array(code).buffer);
  b.phys.writeBytes(RAM_BASE, bytes);
  b.cpu.pc = RAM_BASE;
  return b;
}

describe('instructions that reach the other CPUs', () => {
  it('TLBI VMALLE1IS invalidates every CPU\'s TLB, TLBI VMALLE1 only its own', () => {
    const b = board([TLBI_VMALLE1, TLBI_VMALLE1IS, NOP]);
    const other = b.cpus[1].vm;
    const before = other.epoch;
    b.cpu.run(1);
    expect(other.epoch).toBe(before);
    b.cpu.run(1);
    expect(other.epoch).toBeGreaterThan(before);
  });

  it('SEV sets the event register of every CPU; WFE consumes it, then waits', () => {
    const b = board([SEV, WFE, WFE, NOP]);
    const [c0, c1] = b.cpus;
    // One block: SEV, then the first WFE consumes the event SEV set here too and goes on.
    expect(c0.run(1)).toBe(StopReason.Budget);
    expect([c0.eventRegister, c1.eventRegister]).toEqual([false, true]);
    expect(c0.pc).toBe(RAM_BASE + 8);
    expect(c0.run(1)).toBe(StopReason.WaitForInterrupt);
    expect(c0.waitingForEvent).toBe(true);
    c0.signalEvent(); // an event during the wait (SEV on CPU 1) ends it without setting the register
    expect([c0.waitingForEvent, c0.eventRegister]).toEqual([false, false]);
  });

  it('SEVL sets only the executing CPU\'s event register', () => {
    const b = board([SEVL, NOP]);
    b.cpu.run(1);
    expect(b.cpus.map((c) => c.eventRegister)).toEqual([true, false]);
  });
});

describe('the scheduler and WFE', () => {
  it('the event stream (CNTKCTL_EL1.EVNTEN) wakes a CPU waiting at WFE; without it nothing does', () => {
    for (const evnten of [true, false]) {
      const b = board([MSR_CNTKCTL_X0, WFE, B_SELF]);
      b.cpu.x[0] = evnten ? (1 << 2) | (10 << 4) : 0; // a tick every 2^11 counts
      const state = b.run(20_000);
      if (evnten) {
        expect(state.kind).toBe('running');
        expect(b.cpu.pc).toBe(RAM_BASE + 8);
        expect(b.time.now()).toBeGreaterThanOrEqual(2048);
      } else {
        expect(state.kind).toBe('idle');
        expect(b.cpu.pc).toBe(RAM_BASE + 8);
        expect(b.time.now()).toBe(2);
      }
    }
  });
});
