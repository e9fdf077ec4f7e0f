// A kernel-side picture of everything a native invocation could change, for
// tests: the process's slots (object kind, rights, derivation, badge, a
// notification's word), the objects
// they reach, every untyped, MemoryObject and VSpace of the memory manager,
// and the PMM audit. Two equal snapshots mean nothing changed.

import type { CSpace } from '../cap/cspace';
import { KernelObject } from '../cap/kernel-objects';
import type { MemoryManager } from '../mm/memory-manager';

export interface NativeSnapshot {
  readonly frames: Record<string, number>;
  readonly slots: readonly (readonly [number, number, string, number, number, number] | null)[];
  readonly untypeds: readonly (readonly number[])[];
  readonly memoryObjects: readonly (readonly number[])[];
  readonly vspaces: readonly unknown[];
}

export function nativeSnapshot(mm: MemoryManager, cspace: CSpace): NativeSnapshot {
  return {
    frames: mm.pmm.audit(),
    slots: Array.from({ length: cspace.slotCount }, (_, i) => {
      const c = cspace.lookup(i);
      if (!c) return null;
      const o = c.object;
      const kind = o instanceof KernelObject ? (o.isDead ? 'dead' : o.body.kind) : 'foreign';
      // A notification's word: what a signal, wait or poll changes.
      const word = o instanceof KernelObject && o.body.kind === 'notification' ? o.body.ntfn.word : 0;
      return [c.rights, c.children.size, kind, c.parent?.slot ?? -1, c.badge, word] as const;
    }),
    untypeds: [...mm.untypeds].map((u) => [u.pa, u.usedBytes, u.liveChildren, u.freeBytes]),
    memoryObjects: [...mm.memoryObjects].map((m) => [m.id, m.pageCount, m.committedPages, m.mappingCount, m.depth, m.isDestroyed ? 1 : 0]),
    vspaces: [...mm.vspaces].map((v) => [v.id, v.mappedPages, v.tablePages, v.regions.map((r) => [r.start, r.end, r.mo.id, r.moPage, r.perms.read, r.perms.write, r.perms.exec])]),
  };
}
