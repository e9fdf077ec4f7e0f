// The TLB maintenance the kernel asks of the machine, counted by kind on its
// way to the arch backend's hooks (statistics for --stats and salty compare).

import type { TlbHooks } from '../arch/arch';
import type { MmCounters } from './mm-stats';

export function countingTlb(tlb: TlbHooks, counters: MmCounters): TlbHooks {
  return {
    invalidatePage(asid, va) {
      counters.tlbPage++;
      tlb.invalidatePage(asid, va);
    },
    invalidateAsid(asid) {
      counters.tlbAsid++;
      tlb.invalidateAsid(asid);
    },
    invalidateAll() {
      counters.tlbAll++;
      tlb.invalidateAll();
    },
  };
}
