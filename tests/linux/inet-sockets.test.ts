// TCP and UDP over AF_INET and AF_INET6 (kernel/net/): our HTTP server and
// client, a UDP echo and the details of TCP sockets, each compared with
// qemu-aarch64's output (the goldens of tests/fixtures/linux-net/build.sh,
// and a live run when qemu-aarch64 is installed) and, for the x86_64 builds,
// with what the host CPU printed; then a guest client fetching from a server
// of the host (node's http) and a host client fetching from a guest server.
// Every port comes from bind(port 0): parallel runs cannot collide.

import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../tools/cli/run-program';
import { hasQemu } from './run-fixture';

const DIR = join(process.cwd(), 'tests/fixtures/linux-net');

interface Outcome {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number;
}

/** Runs tests/fixtures/linux-net/NAME.elf on salty in this process; onOut sees stdout as it comes. */
function runNet(name: string, args: string[], onOut: (text: string) => void = () => {}, network = true): Outcome {
  const file = join(DIR, `${name}.elf`);
  let stdout = '';
  let stderr = '';
  const status = runProgram(
    { file, bytes: readFileSync(file), args, argv0: name, env: ['PATH=/bin:/usr/bin'], memoryBytes: 256 << 20, strace: false, stats: false, network },
    {
      writeOut: (d) => {
        const t = Buffer.from(d).toString();
        stdout += t;
        onOut(t);
      },
      writeErr: (d) => (stderr += Buffer.from(d).toString()),
      readIn: () => new Uint8Array(0),
      isTty: () => false,
    },
  );
  return { stdout, stderr, status };
}

const SALTY = join(process.cwd(), 'dist/salty.mjs');

/**
 * Runs NAME.elf under the built salty in a child process. In rare CI runs a
 * guest here blocked forever on a host socket event (cause not yet found,
 * docs/progress.md issue 17): a child with a timeout turns that into one
 * retry with a warning, and into a failure if it happens twice.
 */
function runNetChild(name: string, args: string[]): Outcome {
  for (let attempt = 1; ; attempt++) {
    const r = spawnSync(process.execPath, [SALTY, 'run', '-0', name, join(DIR, `${name}.elf`), ...args], { encoding: 'utf8', timeout: 60_000, env: { PATH: '/bin:/usr/bin' } });
    if (r.signal === null || attempt === 2) return { stdout: r.stdout, stderr: r.signal === null ? r.stderr : `${r.stderr}killed by ${r.signal} after 60 s`, status: r.status ?? -1 };
    console.warn(`inet-sockets: ${name} did not end in 60 s (a guest blocked on a host socket event): retrying once`);
  }
}

/** NAME.elf under the built salty in a child, not waiting for it (a 60 s limit). */
function runNetAsync(name: string): Promise<{ name: string; stdout: string; status: number | null; signal: string | null }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [SALTY, 'run', '-0', name, join(DIR, `${name}.elf`)], { env: { PATH: '/bin:/usr/bin' }, timeout: 60_000 });
    let stdout = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.on('close', (status, signal) => resolve({ name, stdout, status, signal }));
  });
}

const golden = (name: string): string => readFileSync(join(DIR, `${name}.golden`), 'utf8');
const args = (name: string): string[] => (name === 'http' ? ['selftest'] : []);

describe('AF_INET and AF_INET6 programs against their goldens', () => {
  for (const name of ['http', 'udp', 'calls', 'epoll']) {
    it(`${name}.elf (aarch64) prints what it printed under qemu-aarch64`, () => {
      const r = runNetChild(name, args(name));
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(golden(name));
      expect(r.status).toBe(Number(readFileSync(join(DIR, `${name}.status`), 'utf8')));
    }, 60_000);

    it(`${name}-x86_64.elf prints what it printed on the host CPU`, () => {
      const r = runNetChild(`${name}-x86_64`, args(name));
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(golden(`${name}-x86_64`));
      expect(r.status).toBe(0);
    }, 150_000);
  }

  // udp.elf once hung in CI with both processes waiting for a datagram (docs/network.md): many runs at once, each must end with its golden.
  it('udp.elf and udp-x86_64.elf, 6 runs each at once, all end with their goldens', async () => {
    const runs = ['udp', 'udp-x86_64'].flatMap((name) => Array.from({ length: 6 }, () => runNetAsync(name)));
    const outs = await Promise.all(runs);
    for (const r of outs) {
      expect(r.signal, `${r.name} ended by itself`).toBe(null);
      expect(r.stdout).toBe(golden(r.name));
      expect(r.status).toBe(0);
    }
  }, 120_000);

  it('with the network off, socket(AF_INET) answers EACCES', () => {
    const r = runNet('udp', [], () => {}, false);
    expect(r.stdout).toBe('socket: Permission denied\n');
    expect(r.status).toBe(1);
  }, 60_000);

  it.skipIf(!hasQemu)('udp.elf, calls.elf and epoll.elf print the same under a live qemu-aarch64', () => {
    for (const name of ['udp', 'calls', 'epoll']) {
      const q = spawnSync('qemu-aarch64', ['-0', name, join(DIR, `${name}.elf`)], { encoding: 'utf8' });
      expect(runNetChild(name, []).stdout).toBe(q.stdout);
    }
  }, 60_000);
});

/** A worker thread running code with node's http (salty's run holds this thread while the guest runs). */
function hostWorker(code: string): { worker: Worker; next: () => Promise<unknown> } {
  const worker = new Worker(`const { parentPort } = require('node:worker_threads'); const http = require('node:http'); ${code}`, { eval: true });
  const queue: unknown[] = [];
  const waiting: ((m: unknown) => void)[] = [];
  worker.on('message', (m) => (waiting.length > 0 ? waiting.shift()!(m) : queue.push(m)));
  worker.on('error', (e) => (waiting.length > 0 ? waiting.shift()!(e) : queue.push(e)));
  return { worker, next: () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((res) => waiting.push(res))) };
}

/** Blocks this thread until the worker's port arrives (Atomics.wait: a promise would need the event loop). */
function waitForPort(cell: Int32Array): number {
  Atomics.wait(cell, 0, 0, 10_000);
  return Atomics.load(cell, 0);
}

describe('guest and host programs reach each other over 127.0.0.1', () => {
  it('a guest client fetches from an HTTP server of the host (node:http)', async () => {
    const cell = new Int32Array(new SharedArrayBuffer(4));
    const w = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads'); const http = require('node:http');
       const cell = new Int32Array(workerData);
       const seen = [];
       const server = http.createServer((req, res) => {
         seen.push({ line: req.method + ' ' + req.url, port: Number(req.headers['x-port']), remote: req.socket.remotePort });
         res.setHeader('Content-Length', '19');
         res.end('served by the host\\n');
       });
       server.listen(0, '127.0.0.1', () => { Atomics.store(cell, 0, server.address().port); Atomics.notify(cell, 0); });
       parentPort.on('message', () => server.close(() => parentPort.postMessage(seen)));`,
      { eval: true, workerData: cell.buffer },
    );
    const port = waitForPort(cell);
    expect(port).toBeGreaterThan(0);
    const r = runNet('http', ['get', '127.0.0.1', String(port), '/from-the-guest']);
    expect(r.stdout).toBe('client: HTTP/1.1 200 OK\nclient: content-length 19, body 19 bytes\nclient: served by the host\n');
    expect(r.status).toBe(0);
    const seen = await new Promise<{ line: string; port: number; remote: number }[]>((res) => {
      w.once('message', res);
      w.postMessage('stop');
    });
    await w.terminate();
    expect(seen).toHaveLength(1);
    expect(seen[0].line).toBe('GET /from-the-guest');
    // The guest's getsockname is the host's view of the connection.
    expect(seen[0].port).toBe(seen[0].remote);
  }, 60_000);

  it('a host client (node:http) fetches from a guest server bound to 127.0.0.1:0', async () => {
    const { worker, next } = hostWorker(`
      parentPort.on('message', (port) => {
        http.get({ host: '127.0.0.1', port, path: '/from-the-host', headers: { 'X-Port': '0' } }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => parentPort.postMessage({ status: res.statusCode, body }));
        }).on('error', (e) => parentPort.postMessage({ error: e.message }));
      });
    `);
    const r = runNet('http', ['serve', '1'], (text) => {
      const m = /^port (\d+)$/m.exec(text);
      if (m) worker.postMessage(Number(m[1]));
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^port \d+\nserver: \/from-the-host from 127\.0\.0\.1 \(peer port differs, client then sent 0 bytes\)\n$/);
    expect(await next()).toEqual({ status: 200, body: "hello from salty's server: you asked for /from-the-host\n" });
    await worker.terminate();
  }, 60_000);
});
