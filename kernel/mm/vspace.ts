// Tier 4, the VSpace: a process's address space. It owns no frames: it records
// regions (address range -> MemoryObject pages + permissions) and writes the
// hardware tables only through the arch interface.

import type { ArchMmu, PageAttrs, TableFrames, TableRoot } from '../arch/arch';
import type { AsidAllocator, AsidTag } from './asid';
import type { MappingSink, MemoryObject } from './memory-object';
import { hasAnyAccess, regionHolding, regionInside, regionOutside, type Perms, type Region, type RegionKind } from './region';

export interface VSpaceContext {
  readonly arch: ArchMmu;
  readonly tableFrames: TableFrames;
  readonly asids: AsidAllocator;
}

interface MappedPage {
  readonly mo: MemoryObject;
  readonly page: number;
}

/** A VSpace's bookkeeping, read by the invariants pass (kernel/mm/vspace-invariants.ts) only. */
export interface VSpaceInternals {
  readonly arch: ArchMmu;
  readonly mapped: ReadonlyMap<number, MappedPage>;
  readonly moRegions: ReadonlyMap<MemoryObject, number>;
  /** Tables counted as they come and go. */
  readonly tables: number;
  readonly asidTag: AsidTag;
}

export function userAttrs(p: Perms, write: boolean): PageAttrs {
  return { read: p.read || p.write || p.exec, write, exec: p.exec, user: true, global: false, device: false };
}

let nextId = 1;

export class VSpace implements MappingSink {
  readonly id = nextId++;
  readonly root: TableRoot;
  private asidTag: AsidTag;
  /** Sorted by start; regions never overlap. */
  private regionList: Region[] = [];
  /** The region the last lookup found (faults come in runs within one region). */
  private lastFound: Region | undefined;
  private readonly mapped = new Map<number, MappedPage>();
  /** How many regions map each object. */
  private readonly moRegions = new Map<MemoryObject, number>();
  private destroyed = false;
  /** Translation tables held now, root included (counted as they come and go, for the OOM killer's badness). */
  private tables = 0;

  constructor(private readonly ctx: VSpaceContext) {
    this.root = ctx.arch.createRoot(this.countedFrames(ctx.tableFrames));
    this.asidTag = ctx.asids.assign();
    this.root.asid = this.asidTag.asid;
  }

  get pageSize(): number {
    return this.ctx.arch.constants.pageSize;
  }

  /** The user address range [userBase, userTop) this VSpace's regions must lie in. */
  get addressRange(): { readonly userBase: number; readonly userTop: number } {
    return this.ctx.arch.constants;
  }

  get regions(): readonly Region[] {
    return this.regionList;
  }

  get mappedPages(): number {
    return this.mapped.size;
  }

  get tablePages(): number {
    return this.destroyed ? 0 : this.tables;
  }

  /** For the invariants pass: the structures themselves, to read and never change. */
  internals(): VSpaceInternals {
    return { arch: this.ctx.arch, mapped: this.mapped, moRegions: this.moRegions, tables: this.tables, asidTag: this.asidTag };
  }

  /** The tables as a walk from the root finds them (the audit compares it with tablePages). */
  countTablesByWalk(): number {
    return this.ctx.arch.countTables(this.root);
  }

  private countedFrames(inner: TableFrames): TableFrames {
    const counted: TableFrames = {
      alloc: () => {
        const pa = inner.alloc();
        this.tables++;
        return pa;
      },
      free: (pa) => {
        inner.free(pa);
        this.tables--;
      },
    };
    const root = inner.allocRoot?.bind(inner);
    if (root) {
      counted.allocRoot = () => {
        const pa = root();
        this.tables++;
        return pa;
      };
    }
    return counted;
  }

  /** The root and ASID to load on a switch to this address space; takes a fresh ASID after a rollover. */
  activate(): TableRoot {
    if (!this.ctx.asids.isCurrent(this.asidTag)) {
      this.asidTag = this.ctx.asids.assign();
      this.root.asid = this.asidTag.asid;
    }
    return this.root;
  }

  /** Regions intersecting [start, end), in address order. */
  regionsIn(start: number, end: number): Region[] {
    const list = this.regionList;
    const out: Region[] = [];
    for (let i = this.firstEndingAfter(start); i < list.length && list[i].start < end; i++) out.push(list[i]);
    return out;
  }

  /** Does any region intersect [start, end)? */
  overlaps(start: number, end: number): boolean {
    const i = this.firstEndingAfter(start);
    return i < this.regionList.length && this.regionList[i].start < end;
  }

  /** The lowest region intersecting [start, end), if any. */
  firstOverlapping(start: number, end: number): Region | undefined {
    const r = this.regionList[this.firstEndingAfter(start)];
    return r !== undefined && r.start < end ? r : undefined;
  }

  /** Does any region map mo? */
  maps(mo: MemoryObject): boolean {
    return (this.moRegions.get(mo) ?? 0) > 0;
  }

  /** The index of the first region that ends after va (the list's length when none does). */
  private firstEndingAfter(va: number): number {
    const list = this.regionList;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid].end <= va) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Replaces the regions intersecting [start, end) by what edit makes of
   * each (in address order, within the old region's range): the list stays
   * sorted without a sort, and the per-object counts follow.
   */
  private editRange(start: number, end: number, edit: (r: Region) => Region[]): void {
    const list = this.regionList;
    const first = this.firstEndingAfter(start);
    let last = first;
    while (last < list.length && list[last].start < end) last++;
    if (last === first) return;
    const replaced: Region[] = [];
    for (let i = first; i < last; i++) {
      const r = list[i];
      this.countRegion(r.mo, -1);
      for (const part of edit(r)) {
        this.countRegion(part.mo, 1);
        replaced.push(part);
      }
    }
    list.splice(first, last - first, ...replaced);
    this.lastFound = undefined;
  }

  private countRegion(mo: MemoryObject, delta: number): void {
    const n = (this.moRegions.get(mo) ?? 0) + delta;
    if (n > 0) this.moRegions.set(mo, n);
    else this.moRegions.delete(mo);
  }

  findRegion(va: number): Region | undefined {
    const hit = this.lastFound;
    if (hit && va >= hit.start && va < hit.end) return hit;
    const r = regionHolding(this.regionList, va);
    if (r) this.lastFound = r;
    return r;
  }

  map(start: number, length: number, mo: MemoryObject, moPage: number, perms: Perms, kind: RegionKind, limit?: Perms): Region {
    this.checkRange(start, length);
    const end = start + length;
    if (this.overlaps(start, end)) {
      throw new Error(`VSpace ${this.id}: [0x${start.toString(16)}, 0x${end.toString(16)}) overlaps a region`);
    }
    if (moPage < 0 || moPage + length / this.pageSize > mo.pageCount) {
      throw new Error(`VSpace ${this.id}: MemoryObject ${mo.id} has ${mo.pageCount} pages, region needs ${moPage}+${length / this.pageSize}`);
    }
    const region: Region = limit ? { start, end, mo, moPage, perms, kind, limit } : { start, end, mo, moPage, perms, kind };
    this.regionList.splice(this.firstEndingAfter(start), 0, region);
    this.countRegion(mo, 1);
    this.lastFound = undefined;
    return region;
  }

  unmap(start: number, length: number): void {
    this.checkRange(start, length);
    const end = start + length;
    this.editRange(start, end, (r) => regionOutside(r, start, end, this.pageSize));
    for (const va of this.mappedIn(start, end)) this.dropPage(va, true);
  }

  protect(start: number, length: number, perms: Perms): void {
    this.checkRange(start, length);
    const end = start + length;
    this.editRange(start, end, (r) => this.split(r, start, end, (inside) => ({ ...inside, perms })));
    for (const va of this.mappedIn(start, end)) {
      if (!hasAnyAccess(perms)) {
        this.dropPage(va, true);
        continue;
      }
      const entry = this.ctx.arch.query(this.root, va)!;
      // Write permission is only ever lowered here: a page that must be copied first gains it in the fault path.
      this.ctx.arch.protect(this.root, va, userAttrs(perms, perms.write && entry.attrs.write), { cow: entry.cow, old: !entry.accessed });
    }
  }

  /** Set and clear tag bits on [start, start+length), splitting regions at its ends; the tables are untouched. */
  retag(start: number, length: number, set: number, clear: number): void {
    this.checkRange(start, length);
    const end = start + length;
    this.editRange(start, end, (r) => {
      const tags = ((r.tags ?? 0) | set) & ~clear;
      return tags === (r.tags ?? 0) ? [r] : this.split(r, start, end, (inside) => ({ ...inside, tags }));
    });
  }

  /** The region at r.start starts lower, at start, over free addresses, with its object's pages below (a stack growing down). */
  extendDown(r: Region, start: number): void {
    const pages = (r.start - start) / this.pageSize;
    if (!Number.isInteger(pages) || pages <= 0 || pages > r.moPage || this.overlaps(start, r.start)) throw new Error(`VSpace ${this.id}: cannot extend a region down to 0x${start.toString(16)}`);
    this.editRange(r.start, r.start + 1, (x) => [{ ...x, start, moPage: x.moPage - pages }]);
  }

  /** r cut at start and end, its part inside changed by change; the parts in address order. */
  private split(r: Region, start: number, end: number, change: (inside: Region) => Region): Region[] {
    const inside = regionInside(r, start, end, this.pageSize);
    if (!inside) return [r];
    const [before, after] = [r.start < start ? { ...r, end: start } : null, r.end > end ? regionOutside(r, start, end, this.pageSize).at(-1)! : null];
    return [before, change(inside), after].filter((x): x is Region => x !== null);
  }

  /** Write the hardware entry for one page of a region and record it in the object's reverse map. */
  installPage(va: number, region: Region, pa: number, writable: boolean, cow: boolean, sharedFrame = false): void {
    const page = region.moPage + (va - region.start) / this.pageSize;
    const prior = this.mapped.get(va);
    if (prior && (prior.mo !== region.mo || prior.page !== page)) this.dropPage(va, true);
    const fresh = !this.mapped.has(va);
    // A shared page's record is charged first: when guest memory is spent nothing has changed.
    const charged = fresh ? region.mo.chargeMapping(page, sharedFrame) : 0;
    try {
      this.ctx.arch.map(this.root, va, pa, userAttrs(region.perms, writable), { cow });
    } catch (e) {
      region.mo.unchargeMapping(charged);
      throw e;
    }
    if (fresh) {
      this.mapped.set(va, { mo: region.mo, page });
      region.mo.addMapping(page, this, va, charged);
    }
  }

  onUnmapped(va: number): void {
    this.ctx.arch.unmap(this.root, va, true);
    this.mapped.delete(va);
  }

  writeProtectObject(mo: MemoryObject): number {
    let written = 0;
    // A region without write permission has no writable entry to take back.
    for (const r of this.regionList) {
      if (r.mo !== mo || !r.perms.write) continue;
      const n = this.ctx.arch.writeProtectRange(this.root, r.start, r.end);
      written += n.tables + n.leaves;
    }
    return written;
  }

  /** Before a write fault is resolved: lift table-level write protection from va's walk. */
  splitWriteProtection(va: number): number {
    return this.ctx.arch.splitWriteProtection(this.root, va);
  }

  /** Is the page at va (page-aligned) resident: faulted in and mapped? */
  isResident(va: number): boolean {
    return this.mapped.has(va);
  }

  /** Pages of [start, end) (page-aligned) that are faulted in and mapped. */
  residentIn(start: number, end: number): number {
    return this.mappedIn(start, end).length;
  }

  /** The physical address the page at va (page-aligned) maps, or undefined when it is not mapped. */
  frameOf(va: number): number | undefined {
    return this.mapped.has(va) ? this.ctx.arch.query(this.root, va)?.pa : undefined;
  }

  /** Set the access flag of the page at va (resolves an access-flag fault). */
  markAccessed(va: number): boolean {
    return this.mapped.has(va) && this.ctx.arch.markAccessed(this.root, va);
  }

  /** Clear the access flag of every mapped page in the range: their next access faults (page aging). */
  age(start: number, length: number): number {
    this.checkRange(start, length);
    let n = 0;
    for (const va of this.mappedIn(start, start + length)) {
      const entry = this.ctx.arch.query(this.root, va)!;
      this.ctx.arch.protect(this.root, va, entry.attrs, { cow: entry.cow, old: true });
      n++;
    }
    return n;
  }

  /** Unmap everything and return the translation tables; the MemoryObjects live on. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const va of [...this.mapped.keys()]) this.dropPage(va, false);
    for (const pa of this.ctx.arch.destroyRoot(this.root)) this.ctx.tableFrames.free(pa);
    this.tables = 0;
    this.ctx.asids.release(this.asidTag);
    this.regionList = [];
    this.moRegions.clear();
    this.lastFound = undefined;
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  private dropPage(va: number, clearEntry: boolean): void {
    const m = this.mapped.get(va);
    if (!m) return;
    if (clearEntry) this.ctx.arch.unmap(this.root, va, true);
    this.mapped.delete(va);
    m.mo.removeMapping(m.page, this, va);
  }

  /** Mapped pages in [start, end): probe the range or scan the map, whichever is shorter. */
  private mappedIn(start: number, end: number): number[] {
    const pages = (end - start) / this.pageSize;
    if (pages > this.mapped.size) return [...this.mapped.keys()].filter((va) => va >= start && va < end);
    const out: number[] = [];
    for (let va = start; va < end; va += this.pageSize) if (this.mapped.has(va)) out.push(va);
    return out;
  }

  private checkRange(start: number, length: number): void {
    if (this.destroyed) throw new Error(`VSpace ${this.id} is destroyed`);
    const { userBase, userTop, pageSize } = this.ctx.arch.constants;
    if (start % pageSize !== 0 || length % pageSize !== 0 || length <= 0) {
      throw new Error(`VSpace ${this.id}: range 0x${start.toString(16)}+0x${length.toString(16)} is not page aligned`);
    }
    if (start < userBase || start + length > userTop) {
      throw new Error(`VSpace ${this.id}: range 0x${start.toString(16)}+0x${length.toString(16)} is outside user space`);
    }
  }
}
