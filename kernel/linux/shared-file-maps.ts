// MAP_SHARED mappings of regular files: one MemoryObject per (file, offset)
// that every such mapping (and every fork) shares, filled from the file on
// first touch, with the guest's changes written back to the file on msync,
// munmap and when the address space goes (exit, execve). Only bytes that
// differ from what the mapping last read from or wrote to the file go back,
// so a write(2) to a part the mapping never changed is not overwritten.

import { PAGE_SIZE } from '../arch/arch';
import type { MemoryManager } from '../mm/memory-manager';
import type { MemoryObject } from '../mm/memory-object';
import type { VSpace } from '../mm/vspace';
import type { OpenFile } from '../vfs/open-file';
import { HOST_BYTES_FACTOR } from './kobj-charges';

interface Backing {
  readonly file: OpenFile;
  readonly offset: number;
  /** The file's bytes as the object last agreed with them (from offset, the object's length). */
  readonly known: Uint8Array;
  readonly key: string;
}

export class SharedFileMaps {
  private readonly byMo = new Map<MemoryObject, Backing>();
  private readonly byKey = new Map<string, MemoryObject>();

  constructor(private readonly mm: MemoryManager) {}

  /** The shared object for pages of file from offset (reused while live and large enough). */
  objectFor(file: OpenFile, bytes: Uint8Array, offset: number, pages: number): MemoryObject {
    this.forgetDestroyed();
    const key = `${file.attrs().ino}:${file.path}:${offset}`;
    const existing = this.byKey.get(key);
    if (existing && !existing.isDestroyed && existing.pageCount >= pages) return existing;
    // The known copy is host memory the guest made: charged (twice over, see kobj-charges.ts) until the object goes.
    this.mm.kobjs.charge('shared-file-copy', HOST_BYTES_FACTOR * pages * PAGE_SIZE);
    const known = new Uint8Array(pages * PAGE_SIZE);
    known.set(bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + known.length, bytes.length)));
    const mo = this.mm.createMemoryObject(pages, (page, out) => out.set(known.subarray(page * PAGE_SIZE, (page + 1) * PAGE_SIZE)));
    this.byMo.set(mo, { file: file.retain(), offset, known, key });
    this.byKey.set(key, mo);
    return mo;
  }

  /** Is any page of the file with inode ino mapped shared and writable in one of vspaces? */
  writablyMapped(vspaces: Iterable<VSpace>, ino: number): boolean {
    for (const vs of vspaces) {
      for (const r of vs.regions) {
        const b = this.byMo.get(r.mo);
        if (b && r.perms.write && !r.mo.isDestroyed && b.file.attrs().ino === ino) return true;
      }
    }
    return false;
  }

  /** The open file behind a shared mapping's object (mprotect asks whether it may become writable). */
  fileOf(mo: MemoryObject): OpenFile | undefined {
    return this.byMo.get(mo)?.file;
  }

  has(mo: MemoryObject): boolean {
    return this.byMo.has(mo);
  }

  /** Writes back what the guest changed in [start, end) of vs, page by page where vs maps a page. */
  writeBack(vs: VSpace, start: number, end: number): void {
    if (this.byMo.size === 0) return;
    for (const r of vs.regionsIn(start, end)) {
      const b = this.byMo.get(r.mo);
      if (!b || r.mo.isDestroyed) continue;
      const from = Math.max(r.start, start);
      const to = Math.min(r.end, end);
      for (let va = from; va < to; va += PAGE_SIZE) {
        if (this.mm.arch.query(vs.root, va) === null) continue;
        this.syncPage(r.mo, b, r.moPage + (va - r.start) / PAGE_SIZE);
      }
    }
  }

  /** A write(2) to file reaches its shared mappings: the bytes they know and the pages they hold (coherence as through a page cache). */
  fileWritten(file: OpenFile, pos: number, data: Uint8Array): void {
    if (this.byMo.size === 0 || data.length === 0) return;
    const ino = file.attrs().ino;
    for (const [mo, b] of this.byMo) {
      if (mo.isDestroyed || b.file.attrs().ino !== ino) continue;
      const from = Math.max(pos, b.offset);
      const to = Math.min(pos + data.length, b.offset + b.known.length);
      for (let at = from; at < to; ) {
        const page = Math.floor((at - b.offset) / PAGE_SIZE);
        const n = Math.min(to, b.offset + (page + 1) * PAGE_SIZE) - at;
        const part = data.subarray(at - pos, at - pos + n);
        b.known.set(part, at - b.offset);
        // A page not yet touched reads the known bytes when it is.
        if (mo.isResident(page)) mo.write(at - b.offset, part);
        at += n;
      }
    }
  }

  /** Before a read(2) of file: what its shared mappings changed goes to the file first. */
  flushFile(file: OpenFile): void {
    if (this.byMo.size === 0) return;
    const ino = file.attrs().ino;
    for (const [mo, b] of this.byMo) {
      if (mo.isDestroyed || b.file.attrs().ino !== ino) continue;
      for (let page = 0; page < mo.pageCount; page++) if (mo.isResident(page)) this.syncPage(mo, b, page);
    }
  }

  private syncPage(mo: MemoryObject, b: Backing, page: number): void {
    const at = page * PAGE_SIZE;
    const now = mo.read(at, PAGE_SIZE);
    const fileEnd = b.file.attrs().size - b.offset;
    let i = 0;
    // Bytes past the end of the file stay in memory only, as on Linux.
    const limit = Math.min(PAGE_SIZE, fileEnd - at);
    while (i < limit) {
      if (now[i] === b.known[at + i]) {
        i++;
        continue;
      }
      let j = i;
      while (j < limit && now[j] !== b.known[at + j]) j++;
      b.file.write(now.subarray(i, j), b.offset + at + i);
      b.known.set(now.subarray(i, j), at + i);
      i = j;
    }
  }

  /** Drops the objects that were destroyed (their file, their known copy and its charge). */
  forgetDestroyed(): void {
    for (const [mo, b] of this.byMo) {
      if (!mo.isDestroyed) continue;
      this.mm.kobjs.release('shared-file-copy', HOST_BYTES_FACTOR * b.known.length);
      this.byMo.delete(mo);
      if (this.byKey.get(b.key) === mo) this.byKey.delete(b.key);
      b.file.release();
    }
  }
}
