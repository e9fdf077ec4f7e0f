// Counters the tiers keep as they work.

export interface MmCounters {
  moCreated: number;
  moDestroyed: number;
  demandZero: number;
  pagerFills: number;
  cowCopies: number;
  cowHandovers: number;
  flattens: number;
  /** Table entries and leaves written to deny write when objects were cloned (fork). */
  writeProtectEntries: number;
  /** Write faults that first lifted a table-level write protection, and the entries that took. */
  writeProtectSplits: number;
  splitEntries: number;
  faultsDemand: number;
  faultsCow: number;
  faultsAccessFlag: number;
  faultsSpurious: number;
  faultsUnresolved: number;
  /** TLB maintenance the kernel asked for: one page, one ASID/PCID, everything. */
  tlbPage: number;
  tlbAsid: number;
  tlbAll: number;
  /** Address spaces copied for fork, the table entries that took, and the host time (ms). */
  forks: number;
  forkEntries: number;
  forkMs: number;
}

export function newCounters(): MmCounters {
  return {
    moCreated: 0,
    moDestroyed: 0,
    demandZero: 0,
    pagerFills: 0,
    cowCopies: 0,
    cowHandovers: 0,
    flattens: 0,
    writeProtectEntries: 0,
    writeProtectSplits: 0,
    splitEntries: 0,
    faultsDemand: 0,
    faultsCow: 0,
    faultsAccessFlag: 0,
    faultsSpurious: 0,
    faultsUnresolved: 0,
    tlbPage: 0,
    tlbAsid: 0,
    tlbAll: 0,
    forks: 0,
    forkEntries: 0,
    forkMs: 0,
  };
}
