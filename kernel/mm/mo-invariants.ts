// The MemoryObject half of the tier invariants pass (tier-invariants.ts): walks
// every live object's chain of page stores and checks what the code relies
// on. A top store has one user and no reader; a frozen store is read by
// exactly its users, two or more (one left is merged by the collapse); a
// store with nothing below holds no tombstone; a frame's refs equal the
// store entries holding it, its PMM owner is 'mo-data' and its untyped (if
// any) still holds it; radix counts match their nodes; every reverse-map
// entry names a VSpace that records the same (object, page) at that address,
// over a page with a visible frame, before the pager's extent.

import type { Pmm } from './pmm';
import type { MemoryObject, MoInternals } from './memory-object';
import { lookup, TOMBSTONE, type PageFrame, type PageStore } from './page-store';
import { UntypedFrames } from './untyped-frames';
import { VSpace, type VSpaceInternals } from './vspace';

/** What the walk found, for the totals against the PMM. */
export interface MoCensus {
  /** Every frame a store entry holds, with the entries found holding it. */
  readonly frames: Map<PageFrame, number>;
  /** Radix-node frames of every store. */
  nodeFrames: number;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

interface StoreSeen {
  readonly name: string;
  readonly isTop: boolean;
  readonly pageCount: number;
}

/** Appends one line per violation to out; vspaces: the live ones (a reverse-map entry must name one). */
export function checkMemoryObjects(mos: Iterable<MemoryObject>, pmm: Pmm, vspaces: ReadonlySet<VSpace>, out: string[]): MoCensus {
  const census: MoCensus = { frames: new Map(), nodeFrames: 0 };
  const stores = new Map<PageStore, StoreSeen>();
  const tops = new Set<PageStore>();
  const list = [...mos];
  for (const mo of list) tops.add(mo.internals().top);
  for (const mo of list) {
    const name = `MemoryObject ${mo.id}`;
    if (mo.isDestroyed) {
      out.push(`${name}: destroyed but still in the live set`);
      continue;
    }
    const inner = mo.internals();
    checkChain(name, inner, tops, stores, mo.pageCount, out);
    checkRmap(name, mo, inner, vspaces, out);
  }
  for (const [store, seen] of stores) checkStore(store, seen, tops, pmm, census, out);
  checkFrames(census.frames, pmm, out);
  return census;
}

function checkChain(name: string, inner: MoInternals, tops: ReadonlySet<PageStore>, stores: Map<PageStore, StoreSeen>, pageCount: number, out: string[]): void {
  const top = inner.top;
  if (top.users !== 1) out.push(`${name}: its top store has ${top.users} users, not 1`);
  if (top.readers.size !== 0) out.push(`${name}: its top store is the backing of ${top.readers.size} other stores`);
  const limit = Math.max(inner.ctx.maxChainDepth, 2);
  let depth = 0;
  for (let s: PageStore | null = top; s; s = s.backing) {
    if (++depth > limit) {
      out.push(`${name}: chain deeper than ${limit} stores (clone flattens at ${inner.ctx.maxChainDepth})`);
      return;
    }
    if (!stores.has(s)) stores.set(s, { name: depth === 1 ? `${name} top store` : `${name} store ${depth} down`, isTop: tops.has(s), pageCount });
    if (s.backing && !s.backing.readers.has(s)) out.push(`${name}: store ${depth} down is not among its backing's readers`);
  }
}

function checkStore(store: PageStore, seen: StoreSeen, tops: ReadonlySet<PageStore>, pmm: Pmm, census: MoCensus, out: string[]): void {
  const name = seen.name;
  for (const p of store.tree.check()) out.push(`${name}: radix tree: ${p}`);
  for (const pa of store.tree.nodeFrames()) {
    census.nodeFrames++;
    const owner = pmm.ownerOf(pa);
    if (owner !== 'mo-meta') out.push(`${name}: radix node ${hex(pa)} is owned ${owner} in the PMM, not mo-meta`);
  }
  if (store.collapseDeferred && (seen.isTop || store.users !== 1 || store.readers.size !== 1)) out.push(`${name}: marked for a deferred merge but has ${store.users} users and ${store.readers.size} readers`);
  if (!seen.isTop) {
    if (store.users !== store.readers.size) out.push(`${name}: frozen store has ${store.users} users but ${store.readers.size} readers`);
    // One user is allowed only where the merge found no frame for a radix node (collapseDeferred).
    if (store.users < 2 && !(store.collapseDeferred && store.users === 1)) out.push(`${name}: frozen store with ${store.users} user(s) should have been merged into its reader (collapse left an orphan)`);
  }
  for (const r of store.readers) if (r.backing !== store) out.push(`${name}: a reader of this store reads through another one`);
  for (const r of store.readers) if (!tops.has(r) && r.users === 0) out.push(`${name}: a reader of this store was released`);
  let tombstones = 0;
  store.tree.forEach((i, e) => {
    if (i >= seen.pageCount) out.push(`${name}: entry at page ${i}, past the object's ${seen.pageCount} pages`);
    if (e === TOMBSTONE) tombstones++;
    else census.frames.set(e, (census.frames.get(e) ?? 0) + 1);
  });
  if (tombstones > 0 && store.backing === null) out.push(`${name}: ${tombstones} tombstone(s) with no backing store below to hide`);
}

function checkFrames(frames: ReadonlyMap<PageFrame, number>, pmm: Pmm, out: string[]): void {
  const byPa = new Map<number, PageFrame>();
  for (const [f, held] of frames) {
    const name = (): string => `frame ${hex(f.pa)}`;
    if (f.refs !== held) out.push(`${name()}: refs ${f.refs}, held by ${held} store entries`);
    const other = byPa.get(f.pa);
    if (other) out.push(`${name()}: two frame records for one physical frame (double allocation)`);
    byPa.set(f.pa, f);
    const owner = pmm.ownerOf(f.pa);
    if (owner !== 'mo-data') out.push(`${name()}: held by a MemoryObject but owned ${owner} in the PMM`);
    if (f.home instanceof UntypedFrames && !f.home.holds(f.pa)) out.push(`${name()}: its untyped no longer holds it`);
  }
}

/** What a VSpace records at va (its internals read once per VSpace: a big object has thousands of mappings). */
const recordedMaps = new WeakMap<VSpace, VSpaceInternals['mapped']>();
function recordedAt(vs: VSpace, va: number): ReturnType<VSpaceInternals['mapped']['get']> {
  let mapped = recordedMaps.get(vs);
  if (!mapped) recordedMaps.set(vs, (mapped = vs.internals().mapped));
  return mapped.get(va);
}

function checkRmap(name: string, mo: MemoryObject, inner: MoInternals, vspaces: ReadonlySet<VSpace>, out: string[]): void {
  let total = 0;
  const perSink = new Map<unknown, number>();
  const extent = mo.extent?.();
  for (const [page, list] of inner.rmap) {
    if (list.length === 0) out.push(`${name}: page ${page} has an empty reverse-map list`);
    if (page < 0 || page >= mo.pageCount) out.push(`${name}: reverse map names page ${page}, outside its ${mo.pageCount} pages`);
    if (extent !== undefined && page >= extent) out.push(`${name}: page ${page} is mapped, past its pager's extent of ${extent} pages`);
    if (list.length > 0 && !lookup(inner.top, page)) out.push(`${name}: page ${page} is mapped but no frame is visible there`);
    for (const m of list) {
      total++;
      perSink.set(m.sink, (perSink.get(m.sink) ?? 0) + 1);
      if (!(m.sink instanceof VSpace)) continue;
      const where = (): string => `${name}: page ${page} mapped at ${hex(m.va)} in VSpace ${(m.sink as VSpace).id}`;
      if (!vspaces.has(m.sink)) out.push(`${where()}, which is not live`);
      const rec = recordedAt(m.sink, m.va);
      if (!rec) out.push(`${where()}: the VSpace records no page there`);
      else if (rec.mo !== mo || rec.page !== page) out.push(`${where()}: the VSpace records page ${rec.page} of MemoryObject ${rec.mo.id} there`);
    }
  }
  if (total !== inner.mappings) out.push(`${name}: ${inner.mappings} mappings counted, ${total} in the reverse map`);
  if (perSink.size !== inner.sinks.size) out.push(`${name}: ${inner.sinks.size} sinks counted, ${perSink.size} in the reverse map`);
  for (const [sink, n] of inner.sinks) {
    if (perSink.get(sink) !== n) out.push(`${name}: a sink counted ${n} mappings, the reverse map has ${perSink.get(sink) ?? 0}`);
  }
}
