// Pager-backed MemoryObjects: the seed's uncommon case, where user space
// decides. A MemoryObject bound to a pager endpoint has its faults on pages
// committed nowhere (not in it, not in its clone chain) sent to that endpoint
// as a message (x1 = fault kind; x2 token, x3 object page, x4 address, x5
// access: 1 read, 2 write, 4 execute); the faulting thread waits until the
// pager replies and then runs the faulting instruction again. Every other
// fault (a resident page, copy-on-write, the access flag) stays in the kernel.
// The pager commits (and fills) the page before it replies; it must not touch
// the page through its own mapping first, or its own fault goes to itself.
// A clone keeps its source's pager, with a token of its own (the clone label's).

import type { Capability } from '../cap/capability';
import type { KernelObject } from '../cap/kernel-objects';
import { RIGHT_WRITE } from '../cap/rights';
import type { PageFault } from '../arch/arch';
import type { MemoryObject } from '../mm/memory-object';
import type { VSpace } from '../mm/vspace';
import type { Endpoint } from './endpoint';
import { accept, capOfKind, fail, hasRights, isWhole, type Decoded, type NativeContext } from './native-context';
import { NativeError } from './native-errors';
import { Label } from './native-labels';
import { MessageKind, NO_SLOT, type BoundObject, type Message } from './native-thread';

interface PagerBinding {
  readonly ep: BoundObject<Endpoint>;
  readonly token: number;
  /** The badge of the endpoint capability set pager named: fault messages carry it. */
  readonly badge: number;
}

const bindings = new WeakMap<MemoryObject, PagerBinding>();

/** The live pager endpoint of mo and the token its fault messages carry, if any. */
export function pagerOf(mo: MemoryObject): { readonly ep: Endpoint; readonly token: number; readonly badge: number } | undefined {
  const b = bindings.get(mo);
  if (!b || b.ep.isDead || b.ep.value.isDestroyed) return undefined;
  return { ep: b.ep.value, token: b.token, badge: b.badge };
}

export interface SetPagerOp {
  readonly label: typeof Label.memoryObjectSetPager;
  readonly binding: PagerBinding | null;
}

export function decodeSetPager(ctx: NativeContext, cap: Capability, args: readonly number[]): Decoded<SetPagerOp> {
  if (!hasRights(cap, RIGHT_WRITE)) return fail(NativeError.insufficientRights);
  const [epSlot, token] = args;
  if (epSlot === NO_SLOT) return accept({ label: Label.memoryObjectSetPager, binding: null });
  const ep = capOfKind(ctx.cspace, epSlot, 'endpoint');
  if ('error' in ep) return fail(ep.error);
  if (!hasRights(ep.cap, RIGHT_WRITE)) return fail(NativeError.insufficientRights);
  if (!isWhole(token)) return fail(NativeError.invalidArgument);
  const obj = ep.cap.object as KernelObject;
  const value = ep.body.ep;
  const binding: PagerBinding = {
    token,
    badge: ep.cap.badge,
    ep: {
      value,
      get isDead() {
        return obj.isDead;
      },
    },
  };
  return accept({ label: Label.memoryObjectSetPager, binding });
}

/**
 * A clone of a pager-backed object keeps its pager: the same endpoint and
 * badge, with the clone's own token, so the pager knows which object to
 * commit the page into (its pages committed nowhere are the clone's).
 */
export function inheritPager(from: MemoryObject, to: MemoryObject, token: number): void {
  const b = bindings.get(from);
  if (b && !b.ep.isDead && !b.ep.value.isDestroyed) bindings.set(to, { ep: b.ep, badge: b.badge, token });
}

export function invokeSetPager(mo: MemoryObject, op: SetPagerOp): number {
  if (op.binding) bindings.set(mo, op.binding);
  else bindings.delete(mo);
  return 0;
}

const ACCESS_CODE = { read: 1, write: 2, fetch: 4 } as const;

/**
 * The pager message for a user fault at pf in vs, when the page lies in a
 * pager-backed object, is committed nowhere and the region allows the access;
 * null when the kernel resolves (or refuses) the fault itself.
 */
export function pagerFault(vs: VSpace, pf: PageFault): { readonly ep: Endpoint; readonly msg: Message } | null {
  if (!pf.user) return null;
  const region = vs.findRegion(pf.address);
  if (!region || region.mo.isDestroyed) return null;
  const p = region.perms;
  const allowed = pf.access === 'write' ? p.write : pf.access === 'fetch' ? p.exec : p.read || p.write || p.exec;
  if (!allowed) return null;
  const pager = pagerOf(region.mo);
  if (!pager) return null;
  const va = pf.address - (pf.address % vs.pageSize);
  const page = region.moPage + (va - region.start) / vs.pageSize;
  if (region.mo.isResident(page)) return null;
  const words = [pager.token, page, pf.address, ACCESS_CODE[pf.access]];
  return { ep: pager.ep, msg: { kind: MessageKind.fault, words, cap: null, badge: pager.badge } };
}
