// Named pipes (mknod S_IFIFO): the node keeps one pipe while anyone has it
// open. Opening follows Linux's rules: a reader waits for a writer to open,
// a writer for a reader (O_NONBLOCK: a reader goes on at once, a writer with
// no reader gets ENXIO), O_RDWR never waits. Counters of opens let a waiter
// see that a partner came, even one that left again.

import { ByteQueue } from './byte-queue';
import type { Attributes, SpecialNode } from './node';
import { O_ACCMODE, O_NONBLOCK, O_RDWR, O_WRONLY } from './open-file';
import { PipeEnd, PIPE_CAPACITY } from './pipe';
import { POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM } from './readiness';
import { ENXIO } from './vfs-errno';

interface FifoState {
  readonly buf: ByteQueue;
  readers: number;
  writers: number;
  /** Opens for reading and for writing so far. */
  readerOpens: number;
  writerOpens: number;
}

function stateOf(node: SpecialNode): FifoState {
  let s = node.fifo as FifoState | undefined;
  if (!s) {
    const buf = new ByteQueue(PIPE_CAPACITY, false);
    s = { buf, readers: 0, writers: 0, readerOpens: 0, writerOpens: 0 };
    node.fifo = s;
  }
  return s;
}

function sync(s: FifoState): void {
  s.buf.closed = s.writers === 0;
  s.buf.orphaned = s.readers === 0;
}

/** One open of a FIFO. */
export class FifoEnd extends PipeEnd {
  private open = true;
  /** Writers that had opened when this end was opened: a hang-up needs one since (Linux's f_version check). */
  private readonly writersSeen: number;

  constructor(
    private readonly node: SpecialNode,
    private readonly state: FifoState,
    path: string,
    flags: number,
  ) {
    super(state.buf, node.ino, (flags & O_ACCMODE) === O_WRONLY, flags, path);
    this.writersSeen = state.writerOpens;
  }

  /** Linux's pipe_poll for a FIFO: the read side's bits if opened for reading, the write side's if for writing (both with O_RDWR). */
  override pollEvents(): number {
    const b = this.state.buf;
    let mask = 0;
    if (this.reads) {
      if (b.size > 0) mask |= POLLIN | POLLRDNORM;
      if (this.state.writers === 0 && this.state.writerOpens !== this.writersSeen) mask |= POLLHUP;
    }
    if (this.writes) {
      if (!b.full) mask |= POLLOUT | POLLWRNORM;
      if (this.state.readers === 0) mask |= POLLERR;
    }
    return mask;
  }
  override pollIn(): boolean {
    return (this.pollEvents() & (POLLIN | POLLHUP)) !== 0;
  }
  override pollOut(): boolean {
    return (this.pollEvents() & (POLLOUT | POLLERR)) !== 0;
  }

  get reads(): boolean {
    return (this.statusFlags & O_ACCMODE) !== O_WRONLY;
  }

  get writes(): boolean {
    return (this.statusFlags & O_ACCMODE) !== 0;
  }

  override attrs(): Attributes {
    const a = super.attrs();
    return { ...a, perm: this.node.perm, nlink: this.node.nlink };
  }

  /** Gives up this open (a close, or a wait for a partner cut short). */
  detach(): void {
    if (!this.open) return;
    this.open = false;
    const s = this.state;
    if (this.reads) s.readers--;
    if (this.writes) s.writers--;
    sync(s);
    // The last one out drops what was left unread, as the pipe goes with it.
    if (s.readers === 0 && s.writers === 0) {
      s.buf.drain();
      this.node.fifo = undefined;
    }
  }

  protected override released(): void {
    this.detach();
  }
}

/** What opening a FIFO gives: the end, and whether the opener must wait for its partner first. */
export interface FifoOpening {
  readonly end: FifoEnd;
  /** Has the partner come (for a blocking open, polled by the scheduler)? */
  partnerCame(): boolean;
}

export function openFifo(node: SpecialNode, path: string, flags: number): FifoOpening | number {
  const s = stateOf(node);
  const mode = flags & O_ACCMODE;
  const nonblock = (flags & O_NONBLOCK) !== 0;
  if (mode === O_WRONLY && s.readers === 0 && nonblock) {
    if (s.writers === 0) node.fifo = undefined;
    return -ENXIO;
  }
  const end = new FifoEnd(node, s, path, flags);
  if (mode !== O_WRONLY) {
    s.readers++;
    s.readerOpens++;
  }
  if (mode !== 0) {
    s.writers++;
    s.writerOpens++;
  }
  sync(s);
  if (mode === O_RDWR || nonblock) return { end, partnerCame: () => true };
  const waitingFor = mode === O_WRONLY ? (): number => s.readerOpens : (): number => s.writerOpens;
  const seen = waitingFor();
  const present = mode === O_WRONLY ? s.readers > 0 : s.writers > 0;
  return { end, partnerCame: () => present || waitingFor() !== seen };
}
