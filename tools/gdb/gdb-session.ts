// A gdb connection over TCP: listens on a port (as qemu's -g PORT and
// -gdb tcp::PORT do), takes one connection, and drives the server: packets
// are handled as they arrive; while the target runs it runs in slices of a
// few milliseconds with a turn of node's event loop between them, so Ctrl-C
// (0x03) and a disconnection get in.

import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import type { DebugTarget } from './debug-target';
import { GdbServer } from './gdb-server';

/** Host time the target runs between two looks at the socket. */
const SLICE_MS = 20;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Listens on port for one gdb connection (then stops listening); close() gives up waiting. */
export function listenForGdb(port: number, host?: string): { readonly connection: Promise<Socket>; close(): void } {
  const net = createRequire(import.meta.url)('node:net') as typeof import('node:net');
  const server = net.createServer();
  const connection = new Promise<Socket>((resolve, reject) => {
    server.once('error', reject);
    server.once('connection', (socket) => {
      server.close();
      socket.setNoDelay(true);
      resolve(socket);
    });
    server.listen(port, host);
  });
  return { connection, close: () => server.close() };
}

/** Waits for gdb on port. */
export function acceptGdb(port: number, host?: string): Promise<Socket> {
  return listenForGdb(port, host).connection;
}

/**
 * Serves gdb on the socket until it detaches, kills, disconnects or the
 * target ends; resolves to how the session ended ('detach', 'kill',
 * 'disconnect', 'exit').
 */
export async function serveGdb(socket: Socket, target: DebugTarget, initialThread: number): Promise<string> {
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const server = new GdbServer(
    target,
    (bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    },
    initialThread,
  );
  socket.on('data', (d: Buffer) => {
    server.receive(d);
    poke();
  });
  const gone = () => {
    server.disconnected();
    poke();
  };
  socket.on('close', gone);
  socket.on('error', gone);
  while (server.state !== 'ended') {
    if (server.state === 'running') {
      server.step(SLICE_MS);
      await nextTurn();
    } else await new Promise<void>((resolve) => (wake = resolve));
  }
  socket.off('close', gone);
  socket.off('error', gone);
  socket.end();
  return server.endedBy ?? 'disconnect';
}
