// A notification (seL4's): a word of signal bits and the threads waiting on
// it. A signal ORs the badge of the capability it came through into the word,
// or hands that badge straight to the first waiting thread; a wait takes the
// word and clears it, or blocks while it is zero. Signals never block, so
// several signallers, each with its own badge, can share one notification and
// the waiter sees which of them signalled.

import { NativeError } from './native-errors';
import type { NativeThread } from './native-thread';

const TWO32 = 2 ** 32;

/** a | b for whole numbers below 2^53 (JavaScript's | works on 32 bits). */
export function orWord(a: number, b: number): number {
  const hi = (Math.floor(a / TWO32) | Math.floor(b / TWO32)) >>> 0;
  return hi * TWO32 + (((a % TWO32) | (b % TWO32)) >>> 0);
}

export class Notification {
  /** The bits signalled since the last wait or poll took them. */
  word = 0;
  private readonly waiters: NativeThread[] = [];
  private dead = false;

  get isDestroyed(): boolean {
    return this.dead;
  }

  get waiting(): readonly NativeThread[] {
    return this.waiters;
  }

  signal(badge: number): void {
    const t = this.waiters.shift();
    if (!t) {
      this.word = orWord(this.word, badge);
      return;
    }
    t.finishNotification(badge);
  }

  /** The word (cleared) when it is not zero; else t blocks until a signal and 0 is returned. */
  wait(t: NativeThread): number {
    const w = this.poll();
    if (w !== 0) return w;
    t.blockOnIpc({ kind: 'waiting', ntfn: this });
    this.waiters.push(t);
    return 0;
  }

  /** The word, cleared; 0 when nothing was signalled. */
  poll(): number {
    const w = this.word;
    this.word = 0;
    return w;
  }

  dequeue(t: NativeThread): void {
    const i = this.waiters.indexOf(t);
    if (i >= 0) this.waiters.splice(i, 1);
  }

  /** The last capability is gone: every waiter's wait ends with cancelled. */
  destroy(): void {
    if (this.dead) return;
    this.dead = true;
    for (const t of this.waiters.splice(0)) t.finishIpc(NativeError.cancelled);
  }
}
