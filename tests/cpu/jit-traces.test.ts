// The check word of a region spanning pages (jit/traces.ts): set to the
// epoch only when every other page still fetches from the code page it was
// compiled from, relative to the virtual address the head is entered at.

import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../../board/memory/physical-memory';
import { SLOT_TRACE_CHECKS } from '../../board/aarch64/jit/cpu-slot';
import { Trace, TracePage, Traces } from '../../board/aarch64/jit/traces';

describe('traces: checks of the pages a region spans', () => {
  it('sets the check word per epoch from the fetch translation of each page', () => {
    const phys = new PhysicalMemory(0x4000_0000, 1 << 20);
    const slot = phys.allocCpuSlot();
    const words = new Int32Array(phys.memory.buffer, slot + SLOT_TRACE_CHECKS, 4);
    const p1: TracePage = { valid: true };
    const p2 = { valid: true };
    const map = new Map<number, TracePage>([[0x401000, p1], [0x402000, p2]]);
    const traces = new Traces(phys.memory.buffer, slot, (va) => map.get(va));
    const check = traces.allocate();
    expect(words[check]).toBe(-1);
    const t: Trace = { check, pages: [{ delta: 4096, page: p1 }, { delta: 8192, page: p2 }], failedEpoch: -1 };
    expect(traces.validate(t, 0x400abc, 7)).toBe(true);
    expect(words[check]).toBe(7);
    // Entered at another address in the same epoch, where the next page maps elsewhere: off for the rest of the epoch.
    expect(traces.validate(t, 0x500000, 7)).toBe(true);
    expect(words[check]).toBe(-1);
    expect(traces.validate(t, 0x400000, 7)).toBe(true);
    expect(words[check]).toBe(-1);
    expect(traces.validate(t, 0x400000, 8)).toBe(true);
    expect(words[check]).toBe(8);
    // The second page unmapped (no translation), then mapped to another page.
    map.delete(0x402000);
    expect(traces.validate(t, 0x400000, 9)).toBe(true);
    expect(words[check]).toBe(-1);
    map.set(0x402000, { valid: true });
    expect(traces.validate(t, 0x400000, 10)).toBe(true);
    expect(words[check]).toBe(-1);
    // Its code dropped: the compiler forgets the function.
    map.set(0x402000, p2);
    p2.valid = false;
    expect(traces.validate(t, 0x400000, 11)).toBe(false);
    expect(words[check]).toBe(-1);
  });

  it('hands out each check word once until reset', () => {
    const phys = new PhysicalMemory(0x4000_0000, 1 << 20);
    const traces = new Traces(phys.memory.buffer, phys.allocCpuSlot(), () => undefined);
    const seen = new Set<number>();
    for (let k = traces.allocate(); k >= 0; k = traces.allocate()) seen.add(k);
    expect(seen.size).toBe(512);
    traces.reset();
    expect(traces.allocate()).toBe(0);
  });
});
