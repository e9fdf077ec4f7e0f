// The kernel objects capabilities point at: an Untyped, a MemoryObject, a
// VSpace, a capability space, an endpoint, a notification or a thread (kernel/native/ipc-objects.ts). Each lives while a capability to it exists;
// the last capability's deletion destroys it and returns its memory to the
// untyped it was carved from.

import type { MemoryManager } from '../mm/memory-manager';
import type { MemoryObject } from '../mm/memory-object';
import type { RetypedObject, Untyped } from '../mm/untyped';
import type { VSpace } from '../mm/vspace';
import type { Endpoint } from '../native/endpoint';
import type { Notification } from '../native/notification';
import type { CapTarget } from './capability';
import { CSpace } from './cspace';
import { CSPACE_SLOTS } from '../mm/kernel-object';

/** A thread as its capability sees it (kernel/native/native-system.ts makes them). */
export interface ThreadHandle {
  readonly tid: number;
  /** Ends the thread; a process ends with its last thread, the first thread's status its status. */
  exit(status: number): void;
}

/** The debug console: bytes a program writes for the person running it. */
export interface DebugConsole {
  write(bytes: Uint8Array): void;
}

export type ObjectBody =
  | { readonly kind: 'untyped'; readonly untyped: Untyped }
  | { readonly kind: 'memory-object'; readonly mo: MemoryObject }
  | { readonly kind: 'vspace'; readonly vs: VSpace }
  | { readonly kind: 'cspace'; readonly cspace: CSpace }
  | { readonly kind: 'endpoint'; readonly ep: Endpoint }
  | { readonly kind: 'notification'; readonly ntfn: Notification }
  | { readonly kind: 'thread'; readonly thread: ThreadHandle }
  | { readonly kind: 'debug'; readonly console: DebugConsole };

export type ObjectKind = ObjectBody['kind'];

export class KernelObject implements CapTarget {
  capRefs = 0;
  private dead = false;

  constructor(
    readonly body: ObjectBody,
    private readonly destroy: () => void,
  ) {}

  get isDead(): boolean {
    return this.dead;
  }

  lastCapGone(): void {
    if (this.dead) return;
    this.dead = true;
    this.destroy();
  }
}

function deleteHeader(header: RetypedObject): void {
  if (header.live) header.untyped.deleteObject(header);
}

/** An untyped handed to a process at boot: destroying it gives the region back to the PMM. */
export function untypedObject(mm: MemoryManager, untyped: Untyped): KernelObject {
  return new KernelObject({ kind: 'untyped', untyped }, () => mm.destroyUntyped(untyped));
}

/** A MemoryObject whose header is carved from untyped; revoking the untyped destroys it too. */
export function memoryObjectFrom(mm: MemoryManager, untyped: Untyped, make: () => MemoryObject): KernelObject {
  const header = untyped.retype('memory-object');
  const mo = make();
  header.onDestroy = () => mm.destroyMemoryObject(mo);
  return new KernelObject({ kind: 'memory-object', mo }, () => deleteHeader(header));
}

/** A VSpace whose root and tables are carved from untyped. */
export function vspaceFrom(mm: MemoryManager, untyped: Untyped): KernelObject {
  const vs = mm.createVSpace(untyped);
  return new KernelObject({ kind: 'vspace', vs }, () => mm.destroyVSpace(vs));
}

/** A capability space of CSPACE_SLOTS slots whose bytes are carved from untyped. */
export function cspaceFrom(untyped: Untyped): KernelObject {
  const header = untyped.retype('cspace');
  const cspace = new CSpace(CSPACE_SLOTS);
  header.onDestroy = () => cspace.clear();
  return new KernelObject({ kind: 'cspace', cspace }, () => deleteHeader(header));
}

/** A capability space made by the kernel itself (a process's own, at creation). */
export function kernelCspace(slots = CSPACE_SLOTS): KernelObject {
  const cspace = new CSpace(slots);
  return new KernelObject({ kind: 'cspace', cspace }, () => cspace.clear());
}
