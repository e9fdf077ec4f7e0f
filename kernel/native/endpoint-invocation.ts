// Endpoint invocations: send, receive, call, reply and reply-then-receive.
// Registers: n2..n5 the message words, n6 a capability slot (NO_SLOT: none),
// n7 the rights the receiver's copy gets; a receive names in n2 (n6 for
// reply-receive) the empty slot an incoming capability may land in, and gets
// the sender's endpoint-capability badge in n7.
// Rights: send and call need write, receive needs read, a capability transfer
// needs grant on the endpoint capability; a reply needs none (it answers the
// thread's reply slot, not the endpoint).

import type { Capability } from '../cap/capability';
import { ALL_RIGHTS, isSubset, RIGHT_GRANT, RIGHT_READ, RIGHT_WRITE } from '../cap/rights';
import { canReply, reply, type Endpoint } from './endpoint';
import { accept, checkEmptySlot, fail, hasRights, isWhole, type Decoded, type NativeContext } from './native-context';
import { NativeError } from './native-errors';
import { Label } from './native-labels';
import { MessageKind, MSG_WORDS, NO_SLOT, type NativeThread } from './native-thread';

type SendLabel = typeof Label.endpointSend | typeof Label.endpointCall;

export type EndpointOp =
  | { readonly label: SendLabel; readonly thread: NativeThread; readonly words: number[]; readonly cap: { readonly cap: Capability; readonly rights: number } | null; readonly badge: number }
  | { readonly label: typeof Label.endpointReceive; readonly thread: NativeThread; readonly recvSlot: number }
  | { readonly label: typeof Label.endpointReply; readonly thread: NativeThread; readonly words: number[] }
  | { readonly label: typeof Label.endpointReplyReceive; readonly thread: NativeThread; readonly words: number[]; readonly recvSlot: number };

const LABELS = new Set<number>([Label.endpointSend, Label.endpointCall, Label.endpointReceive, Label.endpointReply, Label.endpointReplyReceive]);

type Transfer = { readonly cap: { readonly cap: Capability; readonly rights: number } | null } | { readonly error: number };

function decodeTransfer(ctx: NativeContext, epCap: Capability, slot: number, rights: number): Transfer {
  if (slot === NO_SLOT) return { cap: null };
  if (!isWhole(slot) || slot >= ctx.cspace.slotCount) return { error: NativeError.invalidCapability };
  const cap = ctx.cspace.lookup(slot);
  if (!cap) return { error: NativeError.invalidCapability };
  if (!hasRights(epCap, RIGHT_GRANT)) return { error: NativeError.insufficientRights };
  if (!isWhole(rights) || rights > ALL_RIGHTS) return { error: NativeError.invalidArgument };
  if (!isSubset(rights, cap.rights)) return { error: NativeError.insufficientRights };
  return { cap: { cap, rights } };
}

function decodeRecvSlot(ctx: NativeContext, slot: number): number {
  return slot === NO_SLOT ? NativeError.ok : checkEmptySlot(ctx.cspace, slot);
}

export function decodeEndpoint(ctx: NativeContext, cap: Capability, label: number, args: readonly number[]): Decoded<EndpointOp> {
  if (!LABELS.has(label)) return fail(NativeError.illegalLabel);
  const thread = ctx.thread;
  if (!thread) return fail(NativeError.illegalOperation);
  const words = args.slice(0, MSG_WORDS);
  if (label === Label.endpointReply) return canReply(thread) ? accept({ label, thread, words }) : fail(NativeError.noReplyTarget);
  if (label === Label.endpointSend || label === Label.endpointCall) {
    if (!hasRights(cap, RIGHT_WRITE)) return fail(NativeError.insufficientRights);
    const t = decodeTransfer(ctx, cap, args[MSG_WORDS], args[MSG_WORDS + 1]);
    return 'error' in t ? fail(t.error) : accept({ label, thread, words, cap: t.cap, badge: cap.badge });
  }
  if (!hasRights(cap, RIGHT_READ)) return fail(NativeError.insufficientRights);
  if (label === Label.endpointReceive) {
    const slotError = decodeRecvSlot(ctx, args[0]);
    return slotError === NativeError.ok ? accept({ label, thread, recvSlot: args[0] }) : fail(slotError);
  }
  if (!canReply(thread)) return fail(NativeError.noReplyTarget);
  const slotError = decodeRecvSlot(ctx, args[MSG_WORDS]);
  return slotError === NativeError.ok ? accept({ label: Label.endpointReplyReceive, thread, words, recvSlot: args[MSG_WORDS] }) : fail(slotError);
}

export function invokeEndpoint(ep: Endpoint, op: EndpointOp): number {
  switch (op.label) {
    case Label.endpointSend:
    case Label.endpointCall:
      ep.send(op.thread, { kind: op.label === Label.endpointSend ? MessageKind.send : MessageKind.call, words: op.words, cap: op.cap, badge: op.badge });
      return 0;
    case Label.endpointReceive:
      return ep.receive(op.thread, op.recvSlot);
    case Label.endpointReply:
      reply(op.thread, op.words);
      return 0;
    default:
      reply(op.thread, op.words);
      return ep.receive(op.thread, op.recvSlot);
  }
}
