// Guest memory charged for something whose bytes the host holds elsewhere
// (the writable layer's file data): frames taken from the PMM under one
// owner and kept, untouched, until the charge is given back. The guest's
// free RAM shrinks by exactly the charge, so -m bounds the sum.

import type { FrameOwner } from './frame-owner';
import type { Pmm } from './pmm';

export class ChargedFrames {
  private readonly frames: number[] = [];

  constructor(
    private readonly pmm: Pmm,
    readonly owner: Exclude<FrameOwner, 'free'>,
  ) {}

  /** Frames held now. */
  get count(): number {
    return this.frames.length;
  }

  /** Takes pages frames; throws OutOfFrames (holding none of them) when RAM is exhausted. */
  take(pages: number): void {
    const before = this.frames.length;
    try {
      for (let i = 0; i < pages; i++) this.frames.push(this.pmm.alloc(this.owner));
    } catch (e) {
      this.give(this.frames.length - before);
      throw e;
    }
  }

  give(pages: number): void {
    if (pages > this.frames.length) throw new Error(`charged frames: giving back ${pages} of ${this.frames.length} ${this.owner} frames`);
    for (let i = 0; i < pages; i++) this.pmm.free(this.frames.pop()!, this.owner);
  }
}
