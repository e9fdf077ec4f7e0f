// VSpace invocations: map a MemoryObject range, unmap and protect an address range.

import type { Capability } from '../cap/capability';
import { RIGHT_EXECUTE, RIGHT_MAP, RIGHT_READ, RIGHT_WRITE } from '../cap/rights';
import type { MemoryObject } from '../mm/memory-object';
import { permsWithin, type Perms } from '../mm/region';
import type { VSpace } from '../mm/vspace';
import { accept, capOfKind, fail, hasRights, isWhole, type Decoded, type NativeContext } from './native-context';
import { NativeError } from './native-errors';
import { Label, PERM_EXEC, PERM_READ, PERM_WRITE } from './native-labels';

export type VSpaceOp =
  | { readonly label: typeof Label.vspaceMap; readonly mo: MemoryObject; readonly va: number; readonly pages: number; readonly moPage: number; readonly perms: Perms; readonly limit: Perms }
  | { readonly label: typeof Label.vspaceUnmap; readonly va: number; readonly pages: number }
  | { readonly label: typeof Label.vspaceProtect; readonly va: number; readonly pages: number; readonly perms: Perms };

function permsOf(bits: number): Perms | null {
  if (!isWhole(bits) || bits > (PERM_READ | PERM_WRITE | PERM_EXEC)) return null;
  return { read: (bits & PERM_READ) !== 0, write: (bits & PERM_WRITE) !== 0, exec: (bits & PERM_EXEC) !== 0 };
}

/** What a capability's rights allow a mapping of its object to do. */
function limitOf(cap: Capability): Perms {
  return { read: hasRights(cap, RIGHT_READ), write: hasRights(cap, RIGHT_WRITE), exec: hasRights(cap, RIGHT_EXECUTE) };
}

function decodeRange(vs: VSpace, va: number, pages: number): number {
  if (!isWhole(va) || !isWhole(pages) || pages === 0) return NativeError.invalidArgument;
  if (va % vs.pageSize !== 0) return NativeError.misaligned;
  const { userBase, userTop } = vs.addressRange;
  return va < userBase || va + pages * vs.pageSize > userTop ? NativeError.outOfRange : NativeError.ok;
}

function decodeMap(ctx: NativeContext, vs: VSpace, args: readonly number[]): Decoded<VSpaceOp> {
  const [moSlot, va, pages, moPage, bits] = args;
  const found = capOfKind(ctx.cspace, moSlot, 'memory-object');
  if ('error' in found) return fail(found.error);
  const mo = found.body.mo;
  const perms = permsOf(bits);
  if (!perms) return fail(NativeError.invalidArgument);
  const limit = limitOf(found.cap);
  if (!hasRights(found.cap, RIGHT_MAP) || !permsWithin(perms, limit)) return fail(NativeError.insufficientRights);
  const rangeError = decodeRange(vs, va, pages);
  if (rangeError !== NativeError.ok) return fail(rangeError);
  if (!isWhole(moPage) || moPage + pages > mo.pageCount) return fail(NativeError.outOfRange);
  if (vs.regionsIn(va, va + pages * vs.pageSize).length > 0) return fail(NativeError.regionOverlap);
  return accept({ label: Label.vspaceMap, mo, va, pages, moPage, perms, limit });
}

function decodeProtect(vs: VSpace, args: readonly number[]): Decoded<VSpaceOp> {
  const [va, pages, bits] = args;
  const perms = permsOf(bits);
  if (!perms) return fail(NativeError.invalidArgument);
  const rangeError = decodeRange(vs, va, pages);
  if (rangeError !== NativeError.ok) return fail(rangeError);
  for (const r of vs.regionsIn(va, va + pages * vs.pageSize)) {
    if (r.limit && !permsWithin(perms, r.limit)) return fail(NativeError.insufficientRights);
  }
  return accept({ label: Label.vspaceProtect, va, pages, perms });
}

export function decodeVSpace(ctx: NativeContext, cap: Capability, vs: VSpace, label: number, args: readonly number[]): Decoded<VSpaceOp> {
  if (label !== Label.vspaceMap && label !== Label.vspaceUnmap && label !== Label.vspaceProtect) return fail(NativeError.illegalLabel);
  if (vs.isDestroyed) return fail(NativeError.invalidCapability);
  if (!hasRights(cap, RIGHT_MAP)) return fail(NativeError.insufficientRights);
  if (label === Label.vspaceMap) return decodeMap(ctx, vs, args);
  if (label === Label.vspaceProtect) return decodeProtect(vs, args);
  const [va, pages] = args;
  const rangeError = decodeRange(vs, va, pages);
  return rangeError === NativeError.ok ? accept({ label, va, pages }) : fail(rangeError);
}

export function invokeVSpace(vs: VSpace, op: VSpaceOp): number {
  const length = op.pages * vs.pageSize;
  if (op.label === Label.vspaceMap) vs.map(op.va, length, op.mo, op.moPage, op.perms, 'mmap', op.limit);
  else if (op.label === Label.vspaceUnmap) vs.unmap(op.va, length);
  else vs.protect(op.va, length, op.perms);
  return op.va;
}
