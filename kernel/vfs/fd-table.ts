// A process's file descriptors: small integers naming open file descriptions.

import type { OpenFile } from './open-file';

export const FD_LIMIT = 1024;

/** Called for every descriptor closed (POSIX record locks are dropped on any close of the file). */
export const fdCloseHooks: ((table: FdTable, file: OpenFile) => void)[] = [];

/**
 * Asked when an open file description enters a table (kernel/linux/file-table.ts
 * counts them against fs.file-max): 0, or a negative errno (ENFILE) when one
 * not yet counted may not be had; with mayRefuse false it is counted anyway.
 */
export const fileTableGate: { check?: (file: OpenFile, mayRefuse: boolean) => number } = {};

interface Slot {
  readonly file: OpenFile;
  cloexec: boolean;
}

export class FdTable {
  private readonly slots = new Map<number, Slot>();
  /** Processes sharing this table (CLONE_FILES). */
  users = 1;
  /** RLIMIT_NOFILE: descriptors are numbered below it. */
  limit = FD_LIMIT;
  /** Every descriptor below it is in use: add() need not look there (a program opening thousands stays linear). */
  private lowestFree = 0;

  get(fd: number): OpenFile | undefined {
    return this.slots.get(fd)?.file;
  }

  /** Every open file description in the table. */
  *files(): IterableIterator<OpenFile> {
    for (const s of this.slots.values()) yield s.file;
  }

  cloexec(fd: number): boolean {
    return this.slots.get(fd)?.cloexec ?? false;
  }

  setCloexec(fd: number, on: boolean): void {
    const s = this.slots.get(fd);
    if (s) s.cloexec = on;
  }

  /** The n lowest free descriptor numbers below the limit (fewer when it comes first). */
  lowestFreeNumbers(n: number): number[] {
    const out: number[] = [];
    for (let fd = this.lowestFree; fd < this.limit && out.length < n; fd++) if (!this.slots.has(fd)) out.push(fd);
    return out;
  }

  /** Is a descriptor number free below the limit (what add would find)? */
  hasRoom(): boolean {
    for (let fd = this.lowestFree; fd < this.limit; fd++) if (!this.slots.has(fd)) return true;
    return false;
  }

  /** Installs file at the lowest free descriptor >= min; -EMFILE when none. */
  add(file: OpenFile, cloexec: boolean, min = 0): number {
    const refused = fileTableGate.check?.(file, true) ?? 0;
    if (refused < 0) {
      file.release();
      return refused;
    }
    for (let fd = Math.max(min, this.lowestFree); fd < this.limit; fd++) {
      if (!this.slots.has(fd)) {
        this.slots.set(fd, { file, cloexec });
        if (min <= this.lowestFree) this.lowestFree = fd + 1;
        return fd;
      }
    }
    file.release();
    return -24;
  }

  /** Installs file at fd, closing what was there. */
  put(fd: number, file: OpenFile, cloexec: boolean): void {
    fileTableGate.check?.(file, false);
    this.close(fd);
    this.slots.set(fd, { file, cloexec });
    if (fd === this.lowestFree) this.lowestFree = fd + 1;
  }

  close(fd: number): boolean {
    const s = this.slots.get(fd);
    if (!s) return false;
    this.slots.delete(fd);
    if (fd < this.lowestFree) this.lowestFree = fd;
    for (const hook of fdCloseHooks) hook(this, s.file);
    s.file.release();
    return true;
  }

  closeAll(): void {
    for (const fd of [...this.slots.keys()]) this.close(fd);
  }

  closeOnExec(): void {
    for (const [fd, s] of [...this.slots]) if (s.cloexec) this.close(fd);
  }

  /** A copy for a child (fork): the same open file descriptions, each retained. */
  copy(): FdTable {
    const t = new FdTable();
    t.limit = this.limit;
    for (const [fd, s] of this.slots) t.slots.set(fd, { file: s.file.retain(), cloexec: s.cloexec });
    return t;
  }

  get count(): number {
    return this.slots.size;
  }

  /** The open descriptors, lowest first. */
  list(): number[] {
    return [...this.slots.keys()].sort((x, y) => x - y);
  }
}
