// Which file a MemoryObject's pages came from, for /proc/<pid>/maps: the
// executable's segments, the interpreter's, and private or shared file
// mmap()s. Anonymous memory has no entry.

import type { MemoryObject } from '../mm/memory-object';

export interface MappedFile {
  /** The path /proc/<pid>/maps shows. */
  readonly path: string;
  readonly ino: number;
  /** The file offset, in bytes, of the object's page 0. */
  readonly offset: number;
}

const files = new WeakMap<MemoryObject, MappedFile>();

export function setMappedFile(mo: MemoryObject, file: MappedFile): void {
  files.set(mo, file);
}

export function mappedFile(mo: MemoryObject): MappedFile | undefined {
  return files.get(mo);
}

/** A copy (fork's clone, mremap's copy) shows the same file as its original. */
export function copyMappedFile(from: MemoryObject, to: MemoryObject): void {
  const f = files.get(from);
  if (f) files.set(to, f);
}
