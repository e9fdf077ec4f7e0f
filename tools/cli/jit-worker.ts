// The block compiler's translator on a thread of its own (dist/jit-worker.mjs;
// tools/cli/jit-worker-client.ts starts it): takes a batch (translation-job.ts),
// translates it, compiles its module and hands both back. V8 shares a compiled
// module between threads, so the CPU's thread only instantiates it. Which
// instructions the interpreter may run inside compiled code is the decoder's
// answer without a CPU (interpreter-ops.ts tableFacts); the CPU's thread
// decodes the ops it installs and drops a batch whose ops it does not take.

import { workerData, type MessagePort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { a64Table } from '../../board/aarch64/isa/a64-table';
import { tableFacts } from '../../board/aarch64/jit/interpreter-ops';
import { TranslationJob, translateJob } from '../../board/aarch64/jit/translation-job';

const facts = tableFacts(a64Table());
const { port, done } = workerData as { port: MessagePort; done: SharedArrayBuffer };
const counts = new Int32Array(done);

port.on('message', ({ id, job }: { id: number; job: TranslationJob }) => {
  const t0 = performance.now();
  let reply: object;
  try {
    const result = translateJob(job, facts);
    const module = result.bytes === undefined ? undefined : new WebAssembly.Module(result.bytes);
    reply = { id, result: { ...result, bytes: undefined }, module, size: result.bytes?.length ?? 0, ms: performance.now() - t0 };
  } catch (e) {
    reply = { id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  port.postMessage(reply);
  // The CPU's thread looks at this count between slices (its event loop does not run while the guest does).
  Atomics.add(counts, 0, 1);
});
// Ready: the CPU's thread translates batches itself until then.
Atomics.store(counts, 1, 1);
Atomics.notify(counts, 1);
