// Which pages of a file are "in memory" as mincore reports them for a file
// mapping: a page is cached once some mapping of the file read it in (the
// pager of a private or shared file mapping ran for it), until
// fadvise(POSIX_FADV_DONTNEED) drops it. Files themselves live in host or
// emulated memory; this is only the residency Linux's page cache would show.

import type { LinuxSystem } from './linux-system';

const caches = new WeakMap<LinuxSystem, Map<number, Set<number>>>();

function cacheOf(sys: LinuxSystem): Map<number, Set<number>> {
  let m = caches.get(sys);
  if (!m) caches.set(sys, (m = new Map()));
  return m;
}

/** A mapping read page `page` of the file with inode ino. */
export function noteCached(sys: LinuxSystem, ino: number, page: number): void {
  const m = cacheOf(sys);
  let set = m.get(ino);
  if (!set) m.set(ino, (set = new Set()));
  set.add(page);
}

export function isCached(sys: LinuxSystem, ino: number, page: number): boolean {
  return caches.get(sys)?.get(ino)?.has(page) ?? false;
}

/** Drops pages [first, first + count) of the file (count Infinity: to its end). */
export function dropCached(sys: LinuxSystem, ino: number, first: number, count: number): void {
  const set = caches.get(sys)?.get(ino);
  if (!set) return;
  for (const p of [...set]) if (p >= first && p < first + count) set.delete(p);
}

/** drop_caches: every file's pages leave the cache. */
export function dropAllCached(sys: LinuxSystem): void {
  caches.get(sys)?.clear();
}
