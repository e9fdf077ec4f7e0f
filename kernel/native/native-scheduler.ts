// The native threads of a machine: a round-robin scheduler (the CPU's slice
// timer ends a slice; kernel/sched/scheduler.ts), the thread objects
// invocations create and start, and the two ways a thread enters the kernel
// besides the timer: the native trap and a page fault. A fault the kernel
// cannot resolve alone (kernel/native/pager.ts) becomes an IPC to the pager.

import type { RawFault } from '../arch/arch';
import type { UserContext } from '../arch/arch-cpu';
import { readNative, writeNative } from '../arch/native-abi';
import type { FaultReport } from '../mm/fault';
import type { MemoryManager } from '../mm/memory-manager';
import { Scheduler } from '../sched/scheduler';
import { cancelIpc } from './endpoint';
import type { NativeContext, ThreadHost } from './native-context';
import { NativeError } from './native-errors';
import { nativeTrap, type NativeRegisters } from './native-trap';
import { NativeThread } from './native-thread';
import { pagerFault } from './pager';

/** A thread's saved registers as the native trap reads them (n0..n7 of its arch): unsigned. */
export function registersOf(ctx: UserContext): NativeRegisters {
  return {
    readX: (n) => readNative(ctx, n),
    writeX: (n, v) => writeNative(ctx, n, v),
  };
}

export type FaultResult = { readonly kind: 'resolved' } | { readonly kind: 'pager' } | { readonly kind: 'refused'; readonly report: FaultReport };

export class NativeScheduler implements ThreadHost {
  readonly sched = new Scheduler<NativeThread>();
  /** Faults sent to a pager, and pager replies that let a thread go on. */
  pagerFaults = 0;
  private nextTid = 1;
  /** Called when a thread dies (its TCB deleted, or killed by the kernel). */
  onDeath: ((t: NativeThread) => void) | undefined;

  constructor(
    readonly mm: MemoryManager,
    private readonly newContext: () => UserContext,
  ) {}

  newThread(): NativeThread {
    return new NativeThread(this.nextTid++, this.newContext());
  }

  start(t: NativeThread): void {
    if (t.active || t.state === 'dead') return;
    t.active = true;
    this.sched.add(t);
  }

  stop(t: NativeThread): void {
    if (!t.active) return;
    cancelIpc(t, NativeError.cancelled);
    t.active = false;
    this.sched.remove(t);
  }

  kill(t: NativeThread, reason: string): void {
    if (t.state === 'dead') return;
    this.stop(t);
    cancelIpc(t, NativeError.cancelled);
    t.state = 'dead';
    t.exitReason = reason;
    t.releaseJoiners();
    this.onDeath?.(t);
  }

  /** What an invocation by t sees; null when t's capability space is gone. */
  contextOf(t: NativeThread): NativeContext | null {
    const cspace = t.cspace;
    return cspace ? { mm: this.mm, cspace, thread: t, host: this } : null;
  }

  /** The native trap taken by t (its registers saved in t.ctx). */
  trap(t: NativeThread, extend?: (ctx: NativeContext) => NativeContext): void {
    const ctx = this.contextOf(t);
    if (!ctx) return this.kill(t, 'its capability space was deleted');
    nativeTrap(extend ? extend(ctx) : ctx, registersOf(t.ctx));
  }

  /** A page fault taken by t: resolved in the kernel, sent to a pager (t then waits), or refused. */
  fault(t: NativeThread, raw: RawFault): FaultResult {
    const vs = t.vspace;
    if (!vs) return { kind: 'refused', report: { address: raw.addressLo, kind: 'unmapped', reason: 'its VSpace was deleted' } };
    const pf = this.mm.arch.decodeFault(raw, vs.root);
    const toPager = pf ? pagerFault(vs, pf) : null;
    if (toPager) {
      this.pagerFaults++;
      toPager.ep.send(t, toPager.msg);
      return { kind: 'pager' };
    }
    const out = this.mm.handleFault(vs, raw);
    return out.resolved ? { kind: 'resolved' } : { kind: 'refused', report: out.report };
  }
}
