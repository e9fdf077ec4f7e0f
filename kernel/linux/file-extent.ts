// A file mapping ends where its file ends: pages past the end of a regular
// file give SIGBUS (EFAULT to a syscall), as the file is at the time of the
// fault, and a truncate that shrinks the file drops the pages past its new
// end from every mapping of it, as Linux's truncate_pagecache does.

import { PAGE_SIZE } from '../arch/arch';
import type { MemoryObject } from '../mm/memory-object';
import { mappedFile } from '../process/mapped-file';
import type { OpenFile } from '../vfs/open-file';
import type { LinuxSystem } from './linux-system';

/** Bounds a file mapping's object by the file's length from offset (regular files only). */
export function boundByFile(mo: MemoryObject, file: OpenFile, offset: number): void {
  if (file.attrs().kind !== 'file') return;
  mo.extent ??= () => Math.max(0, Math.ceil((file.attrs().size - offset) / PAGE_SIZE));
}

/** After the file with inode ino shrank to size: its mappings lose the pages past the end. */
export function dropPagesPastEnd(sys: LinuxSystem, ino: number, size: number): void {
  const done = new Set<MemoryObject>();
  for (const p of sys.processes.values()) {
    if (p.isZombie) continue;
    for (const r of p.mem.vs.regions) {
      const f = mappedFile(r.mo);
      if (done.has(r.mo) || !r.mo.extent || !f || f.ino !== ino || r.mo.isDestroyed) continue;
      done.add(r.mo);
      const first = Math.max(0, Math.ceil((size - f.offset) / PAGE_SIZE));
      if (first < r.mo.pageCount) r.mo.decommit(first, r.mo.pageCount - first);
    }
  }
}
