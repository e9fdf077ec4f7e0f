// MemoryObject frames retyped out of an Untyped (the seed's tiers: Untyped
// provides raw frames for MemoryObjects). Data pages are 'frame' objects,
// radix nodes 'mo-node' objects, so the PMM sees them go from
// untyped-reserved to MemoryObject data/metadata and back, and an object can
// never hold more than its untyped.
//
// Revoking the untyped gives every frame back: each MemoryObject that may
// read a frame of this untyped (one made from it, or a clone of one) is a
// dependent, destroyed by the untyped's revoke before its children go.

import type { PhysicalRam } from '../arch/arch';
import { MoFrames } from './page-store';
import type { Pmm } from './pmm';
import type { RetypedObject, Untyped } from './untyped';

import { UntypedExhausted } from './frame-shortage';

export { UntypedExhausted };

/** What UntypedFrames needs to destroy a dependent (the MemoryManager does the bookkeeping). */
export interface Dependent {
  readonly isDestroyed: boolean;
}

export class UntypedFrames extends MoFrames {
  private readonly objects = new Map<number, RetypedObject>();
  readonly dependents = new Set<Dependent>();

  constructor(
    pmm: Pmm,
    ram: PhysicalRam,
    readonly untyped: Untyped,
    destroy: (d: Dependent) => void,
  ) {
    super(pmm, ram);
    untyped.beforeRevoke = () => {
      for (const d of [...this.dependents]) destroy(d);
      this.dependents.clear();
    };
  }

  /** Frames (data or nodes) that can still be retyped. */
  get room(): number {
    return this.untyped.roomFor('frame');
  }

  /** Frames held now. */
  get held(): number {
    return this.objects.size;
  }

  /** Did this source retype the frame at pa (and not yet take it back)? */
  holds(pa: number): boolean {
    return this.objects.has(pa);
  }

  override alloc(): number {
    return this.carve('mo-node');
  }

  override free(pa: number): void {
    this.release(pa);
  }

  protected override allocData(): number {
    return this.carve('frame');
  }

  override freeData(pa: number): void {
    this.release(pa);
  }

  private carve(type: 'frame' | 'mo-node'): number {
    if (!this.untyped.hasRoomFor(type)) throw new UntypedExhausted(`untyped at 0x${this.untyped.pa.toString(16)} has no room for a ${type === 'frame' ? 'page' : 'radix node'}`);
    const obj = this.untyped.retype(type);
    this.objects.set(obj.pa, obj);
    return obj.pa;
  }

  private release(pa: number): void {
    const obj = this.objects.get(pa);
    if (!obj) throw new Error(`frame 0x${pa.toString(16)} was not retyped by this untyped's frames`);
    this.objects.delete(pa);
    if (obj.live) this.untyped.deleteObject(obj);
  }
}
