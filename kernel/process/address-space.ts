// A process's memory as the Linux personality sees it: the VSpace, the brk
// heap, where the next mmap goes, and which MemoryObjects are shared (never
// cloned on fork). Threads and vfork children share one AddressSpace.

import { PAGE_SIZE } from '../arch/arch';
import type { MemoryManager } from '../mm/memory-manager';
import type { MemoryObject } from '../mm/memory-object';
import type { VSpace } from '../mm/vspace';
import type { PhysicalRam } from '../arch/arch';
import { MMAP_TOP } from './process-image';
import { copyMappedFile } from './mapped-file';
import { UserMemory } from './user-memory';

export const HEAP_LIMIT = 1 << 30;

export class AddressSpace {
  readonly vs: VSpace;
  readonly user: UserMemory;
  brkStart = 0;
  brk = 0;
  mmapNext = MMAP_TOP;
  /** Where the vDSO is mapped (0: none), for /proc/PID/maps. */
  vdso = 0;
  heap: MemoryObject | undefined;
  /** MAP_SHARED objects: a fork maps the same object in the child. */
  readonly shared = new Set<MemoryObject>();
  /** How many processes use this space (vfork and CLONE_VM children share it; threads do not count). */
  users = 1;

  constructor(
    readonly mm: MemoryManager,
    private readonly ram: PhysicalRam,
    vs?: VSpace,
  ) {
    this.vs = vs ?? mm.createVSpace();
    this.user = new UserMemory(mm, this.vs, ram);
  }

  /** A copy-on-write copy for fork: every private object is cloned, shared ones are mapped as they are. */
  fork(refs: MoRefs): AddressSpace {
    const started = performance.now();
    const writes = this.mm.arch.entryWrites;
    const before = writes.upper + writes.leaves;
    const child = new AddressSpace(this.mm, this.ram);
    const clones = new Map<MemoryObject, MemoryObject>();
    try {
      this.copyRegionsInto(child, clones, refs);
    } catch (e) {
      // Guest memory ran out part way (a clone's charge): nothing of the child may stay.
      child.destroy(refs);
      throw e;
    }
    child.brkStart = this.brkStart;
    child.brk = this.brk;
    child.mmapNext = this.mmapNext;
    child.vdso = this.vdso;
    child.heap = this.heap ? clones.get(this.heap) : undefined;
    const c = this.mm.counters;
    c.forks++;
    c.forkEntries += writes.upper + writes.leaves - before;
    c.forkMs += performance.now() - started;
    return child;
  }

  private copyRegionsInto(child: AddressSpace, clones: Map<MemoryObject, MemoryObject>, refs: MoRefs): void {
    for (const r of this.vs.regions) {
      let mo = clones.get(r.mo);
      if (!mo) {
        mo = this.shared.has(r.mo) ? r.mo : this.mm.clone(r.mo);
        copyMappedFile(r.mo, mo);
        if (mo === r.mo) child.shared.add(mo);
        clones.set(r.mo, mo);
        refs.retain(mo);
      }
      child.vs.map(r.start, r.end - r.start, mo, r.moPage, r.perms, r.kind);
    }
  }

  /** Counts a reference for every object mapped so far (after the image loader mapped them directly). */
  adoptAll(refs: MoRefs): void {
    for (const mo of new Set(this.vs.regions.map((r) => r.mo))) refs.retain(mo);
  }

  /** Place for a new mapping of len bytes with no fixed address: below the last one, in a gap. */
  findFree(len: number): number {
    let top = this.mmapNext;
    for (;;) {
      const start = top - len;
      const clash = this.vs.firstOverlapping(start, top);
      if (!clash) {
        this.mmapNext = start;
        return start;
      }
      top = clash.start;
      if (top < 0x1000_0000) return -1;
    }
  }

  /** Unmaps everything and drops this space's references to its objects. */
  destroy(refs: MoRefs): void {
    const mos = new Set(this.vs.regions.map((r) => r.mo));
    this.mm.destroyVSpace(this.vs);
    for (const mo of mos) refs.release(mo);
  }

  unmap(start: number, len: number, refs: MoRefs): void {
    const touched = new Set(this.vs.regionsIn(start, start + len).map((r) => r.mo));
    this.vs.unmap(start, len);
    for (const mo of touched) if (!this.vs.maps(mo)) refs.release(mo);
  }

  map(start: number, len: number, mo: MemoryObject, moPage: number, perms: { read: boolean; write: boolean; exec: boolean }, kind: 'text' | 'data' | 'bss' | 'heap' | 'stack' | 'mmap', refs: MoRefs): void {
    const had = this.vs.maps(mo);
    this.vs.map(start, len, mo, moPage, perms, kind);
    if (!had) refs.retain(mo);
  }
}

/** Counts the address spaces that map each MemoryObject; the last one out destroys it. */
export class MoRefs {
  private readonly counts = new Map<MemoryObject, number>();

  constructor(private readonly mm: MemoryManager) {}

  retain(mo: MemoryObject): void {
    this.counts.set(mo, (this.counts.get(mo) ?? 0) + 1);
  }

  release(mo: MemoryObject): void {
    const n = (this.counts.get(mo) ?? 1) - 1;
    if (n > 0) {
      this.counts.set(mo, n);
      return;
    }
    this.counts.delete(mo);
    if (!mo.isDestroyed) this.mm.destroyMemoryObject(mo);
  }
}

export const pageUp = (a: number): number => Math.ceil(a / PAGE_SIZE) * PAGE_SIZE;
