// Capability-space invocations: copy, mint (copy with fewer rights and maybe a
// badge), delete and revoke, on the slots of the invoked capability space.

import type { Capability } from '../cap/capability';
import type { CSpace } from '../cap/cspace';
import { KernelObject } from '../cap/kernel-objects';
import { ALL_RIGHTS, isSubset, RIGHT_WRITE } from '../cap/rights';
import { accept, fail, hasRights, isWhole, type Decoded } from './native-context';
import { NativeError } from './native-errors';
import { Label } from './native-labels';

export type CSpaceOp =
  | { readonly label: typeof Label.cspaceCopy; readonly src: number; readonly dest: number }
  | { readonly label: typeof Label.cspaceMint; readonly src: number; readonly dest: number; readonly rights: number; readonly badge: number }
  | { readonly label: typeof Label.cspaceDelete | typeof Label.cspaceRevoke; readonly slot: number };

function occupied(cs: CSpace, slot: number): Capability | null {
  return isWhole(slot) && slot < cs.slotCount ? cs.lookup(slot) : null;
}

function emptySlotError(cs: CSpace, slot: number): number {
  if (!isWhole(slot) || slot >= cs.slotCount) return NativeError.outOfRange;
  return cs.lookup(slot) ? NativeError.slotOccupied : NativeError.ok;
}

function decodeDerive(cs: CSpace, label: number, args: readonly number[]): Decoded<CSpaceOp> {
  const [src, dest, rights, badge] = args;
  const cap = occupied(cs, src);
  if (!cap) return fail(NativeError.invalidCapability);
  const destError = emptySlotError(cs, dest);
  if (destError !== NativeError.ok) return fail(destError);
  if (label === Label.cspaceCopy) return accept({ label, src, dest });
  if (!isWhole(rights) || rights > ALL_RIGHTS) return fail(NativeError.invalidArgument);
  if (!isSubset(rights, cap.rights)) return fail(NativeError.insufficientRights);
  const badgeError = checkBadge(cap, badge);
  if (badgeError !== NativeError.ok) return fail(badgeError);
  return accept({ label: Label.cspaceMint, src, dest, rights, badge });
}

/**
 * A mint's badge: 0 keeps the source's; another value (a whole number below
 * 2^53) badges an unbadged endpoint or notification capability.
 */
export function checkBadge(src: Capability, badge: number): number {
  if (badge === 0) return NativeError.ok;
  if (!isWhole(badge)) return NativeError.invalidArgument;
  const o = src.object;
  const kind = o instanceof KernelObject ? o.body.kind : '';
  if (kind !== 'endpoint' && kind !== 'notification') return NativeError.invalidArgument;
  return src.badge === 0 ? NativeError.ok : NativeError.invalidArgument;
}

export function decodeCSpace(cap: Capability, cs: CSpace, label: number, args: readonly number[]): Decoded<CSpaceOp> {
  const known = label === Label.cspaceCopy || label === Label.cspaceMint || label === Label.cspaceDelete || label === Label.cspaceRevoke;
  if (!known) return fail(NativeError.illegalLabel);
  if (!hasRights(cap, RIGHT_WRITE)) return fail(NativeError.insufficientRights);
  if (label === Label.cspaceCopy || label === Label.cspaceMint) return decodeDerive(cs, label, args);
  const [slot] = args;
  if (!occupied(cs, slot)) return fail(NativeError.invalidCapability);
  return accept({ label, slot });
}

export function invokeCSpace(cs: CSpace, op: CSpaceOp): number {
  switch (op.label) {
    case Label.cspaceCopy:
      cs.copy(op.src, cs, op.dest);
      return op.dest;
    case Label.cspaceMint:
      cs.mint(op.src, cs, op.dest, op.rights, op.badge);
      return op.dest;
    case Label.cspaceDelete:
      cs.delete(op.slot);
      return op.slot;
    default:
      return revoke(cs, op.slot);
  }
}

/**
 * Revoke. Revoking an untyped's original capability also revokes the untyped
 * itself: clones elsewhere that read its frames die too, every frame comes
 * back, and it starts carving afresh. A derived capability's revoke resets
 * it only when nothing is left.
 */
function revoke(cs: CSpace, slot: number): number {
  const cap = cs.lookup(slot)!;
  const gone = cs.revoke(slot).length;
  const obj = cap.object;
  if (!(obj instanceof KernelObject) || obj.body.kind !== 'untyped') return gone;
  const untyped = obj.body.untyped;
  if (cap.parent === null) untyped.revoke();
  else if (untyped.liveChildren === 0) untyped.reset();
  return gone;
}
