// The worker thread that owns the host's TCP and UDP sockets. It runs Node's
// event loop while the emulator's thread runs guest code: the emulator posts
// commands on a MessagePort and never waits on the host except for the few
// calls that must answer at once (bind, listen, UDP connect); the worker posts
// events back (data, accepted connections, connect results, end of stream,
// errors) and bumps a shared counter that the emulator reads with one
// Atomics.load, or waits on with Atomics.wait when every guest thread is
// blocked. This function is the worker's whole source: it runs from its text
// (new Worker(..., { eval: true })), so it may use nothing from outside itself.

/** The worker's source, for new Worker(source, { eval: true }). */
export const HOST_NET_WORKER_SOURCE = `(${hostNetWorker.toString()})()`;

interface Endpoint {
  host: string;
  port: number;
}

function hostNetWorker(): void {
  // An eval'd worker has require on globalThis; a bundler must not rename it.
  const load = (globalThis as unknown as { require: (n: string) => any }).require;
  const { workerData } = load('node:worker_threads');
  const net = load('node:net');
  const dgram = load('node:dgram');
  const { TCP, constants } = (process as unknown as { binding(n: string): any }).binding('tcp_wrap');
  const port = workerData.port;
  const counter = new Int32Array(workerData.counter);
  /** Sockets by the emulator's id: a bound TCP handle, a server, a connection, or a UDP socket. */
  const entries = new Map<number, any>();
  /** Ids of accepted connections count down from -1 so they never meet the emulator's. */
  let nextAccepted = -1;

  const post = (m: object): void => {
    port.postMessage(m);
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
  };
  const errnoOf = (e: any): number => (typeof e?.errno === 'number' && e.errno < 0 ? -e.errno : 5);
  const endpoint = (host: string | undefined, p: number | undefined): Endpoint => ({ host: host ?? '', port: p ?? 0 });
  const reply = (req: number, m: object): void => post({ reply: req, ...m });

  function watchStream(id: number, s: any): void {
    entries.set(id, { kind: 'stream', s });
    s.on('data', (b: Uint8Array) => post({ ev: 'data', id, bytes: b }));
    s.on('end', () => post({ ev: 'end', id }));
    s.on('error', (e: any) => post({ ev: 'error', id, errno: errnoOf(e) }));
    s.on('close', () => {
      entries.delete(id);
      post({ ev: 'closed', id });
    });
  }

  function tcpBind(m: any): void {
    const t = new TCP(constants.SOCKET);
    const err = m.v6 ? t.bind6(m.host, m.port, m.v6only ? 1 : 0) : t.bind(m.host, m.port);
    const out: any = {};
    // libuv keeps EADDRINUSE for a later listen or connect; the socket then has no port.
    const got = err === 0 ? t.getsockname(out) : err;
    if (got !== 0 || (m.port !== 0 && out.port !== m.port) || out.port === 0) {
      t.close();
      reply(m.req, { errno: got !== 0 ? -got : 98 });
      return;
    }
    entries.set(m.id, { kind: 'bound', t });
    reply(m.req, { local: endpoint(out.address, out.port) });
  }

  function tcpListen(m: any): void {
    const e = entries.get(m.id);
    if (!e || e.kind !== 'bound') return reply(m.req, { errno: 22 });
    const server = net.createServer({ allowHalfOpen: true });
    server.on('connection', (s: any) => {
      const newId = nextAccepted--;
      watchStream(newId, s);
      post({ ev: 'accept', id: m.id, newId, local: endpoint(s.localAddress, s.localPort), remote: endpoint(s.remoteAddress, s.remotePort) });
    });
    server.once('error', (err: any) => reply(m.req, { errno: errnoOf(err) }));
    server.listen({ _handle: e.t, backlog: m.backlog }, () => {
      entries.set(m.id, { kind: 'server', server });
      reply(m.req, {});
    });
  }

  function tcpConnect(m: any): void {
    const e = entries.get(m.id);
    const s = e?.kind === 'bound' ? new net.Socket({ handle: e.t, manualStart: true, allowHalfOpen: true }) : new net.Socket({ allowHalfOpen: true });
    watchStream(m.id, s);
    s.on('connect', () => post({ ev: 'connected', id: m.id, local: endpoint(s.localAddress, s.localPort), remote: endpoint(s.remoteAddress, s.remotePort) }));
    s.connect({ host: m.host, port: m.port, family: m.v6 ? 6 : 4 });
  }

  function udpOpen(m: any): any {
    // Addresses are always literals: resolving them at once keeps bind, connect, send and close in the
    // order they came (node's own lookup defers each to a later tick, and a close then drops the send).
    const lookup = (address: string, family: number, cb: (err: null, ip: string, family: number) => void): void => cb(null, address, family);
    const s = dgram.createSocket({ type: m.v6 ? 'udp6' : 'udp4', reuseAddr: m.reuse, ipv6Only: m.v6only, lookup });
    s.on('message', (b: Uint8Array, r: any) => post({ ev: 'dgram', id: m.id, bytes: b, from: endpoint(r.address, r.port) }));
    s.on('error', (err: any) => post({ ev: 'error', id: m.id, errno: errnoOf(err) }));
    s.on('close', () => post({ ev: 'closed', id: m.id }));
    entries.set(m.id, { kind: 'udp', s });
    return s;
  }

  function udpBind(m: any): void {
    const s = udpOpen(m);
    const fail = (err: any): void => {
      entries.delete(m.id);
      reply(m.req, { errno: errnoOf(err) });
    };
    s.once('error', fail);
    s.bind({ address: m.host, port: m.port, exclusive: true }, () => {
      s.off('error', fail);
      const a = s.address();
      reply(m.req, { local: endpoint(a.address, a.port) });
    });
  }

  function udpConnect(m: any): void {
    const s = entries.get(m.id)?.s;
    if (!s) return reply(m.req, { errno: 22 });
    try {
      if (m.host === null) {
        s.disconnect();
        return reply(m.req, {});
      }
      if (s.remoteAddress) s.disconnect();
    } catch {
      // Not connected: nothing to dissolve.
      if (m.host === null) return reply(m.req, {});
    }
    s.connect(m.port, m.host, (err: any) => reply(m.req, err ? { errno: errnoOf(err) } : {}));
  }

  function send(m: any): void {
    const e = entries.get(m.id);
    if (e?.kind === 'stream') e.s.write(m.bytes, () => post({ ev: 'sent', id: m.id, n: m.bytes.length }));
    else if (e?.kind === 'udp') {
      const done = (err: any): void => post({ ev: 'sent', id: m.id, n: m.bytes.length, errno: err ? errnoOf(err) : 0 });
      if (m.host === undefined) e.s.send(m.bytes, done);
      else e.s.send(m.bytes, m.port, m.host, done);
    }
  }

  function close(m: any): void {
    const e = entries.get(m.id);
    if (!e) return post({ ev: 'closed', id: m.id });
    if (e.kind === 'bound') {
      e.t.close();
      entries.delete(m.id);
      post({ ev: 'closed', id: m.id });
    } else if (e.kind === 'server') {
      entries.delete(m.id);
      e.server.close(() => post({ ev: 'closed', id: m.id }));
    } else if (e.kind === 'udp') {
      entries.delete(m.id);
      e.s.close();
    } else if (m.reset) {
      e.s.resetAndDestroy();
    } else {
      // Linux sends what is queued, then FIN; the guest no longer reads.
      e.s.resume();
      if (e.s.writableFinished) e.s.destroy();
      else {
        e.s.once('finish', () => e.s.destroy());
        e.s.end();
      }
    }
  }

  function option(m: any): void {
    const e = entries.get(m.id);
    if (e?.kind === 'stream') {
      if (m.name === 'nodelay') e.s.setNoDelay(m.on);
      if (m.name === 'keepalive') e.s.setKeepAlive(m.on);
    } else if (e?.kind === 'udp' && m.name === 'broadcast') {
      try {
        e.s.setBroadcast(m.on);
      } catch {
        // Not bound yet: the flag is applied when it is.
      }
    }
  }

  const handlers: Record<string, (m: any) => void> = {
    tcpBind,
    tcpListen,
    tcpConnect,
    udpBind,
    udpConnect,
    send,
    close,
    option,
    shutdown: (m) => entries.get(m.id)?.s?.end(),
    pause: (m) => entries.get(m.id)?.s?.pause(),
    resume: (m) => entries.get(m.id)?.s?.resume(),
  };
  // A failure of the worker's own must not leave a guest waiting forever for an event: it is reported.
  process.on('uncaughtException', (err: any) => post({ ev: 'fatal', id: 0, message: String(err?.stack ?? err) }));
  port.on('message', (m: any) => {
    try {
      handlers[m.op](m);
    } catch (err) {
      if (m.req !== undefined) reply(m.req, { errno: errnoOf(err) });
      else post({ ev: 'error', id: m.id, errno: errnoOf(err) });
    }
  });
}
