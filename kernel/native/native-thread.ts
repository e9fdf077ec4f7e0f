// A native thread (seL4's TCB): its registers, the capability space and VSpace
// it runs in, and its place in an IPC. A thread made by retype is inactive
// until a resume invocation hands it to the scheduler.

import type { Capability } from '../cap/capability';
import type { CSpace } from '../cap/cspace';
import type { ThreadHandle } from '../cap/kernel-objects';
import type { UserContext } from '../arch/arch-cpu';
import { writeNative } from '../arch/native-abi';
import type { VSpace } from '../mm/vspace';
import { BLOCKED, Thread, type Wait } from '../sched/thread';
import { NativeError } from './native-errors';
import type { Endpoint } from './endpoint';
import type { Notification } from './notification';

/** Message registers (native n2..n5: x2..x5 on aarch64) carry a message's words, both ways. */
export const MSG_WORDS = 4;
export const MSG_FIRST_REG = 2;
/** The register that names the capability a message carried (the receive slot), NO_SLOT when none. */
export const MSG_CAP_REG = 6;
/** The register that carries the badge of the capability a message was sent through (0: none). */
export const MSG_BADGE_REG = 7;
/** "No slot": a send that transfers no capability, a receive that accepts none. */
export const NO_SLOT = 0xffff;

/** What the receiver finds in x1. */
export const MessageKind = {
  send: 1,
  /** A call: the receiver's reply slot now holds the caller. */
  call: 2,
  /** A page fault the kernel sent for a pager-backed MemoryObject: x2 token, x3 object page, x4 address, x5 access. */
  fault: 3,
} as const;
export type MessageKindCode = (typeof MessageKind)[keyof typeof MessageKind];

export interface Message {
  readonly kind: MessageKindCode;
  readonly words: readonly number[];
  /** A capability to derive into the receiver's receive slot, with these rights. */
  readonly cap: { readonly cap: Capability; readonly rights: number } | null;
  /** The badge of the endpoint capability it was sent through (a fault: the pager binding's). */
  readonly badge: number;
}

export type IpcState =
  | { readonly kind: 'none' }
  /** Queued on ep with a message (a send, a call or a fault). */
  | { readonly kind: 'sending'; readonly ep: Endpoint; readonly msg: Message }
  | { readonly kind: 'receiving'; readonly ep: Endpoint; readonly recvSlot: number }
  /** A call or fault was received: waiting for the receiver's reply. */
  | { readonly kind: 'awaiting-reply'; readonly fault: boolean }
  /** Waiting on a notification for a signal. */
  | { readonly kind: 'waiting'; readonly ntfn: Notification }
  /** Waiting for another thread to end (join). */
  | { readonly kind: 'joining'; readonly target: NativeThread };

const IDLE: IpcState = { kind: 'none' };

/** The capability space and VSpace a thread runs in, each checked alive before use. */
export interface BoundObject<T> {
  readonly value: T;
  readonly isDead: boolean;
}

export class NativeThread extends Thread implements ThreadHandle {
  cspaceOf: BoundObject<CSpace> | null = null;
  vspaceOf: BoundObject<VSpace> | null = null;
  /** Handed to the scheduler by resume; false again after suspend. */
  active = false;
  ipc: IpcState = IDLE;
  /** seL4's reply slot: the thread whose call (or fault) this one received last and owes a reply. */
  caller: NativeThread | null = null;
  /** Set when the thread ends (its TCB deleted, a fault nobody handles, exit). */
  exitReason: string | undefined;
  /** What the thread-exit label does (the system that runs the thread sets it). */
  onExit: ((status: number) => void) | undefined;
  /** The status of its exit label, once it ended so (a thread killed otherwise has none). */
  exitStatus: number | undefined;
  /** Threads waiting in a join for this one to end. */
  readonly joiners: NativeThread[] = [];

  constructor(tid: number, ctx: UserContext, readonly name = `thread ${tid}`) {
    super(tid, ctx);
  }

  exit(status: number): void {
    this.exitStatus = status;
    if (this.onExit) this.onExit(status);
    else {
      this.state = 'dead';
      this.releaseJoiners();
    }
  }

  /** Wait for this thread to end (it has not yet): joiner blocks. */
  addJoiner(joiner: NativeThread): void {
    joiner.blockOnIpc({ kind: 'joining', target: this });
    this.joiners.push(joiner);
  }

  /** It ended: every join returns its exit status, or cancelled when it ended without one. */
  releaseJoiners(): void {
    for (const j of this.joiners.splice(0)) {
      if (this.exitStatus === undefined) j.finishIpc(NativeError.cancelled);
      else j.finishNotification(this.exitStatus);
    }
  }

  get cspace(): CSpace | null {
    const c = this.cspaceOf;
    return c && !c.isDead ? c.value : null;
  }

  get vspace(): VSpace | null {
    const v = this.vspaceOf;
    return v && !v.isDead && !v.value.isDestroyed ? v.value : null;
  }

  /** Off the CPU until an IPC partner (or a resume) wakes it. */
  blockOnIpc(state: IpcState): void {
    this.ipc = state;
    this.block(IPC_WAIT);
  }

  /** An IPC ended: runnable again with error in n0 (registers n1.. already written). */
  finishIpc(error: number): void {
    this.ipc = IDLE;
    writeNative(this.ctx, 0, error);
    this.runAgain();
  }

  /** A wait that returns a value ended (a notification's badge, a joined thread's status): n1 = value. */
  finishNotification(value: number): void {
    writeNative(this.ctx, 1, value);
    this.finishIpc(0);
  }

  /** A fault's reply arrived: run the faulting instruction again, registers untouched. */
  retryFault(): void {
    this.ipc = IDLE;
    this.runAgain();
  }

  /** Runnable again without touching any register (Thread.wake would write the arch's Linux result register). */
  private runAgain(): void {
    this.wait = undefined;
    this.state = 'runnable';
    this.onState?.(this);
  }

  writeMessage(kind: number, words: readonly number[], capSlot: number, badge: number): void {
    writeNative(this.ctx, 1, kind);
    for (let i = 0; i < MSG_WORDS; i++) writeNative(this.ctx, MSG_FIRST_REG + i, words[i] ?? 0);
    writeNative(this.ctx, MSG_CAP_REG, capSlot);
    writeNative(this.ctx, MSG_BADGE_REG, badge);
  }
}

/** The scheduler polls blocked threads; IPC wakes these directly, so polling never ends their waits. */
const IPC_WAIT: Wait = { retry: () => BLOCKED, interruptible: false };
