// POSIX message queues as Linux keeps them: one namespace of names per
// system (the mqueue filesystem, not mounted anywhere here), each queue with
// its attributes, messages ordered by priority then arrival, its owner and
// mode, one registered notification, and the bytes charged to its creator's
// RLIMIT_MSGQUEUE until the queue is unlinked and closed. A descriptor is an
// open file of the queue (MqueueFile); the calls are in sys-mqueue.ts.

import type { Attributes } from '../vfs/node';
import { OpenFile } from '../vfs/open-file';
import { newIno } from '../vfs/overlay-fs';
import type { EdgeDirection } from '../vfs/readiness';
import { EINVAL } from './errno';
import type { LinuxProcess } from './linux-process';
import type { LinuxSystem } from './linux-system';
import { procDir, type ProcEntry } from './proc-fs';
import { mqMessageCharge, MQUEUE_QUEUE_BYTES, releaseMqueue } from './mqueue-charges';

/** Linux's hard limits (ipc/mqueue.c) and the /proc/sys/fs/mqueue defaults. */
export const HARD_MSGMAX = 65536;
export const HARD_MSGSIZEMAX = 16 * 1024 * 1024;
const MIN_MSGSIZEMAX = 128;
/** Kernel bookkeeping Linux charges per message and per priority level (sizeof msg_msg, posix_msg_tree_node). */
const MSG_OVERHEAD = 48;
const NODE_OVERHEAD = 48;
export const MQ_PRIO_MAX = 32768;

export interface MqTunables {
  queuesMax: number;
  msgMax: number;
  msgsizeMax: number;
  msgDefault: number;
  msgsizeDefault: number;
}

export interface MqMessage {
  readonly prio: number;
  readonly data: Uint8Array;
}

/** What a registered mq_notify does when a message arrives in an empty queue. */
export interface MqNotification {
  readonly owner: LinuxProcess;
  /** SIGEV_SIGNAL: the signal and its value; SIGEV_NONE: signo 0. */
  readonly signo: number;
  readonly value: number;
  /** The registering process's effective uid (si_uid of the signal). */
  readonly uid: number;
}

export class MessageQueue {
  readonly ino = newIno();
  readonly messages: MqMessage[] = [];
  /** Bytes of message text queued (QSIZE). */
  bytes = 0;
  notify: MqNotification | undefined;
  unlinked = false;
  opens = 0;
  /** Its guest-memory charge (mqueue-charges.ts) was given back. */
  released = false;
  /** Times a message went in and out (edge-triggered epoll). */
  sends = 0;
  receives = 0;
  readonly ctimeMs = Date.now();
  mtimeMs = this.ctimeMs;

  constructor(
    readonly name: string,
    readonly mode: number,
    readonly uid: number,
    readonly gid: number,
    readonly maxmsg: number,
    readonly msgsize: number,
  ) {}

  /** What the queue costs against RLIMIT_MSGQUEUE (Linux's mq_bytes). */
  get charge(): number {
    return this.maxmsg * this.msgsize + this.maxmsg * MSG_OVERHEAD + Math.min(this.maxmsg, MQ_PRIO_MAX) * NODE_OVERHEAD;
  }

  get full(): boolean {
    return this.messages.length >= this.maxmsg;
  }

  /** Queues a message after every other of its priority. */
  put(m: MqMessage): void {
    let i = this.messages.length;
    while (i > 0 && this.messages[i - 1].prio < m.prio) i--;
    this.messages.splice(i, 0, m);
    this.bytes += m.data.length;
    this.sends++;
    this.mtimeMs = Date.now();
  }

  /** Takes the oldest message of the highest priority. */
  take(): MqMessage | undefined {
    const m = this.messages.shift();
    if (m) {
      this.bytes -= m.data.length;
      this.receives++;
      this.mtimeMs = Date.now();
    }
    return m;
  }
}

interface Namespace {
  readonly queues: Map<string, MessageQueue>;
  /** Bytes charged per uid (RLIMIT_MSGQUEUE). */
  readonly charged: Map<number, number>;
  readonly tunables: MqTunables;
}

const namespaces = new WeakMap<LinuxSystem, Namespace>();

export function mqNamespace(sys: LinuxSystem): Namespace {
  let ns = namespaces.get(sys);
  if (!ns) {
    ns = { queues: new Map(), charged: new Map(), tunables: { queuesMax: 256, msgMax: 10, msgsizeMax: 8192, msgDefault: 10, msgsizeDefault: 8192 } };
    namespaces.set(sys, ns);
  }
  return ns;
}

/** Gives back what a queue charged once it is unlinked and no descriptor names it. */
function releaseIfGone(sys: LinuxSystem, q: MessageQueue): void {
  if (!q.unlinked || q.opens > 0 || q.released) return;
  q.released = true;
  const ns = mqNamespace(sys);
  ns.charged.set(q.uid, Math.max(0, (ns.charged.get(q.uid) ?? 0) - q.charge));
  releaseMqueue(sys, q.messages.reduce((sum, m) => sum + mqMessageCharge(m.data.length), MQUEUE_QUEUE_BYTES));
  q.messages.length = 0;
}

export function unlinkQueue(sys: LinuxSystem, q: MessageQueue): void {
  const ns = mqNamespace(sys);
  if (ns.queues.get(q.name) === q) ns.queues.delete(q.name);
  q.unlinked = true;
  releaseIfGone(sys, q);
}

/** The text a read of the descriptor gives (Linux's mqueue_read_file). */
function statusLine(q: MessageQueue): string {
  const n = q.notify;
  const how = !n ? 0 : n.signo === 0 ? 1 : 0;
  return `QSIZE:${String(q.bytes).padEnd(10)} NOTIFY:${String(how).padEnd(5)} SIGNO:${String(n?.signo ?? 0).padEnd(5)} NOTIFY_PID:${String(n?.owner.pid ?? 0).padEnd(6)}\n`;
}

/** An open message queue descriptor. */
export class MqueueFile extends OpenFile {
  constructor(
    readonly queue: MessageQueue,
    flags: number,
    private readonly sys: LinuxSystem,
  ) {
    super(`/${queue.name}`, flags);
    queue.opens++;
  }

  read(max: number, pos: number | null): Uint8Array | number {
    const text = Buffer.from(statusLine(this.queue));
    const at = pos ?? this.offset;
    const out = text.subarray(Math.min(at, text.length), Math.min(at + max, text.length));
    if (pos === null) this.offset += out.length;
    return out;
  }

  /** The mqueue filesystem's files have no write: EINVAL, as for any file without one. */
  write(): number {
    return -EINVAL;
  }

  override pollIn(): boolean {
    return this.queue.messages.length > 0;
  }
  override pollOut(): boolean {
    return !this.queue.full;
  }
  override edgeCount(direction: EdgeDirection): number {
    return direction === 'in' ? this.queue.sends : this.queue.receives;
  }

  attrs(): Attributes {
    const q = this.queue;
    return { kind: 'file', perm: q.mode, size: 80, ino: q.ino, nlink: q.unlinked ? 0 : 1, rdev: 0, mtimeMs: q.mtimeMs, atimeMs: q.mtimeMs, ctimeMs: q.ctimeMs, uid: q.uid, gid: q.gid };
  }

  protected override released(): void {
    const q = this.queue;
    q.opens--;
    releaseIfGone(this.sys, q);
  }
}

/** Charges a new queue to uid: false when RLIMIT_MSGQUEUE (limit bytes) would be passed. */
export function chargeQueue(sys: LinuxSystem, uid: number, bytes: number, limit: number): boolean {
  const ns = mqNamespace(sys);
  const now = ns.charged.get(uid) ?? 0;
  if (now + bytes > limit) return false;
  ns.charged.set(uid, now + bytes);
  return true;
}

/** /proc/sys/fs/mqueue: the limits and defaults, writable by root within Linux's bounds. */
export function mqueueSysDir(sys: LinuxSystem): ProcEntry {
  const t = (): MqTunables => mqNamespace(sys).tunables;
  const file = (key: keyof MqTunables, min: () => number, max: () => number): ProcEntry => ({
    kind: 'file',
    perm: 0o644,
    source: {
      sysctl: true,
      read: () => `${t()[key]}\n`,
      write: (text) => {
        const m = /^\s*([-+]?\d+)\s*$/.exec(text);
        const v = m ? Number(m[1]) : NaN;
        if (!(v >= min() && v <= max())) return -EINVAL;
        t()[key] = v;
        return text.length;
      },
    },
  });
  return procDir({
    queues_max: () => file('queuesMax', () => 0, () => 2 ** 31 - 1),
    msg_max: () => file('msgMax', () => 1, () => HARD_MSGMAX),
    msgsize_max: () => file('msgsizeMax', () => MIN_MSGSIZEMAX, () => HARD_MSGSIZEMAX),
    msg_default: () => file('msgDefault', () => 1, () => t().msgMax),
    msgsize_default: () => file('msgsizeDefault', () => MIN_MSGSIZEMAX, () => t().msgsizeMax),
  });
}
