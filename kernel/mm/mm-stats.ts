// Counters the tiers keep as they work.

export interface MmCounters {
  moCreated: number;
  moDestroyed: number;
  demandZero: number;
  pagerFills: number;
  cowCopies: number;
  cowHandovers: number;
  flattens: number;
  faultsDemand: number;
  faultsCow: number;
  faultsAccessFlag: number;
  faultsSpurious: number;
  faultsUnresolved: number;
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
    faultsDemand: 0,
    faultsCow: 0,
    faultsAccessFlag: 0,
    faultsSpurious: 0,
    faultsUnresolved: 0,
  };
}
