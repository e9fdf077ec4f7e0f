// What an invocation sees, and the helpers every decode step shares. A decode
// step returns either an error code or a fully checked operation; only the
// invoke step changes anything.

import type { Capability } from '../cap/capability';
import type { CSpace } from '../cap/cspace';
import { KernelObject, type ObjectBody, type ObjectKind } from '../cap/kernel-objects';
import type { MemoryManager } from '../mm/memory-manager';
import { NativeError } from './native-errors';
import { NativeThread } from './native-thread';

/** The invoking thread's memory as labels that take a buffer see it (debug write, statistics). */
export interface UserAccess {
  /** Is [va, va + length) inside regions that allow the access? Checks without faulting anything in. */
  covers(va: number, length: number, write: boolean): boolean;
  /** Reads or writes through the caller's VSpace, faulting pages in as its own access would; false when that fails. */
  read(va: number, length: number): Uint8Array | null;
  write(va: number, bytes: Uint8Array): boolean;
}

export interface NativeContext {
  readonly mm: MemoryManager;
  /** The invoking process's capability space: every slot argument names a slot of it. */
  readonly cspace: CSpace;
  /** The caller's memory (absent when the kernel invokes on a process's behalf, as the unit tests do). */
  readonly user?: UserAccess;
  /** The invoking thread: IPC labels need it (a context without one answers illegalOperation). */
  readonly thread?: NativeThread;
  /** Where threads are made and scheduled: thread retype and resume need it. */
  readonly host?: ThreadHost;
}

/** The scheduler side of native threads, as invocations see it. */
export interface ThreadHost {
  /** A new inactive thread with zeroed registers. */
  newThread(): NativeThread;
  /** Hand t to the scheduler (resume). */
  start(t: NativeThread): void;
  /** Take t off the scheduler (suspend); its IPC is cancelled. */
  stop(t: NativeThread): void;
  /** t's TCB is gone: t dies. */
  kill(t: NativeThread, reason: string): void;
}

export type Decoded<T> = { readonly ok: true; readonly op: T } | { readonly ok: false; readonly error: number };

export interface InvocationResult {
  readonly error: number;
  readonly value: number;
}

export function fail<T>(error: number): Decoded<T> {
  return { ok: false, error };
}

export function accept<T>(op: T): Decoded<T> {
  return { ok: true, op };
}

/** A register value usable as a count, index or address. */
export function isWhole(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

export type BodyOf<K extends ObjectKind> = Extract<ObjectBody, { kind: K }>;

export type Looked<K extends ObjectKind> = { readonly cap: Capability; readonly body: BodyOf<K> } | { readonly error: number };

/** The capability in slot, checked to name a live object of kind. */
export function capOfKind<K extends ObjectKind>(cspace: CSpace, slot: number, kind: K): Looked<K> {
  if (!isWhole(slot) || slot >= cspace.slotCount) return { error: NativeError.invalidCapability };
  const cap = cspace.lookup(slot);
  if (!cap || !(cap.object instanceof KernelObject) || cap.object.isDead) return { error: NativeError.invalidCapability };
  if (cap.object.body.kind !== kind) return { error: NativeError.wrongObjectType };
  if (bodyDestroyed(cap.object.body)) return { error: NativeError.invalidCapability };
  return { cap, body: cap.object.body as BodyOf<K> };
}

/** An object destroyed behind its capability's back (its untyped revoked directly by the kernel). */
export function bodyDestroyed(b: ObjectBody): boolean {
  if (b.kind === 'memory-object') return b.mo.isDestroyed;
  if (b.kind === 'vspace') return b.vs.isDestroyed;
  if (b.kind === 'untyped') return b.untyped.isDestroyed;
  if (b.kind === 'endpoint') return b.ep.isDestroyed;
  if (b.kind === 'notification') return b.ntfn.isDestroyed;
  if (b.kind === 'thread') return b.thread instanceof NativeThread && b.thread.state === 'dead';
  return false;
}

/** 0 when slot is an empty slot of cspace, else the error. */
export function checkEmptySlot(cspace: CSpace, slot: number): number {
  if (!isWhole(slot) || slot >= cspace.slotCount) return NativeError.outOfRange;
  return cspace.lookup(slot) ? NativeError.slotOccupied : NativeError.ok;
}

export function hasRights(cap: Capability, rights: number): boolean {
  return (cap.rights & rights) === rights;
}
