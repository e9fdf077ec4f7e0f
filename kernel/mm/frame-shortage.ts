// The errors a frame allocation for a MemoryObject throws when there is no
// frame: the PMM's OutOfFrames, or UntypedExhausted when the frames come
// from an untyped (untyped-frames.ts re-exports it). Kept apart so the page
// stores can recognise a shortage without importing the untyped frames.

import { OutOfFrames } from './pmm';

/** The untyped has no room left for a frame (a fault it should have paid for kills the thread). */
export class UntypedExhausted extends Error {}

export function isFrameShortage(e: unknown): boolean {
  return e instanceof OutOfFrames || e instanceof UntypedExhausted;
}
