// Starts the block compiler's translator thread (tools/cli/jit-worker.ts, built
// to dist/jit-worker.mjs) and gives it to the block compilers made after
// (board/aarch64/jit/off-thread.ts). The CPU's thread never returns to Node's
// event loop while the guest runs, so replies are taken synchronously
// (receiveMessageOnPort), and only when the worker's count of finished
// batches says there is one. Off unless SALTY_JIT_WORKER=1: on this 2-core
// host it made `salty run` slower (the thread's start and its cold translator
// take the core V8's compiler threads use; docs/performance.md, session 15).

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { setOffThreadTranslator, type Landed, type OffThreadTranslator } from '../../board/aarch64/jit/off-thread';
import type { TranslationJob } from '../../board/aarch64/jit/translation-job';

/** The worker's file beside the command line's bundle (dist/), if it was built. */
export const JIT_WORKER_URL = new URL('./jit-worker.mjs', import.meta.url);

/**
 * Lets the block compiler start the translator thread (at its first A64 CPU) when SALTY_JIT_WORKER is 1 (or
 * wait) and the worker's file exists; whether it may.
 */
export function useJitWorker(url: URL = JIT_WORKER_URL): boolean {
  const mode = process.env.SALTY_JIT_WORKER;
  if ((mode !== '1' && mode !== 'wait') || !existsSync(fileURLToPath(url))) return false;
  setOffThreadTranslator(() => startJitWorker(url, mode === 'wait'));
  return true;
}

/** `wait` (SALTY_JIT_WORKER=wait, tests): the first batch waits for the thread to load instead of translating here. */
function startJitWorker(url: URL, wait: boolean): OffThreadTranslator {
  const { Worker, MessageChannel, receiveMessageOnPort } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  // [0]: batches finished; [1]: 1 once the worker has loaded.
  const done = new SharedArrayBuffer(8);
  const finished = new Int32Array(done);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(url, { workerData: { port: port2, done }, transferList: [port2] });
  // Neither keeps the process alive: a run ends when its program does, whatever is still translating.
  worker.unref();
  port1.unref();
  const waiting = new Map<number, (l: Landed) => void>();
  let next = 0;
  let taken = 0;
  return {
    submit(job: TranslationJob, landed: (l: Landed) => void) {
      // (The job's pages are copies: their buffers go to the worker.)
      if (wait) {
        Atomics.wait(finished, 1, 0, 10_000);
        wait = false;
      }
      if (Atomics.load(finished, 1) === 0) return false;
      const id = next++;
      waiting.set(id, landed);
      port1.postMessage({ id, job }, job.pages.map((p) => p.buffer as ArrayBuffer));
      return true;
    },
    poll() {
      if (Atomics.load(finished, 0) === taken) return;
      for (let m = receiveMessageOnPort(port1); m !== undefined; m = receiveMessageOnPort(port1)) {
        taken++;
        const reply = m.message as { id: number } & Landed;
        const landed = waiting.get(reply.id);
        waiting.delete(reply.id);
        landed?.(reply);
      }
    },
  };
}
