// An endpoint: a rendezvous between senders and receivers (seL4's synchronous
// IPC). Whoever arrives first waits in the endpoint's queue until the other
// side comes; a message is a few words and at most one capability. A call also
// leaves the caller in the receiver's reply slot until the receiver replies; a
// fault the kernel forwards to a pager is a call made on the faulting thread's
// behalf, and its reply makes the thread run its faulting instruction again.

import { NativeError } from './native-errors';
import { MessageKind, NO_SLOT, type Message, type NativeThread } from './native-thread';

export class Endpoint {
  private readonly senders: NativeThread[] = [];
  private readonly receivers: NativeThread[] = [];
  private dead = false;

  get isDestroyed(): boolean {
    return this.dead;
  }

  /** Threads queued to send (first come first), and to receive. */
  get waiting(): { readonly senders: readonly NativeThread[]; readonly receivers: readonly NativeThread[] } {
    return { senders: this.senders, receivers: this.receivers };
  }

  /** A send, call or fault: delivered now to a waiting receiver, else the sender waits. */
  send(sender: NativeThread, msg: Message): void {
    const r = this.receivers.shift();
    if (!r) {
      sender.blockOnIpc({ kind: 'sending', ep: this, msg });
      this.senders.push(sender);
      return;
    }
    const recvSlot = r.ipc.kind === 'receiving' ? r.ipc.recvSlot : NO_SLOT;
    deliver(msg, r, recvSlot);
    r.finishIpc(NativeError.ok);
    if (msg.kind !== MessageKind.send) awaitReply(sender, r, msg);
  }

  /**
   * Receive: the first waiting sender's message now (the result is its kind),
   * else the receiver waits and 0 is returned.
   */
  receive(receiver: NativeThread, recvSlot: number): number {
    const s = this.senders.shift();
    if (!s) {
      receiver.blockOnIpc({ kind: 'receiving', ep: this, recvSlot });
      this.receivers.push(receiver);
      return 0;
    }
    const msg = (s.ipc as { msg: Message }).msg;
    deliver(msg, receiver, recvSlot);
    if (msg.kind === MessageKind.send) s.finishIpc(NativeError.ok);
    else awaitReply(s, receiver, msg);
    return msg.kind;
  }

  /** Take a thread out of the queues (it is suspended or dies). */
  dequeue(t: NativeThread): void {
    for (const q of [this.senders, this.receivers]) {
      const i = q.indexOf(t);
      if (i >= 0) q.splice(i, 1);
    }
  }

  /** The endpoint's last capability is gone: every waiting thread's IPC fails. */
  destroy(): void {
    if (this.dead) return;
    this.dead = true;
    for (const t of [...this.senders, ...this.receivers]) cancelIpc(t, NativeError.cancelled);
    this.senders.length = 0;
    this.receivers.length = 0;
  }
}

function awaitReply(caller: NativeThread, receiver: NativeThread, msg: Message): void {
  // A reply still owed to an earlier caller is lost, as seL4's reply slot is overwritten.
  receiver.caller = caller;
  caller.blockOnIpc({ kind: 'awaiting-reply', fault: msg.kind === MessageKind.fault });
}

/** Write msg into the receiver's registers, deriving its capability into recvSlot when both sides agree. */
function deliver(msg: Message, receiver: NativeThread, recvSlot: number): void {
  receiver.writeMessage(msg.kind, msg.words, transferCap(msg, receiver, recvSlot), msg.badge);
}

/**
 * The capability goes only if the sender still holds it and the receive slot
 * is still empty (either may have changed while one side waited): the message
 * is delivered either way and n6 says where the capability went, if anywhere.
 */
function transferCap(msg: Message, receiver: NativeThread, recvSlot: number): number {
  const cs = receiver.cspace;
  const src = msg.cap?.cap;
  if (!src || !src.cspace || recvSlot === NO_SLOT || !cs || recvSlot >= cs.slotCount || cs.lookup(recvSlot)) return NO_SLOT;
  src.cspace.mint(src.slot, cs, recvSlot, msg.cap!.rights & src.rights);
  return recvSlot;
}

/** Answer the receiver's reply slot: the caller's call returns with words, or the faulting thread retries. */
export function reply(replier: NativeThread, words: readonly number[]): void {
  const caller = replier.caller!;
  replier.caller = null;
  if (caller.ipc.kind !== 'awaiting-reply') return;
  if (caller.ipc.fault) caller.retryFault();
  else {
    caller.writeMessage(0, words, NO_SLOT, 0);
    caller.finishIpc(NativeError.ok);
  }
}

/** Does t's reply slot hold a thread that still waits for a reply? */
export function canReply(t: NativeThread): boolean {
  return t.caller !== null && t.caller.state !== 'dead' && t.caller.ipc.kind === 'awaiting-reply';
}

/** End t's IPC, whatever it is: leave the queue; a call or send fails with error, a fault is retried. */
export function cancelIpc(t: NativeThread, error: number): void {
  const s = t.ipc;
  if (s.kind === 'none') return;
  if (s.kind === 'sending' || s.kind === 'receiving') s.ep.dequeue(t);
  if (s.kind === 'waiting') s.ntfn.dequeue(t);
  if (s.kind === 'joining') {
    const i = s.target.joiners.indexOf(t);
    if (i >= 0) s.target.joiners.splice(i, 1);
  }
  if (s.kind === 'awaiting-reply' && s.fault) t.retryFault();
  else if (s.kind === 'sending' && s.msg.kind === MessageKind.fault) t.retryFault();
  else t.finishIpc(error);
}
