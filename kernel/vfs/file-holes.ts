// Holes in files of the in-memory layer, for lseek's SEEK_DATA and
// SEEK_HOLE: a file created here keeps which 4 KiB blocks were ever written
// (a write past the end, a truncate that grows, a punched hole leave the
// others unwritten); a file without that record (a host file) is all data.

import type { MemFile, Node } from './node';

export const HOLE_BLOCK = 4096;

/** Marks [start, end) as written. */
export function markData(f: MemFile, start: number, end: number): void {
  if (!f.dataBlocks || end <= start) return;
  for (let b = Math.floor(start / HOLE_BLOCK); b * HOLE_BLOCK < end; b++) f.dataBlocks.add(b);
}

/** Forgets the blocks wholly inside [start, end) (a punched hole) or past a truncated end. */
export function dropData(f: MemFile, start: number, end: number): void {
  if (!f.dataBlocks) return;
  for (const b of [...f.dataBlocks]) if (b * HOLE_BLOCK >= start && (b + 1) * HOLE_BLOCK <= end) f.dataBlocks.delete(b);
}

/** The blocks a file records as written, or null when it is all data (a host file). */
function written(node: Node): Set<number> | null {
  return node.layer === 'mem' && node.kind === 'file' && node.dataBlocks ? node.dataBlocks : null;
}

/** SEEK_DATA from off in a file of size bytes: the next written byte, or null (ENXIO). Visits the written blocks, not the holes (a sparse file may be far larger than RAM). */
export function nextData(node: Node, size: number, off: number): number | null {
  if (off >= size) return null;
  const blocks = written(node);
  if (!blocks) return off;
  const from = Math.floor(off / HOLE_BLOCK);
  let best = Infinity;
  for (const b of blocks) if (b >= from && b < best) best = b;
  return best * HOLE_BLOCK < size ? Math.max(off, best * HOLE_BLOCK) : null;
}

/** SEEK_HOLE from off: the next unwritten byte, the end of the file at the latest. */
export function nextHole(node: Node, size: number, off: number): number {
  const blocks = written(node);
  if (!blocks) return size;
  let b = Math.floor(off / HOLE_BLOCK);
  while (b * HOLE_BLOCK < size && blocks.has(b)) b++;
  return b * HOLE_BLOCK < size ? Math.max(off, b * HOLE_BLOCK) : size;
}
