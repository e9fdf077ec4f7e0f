// Mint from the invoker's capability space into another one: how a program
// fills the capability space of a thread or process it makes (the source slot
// names the invoker's space, the destination slot the invoked one).

import type { Capability } from '../cap/capability';
import type { CSpace } from '../cap/cspace';
import { ALL_RIGHTS, isSubset, RIGHT_WRITE } from '../cap/rights';
import { accept, checkEmptySlot, fail, hasRights, isWhole, type Decoded, type NativeContext } from './native-context';
import { NativeError } from './native-errors';
import { Label } from './native-labels';
import { checkBadge } from './cspace-invocation';

export interface MintFromOp {
  readonly label: typeof Label.cspaceMintFrom;
  readonly src: number;
  readonly dest: number;
  readonly rights: number;
  readonly badge: number;
}

export function decodeMintFrom(ctx: NativeContext, cap: Capability, target: CSpace, args: readonly number[]): Decoded<MintFromOp> {
  if (!hasRights(cap, RIGHT_WRITE)) return fail(NativeError.insufficientRights);
  const [src, dest, rights, badge] = args;
  const from = isWhole(src) && src < ctx.cspace.slotCount ? ctx.cspace.lookup(src) : null;
  if (!from) return fail(NativeError.invalidCapability);
  const destError = checkEmptySlot(target, dest);
  if (destError !== NativeError.ok) return fail(destError);
  if (!isWhole(rights) || rights > ALL_RIGHTS) return fail(NativeError.invalidArgument);
  if (!isSubset(rights, from.rights)) return fail(NativeError.insufficientRights);
  const badgeError = checkBadge(from, badge);
  if (badgeError !== NativeError.ok) return fail(badgeError);
  return accept({ label: Label.cspaceMintFrom, src, dest, rights, badge });
}

export function invokeMintFrom(ctx: NativeContext, target: CSpace, op: MintFromOp): number {
  ctx.cspace.mint(op.src, target, op.dest, op.rights, op.badge);
  return op.dest;
}
