// AF_UNIX sockets of the in-memory layer: stream, datagram and seqpacket.
// Each socket owns its receive queue; a connected stream sends into its
// peer's. A listening socket keeps the server ends of connections not yet
// accepted (connect makes the pair at once, as Linux does, so a client may
// write before accept). Datagrams carry their sender's address; every send
// carries the sender's credentials and may carry open files (SCM_RIGHTS).
// Nothing here blocks: -EAGAIN tells the syscall layer to wait and retry.

import { POLLHUP, POLLIN, POLLRDHUP, POLLRDNORM, type EdgeDirection } from './readiness';
import { ByteQueue, type Attachment, type Received } from './byte-queue';
import type { Attributes, SockNode } from './node';
import { OpenFile, O_RDWR } from './open-file';
import { newIno } from './overlay-fs';
import { EAGAIN, EINVAL, EPIPE } from './vfs-errno';
import { gcUpdate, type GcSocket } from './unix-gc';

export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_SEQPACKET = 5;
/** net.core.wmem_default / rmem_default: SO_SNDBUF and SO_RCVBUF of a new socket. */
export const SOCKET_CAPACITY = 212992;
/** net.core.somaxconn. */
export const SOMAXCONN = 4096;
/** net.unix.max_dgram_qlen: datagrams a receiver holds from senders it is not connected to. */
const MAX_DGRAM_QLEN = 10;

const ENOTCONN = 107;
const EISCONN = 106;
const EOPNOTSUPP = 95;
const ECONNREFUSED = 111;
const EMSGSIZE = 90;
const EPERM = 1;

/** A socket's name: a filesystem path, an abstract name (the bytes after sun_path's leading NUL), or none. */
export type UnixAddress = { readonly kind: 'unnamed' } | { readonly kind: 'path'; readonly path: string } | { readonly kind: 'abstract'; readonly name: Uint8Array };

export const UNNAMED: UnixAddress = { kind: 'unnamed' };

/** Counts live sockets against guest memory and Linux's limit on their number (the Linux personality sets it). */
export interface SocketMeter {
  /** 0 when n more sockets may be made now, else -ENFILE or -ENOMEM. */
  room(n: number): number;
  /** A socket was built (charged), or went (its charge given back). */
  made(): void;
  gone(): void;
}

let socketMeter: SocketMeter | undefined;

/** The meter sockets made from now on report to (the running system's; undefined: none). */
export function setSocketMeter(m: SocketMeter | undefined): void {
  socketMeter = m;
}

/** 0 when n more sockets may be made, or the error making them answers. */
export function socketRoom(n: number): number {
  return socketMeter?.room(n) ?? 0;
}

export interface Credentials {
  readonly pid: number;
  readonly uid: number;
  readonly gid: number;
}

/** What one send carries besides its bytes. */
export class Ancillary implements Attachment {
  constructor(
    /** Open files passed (SCM_RIGHTS), each retained for the receiver. */
    readonly files: OpenFile[],
    readonly creds: Credentials,
    readonly from: UnixAddress,
  ) {
    for (const f of files) if (f instanceof UnixSocket) f.inflight++;
  }

  get endsRead(): boolean {
    return this.files.length > 0;
  }

  /** The files now belong to the caller. */
  takeFiles(): OpenFile[] {
    const taken = this.files.splice(0);
    for (const f of taken) {
      if (!(f instanceof UnixSocket)) continue;
      f.inflight--;
      gcUpdate(f);
    }
    return taken;
  }

  release(): void {
    for (const f of this.takeFiles()) f.release();
  }
}

/** A receive: the bytes, the whole message's length, and what came with them. */
export interface SocketMessage {
  readonly data: Uint8Array;
  readonly length: number;
  readonly files: OpenFile[];
  readonly creds: Credentials | null;
  readonly from: UnixAddress;
}

export class UnixSocket extends OpenFile implements GcSocket {
  /** References to this socket held by messages in queues (SCM_RIGHTS in flight). */
  inflight = 0;
  state: 'unconnected' | 'listening' | 'connected' = 'unconnected';
  local: UnixAddress = UNNAMED;
  /** The connected peer (stream, seqpacket) or default destination (datagram). */
  peer: UnixSocket | null = null;
  /** Server ends of connections waiting for accept. */
  readonly backlog: UnixSocket[] = [];
  backlogMax = 0;
  /** SO_PEERCRED: who was at the other end when the connection was made. */
  peerCred: Credentials | null = null;
  passCred = false;
  /** SO_RCVTIMEO and SO_SNDTIMEO in milliseconds; 0 waits for ever. */
  recvTimeout = 0;
  sendTimeout = 0;
  sndbuf = SOCKET_CAPACITY;
  rcvbuf = SOCKET_CAPACITY;
  /** The inode a path bind made; it outlives the socket, and connect then finds nobody. */
  node: SockNode | null = null;
  /** Run once when the last descriptor closes (the abstract name is freed). */
  onClose: (() => void) | null = null;
  private shutRead = false;
  private shutWrite = false;
  private gone = false;
  readonly rx: ByteQueue;
  private readonly meter = socketMeter;

  constructor(
    readonly type: number,
    flags: number,
    /** Who made the socket (or last called listen): what SO_PEERCRED shows the other end. */
    public owner: Credentials,
    /** The calling process's credentials, for what a plain write() sends. */
    private readonly caller: () => Credentials,
    private readonly ino = newIno(),
  ) {
    super(`socket:[${ino}]`, flags | O_RDWR);
    this.rx = new ByteQueue(SOCKET_CAPACITY, type !== SOCK_STREAM);
    this.meter?.made();
  }

  get connectionOriented(): boolean {
    return this.type !== SOCK_DGRAM;
  }

  get closed(): boolean {
    return this.gone;
  }

  /** listen(2) on a bound stream or seqpacket socket. */
  listen(backlog: number, creds: Credentials): number {
    if (!this.connectionOriented) return -EOPNOTSUPP;
    if (this.local.kind === 'unnamed' || this.state === 'connected') return -EINVAL;
    this.owner = creds;
    this.state = 'listening';
    this.backlogMax = backlog < 0 || backlog > SOMAXCONN ? SOMAXCONN : backlog;
    return 0;
  }

  /** Connects this (client) socket to a listener: the server end waits in the listener's backlog. */
  connectTo(listener: UnixSocket, creds: Credentials): number {
    if (this.state === 'connected') return -EISCONN;
    if (this.state === 'listening') return -EINVAL;
    if (listener.gone || listener.state !== 'listening') return -ECONNREFUSED;
    if (listener.backlog.length > listener.backlogMax) return -EAGAIN;
    const room = socketRoom(1);
    if (room < 0) return room;
    const server = new UnixSocket(this.type, 0, listener.owner, listener.caller);
    server.local = listener.local;
    server.passCred = listener.passCred;
    pair(this, server);
    this.peerCred = listener.owner;
    server.peerCred = creds;
    listener.backlog.push(server);
    return 0;
  }

  /** The next connection's server end; -EAGAIN when none is waiting. */
  accept(): UnixSocket | number {
    if (this.state !== 'listening') return -EINVAL;
    return this.backlog.shift() ?? -EAGAIN;
  }

  /** Sets a datagram socket's default destination (and the only sender it then hears); null dissolves it. */
  connectDatagram(to: UnixSocket | null): number {
    if (to && to.gone) return -ECONNREFUSED;
    this.peer = to;
    return 0;
  }

  /** Sends one write: to the peer, or for a datagram to dest when given. -EAGAIN when it must wait. */
  send(data: Uint8Array, att: Ancillary, dest: UnixSocket | null): number {
    if (this.connectionOriented) {
      if (dest) return this.state === 'connected' ? -EISCONN : -EOPNOTSUPP;
      if (this.state !== 'connected' || !this.peer) return -ENOTCONN;
      if (this.shutWrite) return -EPIPE;
      if (this.type === SOCK_SEQPACKET && data.length > this.sndbuf) return -EMSGSIZE;
      return this.peer.rx.write(data, att);
    }
    const target = dest ?? this.peer;
    if (!target) return -ENOTCONN;
    if (this.shutWrite) return -EPIPE;
    if (target.gone) return -ECONNREFUSED;
    if (target.peer && target.peer !== this) return -EPERM;
    if (data.length > this.sndbuf - 32) return -EMSGSIZE;
    if (target !== this && target.peer !== this && target.rx.count > MAX_DGRAM_QLEN) return -EAGAIN;
    return target.rx.write(data, att);
  }

  /** Receives up to max bytes (one message for datagram and seqpacket). */
  receive(max: number, peek: boolean): SocketMessage | number {
    if (this.connectionOriented && this.state !== 'connected') return -EINVAL;
    const r: Received | number = this.rx.receive(max, peek);
    if (typeof r === 'number') return r;
    const att = r.attachments as Ancillary[];
    const files = att.flatMap((a) => a.takeFiles());
    const first = att[0] ?? null;
    return { data: r.data, length: r.length, files, creds: first?.creds ?? null, from: first?.from ?? UNNAMED };
  }

  /** FIONREAD (SIOCINQ): stream bytes queued, or the next message's length; -EINVAL on a listener. */
  get queued(): number {
    return this.state === 'listening' ? -EINVAL : this.rx.readable;
  }

  /** shutdown(2): how is SHUT_RD (0), SHUT_WR (1) or SHUT_RDWR (2). */
  shutdown(how: number): void {
    const rd = how !== 1;
    const wr = how !== 0;
    if (rd) {
      this.shutRead = true;
      this.rx.closed = true;
    }
    if (wr) this.shutWrite = true;
    if (this.connectionOriented && this.peer) {
      if (wr) this.peer.rx.closed = true;
      if (rd) this.peer.shutWrite = true;
    }
  }

  read(max: number): Uint8Array | number {
    const r = this.receive(max, false);
    if (typeof r === 'number') return r;
    for (const f of r.files) f.release();
    return r.data;
  }

  write(data: Uint8Array): number {
    return this.send(data, new Ancillary([], this.caller(), this.local), null);
  }

  override pollIn(): boolean {
    if (this.state === 'listening') return this.backlog.length > 0;
    return this.rx.pollIn() || this.shutRead;
  }

  override pollOut(): boolean {
    if (this.state === 'listening') return false;
    if (this.connectionOriented) return this.state !== 'connected' || !this.peer || this.shutWrite || this.peer.rx.pollOut();
    const target = this.peer;
    return !target || target.gone || (target.rx.pollOut() && (target.peer === this || target.rx.count <= MAX_DGRAM_QLEN));
  }

  /** pollIn/pollOut, with POLLRDHUP once nothing more can arrive and POLLHUP as hungUp says. */
  override pollEvents(): number {
    let m = super.pollEvents();
    if (this.state !== 'listening' && (this.shutRead || this.rx.closed)) m |= POLLRDHUP | POLLIN | POLLRDNORM;
    if (this.hungUp) m |= POLLHUP;
    return m;
  }
  override edgeCount(direction: EdgeDirection): number {
    if (direction === 'in') return this.rx.arrivals + this.backlog.length;
    return this.peer?.rx.departures ?? 0;
  }

  /** POLLHUP: both directions shut, or a connection-oriented socket never connected. */
  get hungUp(): boolean {
    if (this.connectionOriented && this.state === 'unconnected') return true;
    const readShut = this.shutRead || this.rx.closed;
    const writeShut = this.shutWrite || (this.connectionOriented && this.peer !== null && this.peer.gone);
    return readShut && writeShut;
  }

  override seekable(): boolean {
    return false;
  }

  attrs(): Attributes {
    const now = Date.now();
    return { kind: 'sock', perm: 0o777, size: 0, ino: this.ino, nlink: 1, rdev: 0, mtimeMs: now, atimeMs: now, ctimeMs: now };
  }

  override retain(): this {
    super.retain();
    gcUpdate(this);
    return this;
  }

  override release(): void {
    super.release();
    gcUpdate(this);
  }

  *inflightSockets(): IterableIterator<UnixSocket> {
    for (const q of [this.rx, ...this.backlog.map((s) => s.rx)]) {
      for (const a of q.attachments()) if (a instanceof Ancillary) for (const f of a.files) if (f instanceof UnixSocket) yield f;
    }
  }

  dropQueued(): void {
    this.rx.drain();
    for (const s of this.backlog) s.rx.drain();
  }

  protected override released(): void {
    this.gone = true;
    this.rx.orphaned = true;
    this.rx.drain();
    for (const s of this.backlog.splice(0)) s.release();
    if (this.connectionOriented && this.peer) {
      this.peer.rx.closed = true;
      this.peer.shutWrite = true;
    }
    if (this.node) this.node.bound = null;
    this.onClose?.();
    this.meter?.gone();
  }
}

/** Joins two stream or seqpacket sockets (connect, socketpair), or two datagram sockets as each other's peer. */
export function pair(a: UnixSocket, b: UnixSocket): void {
  a.peer = b;
  b.peer = a;
  if (a.connectionOriented) {
    a.state = 'connected';
    b.state = 'connected';
  }
}
