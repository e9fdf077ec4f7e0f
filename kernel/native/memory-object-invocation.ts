// MemoryObject invocations: commit and decommit a page range, clone copy-on-write
// (a pager-backed object's clone keeps the pager, with the token the clone names).
// An object retyped or cloned from an untyped takes every frame it commits
// (data pages and radix nodes) out of that untyped (kernel/mm/untyped-frames.ts).

import type { Capability } from '../cap/capability';
import { memoryObjectFrom } from '../cap/kernel-objects';
import { ALL_RIGHTS, RIGHT_READ, RIGHT_WRITE } from '../cap/rights';
import type { MemoryObject } from '../mm/memory-object';
import type { Untyped } from '../mm/untyped';
import { UntypedFrames } from '../mm/untyped-frames';
import { TABLE_ENTRIES } from '../arch/arch';
import { accept, capOfKind, checkEmptySlot, fail, hasRights, isWhole, type Decoded, type NativeContext } from './native-context';
import { NativeError } from './native-errors';
import { Label } from './native-labels';
import { inheritPager } from './pager';

export type MemoryObjectOp =
  | { readonly label: typeof Label.memoryObjectCommit | typeof Label.memoryObjectDecommit; readonly first: number; readonly count: number }
  | { readonly label: typeof Label.memoryObjectClone; readonly untypedCap: Capability; readonly untyped: Untyped; readonly dest: number; readonly token: number };

/** Frames a commit of count pages may need: the pages and the radix nodes above them. */
export function commitFrameBound(count: number): number {
  return count + 2 * Math.ceil(count / TABLE_ENTRIES) + 4;
}

function decodeRange(mo: MemoryObject, first: number, count: number): number {
  if (!isWhole(first) || !isWhole(count) || count === 0) return NativeError.invalidArgument;
  return first + count > mo.pageCount ? NativeError.outOfRange : NativeError.ok;
}

function decodeClone(ctx: NativeContext, cap: Capability, args: readonly number[]): Decoded<MemoryObjectOp> {
  if (!hasRights(cap, RIGHT_READ)) return fail(NativeError.insufficientRights);
  const [untypedSlot, dest, token] = args;
  const ut = capOfKind(ctx.cspace, untypedSlot, 'untyped');
  if ('error' in ut) return fail(ut.error);
  const slotError = checkEmptySlot(ctx.cspace, dest);
  if (slotError !== NativeError.ok) return fail(slotError);
  if (!isWhole(token)) return fail(NativeError.invalidArgument);
  if (!ut.body.untyped.hasRoomFor('memory-object')) return fail(NativeError.notEnoughMemory);
  return accept({ label: Label.memoryObjectClone, untypedCap: ut.cap, untyped: ut.body.untyped, dest, token });
}

/** A commit names the untyped that pays for its frames: the one the object draws its frames from. */
function decodeCommitSource(ctx: NativeContext, mo: MemoryObject, untypedSlot: number, count: number): number {
  const ut = capOfKind(ctx.cspace, untypedSlot, 'untyped');
  if ('error' in ut) return ut.error;
  const frames = mo.frames;
  if (!(frames instanceof UntypedFrames) || frames.untyped !== ut.body.untyped) return NativeError.invalidArgument;
  return frames.room < commitFrameBound(count) ? NativeError.notEnoughMemory : NativeError.ok;
}

export function decodeMemoryObject(ctx: NativeContext, cap: Capability, mo: MemoryObject, label: number, args: readonly number[]): Decoded<MemoryObjectOp> {
  if (label === Label.memoryObjectClone) return decodeClone(ctx, cap, args);
  if (label !== Label.memoryObjectCommit && label !== Label.memoryObjectDecommit) return fail(NativeError.illegalLabel);
  if (!hasRights(cap, RIGHT_WRITE)) return fail(NativeError.insufficientRights);
  const [first, count, untypedSlot] = args;
  const rangeError = decodeRange(mo, first, count);
  if (rangeError !== NativeError.ok) return fail(rangeError);
  if (label === Label.memoryObjectCommit) {
    const sourceError = decodeCommitSource(ctx, mo, untypedSlot, count);
    if (sourceError !== NativeError.ok) return fail(sourceError);
  }
  return accept({ label, first, count });
}

export function invokeMemoryObject(ctx: NativeContext, mo: MemoryObject, op: MemoryObjectOp): number {
  if (op.label === Label.memoryObjectClone) {
    const obj = memoryObjectFrom(ctx.mm, op.untyped, () => ctx.mm.clone(mo, ctx.mm.untypedFrames(op.untyped)));
    if (obj.body.kind === 'memory-object') inheritPager(mo, obj.body.mo, op.token);
    ctx.cspace.insertChild(op.untypedCap, op.dest, obj, ALL_RIGHTS);
    return op.dest;
  }
  if (op.label === Label.memoryObjectCommit) mo.commit(op.first, op.count);
  else mo.decommit(op.first, op.count);
  return op.count;
}
