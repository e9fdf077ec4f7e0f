// A capability: an object reference with rights, and its place in the derivation tree.

import type { CSpace } from './cspace';

export class Capability {
  parent: Capability | null = null;
  readonly children = new Set<Capability>();
  cspace: CSpace | null = null;
  slot = -1;

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
