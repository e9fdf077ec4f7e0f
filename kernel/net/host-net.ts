// The emulator's side of the host network: one worker thread (see
// host-net-worker.ts) per system, started by the first AF_INET or AF_INET6
// socket. Commands go out on a MessagePort without waiting; events come back
// on it and are taken with receiveMessageOnPort, synchronously, whenever a
// socket is looked at (pump) or when the run loop has nothing to run (wait).
// The few commands that must answer at once (bind, listen, UDP connect) wait
// for their reply with Atomics.wait, which only the worker's loopback work
// stands behind (well under a millisecond).

import { createRequire } from 'node:module';
import type { MessagePort, Worker } from 'node:worker_threads';
import { HOST_NET_WORKER_SOURCE } from './host-net-worker';

/** A host address as Node spells it, and a port. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** What the worker reports about one socket. */
export type NetEvent =
  | { readonly ev: 'data'; readonly id: number; readonly bytes: Uint8Array }
  | { readonly ev: 'dgram'; readonly id: number; readonly bytes: Uint8Array; readonly from: Endpoint }
  | { readonly ev: 'accept'; readonly id: number; readonly newId: number; readonly local: Endpoint; readonly remote: Endpoint }
  | { readonly ev: 'connected'; readonly id: number; readonly local: Endpoint; readonly remote: Endpoint }
  | { readonly ev: 'sent'; readonly id: number; readonly n: number; readonly errno?: number }
  | { readonly ev: 'end'; readonly id: number }
  | { readonly ev: 'error'; readonly id: number; readonly errno: number }
  | { readonly ev: 'closed'; readonly id: number }
  | { readonly ev: 'fatal'; readonly id: number; readonly message: string };

export interface NetReply {
  readonly reply: number;
  readonly errno?: number;
  readonly local?: Endpoint;
}

/** A socket the events of its id go to. */
export interface NetListener {
  onEvent(e: NetEvent): void;
}

/** How long a synchronous command may take before it counts as failed (the worker is stuck). */
const REPLY_TIMEOUT_MS = 10_000;
const ETIMEDOUT = 110;

/** node:worker_threads, loaded by the first HostNet (loading it at start cost every run 2 ms; docs/performance.md, session 13). */
const workerThreads = (): typeof import('node:worker_threads') => createRequire(import.meta.url)('node:worker_threads');

export class HostNet {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly receive: typeof import('node:worker_threads').receiveMessageOnPort;
  private readonly counter = new Int32Array(new SharedArrayBuffer(4));
  private seen = 0;
  private nextId = 1;
  private nextReq = 1;
  private readonly listeners = new Map<number, NetListener>();
  /** Sockets the guest closed whose host side is still finishing (sending what is queued). */
  private readonly closing = new Set<number>();
  private readonly replies = new Map<number, NetReply>();
  /**
   * Events went to sockets since the run loop last waited. Any socket call
   * takes events (pump), also for other sockets: while the scheduler polls
   * blocked threads, one thread's retry may take the datagram another thread,
   * polled just before, waits for. The run loop must then poll again, not wait.
   */
  private news = false;

  constructor() {
    const { MessageChannel, receiveMessageOnPort, Worker } = workerThreads();
    this.receive = receiveMessageOnPort;
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(HOST_NET_WORKER_SOURCE, { eval: true, workerData: { port: port2, counter: this.counter.buffer }, transferList: [port2] });
    this.worker.on('error', (e: Error) => {
      // Never the guest's doing: say so, and let pending calls time out with ETIMEDOUT.
      process.stderr.write(`salty: the host network worker failed: ${e.message}\n`);
    });
    this.worker.unref();
    this.port.unref();
  }

  newId(l: NetListener): number {
    const id = this.nextId++;
    this.listeners.set(id, l);
    return id;
  }

  /** Routes the events of an id the worker made (an accepted connection). */
  adopt(id: number, l: NetListener): void {
    this.listeners.set(id, l);
  }

  /** A command that needs no answer. */
  post(op: string, m: object): void {
    this.port.postMessage({ op, ...m });
  }

  /** A command whose answer the caller needs now. */
  call(op: string, m: object): NetReply {
    const req = this.nextReq++;
    this.port.postMessage({ op, req, ...m });
    const start = Date.now();
    for (;;) {
      const n = Atomics.load(this.counter, 0);
      this.seen = n;
      this.drain();
      const r = this.replies.get(req);
      if (r) {
        this.replies.delete(req);
        return r;
      }
      const left = REPLY_TIMEOUT_MS - (Date.now() - start);
      if (left <= 0) return { reply: req, errno: ETIMEDOUT };
      Atomics.wait(this.counter, 0, n, left);
    }
  }

  /** The guest closed id: the host side finishes in the background, and its events go nowhere. */
  close(id: number, reset = false): void {
    this.listeners.delete(id);
    this.closing.add(id);
    this.post('close', { id, reset });
  }

  /** Takes every event the worker has posted (one Atomics.load when there is none). */
  pump(): void {
    const n = Atomics.load(this.counter, 0);
    if (n === this.seen) return;
    this.seen = n;
    this.drain();
  }

  /**
   * Takes what the port holds; true when there was something. The worker
   * posts before it counts, so whatever it posted before the counter read
   * that set `seen` is here, and whatever after moves the counter past `seen`.
   */
  private drain(): boolean {
    let any = false;
    for (;;) {
      const got = this.receive(this.port);
      if (!got) return any;
      any = true;
      const m = got.message as NetEvent | NetReply;
      if ('reply' in m) this.replies.set(m.reply, m);
      else this.dispatch(m);
    }
  }

  private dispatch(e: NetEvent): void {
    if (e.ev === 'fatal') {
      process.stderr.write(`salty: the host network worker failed: ${e.message}\n`);
      return;
    }
    this.news = true;
    if (e.ev === 'closed') this.closing.delete(e.id);
    if (e.ev === 'accept' && !this.listeners.has(e.id)) {
      // The listener is gone: the connection has nobody to go to.
      this.post('close', { id: e.newId, reset: true });
      return;
    }
    this.listeners.get(e.id)?.onEvent(e);
  }

  /** Sockets whose events a waiting guest may be waiting for. */
  get active(): boolean {
    return this.listeners.size > 0;
  }

  /**
   * Waits up to ms (Infinity: no limit) for the worker's next event; true when
   * one came, or when events came since the last wait (see news): the
   * caller's threads may then be ready without waiting.
   */
  wait(ms: number): boolean {
    // Read the counter, then look at the port itself: nothing posted before the read can be missed, whatever `seen` says.
    const n = Atomics.load(this.counter, 0);
    this.seen = n;
    this.drain();
    if (this.takeNews()) return true;
    const r = Atomics.wait(this.counter, 0, n, ms === Infinity ? undefined : Math.max(0, ms));
    this.seen = Atomics.load(this.counter, 0);
    this.drain();
    return this.takeNews() || r !== 'timed-out';
  }

  private takeNews(): boolean {
    const had = this.news;
    this.news = false;
    return had;
  }

  /** At the end of the run: lets closed connections send what they hold (up to ms), then stops the worker. */
  finish(ms = 2000): void {
    for (const id of [...this.listeners.keys()]) this.close(id);
    const end = Date.now() + ms;
    while (this.closing.size > 0 && Date.now() < end) this.wait(end - Date.now());
    void this.worker.terminate();
  }
}
