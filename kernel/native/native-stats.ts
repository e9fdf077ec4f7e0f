// The tier statistics a program reads with the debug console's stats label:
// 64-bit words in this order (sdk/include/salty.h names them SALTY_STAT_*).

import type { MemoryManager } from '../mm/memory-manager';

export const STAT_NAMES = [
  'free frames',
  'untyped-reserved frames',
  'MemoryObject data frames',
  'MemoryObject metadata frames',
  'kernel-object frames',
  'page-table frames',
  'live MemoryObjects',
  'committed pages',
  'zero-filled pages',
  'COW copies',
  'demand faults',
  'COW faults',
  'pager-filled pages',
  'MemoryObjects created',
  'MemoryObjects destroyed',
] as const;

export const STAT_WORDS = STAT_NAMES.length;

export function statWords(mm: MemoryManager): number[] {
  const f = mm.pmm.stats();
  const c = mm.counters;
  let committed = 0;
  for (const mo of mm.memoryObjects) committed += mo.committedPages;
  return [
    f.free,
    f['untyped-reserved'],
    f['mo-data'],
    f['mo-meta'],
    f['kernel-object'],
    f['page-table'],
    mm.memoryObjects.size,
    committed,
    c.demandZero,
    c.cowCopies,
    c.faultsDemand,
    c.faultsCow,
    c.pagerFills,
    c.moCreated,
    c.moDestroyed,
  ];
}
