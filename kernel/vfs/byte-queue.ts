// The bounded byte queue behind a pipe and each direction of a socket.
// It never blocks: it answers -EAGAIN where a blocking caller must wait (the
// caller polls pollIn/pollOut), end of file once the writing side is gone, and
// -EPIPE once the reading side is. With messages, each write is one message:
// it goes in whole or not at all, and a read takes one, truncated to the buffer.
// A write may carry something besides its bytes (a socket's passed files and
// credentials): it stays with the first byte of that write.

import { EAGAIN, EPIPE } from './vfs-errno';

const PAGE = 4096;

/** What rides along with a write; released when nobody will receive it. */
export interface Attachment {
  /** Nothing more to hand over (a read() with no room for ancillary data, or the queue dropped). */
  release(): void;
  /** A stream read may not run past this write into the next (passed files end a read). */
  readonly endsRead: boolean;
}

/** Counts a queue's host bytes against guest memory: grow throws (OutOfFrames) when they cannot be charged, else answers whom it charged (given back to shrink). */
export interface QueueMeter {
  grow(bytes: number): unknown;
  shrink(bytes: number, chargedTo: unknown): void;
}

let currentMeter: QueueMeter | undefined;

/** The meter queues made from now on charge (the running system's; undefined: none). */
export function setQueueMeter(meter: QueueMeter | undefined): void {
  currentMeter = meter;
}

/** Per-chunk bookkeeping a queued write costs the host besides its bytes. */
const CHUNK_OVERHEAD = 64;

/**
 * What a message (a datagram or seqpacket record) counts against its queue's
 * capacity, and what it is charged: Linux's skb truesize, the sk_buff (256
 * bytes) and its data's kmalloc bucket (the bytes and skb_shared_info's 320,
 * at least 512). An empty datagram is 768 bytes, so a socket's 212992 holds
 * 278 of them, as on the host kernel; counted by their bytes alone, a queue
 * of empty messages had no bound but guest memory, and each cost the host
 * more than it was charged.
 */
export function messageTruesize(len: number): number {
  let bucket = 512;
  while (bucket < len + 320) bucket *= 2;
  return 256 + bucket;
}

interface Chunk {
  data: Uint8Array;
  /** Bytes charged for this chunk: its backing buffer and bookkeeping. */
  charged: number;
  /** Whom the meter charged them to (the writer, for the OOM killer). */
  chargedTo?: unknown;
  attachment?: Attachment;
  /** A packet of a pipe in packet mode (O_DIRECT): a read takes it alone, and what does not fit is dropped. */
  packet?: boolean;
}

/** One receive: the bytes, what came with them, and (for messages) the message's whole length. */
export interface Received {
  readonly data: Uint8Array;
  readonly attachments: Attachment[];
  readonly length: number;
}

export class ByteQueue {
  private readonly chunks: Chunk[] = [];
  /** Bytes queued. */
  size = 0;
  /** The writing side is gone or shut down: reads see end of file once empty. */
  closed = false;
  /** The reading side is gone: writes get EPIPE. */
  orphaned = false;
  /** Writes that queued bytes, and reads that made room in a full queue (edge-triggered epoll's events, as Linux's pipes wake). */
  arrivals = 0;
  departures = 0;
  /** Packets queued: each holds a page slot of its own. */
  private packets = 0;
  /** A message queue's messages by their truesize: what its capacity bounds. */
  private truesize = 0;
  private readonly meter = currentMeter;

  constructor(
    /** Bytes the queue holds at most (F_SETPIPE_SZ changes it). */
    public capacity: number,
    readonly messages: boolean,
  ) {}

  /** FIONREAD: bytes a read could take now (one message's for message queues). */
  get readable(): number {
    return this.messages ? (this.chunks[0]?.data.length ?? 0) : this.size;
  }

  /** Messages queued (a datagram receiver's queue length). */
  get count(): number {
    return this.chunks.length;
  }

  read(max: number): Uint8Array | number {
    const r = this.receive(max, false);
    if (typeof r === 'number') return r;
    for (const a of r.attachments) a.release();
    return r.data;
  }

  /** Takes (or with peek, copies) up to max bytes: one message, or stream bytes up to an attachment that ends a read. */
  receive(max: number, peek: boolean): Received | number {
    if (this.chunks.length === 0) return this.closed ? { data: new Uint8Array(0), attachments: [], length: 0 } : -EAGAIN;
    if (this.messages) {
      const m = this.chunks[0];
      if (!peek) {
        if (this.full) this.departures++;
        this.dropFirst();
        this.size -= m.data.length;
      }
      const attachments = m.attachment && !peek ? [m.attachment] : [];
      return { data: m.data.slice(0, max), attachments, length: m.data.length };
    }
    return this.receiveStream(max, peek);
  }

  /** Full as a pipe counts it: every page slot holds bytes (a partly read page keeps its slot, a packet one of its own). */
  get full(): boolean {
    return this.slotsUsed >= this.slots;
  }

  private get slots(): number {
    return Math.max(1, Math.floor(this.capacity / PAGE));
  }

  private get slotsUsed(): number {
    let packetBytes = 0;
    if (this.packets > 0) for (const c of this.chunks) if (c.packet) packetBytes += c.data.length;
    return Math.ceil((this.size - packetBytes) / PAGE) + this.packets;
  }

  private receiveStream(max: number, peek: boolean): Received {
    const wasFull = this.full;
    const out = new Uint8Array(Math.min(max, this.size));
    const attachments: Attachment[] = [];
    let got = 0;
    for (let i = 0; got < out.length && i < this.chunks.length; ) {
      const c = this.chunks[i];
      const n = Math.min(c.data.length, out.length - got);
      const partial = n < c.data.length;
      out.set(c.data.subarray(0, n), got);
      got += n;
      const att = c.attachment;
      if (peek) {
        i++;
      } else if (c.packet) {
        // A packet goes whole, what did not fit in the buffer with it.
        this.dropFirst();
        this.size -= c.data.length;
        this.packets--;
      } else {
        if (att) attachments.push(att);
        c.attachment = undefined;
        if (partial) c.data = c.data.subarray(n);
        else this.dropFirst();
        this.size -= n;
      }
      if (att?.endsRead || partial || c.packet) break;
    }
    if (!peek && got > 0 && wasFull) this.departures++;
    return { data: out.subarray(0, got), attachments, length: got };
  }

  /** Bytes accepted; -EPIPE with no reader left or writing shut down, -EAGAIN when full. */
  write(data: Uint8Array, attachment?: Attachment): number {
    if (this.orphaned || this.closed) return -EPIPE;
    if (!this.messages && data.length === 0) return 0;
    const room = this.capacity - this.size;
    // Messages go in while the queue's truesize is below its capacity (Linux's sk_wmem_alloc against sk_sndbuf).
    if (this.messages ? this.truesize >= this.capacity : room <= 0) return -EAGAIN;
    const n = this.messages ? data.length : Math.min(room, data.length);
    if (!this.appendToLast(data, n, attachment)) this.pushChunk(data.subarray(0, n), attachment, false);
    this.size += n;
    this.arrivals++;
    return n;
  }

  /**
   * A packet-mode write (a pipe's write end opened O_DIRECT): the bytes go in
   * as packets of at most a page, each in a free page slot; a write of up to
   * a page goes whole or not at all. Bytes accepted, -EPIPE or -EAGAIN.
   */
  writePackets(data: Uint8Array): number {
    if (this.orphaned || this.closed) return -EPIPE;
    if (data.length === 0) return 0;
    let done = 0;
    while (done < data.length && this.slotsUsed < this.slots) {
      const n = Math.min(PAGE, data.length - done);
      this.pushChunk(data.subarray(done, done + n), undefined, true);
      this.packets++;
      this.size += n;
      done += n;
    }
    if (done === 0) return -EAGAIN;
    this.arrivals++;
    return done;
  }

  /** Drops what is queued, releasing its attachments (the reader is gone). */
  drain(): void {
    // Emptied first: releasing an attachment may free a socket whose release drains this queue again.
    const chunks = this.chunks.splice(0);
    this.size = 0;
    this.packets = 0;
    this.truesize = 0;
    for (const c of chunks) this.meter?.shrink(c.charged, c.chargedTo);
    for (const c of chunks) c.attachment?.release();
  }

  /** What rides along with the queued writes. */
  *attachments(): IterableIterator<Attachment> {
    for (const c of this.chunks) if (c.attachment) yield c.attachment;
  }

  /**
   * Stream bytes join the last chunk while its page-sized backing has room
   * (as Linux's pipe_write fills the last page), so small writes cost a byte
   * each, not a chunk each.
   */
  private appendToLast(data: Uint8Array, n: number, attachment: Attachment | undefined): boolean {
    const last = this.chunks[this.chunks.length - 1];
    if (this.messages || attachment || !last || last.packet || last.attachment) return false;
    const d = last.data;
    if (d.byteOffset + d.length + n > d.buffer.byteLength) return false;
    const grown = new Uint8Array(d.buffer, d.byteOffset, d.length + n);
    grown.set(data.subarray(0, n), d.length);
    last.data = grown;
    return true;
  }

  /** A new chunk holding a copy of bytes: a stream's in a backing of whole pages with room to append. */
  private pushChunk(bytes: Uint8Array, attachment: Attachment | undefined, packet: boolean): void {
    const backing = this.messages || packet ? bytes.length : Math.ceil(Math.max(bytes.length, 1) / PAGE) * PAGE;
    const charged = this.messages ? messageTruesize(bytes.length) : backing + CHUNK_OVERHEAD;
    if (this.messages) this.truesize += charged;
    const chargedTo = this.meter?.grow(charged);
    const buf = new Uint8Array(backing);
    buf.set(bytes);
    this.chunks.push({ data: buf.subarray(0, bytes.length), attachment, packet: packet || undefined, charged, chargedTo });
  }

  private dropFirst(): void {
    const c = this.chunks.shift();
    if (!c) return;
    if (this.messages) this.truesize -= c.charged;
    this.meter?.shrink(c.charged, c.chargedTo);
  }

  /** A read would not block. */
  pollIn(): boolean {
    return this.chunks.length > 0 || this.closed;
  }

  /** A write would not block. */
  pollOut(): boolean {
    return this.orphaned || (this.messages ? this.truesize : this.size) < this.capacity;
  }
}
