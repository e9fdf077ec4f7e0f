// ASID (PCID) allocation with generations: when the identifiers run out, the
// generation advances, the whole TLB is flushed, and every address space takes
// a fresh identifier the next time it is activated. ASID 0 stays the kernel's.

import type { TlbHooks } from '../arch/arch';

export interface AsidTag {
  readonly asid: number;
  readonly generation: number;
}

export class AsidAllocator {
  private generationNow = 1;
  private next = 1;
  private readonly freed: number[] = [];
  readonly limit: number;
  /** Statistics: identifiers handed out (reuses included), the highest one, generation rollovers. */
  assigned = 0;
  highest = 0;
  rollovers = 0;

  constructor(bits: number, private readonly tlb: TlbHooks) {
    this.limit = 2 ** bits;
  }

  get generation(): number {
    return this.generationNow;
  }

  assign(): AsidTag {
    this.assigned++;
    const reused = this.freed.pop();
    if (reused !== undefined) return { asid: reused, generation: this.generationNow };
    if (this.next >= this.limit) this.rollover();
    if (this.next > this.highest) this.highest = this.next;
    return { asid: this.next++, generation: this.generationNow };
  }

  release(tag: AsidTag): void {
    if (tag.generation !== this.generationNow) return;
    this.tlb.invalidateAsid(tag.asid);
    this.freed.push(tag.asid);
  }

  /** Identifiers released in this generation, to hand out again (the invariants pass reads it). */
  get freedAsids(): readonly number[] {
    return this.freed;
  }

  isCurrent(tag: AsidTag): boolean {
    return tag.generation === this.generationNow;
  }

  private rollover(): void {
    this.rollovers++;
    this.generationNow++;
    this.next = 1;
    this.freed.length = 0;
    this.tlb.invalidateAll();
  }
}
