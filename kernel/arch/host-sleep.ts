// The hosted kernel's WFI under host time: block the host thread until the
// next timer event instead of spinning. Atomics.wait on a word nobody
// notifies is a synchronous sleep that works on Node's main thread.

const cell = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the calling host thread for about `ms` milliseconds (nothing when ms <= 0). */
export function sleepHost(ms: number): void {
  if (ms > 0) Atomics.wait(cell, 0, 0, ms);
}
