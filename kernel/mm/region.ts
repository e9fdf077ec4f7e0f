// A VSpace region: a page-aligned address range backed by a MemoryObject.

import type { MemoryObject } from './memory-object';

export type RegionKind = 'text' | 'data' | 'bss' | 'heap' | 'stack' | 'mmap';

export interface Perms {
  readonly read: boolean;
  readonly write: boolean;
  readonly exec: boolean;
}

export interface Region {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  readonly mo: MemoryObject;
  /** The MemoryObject page mapped at start. */
  readonly moPage: number;
  readonly perms: Perms;
  readonly kind: RegionKind;
  /** The most protect may grant (the rights of the capability it was mapped with); none when absent. */
  readonly limit?: Perms;
  /** Bits the personality keeps per mapping (Linux: locked); the VSpace carries them through splits and never reads them. */
  readonly tags?: number;
}

export function permsWithin(p: Perms, limit: Perms): boolean {
  return (!p.read || limit.read) && (!p.write || limit.write) && (!p.exec || limit.exec);
}

export function hasAnyAccess(p: Perms): boolean {
  return p.read || p.write || p.exec;
}

/** The parts of r outside [start, end), with their MemoryObject offsets adjusted. */
export function regionOutside(r: Region, start: number, end: number, pageSize: number): Region[] {
  const out: Region[] = [];
  if (r.start < start) out.push({ ...r, end: Math.min(r.end, start) });
  if (r.end > end) {
    const s = Math.max(r.start, end);
    out.push({ ...r, start: s, moPage: r.moPage + (s - r.start) / pageSize });
  }
  return out;
}

/** The part of r inside [start, end), or null. */
export function regionInside(r: Region, start: number, end: number, pageSize: number): Region | null {
  const s = Math.max(r.start, start);
  const e = Math.min(r.end, end);
  if (s >= e) return null;
  return { ...r, start: s, end: e, moPage: r.moPage + (s - r.start) / pageSize };
}

/** The region of a sorted, non-overlapping list holding va, by binary search. */
export function regionHolding(list: readonly Region[], va: number): Region | undefined {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const r = list[mid];
    if (va < r.start) hi = mid - 1;
    else if (va >= r.end) lo = mid + 1;
    else return r;
  }
  return undefined;
}
