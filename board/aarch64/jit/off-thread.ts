// Where batches translate when not on the CPU's thread: the host (the command
// line, tools/cli/jit-worker-client.ts) may give the block compiler a
// translator on another thread. The CPU's thread goes on running the queued
// blocks interpreted meanwhile, and takes the finished modules between slices.

import type { JobResult, TranslationJob } from './translation-job';

/** A batch translated elsewhere: the result (without its bytes) and its compiled module of `size` bytes, or why it failed. */
export type Landed = { readonly result: JobResult; readonly module: WebAssembly.Module | undefined; readonly size: number; readonly ms: number } | { readonly error: string };

export interface OffThreadTranslator {
  /**
   * Starts translating `job` (its page buffers may be taken); `landed` runs from a later poll(). False, and
   * nothing taken, while the thread is not ready yet (the caller translates the batch itself).
   */
  submit(job: TranslationJob, landed: (l: Landed) => void): boolean;
  /** Runs `landed` for the batches finished since the last poll (cheap when none). */
  poll(): void;
}

let start: (() => OffThreadTranslator | undefined) | undefined;
let current: OffThreadTranslator | undefined;

/**
 * Gives the block compilers made from now on the translator `make` starts, at the first one's making (a run
 * that never compiles A64 code starts none); undefined: their own thread.
 */
export function setOffThreadTranslator(make: (() => OffThreadTranslator | undefined) | undefined): void {
  start = make;
  current = undefined;
}

export function offThreadTranslator(): OffThreadTranslator | undefined {
  if (current === undefined && start !== undefined) {
    current = start();
    start = undefined;
  }
  return current;
}
