// Notification invocations: signal (write right; the capability must carry a
// badge, or the signal would change nothing), wait and poll (read right). A
// wait blocks the thread while the word is zero; the badge that wakes it comes
// back in n1.

import type { Capability } from '../cap/capability';
import { RIGHT_READ, RIGHT_WRITE } from '../cap/rights';
import { accept, fail, hasRights, type Decoded, type NativeContext } from './native-context';
import { NativeError } from './native-errors';
import { Label } from './native-labels';
import type { NativeThread } from './native-thread';
import type { Notification } from './notification';

export type NotificationOp =
  | { readonly label: typeof Label.notificationSignal; readonly badge: number }
  | { readonly label: typeof Label.notificationWait; readonly thread: NativeThread }
  | { readonly label: typeof Label.notificationPoll };

export function decodeNotification(ctx: NativeContext, cap: Capability, label: number): Decoded<NotificationOp> {
  switch (label) {
    case Label.notificationSignal:
      if (!hasRights(cap, RIGHT_WRITE)) return fail(NativeError.insufficientRights);
      if (cap.badge === 0) return fail(NativeError.illegalOperation);
      return accept({ label, badge: cap.badge });
    case Label.notificationWait:
      if (!hasRights(cap, RIGHT_READ)) return fail(NativeError.insufficientRights);
      if (!ctx.thread) return fail(NativeError.illegalOperation);
      return accept({ label, thread: ctx.thread });
    case Label.notificationPoll:
      if (!hasRights(cap, RIGHT_READ)) return fail(NativeError.insufficientRights);
      return accept({ label });
    default:
      return fail(NativeError.illegalLabel);
  }
}

export function invokeNotification(ntfn: Notification, op: NotificationOp): number {
  switch (op.label) {
    case Label.notificationSignal:
      ntfn.signal(op.badge);
      return 0;
    case Label.notificationWait:
      return ntfn.wait(op.thread);
    default:
      return ntfn.poll();
  }
}
