// Salty in worker threads that stay alive between tests (dist/run-worker.mjs,
// built by `npm run build`): each test still gets a fresh kernel and Linux
// system, but not a fresh node, bundle and cold JIT (half the CPU time of a
// typical LTP test run as `node dist/salty.mjs run`). A lane is one worker
// running one test at a time; the runner keeps one lane per job.
//
// A test's time limit counts the worker thread's CPU time, read from
// /proc/self/task/TID/stat: the guest's clock counts instructions, so a test
// needs the same CPU time however loaded the machine is, and a limit in CPU
// seconds cuts the same tests on a busy laptop as on an idle CI machine. A
// wall-clock limit stays as a backstop (a guest waiting on the host network).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const WORKER = path.resolve(HERE, '../../dist/run-worker.mjs');
/** A worker is replaced after this many tests, to bound what a long life could accumulate. */
const RUNS_PER_WORKER = 100;
const POLL_MS = 250;

/** CPU time (ms) of thread tid of this process; undefined when /proc does not say. */
export function threadCpuMs(tid) {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return undefined;
  }
}

export class SaltyLane {
  constructor(file = WORKER) {
    this.file = file;
    this.worker = undefined;
    this.tid = undefined;
    this.runs = 0;
    this.nextId = 1;
    this.output = undefined;
  }

  /**
   * Runs one request (RunRequest in tools/run-worker.ts); resolves to
   * { status, output, timedOut, timeout ('cpu' | 'wall'), ms, cpuMs, retired }.
   * limits: { cpuMs, wallMs, outputCap }. Past a limit the worker is
   * terminated (a synchronous guest cannot be asked to stop) and replaced. A
   * host exception or a worker that dies gives status -1 with the reason in
   * the output.
   */
  async run(req, limits) {
    const { cpuMs = 60_000, wallMs = 300_000, outputCap = 256 * 1024 } = limits;
    const worker = await this.acquire();
    const id = this.nextId++;
    const started = Date.now();
    if (!this.output || this.output.byteLength !== outputCap + 4) this.output = new SharedArrayBuffer(outputCap + 4);
    const shared = this.output;
    const written = () => Buffer.from(new Uint8Array(shared, 4, Atomics.load(new Int32Array(shared, 0, 1), 0))).toString('latin1');
    const cpuAtStart = this.tid !== undefined ? threadCpuMs(this.tid) : undefined;
    const cpuNow = () => (cpuAtStart !== undefined ? (threadCpuMs(this.tid) ?? cpuAtStart) - cpuAtStart : undefined);
    return new Promise((resolve) => {
      let done = false;
      const finish = (r, keep) => {
        if (done) return;
        done = true;
        clearInterval(poll);
        clearTimeout(wall);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        worker.off('error', onError);
        const output = written() + (r.note ?? '');
        const cpu = r.cpuMs ?? cpuNow();
        if (!keep) this.discard();
        resolve({ timedOut: false, ms: Date.now() - started, retired: undefined, ...r, cpuMs: cpu, output });
      };
      const onMessage = (m) => {
        if (m.id !== id) return;
        if (m.error !== undefined) finish({ status: -1, note: `\nsalty: host exception: ${m.error}\n` }, false);
        else finish({ status: m.status, ms: m.ms, retired: m.retired, cpuMs: m.cpuMs }, m.reusable && this.runs < RUNS_PER_WORKER);
      };
      const onError = (e) => finish({ status: -1, note: `\nsalty: worker error: ${e?.stack ?? e}\n` }, false);
      const onExit = (code) => finish({ status: -1, note: `\nsalty: worker exited (${code})\n` }, false);
      const cut = (kind, limit) => finish({ status: -1, timedOut: true, timeout: kind, note: `\nsalty: timeout: ${kind === 'cpu' ? 'CPU' : 'wall-clock'} limit of ${limit / 1000} s\n` }, false);
      const poll = setInterval(() => {
        const used = cpuNow();
        if (used !== undefined && used > cpuMs) cut('cpu', cpuMs);
      }, POLL_MS);
      const wall = setTimeout(() => cut('wall', wallMs), wallMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      Atomics.store(new Int32Array(shared, 0, 1), 0, 0);
      worker.postMessage({ ...req, id, output: shared });
    });
  }

  /** The live worker, started (and its thread id known) when there is none. */
  async acquire() {
    if (!this.worker) {
      const worker = new Worker(this.file, { stdout: false, stderr: false });
      this.tid = await new Promise((resolve) => {
        const hello = (m) => {
          if (m && 'tid' in m) {
            worker.off('message', hello);
            resolve(m.tid);
          }
        };
        worker.on('message', hello);
        worker.once('exit', () => resolve(undefined));
      });
      this.worker = worker;
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
