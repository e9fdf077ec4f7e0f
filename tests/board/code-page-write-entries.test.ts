// A page that becomes code loses its cached write translations (so the next
// store takes the slow path and drops the decoded code): through the record
// of where each page's write entry went, and through the scan of both TLBs
// when a page has entries at several places (here: at EL0 and at EL1).

import { describe, expect, it } from 'vitest';
import { CodeCache } from '../../board/aarch64/code-cache';
import { VirtualMemory } from '../../board/aarch64/virtual-memory';
import { PhysicalMemory } from '../../board/memory/physical-memory';

const RAM = 0x4000_0000;

function rig() {
  const phys = new PhysicalMemory(RAM, 1 << 20);
  const code = new CodeCache(phys.ramSize);
  // MMU off: addresses are physical, every page cacheable.
  const vm = new VirtualMemory(phys, code);
  return { phys, code, vm };
}

describe('write entries of pages that become code', () => {
  it('a store after the page became code drops its decoded code (one write entry)', () => {
    const { vm } = rig();
    const pa = RAM + 0x3000;
    vm.write32(pa + 8, 1);
    vm.write32(pa + 12, 2); // a TLB hit
    const page = vm.fetchSlow(pa);
    expect(page.valid).toBe(true);
    vm.write32(pa + 16, 3);
    expect(page.valid).toBe(false);
    // The page is code again, then written again: dropped again.
    const again = vm.fetchSlow(pa);
    vm.write32(pa + 20, 4);
    expect(again.valid).toBe(false);
  });

  it('a page written at EL0 and at EL1 loses both entries', () => {
    const { vm } = rig();
    const pa = RAM + 0x5000;
    vm.setEl(1);
    vm.write32(pa, 1);
    vm.setEl(0);
    vm.write32(pa + 4, 2);
    const page = vm.fetchSlow(pa);
    vm.setEl(1);
    vm.write32(pa + 8, 3);
    expect(page.valid).toBe(false);
    vm.setEl(0);
    const again = vm.fetchSlow(pa);
    vm.write32(pa + 12, 4);
    expect(again.valid).toBe(false);
  });

});
