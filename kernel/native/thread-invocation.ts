// Thread invocations: bind a thread to a capability space and a VSpace, set
// its entry registers, resume and suspend it, wait for it to end (join). With a capability space, a
// VSpace and MemoryObject clones mapped into it, a program makes a process.

import { nativeArchAbi } from '../arch/native-abi';
import type { Capability } from '../cap/capability';
import type { KernelObject, ThreadHandle } from '../cap/kernel-objects';
import { RIGHT_READ, RIGHT_WRITE } from '../cap/rights';
import { accept, capOfKind, fail, hasRights, isWhole, type Decoded, type NativeContext, type ThreadHost } from './native-context';
import { NativeError } from './native-errors';
import { Label } from './native-labels';
import { NativeThread, type BoundObject } from './native-thread';
import type { CSpace } from '../cap/cspace';
import type { VSpace } from '../mm/vspace';

export type ThreadControlOp =
  | { readonly label: typeof Label.threadConfigure; readonly cspace: BoundObject<CSpace>; readonly vspace: BoundObject<VSpace> }
  | { readonly label: typeof Label.threadWriteRegisters; readonly pc: number; readonly sp: number; readonly a0: number; readonly a1: number }
  | { readonly label: typeof Label.threadResume | typeof Label.threadSuspend; readonly host: ThreadHost }
  | { readonly label: typeof Label.threadJoin; readonly joiner: NativeThread };

/** A binding that reads as dead once the object's last capability is gone. */
function bound<T>(obj: KernelObject, value: T): BoundObject<T> {
  return {
    value,
    get isDead() {
      return obj.isDead;
    },
  };
}

const STACK_ALIGN = 16;

function decodeConfigure(ctx: NativeContext, args: readonly number[]): Decoded<ThreadControlOp> {
  const [csSlot, vsSlot] = args;
  const cs = capOfKind(ctx.cspace, csSlot, 'cspace');
  if ('error' in cs) return fail(cs.error);
  const vs = capOfKind(ctx.cspace, vsSlot, 'vspace');
  if ('error' in vs) return fail(vs.error);
  if (!hasRights(cs.cap, RIGHT_WRITE) || !hasRights(vs.cap, RIGHT_WRITE)) return fail(NativeError.insufficientRights);
  return accept({
    label: Label.threadConfigure,
    cspace: bound(cs.cap.object as KernelObject, cs.body.cspace),
    vspace: bound(vs.cap.object as KernelObject, vs.body.vs),
  });
}

/** Join: read right; the caller must be a thread, not the one it waits for; an ended thread without an exit status has none to give. */
function decodeJoin(ctx: NativeContext, cap: Capability, t: NativeThread): Decoded<ThreadControlOp> {
  if (!hasRights(cap, RIGHT_READ)) return fail(NativeError.insufficientRights);
  const joiner = ctx.thread;
  if (!joiner || joiner === t) return fail(NativeError.illegalOperation);
  if (t.state === 'dead' && t.exitStatus === undefined) return fail(NativeError.cancelled);
  return accept({ label: Label.threadJoin, joiner });
}

export function decodeThreadControl(ctx: NativeContext, cap: Capability, t: ThreadHandle, label: number, args: readonly number[]): Decoded<ThreadControlOp> {
  if (label < Label.threadConfigure || label > Label.threadJoin) return fail(NativeError.illegalLabel);
  if (!(t instanceof NativeThread)) return fail(NativeError.illegalOperation);
  if (label === Label.threadJoin) return decodeJoin(ctx, cap, t);
  if (!hasRights(cap, RIGHT_WRITE)) return fail(NativeError.insufficientRights);
  if (label === Label.threadConfigure) return decodeConfigure(ctx, args);
  if (label === Label.threadWriteRegisters) {
    const [pc, sp, a0, a1] = args;
    if (!isWhole(pc) || !isWhole(sp)) return fail(NativeError.invalidArgument);
    if (sp % STACK_ALIGN !== 0) return fail(NativeError.misaligned);
    if (t.active) return fail(NativeError.illegalOperation);
    return accept({ label, pc, sp, a0, a1 });
  }
  const host = ctx.host;
  if (!host) return fail(NativeError.illegalOperation);
  if (label === Label.threadResume && !t.active && (!t.cspace || !t.vspace)) return fail(NativeError.illegalOperation);
  return accept({ label: label === Label.threadResume ? Label.threadResume : Label.threadSuspend, host });
}

export function invokeThreadControl(t: NativeThread, op: ThreadControlOp): number {
  switch (op.label) {
    case Label.threadJoin:
      if (t.state === 'dead') return t.exitStatus!;
      t.addJoiner(op.joiner);
      return 0;
    case Label.threadConfigure:
      t.cspaceOf = op.cspace;
      t.vspaceOf = op.vspace;
      return 0;
    case Label.threadWriteRegisters:
      nativeArchAbi(t.ctx.arch).enter(t.ctx, op.pc, op.sp, op.a0, op.a1);
      return 0;
    case Label.threadResume:
      op.host.start(t);
      return 0;
    default:
      op.host.stop(t);
      return 0;
  }
}
