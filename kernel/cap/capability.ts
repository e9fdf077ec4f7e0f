// A capability: an object reference with rights, and its place in the derivation tree.

import type { CSpace } from './cspace';

/**
 * An object that lives while capabilities to it exist: the capability spaces
 * count the slots holding it and call lastCapGone when the count drops to zero.
 */
export interface CapTarget {
  capRefs: number;
  lastCapGone(): void;
}

export function isCapTarget(o: unknown): o is CapTarget {
  return typeof o === 'object' && o !== null && typeof (o as CapTarget).capRefs === 'number' && typeof (o as CapTarget).lastCapGone === 'function';
}

export class Capability {
  parent: Capability | null = null;
  readonly children = new Set<Capability>();
  cspace: CSpace | null = null;
  slot = -1;
  /** An endpoint or notification capability's badge (0: none): set by a mint, kept by every copy derived from it. */
  badge = 0;

  constructor(
    readonly object: unknown,
    readonly rights: number,
  ) {}

  /** Every capability derived from this one, directly or not. */
  descendants(): Capability[] {
    const out: Capability[] = [];
    const stack = [...this.children];
    while (stack.length > 0) {
      const c = stack.pop()!;
      out.push(c);
      stack.push(...c.children);
    }
    return out;
  }
}
