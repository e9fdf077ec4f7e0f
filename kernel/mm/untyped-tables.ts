// Translation-table frames carved from Untyped memory: a root is retyped as a
// 'vspace' object, every other table as a 'page-table' object, so the PMM tags
// them 'page table' through the untyped and deleting them returns the bytes to it.
// The source is either one untyped (a VSpace a process retyped: its tables are
// charged to that untyped) or the kernel's growing pool of small untypeds.

import type { TableFrames } from '../arch/arch';
import type { ObjectType } from './kernel-object';
import { MIN_UNTYPED_BITS, Untyped, type RetypedObject } from './untyped';
import { OutOfFrames, type Pmm } from './pmm';

export interface UntypedSource {
  /** An untyped with room for one object of this type; throws when there is none. */
  take(type: ObjectType): Untyped;
  /** An object of u was deleted. */
  released(u: Untyped): void;
}

export class UntypedTables implements TableFrames {
  private readonly objects = new Map<number, RetypedObject>();

  constructor(readonly source: UntypedSource) {}

  alloc(): number {
    return this.carve('page-table');
  }

  allocRoot(): number {
    return this.carve('vspace');
  }

  free(pa: number): void {
    const obj = this.objects.get(pa);
    if (!obj) throw new Error(`table frame 0x${pa.toString(16)} was not carved by this allocator`);
    this.objects.delete(pa);
    // A root deleted by its untyped's revoke is already dead when its VSpace gives its frames back.
    if (obj.live) obj.untyped.deleteObject(obj);
    this.source.released(obj.untyped);
  }

  /** Table objects held now. */
  get count(): number {
    return this.objects.size;
  }

  objectAt(pa: number): RetypedObject | undefined {
    return this.objects.get(pa);
  }

  private carve(type: ObjectType): number {
    const obj = this.source.take(type).retype(type);
    this.objects.set(obj.pa, obj);
    return obj.pa;
  }
}

export class NoRoomForTable extends Error {}

/** Every table comes from one untyped. */
export class FixedUntyped implements UntypedSource {
  constructor(readonly untyped: Untyped) {}

  take(type: ObjectType): Untyped {
    if (!this.untyped.hasRoomFor(type)) throw new NoRoomForTable(`untyped at 0x${this.untyped.pa.toString(16)} has no room for a ${type}`);
    return this.untyped;
  }

  released(): void {}
}

/**
 * The kernel's own tables (kernel root, VSpaces the kernel creates): untypeds of
 * 2^chunkBits bytes taken from the PMM when the ones held are full, handed back
 * as soon as they hold nothing.
 */
export class UntypedPool implements UntypedSource {
  private readonly chunks = new Set<Untyped>();
  /** Chunks that may have room, most recently useful last. */
  private readonly withRoom: Untyped[] = [];
  private readonly listed = new Set<Untyped>();
  /** The last search for a free run of 2^chunkBits bytes failed. */
  private fragmented = false;

  constructor(private readonly pmm: Pmm, readonly chunkBits = 16) {}

  take(type: ObjectType): Untyped {
    while (this.withRoom.length > 0) {
      const u = this.withRoom[this.withRoom.length - 1];
      if (u.hasRoomFor(type)) return u;
      this.withRoom.pop();
      this.listed.delete(u);
    }
    const u = this.newChunk();
    this.chunks.add(u);
    this.list(u);
    return u;
  }

  released(u: Untyped): void {
    if (!this.chunks.has(u)) return;
    if (u.liveChildren === 0) {
      this.chunks.delete(u);
      if (this.listed.delete(u)) this.withRoom.splice(this.withRoom.indexOf(u), 1);
      u.destroy();
      this.fragmented = false;
      return;
    }
    this.list(u);
  }

  get untypeds(): ReadonlySet<Untyped> {
    return this.chunks;
  }

  /** A chunk of 2^chunkBits bytes, or of one frame when RAM is too fragmented for that (single frames charged elsewhere break up the runs). */
  private newChunk(): Untyped {
    if (!this.fragmented) {
      try {
        return new Untyped(this.pmm, this.chunkBits);
      } catch (e) {
        if (!(e instanceof OutOfFrames) || this.chunkBits === MIN_UNTYPED_BITS) throw e;
        // Until a chunk goes back, do not search RAM for a run again on every table.
        this.fragmented = true;
      }
    }
    return new Untyped(this.pmm, MIN_UNTYPED_BITS);
  }

  private list(u: Untyped): void {
    if (this.listed.has(u)) return;
    this.listed.add(u);
    this.withRoom.push(u);
  }
}
