// AF_INET and AF_INET6 sockets, TCP and UDP, each backed by a socket of the
// host (as under qemu-user: a guest bind to 127.0.0.1:PORT is the host's).
// The host side lives in HostNet's worker; this object holds what the guest
// can see without asking it: the state, addresses, the receive queue, the
// queue of accepted connections, bytes sent but not yet written by the host,
// and the pending error. Nothing here blocks: -EAGAIN tells the syscall layer
// to wait and retry, and readiness (pollIn, pollOut, pollEvents, edgeCount;
// see kernel/vfs/readiness.ts) is what poll, select and epoll read.

import { ByteQueue, type Attachment } from '../vfs/byte-queue';
import type { Attributes } from '../vfs/node';
import { OpenFile, O_RDWR } from '../vfs/open-file';
import { POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDHUP, POLLRDNORM, POLLWRNORM, type EdgeDirection } from '../vfs/readiness';
import { newIno } from '../vfs/overlay-fs';
import type { HostNet, NetEvent, NetListener } from './host-net';
import { ANY4, ANY6, hostString, isAny, parseHost, sameIp, type InetAddress } from './inet-address';

export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

const EAGAIN = 11;
const EINVAL = 22;
const EPIPE = 32;
const EMSGSIZE = 90;
const EOPNOTSUPP = 95;
const EADDRINUSE = 98;
const EISCONN = 106;
const ENOTCONN = 107;
const EALREADY = 114;
const EINPROGRESS = 115;
const EDESTADDRREQ = 89;
const ECONNRESET = 104;

/** tcp_rmem and tcp_wmem's defaults, and net.core.rmem_default for UDP: SO_RCVBUF and SO_SNDBUF of a new socket. */
const TCP_RCVBUF = 131072;
const TCP_SNDBUF = 16384;
const UDP_BUF = 212992;
/** The largest UDP payload over IPv4 (65535 less the IP and UDP headers). */
const UDP_MAX = 65507;
/** Bytes the host may hold for a stream beyond what the guest reads before it stops reading (flow control). */
const RX_HIGH = 1 << 20;
/** Bytes a stream may have in the host's hands, not yet written, before send waits. */
const TX_HIGH = 1 << 18;

/** A datagram's sender, riding along with its bytes in the receive queue. */
class Sender implements Attachment {
  readonly endsRead = false;
  constructor(readonly from: InetAddress) {}
  release(): void {}
}

/** Options that change nothing here but read back as set (SOL_SOCKET, IPPROTO_TCP, IPPROTO_IP/IPV6 by level and name). */
export type StoredOptions = Map<string, number>;

export class InetSocket extends OpenFile implements NetListener {
  state: 'fresh' | 'bound' | 'listening' | 'connecting' | 'connected' = 'fresh';
  local: InetAddress | null = null;
  peer: InetAddress | null = null;
  readonly id: number;
  readonly rx: ByteQueue;
  readonly backlog: InetSocket[] = [];
  /** SO_ERROR: set by a failed connect or a broken connection, cleared when read. */
  pendingError = 0;
  /** The connection failed or broke: sends answer EPIPE after the error was reported. */
  private broken = false;
  private eof = false;
  /** A connect call has seen the connection made (a non-blocking connect's has not, yet). */
  private connectSeen = true;
  private arrivals = 0;
  private departures = 0;
  shutRd = false;
  shutWr = false;
  private inflight = 0;
  private paused = false;
  sndbuf: number;
  rcvbuf: number;
  recvTimeout = 0;
  sendTimeout = 0;
  reuseAddr = false;
  reusePort = false;
  v6only = false;
  /** SO_LINGER: on with a timeout of 0 makes close reset the connection. */
  linger: { on: boolean; seconds: number } = { on: false, seconds: 0 };
  readonly stored: StoredOptions = new Map();
  /** Bytes sent with MSG_MORE, not yet handed to the host, and (UDP) where they go. */
  private readonly corked: Uint8Array[] = [];
  private corkDest: InetAddress | null = null;

  constructor(
    private readonly net: HostNet,
    /** Registry of bound TCP ports of this system, for EADDRINUSE among guest sockets. */
    private readonly bound: Set<InetSocket>,
    readonly v6: boolean,
    readonly type: number,
    readonly protocol: number,
    flags: number,
    id?: number,
    private readonly ino = newIno(),
  ) {
    super(`socket:[${ino}]`, flags | O_RDWR);
    this.rx = new ByteQueue(type === SOCK_STREAM ? Number.MAX_SAFE_INTEGER : UDP_BUF, type !== SOCK_STREAM);
    this.sndbuf = type === SOCK_STREAM ? TCP_SNDBUF : UDP_BUF;
    this.rcvbuf = type === SOCK_STREAM ? TCP_RCVBUF : UDP_BUF;
    if (id === undefined) this.id = net.newId(this);
    else {
      this.id = id;
      net.adopt(id, this);
    }
  }

  get stream(): boolean {
    return this.type === SOCK_STREAM;
  }

  private get any(): InetAddress {
    return this.v6 ? ANY6 : ANY4;
  }

  private toAddress(e: { host: string; port: number }): InetAddress {
    return { ip: parseHost(e.host, this.v6), port: e.port };
  }

  private wire(a: InetAddress): { host: string; port: number; v6: boolean; v6only: boolean } {
    return { host: hostString(a.ip), port: a.port, v6: this.v6, v6only: this.v6only };
  }

  /** Another guest TCP socket holds the port in a way this one may not share. */
  private portTaken(a: InetAddress): boolean {
    if (a.port === 0) return false;
    for (const s of this.bound) {
      if (s === this || !s.local || s.local.port !== a.port) continue;
      const overlap = isAny(a.ip) || isAny(s.local.ip) || sameIp(a.ip, s.local.ip);
      if (!overlap) continue;
      if (this.reusePort && s.reusePort) continue;
      if (this.reuseAddr && s.reuseAddr && s.state !== 'listening') continue;
      return true;
    }
    return false;
  }

  bind(a: InetAddress): number {
    this.net.pump();
    if (this.local) return -EINVAL;
    if (this.stream) {
      if (this.portTaken(a)) return -EADDRINUSE;
      const r = this.net.call('tcpBind', { id: this.id, ...this.wire(a) });
      if (r.errno) return -r.errno;
      this.local = { ...this.toAddress(r.local!), ip: a.ip };
      this.bound.add(this);
      this.state = 'bound';
      return 0;
    }
    const r = this.net.call('udpBind', { id: this.id, ...this.wire(a), reuse: this.reuseAddr || this.reusePort });
    if (r.errno) return -r.errno;
    this.local = { ...this.toAddress(r.local!), ip: a.ip };
    this.state = 'bound';
    if (this.stored.get('1:6')) this.net.post('option', { id: this.id, name: 'broadcast', on: true });
    return 0;
  }

  listen(backlog: number): number {
    this.net.pump();
    if (!this.stream) return -EOPNOTSUPP;
    if (this.state === 'listening') return 0;
    if (this.state !== 'fresh' && this.state !== 'bound') return -EINVAL;
    if (!this.local) {
      const r = this.bind(this.any);
      if (r < 0) return r;
    }
    const r = this.net.call('tcpListen', { id: this.id, backlog: Math.max(1, Math.min(backlog, 4096)) });
    if (r.errno) return -r.errno;
    this.state = 'listening';
    return 0;
  }

  /** Starts a TCP connection (-EINPROGRESS: the result comes as an event) or sets a UDP socket's peer. */
  connect(a: InetAddress | null): number {
    this.net.pump();
    if (!this.stream) return this.connectDatagram(a);
    if (this.state === 'connected' && !this.connectSeen) {
      // Linux: the first connect after a non-blocking one finished reports success.
      this.connectSeen = true;
      return 0;
    }
    if (this.state === 'connected') return -EISCONN;
    if (this.state === 'connecting') return -EALREADY;
    if (this.state === 'listening') return -EISCONN;
    if (a === null) return -EINVAL;
    this.pendingError = 0;
    this.broken = false;
    this.eof = false;
    this.shutRd = this.shutWr = false;
    this.peer = a;
    this.state = 'connecting';
    this.connectSeen = false;
    this.net.post('tcpConnect', { id: this.id, ...this.wire(a) });
    return -EINPROGRESS;
  }

  private connectDatagram(a: InetAddress | null): number {
    if (a === null) {
      if (this.peer) this.net.call('udpConnect', { id: this.id, host: null });
      this.peer = null;
      return 0;
    }
    const b = this.ensureBound();
    if (b < 0) return b;
    const r = this.net.call('udpConnect', { id: this.id, ...this.wire(a) });
    if (r.errno) return -r.errno;
    this.peer = a;
    return 0;
  }

  /** An unbound UDP socket gets an ephemeral port before it sends, as Linux's autobind does. */
  private ensureBound(): number {
    return this.local ? 0 : this.bind(this.any);
  }

  /** The connection's result, once connect is no longer in progress: 0 or a negative errno (consumed). */
  connectResult(): number | null {
    this.net.pump();
    if (this.state === 'connecting') return null;
    this.connectSeen = true;
    if (this.state === 'connected') return 0;
    const e = this.pendingError;
    this.pendingError = 0;
    return e ? -e : -ENOTCONN;
  }

  accept(): InetSocket | number {
    this.net.pump();
    if (this.state !== 'listening') return -EINVAL;
    return this.backlog.shift() ?? -EAGAIN;
  }

  /** Queues data for the host: bytes taken, or -EAGAIN while the host holds enough. more (MSG_MORE) holds them back for the next send. */
  send(data: Uint8Array, dest: InetAddress | null, more = false): number {
    this.net.pump();
    if (more || this.corked.length > 0) return this.sendCorked(data, dest, more);
    return this.sendNow(data, dest);
  }

  private sendNow(data: Uint8Array, dest: InetAddress | null): number {
    if (!this.stream) return this.sendDatagram(data, dest);
    if (this.pendingError) return -this.takeError();
    if (this.shutWr || this.broken || this.state !== 'connected') return this.state === 'connecting' ? -EAGAIN : -EPIPE;
    if (data.length === 0) return 0;
    const room = Math.max(this.sndbuf, TX_HIGH) - this.inflight;
    if (room <= 0) return -EAGAIN;
    const n = Math.min(room, data.length);
    this.inflight += n;
    this.net.post('send', { id: this.id, bytes: data.slice(0, n) });
    return n;
  }

  /** MSG_MORE: the bytes wait here, and go with the next send without it (one datagram for UDP). */
  private sendCorked(data: Uint8Array, dest: InetAddress | null, more: boolean): number {
    if (this.stream && (this.pendingError || this.shutWr || this.broken || this.state !== 'connected')) return this.sendNow(data, dest);
    if (!this.stream && !(dest ?? this.peer)) return -EDESTADDRREQ;
    if (more) {
      // Corked bytes count as sent: a stream's take its send room (EAGAIN when none is left), a datagram's
      // UDP_MAX in all (EMSGSIZE), as Linux's send buffer and ip_append_data; they piled up on the host unbounded.
      const held = this.corked.reduce((n, b) => n + b.length, 0);
      const room = this.stream ? Math.max(this.sndbuf, TX_HIGH) - this.inflight - held : UDP_MAX - held;
      if (!this.stream && data.length > room) return -EMSGSIZE;
      if (this.stream && room <= 0 && data.length > 0) return -EAGAIN;
      const n = Math.min(Math.max(room, 0), data.length);
      if (this.corked.length === 0) this.corkDest = dest;
      this.corked.push(data.slice(0, n));
      return n;
    }
    const held = this.corked.splice(0);
    const all = new Uint8Array(Buffer.concat([...held, data]));
    const r = this.sendNow(all, this.corkDest ?? dest);
    this.corkDest = null;
    if (r < 0) {
      this.corked.push(...held);
      return r;
    }
    // A stream may take part of it: what it did not take of the held bytes stays held.
    const heldLength = all.length - data.length;
    if (r < heldLength) {
      this.corked.push(all.slice(r, heldLength));
      return 0;
    }
    return r - heldLength;
  }

  private sendDatagram(data: Uint8Array, dest: InetAddress | null): number {
    const to = dest ?? this.peer;
    if (!to) return -EDESTADDRREQ;
    if (this.shutWr) return -EPIPE;
    if (data.length > UDP_MAX) return -EMSGSIZE;
    const b = this.ensureBound();
    if (b < 0) return b;
    this.net.post('send', { id: this.id, bytes: data.slice(), ...(dest ? this.wire(dest) : {}) });
    return data.length;
  }

  takeError(): number {
    const e = this.pendingError;
    this.pendingError = 0;
    return e;
  }

  /** Receives up to max bytes (one datagram for UDP): the bytes, the message's whole length, and the sender. */
  receive(max: number, peek: boolean): { data: Uint8Array; length: number; from: InetAddress | null } | number {
    this.net.pump();
    if (this.stream && this.state !== 'connected') return this.state === 'connecting' ? -EAGAIN : -ENOTCONN;
    const r = this.rx.receive(max, peek);
    if (typeof r === 'number') {
      if (this.pendingError) return -this.takeError();
      if (this.eof || this.shutRd || this.broken) return { data: new Uint8Array(0), length: 0, from: this.peer };
      return r;
    }
    if (this.paused && this.rx.size < RX_HIGH / 2) {
      this.paused = false;
      this.net.post('resume', { id: this.id });
    }
    const from = r.attachments.length > 0 ? (r.attachments[0] as Sender).from : this.peer;
    return { data: r.data, length: r.length, from };
  }

  /** SIOCOUTQ: bytes sent that the host has not yet written. */
  get unsent(): number {
    this.net.pump();
    return this.inflight;
  }

  /** FIONREAD: stream bytes queued, or the next datagram's length; -EINVAL on a listener. */
  get queued(): number {
    this.net.pump();
    return this.state === 'listening' ? -EINVAL : this.rx.readable;
  }

  shutdown(how: number): number {
    this.net.pump();
    if (this.stream ? this.state !== 'connected' && this.state !== 'listening' : !this.peer) return -ENOTCONN;
    if (how !== 1) this.shutRd = true;
    if (how !== 0 && !this.shutWr) {
      this.shutWr = true;
      if (this.stream) this.net.post('shutdown', { id: this.id });
    }
    return 0;
  }

  onEvent(e: NetEvent): void {
    if (e.ev === 'sent') this.departures++;
    else this.arrivals++;
    switch (e.ev) {
      case 'data':
        this.rx.write(e.bytes);
        if (!this.paused && this.rx.size > RX_HIGH) {
          this.paused = true;
          this.net.post('pause', { id: this.id });
        }
        return;
      case 'dgram':
        if (this.peer && !this.peerSent(e.from)) return;
        this.rx.write(e.bytes, new Sender(this.toAddress(e.from)));
        return;
      case 'accept':
        this.backlog.push(this.acceptedSocket(e.newId, e.local, e.remote));
        return;
      case 'connected':
        this.state = 'connected';
        this.local = this.toAddress(e.local);
        this.peer = this.toAddress(e.remote);
        this.bound.add(this);
        return;
      case 'sent':
        if (this.stream) this.inflight = Math.max(0, this.inflight - e.n);
        return;
      case 'end':
        this.eof = true;
        return;
      case 'error':
        // A datagram socket stays usable: the error is reported once, by the next receive that finds nothing (as Linux's sk_err).
        if (!this.stream) {
          this.pendingError = e.errno;
          return;
        }
        // A reset after the peer's FIN (CLOSE_WAIT) is EPIPE on Linux, otherwise ECONNRESET.
        this.pendingError = this.eof && e.errno === ECONNRESET ? EPIPE : e.errno;
        this.broken = true;
        if (this.state === 'connecting') this.state = 'fresh';
        return;
      case 'closed':
        this.broken = true;
        if (this.state === 'connecting') this.state = 'fresh';
        return;
    }
  }

  private peerSent(from: { host: string; port: number }): boolean {
    const a = this.toAddress(from);
    return a.port === this.peer!.port && (isAny(this.peer!.ip) || sameIp(a.ip, this.peer!.ip));
  }

  private acceptedSocket(id: number, local: { host: string; port: number }, remote: { host: string; port: number }): InetSocket {
    const s = new InetSocket(this.net, this.bound, this.v6, this.type, this.protocol, 0, id);
    s.state = 'connected';
    s.local = s.toAddress(local);
    s.peer = s.toAddress(remote);
    s.sndbuf = this.sndbuf;
    s.rcvbuf = this.rcvbuf;
    for (const [k, v] of this.stored) s.stored.set(k, v);
    return s;
  }

  override pollIn(): boolean {
    this.net.pump();
    return this.readyIn();
  }

  override pollOut(): boolean {
    this.net.pump();
    return this.readyOut();
  }

  private readyIn(): boolean {
    if (this.state === 'listening') return this.backlog.length > 0;
    if (this.rx.size > 0 || this.rx.count > 0) return true;
    return this.stream && (this.state === 'connected' || this.broken) && (this.eof || this.shutRd || this.broken || this.pendingError !== 0);
  }

  private readyOut(): boolean {
    if (!this.stream) return true;
    if (this.state === 'listening' || this.state === 'connecting') return false;
    if (this.state !== 'connected' || this.shutWr || this.broken) return true;
    return this.inflight < Math.max(this.sndbuf, TX_HIGH);
  }

  /**
   * pollIn/pollOut, with POLLERR for a pending error, POLLHUP for a stream closed or shut both ways (or never
   * connected), POLLRDHUP once the peer finished; all from one look at the host's events (an end arriving
   * between two looks gave POLLRDHUP without POLLIN).
   */
  override pollEvents(): number {
    this.net.pump();
    let r = (this.readyIn() ? POLLIN | POLLRDNORM : 0) | (this.readyOut() ? POLLOUT | POLLWRNORM : 0) | (this.pendingError ? POLLERR : 0);
    if (!this.stream) return r;
    if (this.state === 'fresh' || this.state === 'bound' || this.broken || (this.shutWr && (this.eof || this.shutRd))) r |= POLLHUP;
    if (this.eof || this.shutRd) r |= POLLRDHUP;
    return r;
  }

  /** Edge-triggered epoll: events that brought input (data, a connection, end, an error), and writes the host finished (room to send). */
  override edgeCount(direction: EdgeDirection): number {
    this.net.pump();
    return direction === 'in' ? this.arrivals : this.departures;
  }

  override seekable(): boolean {
    return false;
  }

  read(max: number): Uint8Array | number {
    const r = this.receive(max, false);
    return typeof r === 'number' ? r : r.data;
  }

  write(data: Uint8Array): number {
    return this.send(data, null);
  }

  attrs(): Attributes {
    const now = Date.now();
    return { kind: 'sock', perm: 0o777, size: 0, ino: this.ino, nlink: 1, rdev: 0, mtimeMs: now, atimeMs: now, ctimeMs: now };
  }

  protected override released(): void {
    this.bound.delete(this);
    for (const s of this.backlog.splice(0)) s.release();
    this.net.close(this.id, this.stream && this.linger.on && this.linger.seconds === 0);
  }
}
