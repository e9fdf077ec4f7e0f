// copy_from_user / copy_to_user: the kernel reads and writes a process's
// memory through its hardware tables, resolving faults as the user's own
// access would (demand paging, copy-on-write), so the two views never differ.

import type { PhysicalRam } from '../arch/arch';
import { PAGE_SIZE } from '../arch/arch';
import { resolveFault } from '../mm/fault';
import type { MemoryManager } from '../mm/memory-manager';
import type { VSpace } from '../mm/vspace';

const STRING_CHUNK = 256;

/** A user address the process may not access this way: the syscall answers EFAULT. */
export class UserFault extends Error {
  readonly address: number;

  constructor(address: number) {
    // A fault is an answer (EFAULT), not a bug: no stack trace to capture, which makes it cheap.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`bad user address 0x${address.toString(16)}`);
    Error.stackTraceLimit = limit;
    this.address = address;
  }
}

/** A string with no NUL within the limit (a path longer than PATH_MAX: ENAMETOOLONG). */
export class StringTooLong extends UserFault {}

export class UserMemory {
  private readonly ram: PhysicalRam;

  constructor(
    private readonly mm: MemoryManager,
    private readonly vs: VSpace,
    ram: PhysicalRam,
  ) {
    this.ram = ram;
  }

  /** Physical address of va for the access, faulting the page in first if needed. */
  private physical(va: number, write: boolean): number {
    const page = va - (va % PAGE_SIZE);
    let entry = this.mm.arch.query(this.vs.root, page);
    if (entry === null || !entry.accessed || (write && !entry.attrs.write)) {
      const outcome = resolveFault(this.vs, { address: va, access: write ? 'write' : 'read', kind: entry === null ? 'not-present' : write ? 'permission' : 'access-flag', user: true }, this.mm.counters);
      if (!outcome.resolved) throw new UserFault(va);
      entry = this.mm.arch.query(this.vs.root, page);
      if (entry === null || (write && !entry.attrs.write)) throw new UserFault(va);
    }
    return entry.pa + (va - page);
  }

  /**
   * Linux's access_ok: [va, va + length) lies in the user half. A length
   * that is negative (a size_t past 2^63) or not an integer never does.
   */
  accessOk(va: number, length: number): boolean {
    return Number.isSafeInteger(va) && Number.isSafeInteger(length) && va >= 0 && length >= 0 && va + length <= this.vs.addressRange.userTop;
  }

  /** Reads length bytes; a UserFault (EFAULT) when any of them is not readable, whatever the length asked for. */
  read(va: number, length: number): Uint8Array {
    if (!this.accessOk(va, length)) throw new UserFault(va);
    // Every page is translated before the copy is allocated, so a huge length costs nothing before its first bad page.
    const pages: number[] = [];
    for (let at = va; at < va + length; at += PAGE_SIZE - (at % PAGE_SIZE)) pages.push(this.physical(at, false));
    return this.copyOut(va, length, pages);
  }

  /**
   * The readable head of [va, va + length): the bytes up to the first page the
   * process may not read (what Linux's write copies before a fault ends it).
   */
  readPrefix(va: number, length: number): Uint8Array {
    if (!Number.isSafeInteger(va) || va < 0 || !(length > 0)) return new Uint8Array(0);
    const end = Math.min(va + length, this.vs.addressRange.userTop);
    const pages: number[] = [];
    for (let at = va; at < end; at += PAGE_SIZE - (at % PAGE_SIZE)) {
      try {
        pages.push(this.physical(at, false));
      } catch (e) {
        if (!(e instanceof UserFault)) throw e;
        return this.copyOut(va, at - va, pages);
      }
    }
    return this.copyOut(va, Math.max(0, end - va), pages);
  }

  private copyOut(va: number, length: number, pages: readonly number[]): Uint8Array {
    const out = new Uint8Array(length);
    let done = 0;
    for (let i = 0; done < length; i++) {
      const at = va + done;
      const n = Math.min(length - done, PAGE_SIZE - (at % PAGE_SIZE));
      out.set(this.ram.readBytes(pages[i], n), done);
      done += n;
    }
    return out;
  }

  // data goes whole when it fits the page: subarray of a small array would move V8's on-heap bytes off the heap (about 1 us).
  write(va: number, data: Uint8Array): void {
    if (!this.accessOk(va, data.length)) throw new UserFault(va);
    let done = 0;
    while (done < data.length) {
      const at = va + done;
      const n = Math.min(data.length - done, PAGE_SIZE - (at % PAGE_SIZE));
      this.ram.writeBytes(this.physical(at, true), n === data.length ? data : data.subarray(done, done + n));
      done += n;
    }
  }

  /** Writes data up to the first page the process may not write; the count written (what Linux's copy_to_user loops return). */
  writePrefix(va: number, data: Uint8Array): number {
    let done = 0;
    try {
      while (done < data.length) {
        const at = va + done;
        if (!this.accessOk(at, 1)) return done;
        const n = Math.min(data.length - done, PAGE_SIZE - (at % PAGE_SIZE));
        this.ram.writeBytes(this.physical(at, true), n === data.length ? data : data.subarray(done, done + n));
        done += n;
      }
    } catch (e) {
      if (!(e instanceof UserFault)) throw e;
    }
    return done;
  }

  /** A NUL-terminated string of at most max bytes. */
  readString(va: number, max = 4096): string {
    const parts: Uint8Array[] = [];
    let done = 0;
    // A page at a time: the NUL may be on a later page, and the bytes after it need not be readable.
    while (done < max) {
      const at = va + done;
      if (!this.accessOk(at, 1)) throw new UserFault(at);
      // At most STRING_CHUNK bytes a step: a path is short, and copying the rest of its page would cost more than it.
      const n = Math.min(max - done, PAGE_SIZE - (at % PAGE_SIZE), STRING_CHUNK);
      const chunk = this.ram.readBytes(this.physical(at, false), n);
      const nul = chunk.indexOf(0);
      if (nul >= 0) {
        parts.push(chunk.subarray(0, nul));
        return Buffer.concat(parts).toString('utf8');
      }
      parts.push(chunk.slice());
      done += n;
    }
    throw new StringTooLong(va + max);
  }

  read64(va: number): number {
    const b = this.read(va, 8);
    const lo = (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
    const hi = (b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24)) >>> 0;
    return hi * 4294967296 + lo;
  }
}
