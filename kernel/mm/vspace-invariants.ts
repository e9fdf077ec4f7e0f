// The VSpace half of the tier invariants pass (tier-invariants.ts). Regions:
// sorted, non-overlapping, page aligned, inside user space and inside their
// object, within their limit, counted per object. Pages recorded mapped: each
// inside a region of the same object at the same page, and in the object's
// reverse map. The hardware tables, walked through the arch interface: every
// leaf is a recorded page (no stale leaf), maps the frame its object shows
// there, is user, non-global, normal memory, no wider than the region's
// permissions, and writable only over a frame private to the object (else
// copy-on-write is broken); the tables reached equal the tables counted, each
// owned 'page table' and in one VSpace only. No exception: a user VSpace maps
// no device or direct-map page (the direct map lives in the kernel root).

import type { LeafEntry } from '../arch/arch';
import type { MemoryObject } from './memory-object';
import { lookup } from './page-store';
import type { Pmm } from './pmm';
import { hasAnyAccess, permsWithin, regionHolding, type Region } from './region';
import type { VSpace, VSpaceInternals } from './vspace';

const hex = (n: number): string => `0x${n.toString(16)}`;

/** Appends one line per violation to out; tableOwners: table frame -> VSpace id, across the VSpaces checked. */
export function checkVSpace(vs: VSpace, pmm: Pmm, liveMos: ReadonlySet<MemoryObject>, tableOwners: Map<number, number>, out: string[]): void {
  const name = `VSpace ${vs.id}`;
  if (vs.isDestroyed) {
    out.push(`${name}: destroyed but still in the live set`);
    return;
  }
  const inner = vs.internals();
  checkRegions(name, vs, liveMos, inner, out);
  checkRecorded(name, vs, inner, out);
  let recordedLeaves = 0;
  const insp = inner.arch.inspect(vs.root, (va, leaf) => {
    if (checkLeaf(name, vs, inner, va, leaf, out)) recordedLeaves++;
  });
  for (const p of insp.problems) out.push(`${name}: tables: ${p}`);
  // Leaves are at distinct addresses: as many recorded ones as recorded pages means none is missing.
  if (recordedLeaves !== inner.mapped.size) missingLeaves(name, vs, inner, out);
  const walked = insp.tables.length;
  const counted = inner.arch.countTables(vs.root);
  if (walked !== inner.tables || walked !== counted) out.push(`${name}: ${walked} tables reachable, ${inner.tables} counted by the VSpace, ${counted} by the arch layer`);
  for (const pa of insp.tables) {
    const owner = pmm.ownerOf(pa);
    if (owner !== 'page-table') out.push(`${name}: table ${hex(pa)} is owned ${owner} in the PMM`);
    const other = tableOwners.get(pa);
    if (other !== undefined) out.push(`${name}: table ${hex(pa)} is also a table of VSpace ${other}`);
    tableOwners.set(pa, vs.id);
  }
}

function missingLeaves(name: string, vs: VSpace, inner: VSpaceInternals, out: string[]): void {
  const leaves = new Set<number>();
  inner.arch.inspect(vs.root, (va) => leaves.add(va));
  for (const va of inner.mapped.keys()) if (!leaves.has(va)) out.push(`${name}: page recorded mapped at ${hex(va)} has no leaf in the tables`);
}

function checkRegions(name: string, vs: VSpace, liveMos: ReadonlySet<MemoryObject>, inner: VSpaceInternals, out: string[]): void {
  const { userBase, userTop } = vs.addressRange;
  const ps = vs.pageSize;
  const perMo = new Map<MemoryObject, number>();
  let prev: Region | undefined;
  for (const r of vs.regions) {
    const at = (): string => `${name}: region [${hex(r.start)}, ${hex(r.end)})`;
    if (r.start % ps !== 0 || r.end % ps !== 0 || r.end <= r.start) out.push(`${at()} is not a non-empty range of whole pages`);
    if (r.start < userBase || r.end > userTop) out.push(`${at()} lies outside user space`);
    if (prev && prev.end > r.start) out.push(`${at()} ${prev.start > r.start ? 'is out of order after' : 'overlaps'} [${hex(prev.start)}, ${hex(prev.end)})`);
    if (!Number.isInteger(r.moPage) || r.moPage < 0 || r.moPage + (r.end - r.start) / ps > r.mo.pageCount) {
      out.push(`${at()} maps pages ${r.moPage}+${(r.end - r.start) / ps} of MemoryObject ${r.mo.id}, which has ${r.mo.pageCount}`);
    }
    // A region over a destroyed object is allowed (its untyped was revoked: faults there are refused).
    if (!r.mo.isDestroyed && !liveMos.has(r.mo)) out.push(`${at()} maps MemoryObject ${r.mo.id}, which the MemoryManager does not track`);
    if (r.limit && !permsWithin(r.perms, r.limit)) out.push(`${at()} has permissions beyond its limit`);
    perMo.set(r.mo, (perMo.get(r.mo) ?? 0) + 1);
    prev = r;
  }
  if (perMo.size !== inner.moRegions.size) out.push(`${name}: ${inner.moRegions.size} objects counted as mapped, regions map ${perMo.size}`);
  for (const [mo, n] of perMo) {
    const counted = inner.moRegions.get(mo) ?? 0;
    if (counted !== n) out.push(`${name}: MemoryObject ${mo.id} has ${n} regions, ${counted} counted`);
  }
}

function checkRecorded(name: string, vs: VSpace, inner: VSpaceInternals, out: string[]): void {
  for (const [va, m] of inner.mapped) {
    const at = (): string => `${name}: page recorded at ${hex(va)}`;
    const r = regionAt(vs, va);
    if (!r) out.push(`${at()} lies in no region`);
    else if (r.mo !== m.mo || r.moPage + (va - r.start) / vs.pageSize !== m.page) {
      out.push(`${at()} is page ${m.page} of MemoryObject ${m.mo.id}, the region maps page ${r.moPage + (va - r.start) / vs.pageSize} of MemoryObject ${r.mo.id}`);
    }
    if (m.mo.isDestroyed) out.push(`${at()} belongs to destroyed MemoryObject ${m.mo.id}`);
    else if (!m.mo.mappingsOf(m.page).some((x) => x.sink === vs && x.va === va)) out.push(`${at()} (page ${m.page} of MemoryObject ${m.mo.id}) is missing from the object's reverse map`);
  }
}

/** Checks one leaf; true when a page is recorded mapped at its address. */
function checkLeaf(name: string, vs: VSpace, inner: VSpaceInternals, va: number, leaf: LeafEntry, out: string[]): boolean {
  const at = (): string => `${name}: leaf at ${hex(va)} -> ${hex(leaf.pa)}`;
  const m = inner.mapped.get(va);
  if (!m) {
    out.push(`${at()} is stale: no page is recorded mapped there`);
    return false;
  }
  const a = leaf.attrs;
  if (!a.user || a.global || a.device) out.push(`${at()} is not a user, non-global, normal-memory entry`);
  const r = regionAt(vs, va);
  if (r) {
    if (!hasAnyAccess(r.perms)) out.push(`${at()} lies in a region without access`);
    if ((a.write && !r.perms.write) || (a.exec && !r.perms.exec)) out.push(`${at()} allows ${a.write ? 'write' : 'exec'}, its region does not`);
  }
  if (m.mo.isDestroyed) return true;
  const top = m.mo.internals().top;
  const found = lookup(top, m.page);
  if (!found) out.push(`${at()}: MemoryObject ${m.mo.id} shows no frame at page ${m.page}`);
  else if (found.frame.pa !== leaf.pa) out.push(`${at()}: MemoryObject ${m.mo.id} holds ${hex(found.frame.pa)} at page ${m.page}`);
  else if (a.write && (found.store !== top || found.frame.refs !== 1)) {
    out.push(`${at()} is writable over a shared frame of MemoryObject ${m.mo.id} page ${m.page} (copy-on-write needs it read-only)`);
  }
  return true;
}

/** The region holding va, by a search of its own (the VSpace's lookup cache untouched). */
function regionAt(vs: VSpace, va: number): Region | undefined {
  return regionHolding(vs.regions, va);
}
