// What a blocked send keeps of its bytes: nothing. A sender that waits for
// room in a full socket drops its copy and reads the user's bytes again when
// it goes on (Linux copies from user memory only as the socket takes them),
// a stream a window at a time; so threads blocked sending 16 MiB each no
// longer make the host hold 16 MiB each. pipe and file writes do the same in
// sys-io.ts's writeFrom.

import type { Call } from './syscall-context';

/** The most one send takes (as a write's MAX_IO): 16 MiB, however many iovecs ask for more. */
export const SEND_MAX = 1 << 24;
/** A stream's bytes are read again a MiB at a time once the sender has waited. */
const WINDOW = 1 << 20;

export class SendBytes {
  private held: Uint8Array | undefined;
  private heldFrom = 0;
  readonly total: number;

  constructor(
    /** The bytes as read before the first try; undefined for a stream sender that will wait first (read once there is room). */
    first: Uint8Array | undefined,
    total: number,
    /** Reads len bytes of the send from offset from (user memory; a fault is EFAULT). */
    private readonly read: (from: number, len: number) => Uint8Array,
    private readonly stream: boolean,
  ) {
    this.held = first;
    this.total = first?.length ?? total;
  }

  /** The bytes from offset from on: what is held, or (after a wait) a window read anew; a datagram whole. */
  at(from: number): Uint8Array {
    const h = this.held;
    if (h && from >= this.heldFrom && from - this.heldFrom < h.length) return from === this.heldFrom ? h : h.subarray(from - this.heldFrom);
    const len = this.stream ? Math.min(this.total - from, WINDOW) : this.total;
    this.held = this.read(this.stream ? from : 0, len);
    this.heldFrom = this.stream ? from : 0;
    return this.held;
  }

  /** Nothing held: the sender has waited, and reads its bytes again once the socket has room. */
  get dropped(): boolean {
    return this.held === undefined;
  }

  /** The sender waits: its copy goes. */
  drop(): void {
    this.held = undefined;
  }
}

/** len bytes of what iovecs gather, from offset from on. */
export function gatherRange(c: Call, iov: readonly { base: number; len: number }[], from: number, len: number): Uint8Array {
  const out = new Uint8Array(len);
  let skip = from;
  let at = 0;
  for (const v of iov) {
    if (at >= len) break;
    if (v.len <= 0) continue;
    if (skip >= v.len) {
      skip -= v.len;
      continue;
    }
    const n = Math.min(v.len - skip, len - at);
    out.set(c.user.read(v.base + skip, n), at);
    at += n;
    skip = 0;
  }
  return out;
}
