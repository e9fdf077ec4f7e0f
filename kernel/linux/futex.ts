// Futex wait queues, keyed by (space, address): a private futex by its
// VSpace id and user address, a shared one by its MemoryObject (`mo<id>`) and
// byte offset there, so processes mapping the same object meet on one queue.

/** A VSpace id, or `mo<id>` for a futex in a shared MemoryObject. */
export type FutexSpace = number | string;

interface Waiter {
  key: string;
  readonly bitset: number;
  woken: boolean;
  /** Charged to guest memory while queued (kobj-charges.ts sets the meter). */
  charged?: boolean;
}

/** Counts queued waiters against guest memory: charge answers false when it cannot (the waiter queues anyway, as Linux's futex_q lives on the waiter's charged kernel stack). */
export interface FutexMeter {
  charge(): boolean;
  release(): void;
}

const keyOf = (space: FutexSpace, addr: number): string => `${space}:${addr}`;

export class Futexes {
  private readonly queues = new Map<string, Waiter[]>();
  meter?: FutexMeter;

  /** Queues a waiter; the caller blocks until waiter.woken. */
  enqueue(space: FutexSpace, addr: number, bitset: number): Waiter {
    const w: Waiter = { key: keyOf(space, addr), bitset, woken: false, charged: this.meter?.charge() };
    const q = this.queues.get(w.key) ?? [];
    q.push(w);
    this.queues.set(w.key, q);
    return w;
  }

  cancel(w: Waiter): void {
    const q = this.queues.get(w.key);
    const i = q?.indexOf(w) ?? -1;
    if (q && i >= 0) this.uncharge(q.splice(i, 1)[0]);
    if (q && q.length === 0) this.queues.delete(w.key);
  }

  /** Wakes up to n waiters whose bitset meets mask; returns how many. */
  wake(space: FutexSpace, addr: number, n: number, mask: number): number {
    const key = keyOf(space, addr);
    const q = this.queues.get(key);
    if (!q) return 0;
    let woken = 0;
    for (let i = 0; i < q.length && woken < n; ) {
      if ((q[i].bitset & mask) !== 0) {
        q[i].woken = true;
        this.uncharge(q.splice(i, 1)[0]);
        woken++;
      } else i++;
    }
    if (q.length === 0) this.queues.delete(key);
    return woken;
  }

  /** Wakes n waiters on addr and moves up to m of the rest to addr2. */
  requeue(space: FutexSpace, addr: number, n: number, addr2: number, m: number, space2: FutexSpace = space): number {
    const woken = this.wake(space, addr, n, 0xffffffff);
    const q = this.queues.get(keyOf(space, addr));
    if (!q) return woken;
    const moved = q.splice(0, m);
    if (q.length === 0) this.queues.delete(keyOf(space, addr));
    const key2 = keyOf(space2, addr2);
    const q2 = this.queues.get(key2) ?? [];
    for (const w of moved) {
      w.key = key2;
      q2.push(w);
    }
    if (q2.length > 0) this.queues.set(key2, q2);
    return woken + moved.length;
  }

  /** An address space is gone: drop its queues. */
  forget(space: number): void {
    for (const k of [...this.queues.keys()]) {
      if (!k.startsWith(`${space}:`)) continue;
      for (const w of this.queues.get(k)!) this.uncharge(w);
      this.queues.delete(k);
    }
  }

  private uncharge(w: Waiter): void {
    if (!w.charged) return;
    w.charged = false;
    this.meter?.release();
  }
}
