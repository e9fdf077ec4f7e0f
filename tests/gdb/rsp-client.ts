// A bare gdb remote-protocol client for tests that need what gdb's batch
// mode cannot do: Ctrl-C at a chosen moment, malformed packets, a dropped
// connection.

import { connect, type Socket } from 'node:net';
import { framePacket } from '../../tools/gdb/rsp-framing';

export class RspClient {
  private buffer = '';
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buffer += d.toString('latin1');
      this.wakeAll();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wakeAll();
    });
    socket.on('error', () => {});
  }

  private wakeAll(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Connects, retrying while nobody listens yet (the emulator is starting). */
  static async connect(port: number, timeoutMs = 20_000): Promise<RspClient> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect(port, '127.0.0.1', () => resolve(s));
          s.once('error', reject);
        });
        return new RspClient(socket);
      } catch (e) {
        if (Date.now() > end) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  sendRaw(bytes: Uint8Array | string): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  send(packet: string): void {
    this.sendRaw(framePacket(packet));
  }

  /** The next reply packet's body (acks skipped; each packet acknowledged); undefined when the connection ends first. */
  async reply(timeoutMs = 20_000): Promise<string | undefined> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      this.buffer = this.buffer.replace(/^[+-]+/, '');
      const m = /^\$([^#]*)#[0-9a-f]{2}/.exec(this.buffer);
      if (m !== null) {
        this.buffer = this.buffer.slice(m[0].length);
        this.sendRaw('+');
        return m[1].replace(/\}(.)/g, (_, c: string) => String.fromCharCode(c.charCodeAt(0) ^ 0x20));
      }
      if (this.closed) return undefined;
      if (Date.now() > end) throw new Error(`no reply (have ${JSON.stringify(this.buffer.slice(0, 80))})`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, end - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async ask(packet: string): Promise<string | undefined> {
    this.send(packet);
    return this.reply();
  }

  close(): void {
    this.socket.destroy();
  }
}
