// copy_from_user / copy_to_user: the kernel reads and writes a process's
// memory through its hardware tables, resolving faults as the user's own
// access would (demand paging, copy-on-write), so the two views never differ.

import type { PhysicalRam } from '../arch/arch';
import { PAGE_SIZE } from '../arch/arch';
import { resolveFault } from '../mm/fault';
import type { MemoryManager } from '../mm/memory-manager';
import type { VSpace } from '../mm/vspace';

/** A user address the process may not access this way: the syscall answers EFAULT. */
export class UserFault extends Error {
  constructor(readonly address: number) {
    super(`bad user address 0x${address.toString(16)}`);
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

  read(va: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const at = va + done;
      const n = Math.min(length - done, PAGE_SIZE - (at % PAGE_SIZE));
      out.set(this.ram.readBytes(this.physical(at, false), n), done);
      done += n;
    }
    return out;
  }

  write(va: number, data: Uint8Array): void {
    let done = 0;
    while (done < data.length) {
      const at = va + done;
      const n = Math.min(data.length - done, PAGE_SIZE - (at % PAGE_SIZE));
      this.ram.writeBytes(this.physical(at, true), data.subarray(done, done + n));
      done += n;
    }
  }

  /** A NUL-terminated string of at most max bytes. */
  readString(va: number, max = 4096): string {
    const bytes: number[] = [];
    for (let i = 0; i < max; i++) {
      const b = this.read(va + i, 1)[0];
      if (b === 0) return Buffer.from(bytes).toString('utf8');
      bytes.push(b);
    }
    throw new StringTooLong(va + max);
  }

  read64(va: number): number {
    const b = this.read(va, 8);
    const v = new DataView(b.buffer);
    return v.getUint32(4, true) * 4294967296 + v.getUint32(0, true);
  }
}
