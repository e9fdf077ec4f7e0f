// The bytes of a file whose data lives in guest-RAM frames (file-space.ts):
// block b of the file is the frame f.pages.get(b); a block without a frame
// reads as zeros (a hole). Files of a space without frames keep their
// bytes in f.data, and these functions read that instead.

import { HOLE_BLOCK } from './file-holes';
import type { MemFile } from './node';

const B = HOLE_BLOCK;

/** Does f keep its bytes in frames? */
export const paged = (f: MemFile): boolean => f.pages !== undefined && f.space?.frames != null;

/** The bytes of [pos, pos + max) that the file holds (short at its end). */
export function readBytes(f: MemFile, pos: number, max: number): Uint8Array {
  const end = Math.min(f.size, pos + max);
  if (end <= pos) return new Uint8Array(0);
  if (!paged(f)) return f.data.slice(pos, end);
  const out = new Uint8Array(end - pos);
  const frames = f.space!.frames!;
  for (let at = pos; at < end; ) {
    const b = Math.floor(at / B);
    const stop = Math.min(end, (b + 1) * B);
    const pa = f.pages!.get(b);
    if (pa !== undefined) out.set(frames.read(pa, at - b * B, stop - at), at - pos);
    at = stop;
  }
  return out;
}

/** Writes data at pos into frames the caller claimed (space.claim) for the whole range. */
export function writePaged(f: MemFile, pos: number, data: Uint8Array): void {
  const frames = f.space!.frames!;
  const end = pos + data.length;
  for (let at = pos; at < end; ) {
    const b = Math.floor(at / B);
    const stop = Math.min(end, (b + 1) * B);
    frames.write(f.pages!.get(b)!, at - b * B, data.subarray(at - pos, stop - pos));
    at = stop;
  }
}

/** Zeros [start, end) where f holds frames (a punched hole's partial blocks, the tail past a truncate). */
export function zeroPaged(f: MemFile, start: number, end: number): void {
  if (end <= start) return;
  const frames = f.space!.frames!;
  const pages = f.pages!;
  const zero = (b: number, pa: number): void => {
    const from = Math.max(start, b * B);
    frames.zero(pa, from - b * B, Math.min(end, (b + 1) * B) - from);
  };
  const first = Math.floor(start / B);
  const last = Math.ceil(end / B);
  // A range wider than the file's frames (a hole punched across a large sparse file): visit the frames, not the range.
  if (last - first > pages.size) {
    for (const [b, pa] of pages) if (b >= first && b < last) zero(b, pa);
    return;
  }
  for (let b = first; b < last; b++) {
    const pa = pages.get(b);
    if (pa !== undefined) zero(b, pa);
  }
}

/** A truncate to length: blocks past it go, and what the last one holds past it is zeroed (a later growth reads zeros). */
export function truncatePaged(f: MemFile, length: number): void {
  if (length < f.size) {
    const keep = Math.ceil(length / B);
    for (const b of [...f.pages!.keys()]) if (b >= keep) f.space!.dropBlock(f, b);
    if (length % B !== 0) zeroPaged(f, length, keep * B);
  }
  f.size = length;
}

/** The whole content (a copy): for exec, private mappings and copies. */
export function wholeFile(f: MemFile): Uint8Array {
  return paged(f) ? readBytes(f, 0, f.size) : f.data.subarray(0, f.size);
}
