// A capability space: a process's slots of capabilities. Copy and mint derive
// a child capability (mint may only narrow rights); move keeps the derivation;
// delete removes one capability (its children move up to its parent); revoke
// removes every capability derived from one, in any capability space.

import { Capability, isCapTarget } from './capability';
import { ALL_RIGHTS, formatRights, isSubset } from './rights';

export class CapError extends Error {}

function release(cap: Capability): void {
  const o = cap.object;
  if (isCapTarget(o) && --o.capRefs === 0) o.lastCapGone();
}

export class CSpace {
  private readonly slots: (Capability | null)[];

  constructor(readonly slotCount: number) {
    this.slots = new Array<Capability | null>(slotCount).fill(null);
  }

  lookup(slot: number): Capability | null {
    this.checkSlot(slot);
    return this.slots[slot];
  }

  /** Install an original capability (the root of a derivation tree). */
  insertOriginal(slot: number, object: unknown, rights = ALL_RIGHTS): Capability {
    const cap = new Capability(object, rights);
    this.place(cap, slot);
    return cap;
  }

  /**
   * Install a capability to a new object as a child of parent (a retype: the
   * object's capability descends from its untyped's, so revoking that reaches it).
   */
  insertChild(parent: Capability, slot: number, object: unknown, rights = ALL_RIGHTS): Capability {
    this.checkEmpty(slot);
    const cap = new Capability(object, rights);
    cap.parent = parent;
    parent.children.add(cap);
    this.place(cap, slot);
    return cap;
  }

  copy(srcSlot: number, dst: CSpace, dstSlot: number): Capability {
    const src = this.occupied(srcSlot);
    return this.derive(src, src.rights, dst, dstSlot);
  }

  /** A copy with rights narrowed to rights and, when badge is not 0, that badge (the source must have none). */
  mint(srcSlot: number, dst: CSpace, dstSlot: number, rights: number, badge = 0): Capability {
    const src = this.occupied(srcSlot);
    if (!isSubset(rights, src.rights)) {
      throw new CapError(`mint: rights ${formatRights(rights)} are not within ${formatRights(src.rights)}`);
    }
    if (badge !== 0 && src.badge !== 0) throw new CapError(`mint: the capability in slot ${srcSlot} is badged already`);
    const cap = this.derive(src, rights, dst, dstSlot);
    if (badge !== 0) cap.badge = badge;
    return cap;
  }

  move(srcSlot: number, dst: CSpace, dstSlot: number): Capability {
    const cap = this.occupied(srcSlot);
    dst.checkEmpty(dstSlot);
    this.slots[srcSlot] = null;
    dst.place(cap, dstSlot, false);
    return cap;
  }

  delete(slot: number): Capability {
    const cap = this.occupied(slot);
    this.slots[slot] = null;
    cap.cspace = null;
    const parent = cap.parent;
    for (const child of cap.children) {
      child.parent = parent;
      parent?.children.add(child);
    }
    cap.children.clear();
    parent?.children.delete(cap);
    cap.parent = null;
    release(cap);
    return cap;
  }

  /** Delete every capability derived from the one in slot; the capability itself stays. */
  revoke(slot: number): Capability[] {
    const cap = this.occupied(slot);
    const gone = cap.descendants();
    for (const d of gone) {
      if (d.cspace) d.cspace.slots[d.slot] = null;
      d.cspace = null;
      d.parent = null;
      d.children.clear();
    }
    cap.children.clear();
    // Objects die after the tree is consistent: a dying capability space deletes its own slots.
    for (const d of gone) release(d);
    return gone;
  }

  /** Number of occupied slots. */
  get used(): number {
    return this.slots.reduce((n, c) => n + (c ? 1 : 0), 0);
  }

  private derive(src: Capability, rights: number, dst: CSpace, dstSlot: number): Capability {
    dst.checkEmpty(dstSlot);
    const cap = new Capability(src.object, rights);
    cap.badge = src.badge;
    cap.parent = src;
    src.children.add(cap);
    dst.place(cap, dstSlot);
    return cap;
  }

  /** Delete every capability held here (the space itself is being destroyed). */
  clear(): void {
    for (let s = 0; s < this.slotCount; s++) if (this.slots[s]) this.delete(s);
  }

  private place(cap: Capability, slot: number, counted = true): void {
    this.checkEmpty(slot);
    this.slots[slot] = cap;
    cap.cspace = this;
    cap.slot = slot;
    if (counted && isCapTarget(cap.object)) cap.object.capRefs++;
  }

  private occupied(slot: number): Capability {
    const cap = this.lookup(slot);
    if (!cap) throw new CapError(`slot ${slot} is empty`);
    return cap;
  }

  private checkEmpty(slot: number): void {
    if (this.lookup(slot)) throw new CapError(`slot ${slot} is occupied`);
  }

  private checkSlot(slot: number): void {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.slotCount) {
      throw new CapError(`slot ${slot} is outside the capability space (0..${this.slotCount - 1})`);
    }
  }
}
