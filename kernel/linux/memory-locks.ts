// What a memory lock leaves on a mapping: the region tags of Linux's
// VM_LOCKED and VM_LOCKONFAULT (set by sys-mlock.ts), read by /proc's
// VmLck and smaps' Locked.

import type { Region } from '../mm/region';
import type { AddressSpace } from '../process/address-space';

/** The region tag of a locked mapping (Linux's VM_LOCKED). */
export const TAG_LOCKED = 1;
/** Locked, but pages come in as they are touched (VM_LOCKONFAULT). */
export const TAG_LOCKONFAULT = 2;
export const LOCK_TAGS = TAG_LOCKED | TAG_LOCKONFAULT;

export const regionLocked = (r: Region): boolean => ((r.tags ?? 0) & TAG_LOCKED) !== 0;

/** Bytes of locked mappings (VmLck). */
export function lockedBytes(mem: AddressSpace): number {
  let n = 0;
  for (const r of mem.vs.regions) if (regionLocked(r)) n += r.end - r.start;
  return n;
}
