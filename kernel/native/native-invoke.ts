// The native ABI's one entry: invoke the capability in a slot with a label and
// arguments. The object type picks the decoder; a decode error changes nothing.

import type { CSpace } from '../cap/cspace';
import { KernelObject } from '../cap/kernel-objects';
import { bodyDestroyed, isWhole, type Decoded, type InvocationResult, type NativeContext } from './native-context';
import { NativeError } from './native-errors';
import { decodeCSpace, invokeCSpace } from './cspace-invocation';
import { decodeMemoryObject, invokeMemoryObject } from './memory-object-invocation';
import { decodeUntyped, invokeUntyped } from './untyped-invocation';
import { decodeVSpace, invokeVSpace } from './vspace-invocation';
import { decodeEndpoint, invokeEndpoint } from './endpoint-invocation';
import { decodeThreadControl, invokeThreadControl } from './thread-invocation';
import { decodeSetPager, invokeSetPager } from './pager';
import { decodeMintFrom, invokeMintFrom } from './cspace-transfer';
import { decodeNotification, invokeNotification } from './notification-invocation';
import { Label } from './native-labels';
import type { NativeThread } from './native-thread';
import { decodeDebug, decodeThread, invokeDebug, invokeThread } from './thread-debug-invocation';

/** Arguments beyond those given read as 0, as unset registers would. */
export const MAX_ARGS = 6;

function padded(args: readonly number[]): number[] {
  const a = args.slice();
  while (a.length < MAX_ARGS) a.push(0);
  return a;
}

function result(error: number, value = 0): InvocationResult {
  return { error, value };
}

function run<T>(decoded: Decoded<T>, invoke: (op: T) => number): InvocationResult {
  return decoded.ok ? result(NativeError.ok, invoke(decoded.op)) : result(decoded.error);
}

export function nativeInvoke(ctx: NativeContext, slot: number, label: number, args: readonly number[]): InvocationResult {
  const a = args.length >= MAX_ARGS ? args : padded(args);
  const cs: CSpace = ctx.cspace;
  if (!isWhole(slot) || slot >= cs.slotCount) return result(NativeError.invalidCapability);
  const cap = cs.lookup(slot);
  if (!cap || !(cap.object instanceof KernelObject) || cap.object.isDead) return result(NativeError.invalidCapability);
  const body = cap.object.body;
  // A thread that ended keeps its exit status for join; any other label on it names nothing.
  const joinable = body.kind === 'thread' && label === Label.threadJoin;
  if (bodyDestroyed(body) && !joinable) return result(NativeError.invalidCapability);
  switch (body.kind) {
    case 'untyped':
      return run(decodeUntyped(ctx, cap, body.untyped, label, a), (op) => invokeUntyped(ctx, cap, body.untyped, op));
    case 'memory-object':
      if (label === Label.memoryObjectSetPager) return run(decodeSetPager(ctx, cap, a), (op) => invokeSetPager(body.mo, op));
      return run(decodeMemoryObject(ctx, cap, body.mo, label, a), (op) => invokeMemoryObject(ctx, body.mo, op));
    case 'vspace':
      return run(decodeVSpace(ctx, cap, body.vs, label, a), (op) => invokeVSpace(body.vs, op));
    case 'cspace':
      if (label === Label.cspaceMintFrom) return run(decodeMintFrom(ctx, cap, body.cspace, a), (op) => invokeMintFrom(ctx, body.cspace, op));
      return run(decodeCSpace(cap, body.cspace, label, a), (op) => invokeCSpace(body.cspace, op));
    case 'endpoint':
      return run(decodeEndpoint(ctx, cap, label, a), (op) => invokeEndpoint(body.ep, op));
    case 'thread':
      if (label === Label.threadExit) return run(decodeThread(label, a), (op) => invokeThread(body.thread, op));
      return run(decodeThreadControl(ctx, cap, body.thread, label, a), (op) => invokeThreadControl(body.thread as NativeThread, op));
    case 'notification':
      return run(decodeNotification(ctx, cap, label), (op) => invokeNotification(body.ntfn, op));
    case 'debug':
      return run(decodeDebug(ctx, label, a), (op) => invokeDebug(ctx, body.console, op));
  }
}

/** The kind of object a slot names, for --strace ('empty' or 'invalid' when it names none). */
export function slotKind(cs: CSpace, slot: number): string {
  if (!isWhole(slot) || slot >= cs.slotCount) return 'invalid';
  const cap = cs.lookup(slot);
  if (!cap) return 'empty';
  if (!(cap.object instanceof KernelObject) || cap.object.isDead || bodyDestroyed(cap.object.body)) return 'dead';
  return cap.object.body.kind;
}
