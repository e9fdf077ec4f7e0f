// Salty in worker threads that stay alive between tests (dist/run-worker.mjs,
// built by `npm run build`): each test still gets a fresh kernel and Linux
// system, but not a fresh node, bundle and cold JIT, which cost more than
// most LTP tests themselves. A lane is one worker running one test at a time;
// the runner keeps one lane per job.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const WORKER = path.resolve(HERE, '../../dist/run-worker.mjs');
/** A worker is replaced after this many tests, to bound what a long life could accumulate. */
const RUNS_PER_WORKER = 100;

export class SaltyLane {
  constructor(file = WORKER) {
    this.file = file;
    this.worker = undefined;
    this.runs = 0;
    this.nextId = 1;
    this.output = undefined;
  }

  /**
   * Runs one request (see RunRequest in tools/run-worker.ts); resolves to
   * { status, output, timedOut, ms, retired }. At timeoutMs the worker is
   * terminated (a synchronous guest cannot be asked to stop) and replaced.
   * A host exception or a worker that dies gives status -1 with the reason
   * in the output.
   */
  run(req, timeoutMs, outputCap = 256 * 1024) {
    const worker = this.acquire();
    const id = this.nextId++;
    const started = Date.now();
    if (!this.output || this.output.byteLength !== outputCap + 4) this.output = new SharedArrayBuffer(outputCap + 4);
    const shared = this.output;
    const written = () => {
      const n = Atomics.load(new Int32Array(shared, 0, 1), 0);
      return Buffer.from(new Uint8Array(shared, 4, n)).toString('latin1');
    };
    return new Promise((resolve) => {
      let output = '';
      let done = false;
      const finish = (r, keep) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        worker.off('error', onError);
        output = written() + output;
        if (!keep) this.discard();
        resolve({ output, timedOut: false, ms: Date.now() - started, retired: undefined, ...r });
      };
      const onMessage = (m) => {
        if (m.id !== id) return;
        if (m.error !== undefined) {
          output += `\nsalty: host exception: ${m.error}\n`;
          finish({ status: -1 }, false);
        } else finish({ status: m.status, ms: m.ms, retired: m.retired }, m.reusable && this.runs < RUNS_PER_WORKER);
      };
      const onError = (e) => {
        output += `\nsalty: worker error: ${e?.stack ?? e}\n`;
        finish({ status: -1 }, false);
      };
      const onExit = (code) => {
        output += `\nsalty: worker exited (${code})\n`;
        finish({ status: -1 }, false);
      };
      const timer = setTimeout(() => finish({ status: -1, timedOut: true }, false), timeoutMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      Atomics.store(new Int32Array(shared, 0, 1), 0, 0);
      worker.postMessage({ ...req, id, output: shared });
    });
  }

  acquire() {
    if (!this.worker) {
      this.worker = new Worker(this.file, { stdout: false, stderr: false });
      this.runs = 0;
    }
    this.runs++;
    return this.worker;
  }

  discard() {
    const w = this.worker;
    this.worker = undefined;
    if (w) w.terminate().catch(() => {});
  }

  async close() {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate().catch(() => {});
  }
}
