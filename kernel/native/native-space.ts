// A process's capability space as the native ABI starts it: its own capability
// space in slot 0, an untyped of the requested size in slot 1, and (when given)
// its VSpace in slot 2. Every other object the process makes is retyped from slot 1.

import { kernelCspace, KernelObject, untypedObject } from '../cap/kernel-objects';
import type { CSpace } from '../cap/cspace';
import type { MemoryManager } from '../mm/memory-manager';
import type { VSpace } from '../mm/vspace';
import type { NativeContext } from './native-context';

export const SLOT_SELF = 0;
export const SLOT_UNTYPED = 1;
export const SLOT_VSPACE = 2;

export interface NativeSpace extends NativeContext {
  readonly cspace: CSpace;
  /** Tear the space down: every capability goes, and objects with no capability left die. */
  destroy(): void;
}

export function createNativeSpace(mm: MemoryManager, untypedBits: number, vs?: VSpace): NativeSpace {
  const self = kernelCspace();
  const cspace = (self.body as { kind: 'cspace'; cspace: CSpace }).cspace;
  cspace.insertOriginal(SLOT_SELF, self);
  cspace.insertOriginal(SLOT_UNTYPED, untypedObject(mm, mm.createUntyped(untypedBits)));
  if (vs) cspace.insertOriginal(SLOT_VSPACE, new KernelObject({ kind: 'vspace', vs }, () => mm.destroyVSpace(vs)));
  return { mm, cspace, destroy: () => cspace.clear() };
}
