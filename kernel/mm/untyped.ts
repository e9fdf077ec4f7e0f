// Tier 2, Untyped memory: a power-of-two region of RAM from which typed kernel
// objects are carved by a watermark, with a free list per object size for reuse.

import { PAGE_SIZE } from '../arch/arch';
import { frameOwnerOf, OBJECT_SIZE, type ObjectType } from './kernel-object';
import type { Pmm } from './pmm';

export interface RetypedObject {
  readonly type: ObjectType;
  /** Physical address of the object's bytes inside the untyped region. */
  readonly pa: number;
  readonly size: number;
  readonly untyped: Untyped;
  /** The JavaScript object this kernel object is (set by whoever created it). */
  payload?: unknown;
  /** Called when the object is deleted or its untyped revoked. */
  onDestroy?: () => void;
  live: boolean;
}

export const MIN_UNTYPED_BITS = 12;

export class Untyped {
  readonly pa: number;
  readonly size: number;
  private watermark = 0;
  private readonly freeLists = new Map<number, number[]>();
  private readonly children = new Map<number, RetypedObject>();
  /** Live objects overlapping each frame of the region. */
  private readonly frameUsers: Uint16Array;
  private destroyed = false;
  /** Bytes of the live children (kept as they come and go: an untyped may hold tens of thousands of frames). */
  private used = 0;
  /**
   * Called first by revoke: objects elsewhere that read frames of this
   * untyped (MemoryObject clones, kernel/mm/untyped-frames.ts) are destroyed
   * so that every frame comes back.
   */
  beforeRevoke: (() => void) | undefined;

  constructor(private readonly pmm: Pmm, readonly sizeBits: number) {
    if (!Number.isInteger(sizeBits) || sizeBits < MIN_UNTYPED_BITS || sizeBits > 32) {
      throw new Error(`Untyped: size 2^${sizeBits} must be between 2^${MIN_UNTYPED_BITS} and 2^32`);
    }
    this.size = 2 ** sizeBits;
    const frames = this.size / PAGE_SIZE;
    this.pa = pmm.allocContiguous(frames, frames, 'untyped-reserved');
    this.frameUsers = new Uint16Array(frames);
  }

  get liveChildren(): number {
    return this.children.size;
  }

  /** Bytes held by live objects. */
  get usedBytes(): number {
    return this.used;
  }

  get freeBytes(): number {
    return this.size - this.usedBytes;
  }

  /** Whether a retype of this type would succeed now. */
  hasRoomFor(type: ObjectType): boolean {
    if (this.destroyed) return false;
    const size = OBJECT_SIZE[type];
    if ((this.freeLists.get(size)?.length ?? 0) > 0) return true;
    return Math.ceil(this.watermark / size) * size + size <= this.size;
  }

  /** How many objects of this type fit in what is left (free slots of its size plus the space above the watermark). */
  roomFor(type: ObjectType): number {
    if (this.destroyed) return 0;
    const size = OBJECT_SIZE[type];
    const above = Math.max(0, Math.floor((this.size - Math.ceil(this.watermark / size) * size) / size));
    return (this.freeLists.get(size)?.length ?? 0) + above;
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  /** The live object whose bytes start at pa, if any. */
  childAt(pa: number): RetypedObject | undefined {
    return this.children.get(pa - this.pa);
  }

  retype(type: ObjectType): RetypedObject {
    if (this.destroyed) throw new Error('Untyped: retype of a destroyed untyped');
    const size = OBJECT_SIZE[type];
    const offset = this.freeLists.get(size)?.pop() ?? this.bumpWatermark(size, type);
    const obj: RetypedObject = { type, pa: this.pa + offset, size, untyped: this, live: true };
    this.children.set(offset, obj);
    this.used += size;
    this.chargeFrames(obj, +1);
    return obj;
  }

  /** Delete one object: its memory goes to the free list of its size. */
  deleteObject(obj: RetypedObject): void {
    if (obj.untyped !== this || !obj.live) throw new Error(`Untyped: ${obj.type} at 0x${obj.pa.toString(16)} is not a live child`);
    obj.live = false;
    this.children.delete(obj.pa - this.pa);
    this.used -= obj.size;
    this.chargeFrames(obj, -1);
    const list = this.freeLists.get(obj.size) ?? [];
    list.push(obj.pa - this.pa);
    this.freeLists.set(obj.size, list);
    // Last: what the object held may hold the last capability to this very
    // untyped (a capability space holding its maker's), whose revoke must then
    // find this object gone already.
    obj.onDestroy?.();
  }

  /** Start carving afresh. Refused while any child lives. */
  reset(): void {
    if (this.children.size > 0) throw new Error(`Untyped: reset refused, ${this.children.size} objects still live`);
    this.watermark = 0;
    this.freeLists.clear();
  }

  /** Delete every child (newest first), then reset: all memory returns to the untyped. */
  revoke(): void {
    this.beforeRevoke?.();
    // Objects first, translation tables last: deleting a VSpace frees its own tables.
    const objs = [...this.children.values()].reverse();
    for (const o of objs) if (o.live && o.type !== 'page-table') this.deleteObject(o);
    for (const o of objs) if (o.live) this.deleteObject(o);
    this.reset();
  }

  /** Revoke and hand the region back to the PMM. */
  destroy(): void {
    if (this.destroyed) return;
    this.revoke();
    this.pmm.freeContiguous(this.pa, this.size / PAGE_SIZE, 'untyped-reserved');
    this.destroyed = true;
  }

  private bumpWatermark(size: number, type: ObjectType): number {
    const offset = Math.ceil(this.watermark / size) * size;
    if (offset + size > this.size) {
      throw new Error(`Untyped: no room for a ${type} of ${size} bytes (watermark ${this.watermark} of ${this.size})`);
    }
    this.watermark = offset + size;
    return offset;
  }

  private chargeFrames(obj: RetypedObject, delta: 1 | -1): void {
    const owner = frameOwnerOf(obj.type);
    const first = Math.floor((obj.pa - this.pa) / PAGE_SIZE);
    const last = Math.floor((obj.pa - this.pa + obj.size - 1) / PAGE_SIZE);
    for (let f = first; f <= last; f++) {
      const before = this.frameUsers[f];
      this.frameUsers[f] = before + delta;
      const pa = this.pa + f * PAGE_SIZE;
      if (before === 0 && delta > 0) this.pmm.transfer(pa, 1, 'untyped-reserved', owner);
      if (before === 1 && delta < 0) this.pmm.transfer(pa, 1, owner, 'untyped-reserved');
    }
  }
}
