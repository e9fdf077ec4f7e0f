// Untyped invocations: retype carves a MemoryObject, VSpace, capability space,
// endpoint, notification or thread and puts a capability to it, derived from the untyped's,
// in an empty slot.

import type { Capability } from '../cap/capability';
import { cspaceFrom, memoryObjectFrom, vspaceFrom, type KernelObject } from '../cap/kernel-objects';
import { ALL_RIGHTS, RIGHT_WRITE } from '../cap/rights';
import type { ObjectType } from '../mm/kernel-object';
import { RADIX_CAPACITY } from '../mm/radix-tree';
import type { Untyped } from '../mm/untyped';
import { accept, checkEmptySlot, fail, hasRights, isWhole, type Decoded, type NativeContext } from './native-context';
import { NativeError } from './native-errors';
import { Label, RetypeCode } from './native-labels';
import { endpointFrom, notificationFrom, threadFrom } from './ipc-objects';

type RetypeKind = 'memory-object' | 'vspace' | 'cspace' | 'endpoint' | 'thread' | 'notification';

const KIND_OF_CODE = new Map<number, RetypeKind>([
  [RetypeCode.memoryObject, 'memory-object'],
  [RetypeCode.vspace, 'vspace'],
  [RetypeCode.cspace, 'cspace'],
  [RetypeCode.endpoint, 'endpoint'],
  [RetypeCode.thread, 'thread'],
  [RetypeCode.notification, 'notification'],
]);

/** The object carved from the untyped itself (a VSpace's lower tables come later, on demand). */
const CARVED: Record<RetypeKind, ObjectType> = { 'memory-object': 'memory-object', vspace: 'vspace', cspace: 'cspace', endpoint: 'endpoint', thread: 'thread', notification: 'notification' };

export type RetypeOp =
  | { readonly label: typeof Label.untypedRetype; readonly kind: RetypeKind; readonly dest: number; readonly pages: number }
  | { readonly label: typeof Label.untypedFreeBytes };

export function decodeUntyped(ctx: NativeContext, cap: Capability, untyped: Untyped, label: number, args: readonly number[]): Decoded<RetypeOp> {
  if (label === Label.untypedFreeBytes) return accept({ label });
  if (label !== Label.untypedRetype) return fail(NativeError.illegalLabel);
  // Spending the untyped's memory takes its write right; reading its free bytes does not.
  if (!hasRights(cap, RIGHT_WRITE)) return fail(NativeError.insufficientRights);
  const [code, dest, pages] = args;
  const kind = KIND_OF_CODE.get(code);
  if (!kind) return fail(NativeError.invalidArgument);
  if (kind === 'thread' && !ctx.host) return fail(NativeError.illegalOperation);
  const slotError = checkEmptySlot(ctx.cspace, dest);
  if (slotError !== NativeError.ok) return fail(slotError);
  if (kind === 'memory-object') {
    if (!isWhole(pages) || pages === 0) return fail(NativeError.invalidArgument);
    if (pages > RADIX_CAPACITY) return fail(NativeError.outOfRange);
  }
  if (!untyped.hasRoomFor(CARVED[kind])) return fail(NativeError.notEnoughMemory);
  return accept({ label, kind, dest, pages: kind === 'memory-object' ? pages : 0 });
}

export function invokeUntyped(ctx: NativeContext, cap: Capability, untyped: Untyped, op: RetypeOp): number {
  if (op.label === Label.untypedFreeBytes) return untyped.freeBytes;
  let obj: KernelObject;
  if (op.kind === 'memory-object') obj = memoryObjectFrom(ctx.mm, untyped, () => ctx.mm.createMemoryObject(op.pages, null, ctx.mm.untypedFrames(untyped)));
  else if (op.kind === 'vspace') obj = vspaceFrom(ctx.mm, untyped);
  else if (op.kind === 'endpoint') obj = endpointFrom(untyped);
  else if (op.kind === 'thread') obj = threadFrom(untyped, ctx.host!);
  else if (op.kind === 'notification') obj = notificationFrom(untyped);
  else obj = cspaceFrom(untyped);
  ctx.cspace.insertChild(cap, op.dest, obj, ALL_RIGHTS);
  return op.dest;
}
