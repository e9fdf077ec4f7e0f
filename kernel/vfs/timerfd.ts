// timerfd: a timer whose expirations are counted and handed out by read (8
// bytes, the count since the last read). Times are the kernel's monotonic
// milliseconds (the `now` it is given); the syscall layer converts clocks.

import type { Attributes } from './node';
import { OpenFile } from './open-file';
import { newIno } from './overlay-fs';
import { u64Bytes } from './u64-bytes';
import { EAGAIN, EINVAL } from './vfs-errno';

const ECANCELED = 125;

export class TimerFd extends OpenFile {
  private readonly ino = newIno();
  /** Next expiry (kernel ms), 0 when disarmed. */
  private next = 0;
  private interval = 0;
  private expired = 0;
  /** TFD_TIMER_CANCEL_ON_SET: tells whether the realtime clock was set since the timer was armed. */
  private cancelled: (() => boolean) | undefined;

  constructor(
    readonly clock: number,
    flags: number,
    private readonly now: () => number,
  ) {
    super('anon_inode:[timerfd]', flags);
  }

  /** Counts the expirations up to now. */
  private advance(): void {
    const now = this.now();
    if (this.next === 0 || now < this.next) return;
    if (this.interval > 0) {
      const n = Math.floor((now - this.next) / this.interval) + 1;
      this.expired += n;
      this.next += n * this.interval;
    } else {
      this.expired++;
      this.next = 0;
    }
  }

  /** Arms (at > 0, a kernel time) or disarms (at 0) the timer; returns the old setting. */
  set(at: number, interval: number, cancelled?: () => boolean): { remaining: number; interval: number } {
    const old = this.get();
    this.cancelled = cancelled;
    this.next = at;
    this.interval = at === 0 ? 0 : interval;
    this.expired = 0;
    return old;
  }

  /** Time left to the next expiry (0: disarmed) and the interval. */
  get(): { remaining: number; interval: number } {
    this.advance();
    return { remaining: this.next === 0 ? 0 : Math.max(this.next - this.now(), 1e-6), interval: this.interval };
  }

  read(max: number): Uint8Array | number {
    if (max < 8) return -EINVAL;
    // The clock was set under an absolute realtime timer that asked to know: ECANCELED until it is armed again.
    if (this.cancelled?.()) {
      this.expired = 0;
      return -ECANCELED;
    }
    this.advance();
    if (this.expired === 0) return -EAGAIN;
    const n = this.expired;
    this.expired = 0;
    return u64Bytes(n);
  }

  write(): number {
    return -EINVAL;
  }

  override pollIn(): boolean {
    if (this.cancelled?.()) return true;
    this.advance();
    return this.expired > 0;
  }
  override pollOut(): boolean {
    return false;
  }
  override readyAt(): number | undefined {
    return this.next === 0 ? undefined : this.next;
  }
  override seekable(): boolean {
    return false;
  }

  attrs(): Attributes {
    const now = Date.now();
    return { kind: 'file', perm: 0o600, size: 0, ino: this.ino, nlink: 1, rdev: 0, mtimeMs: now, atimeMs: now, ctimeMs: now };
  }
}
