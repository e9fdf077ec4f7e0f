// A native process's memory as the buffer-taking labels see it: the decode
// step checks the regions (faulting nothing in), the invoke step copies
// through the VSpace as the user's own access would.

import type { PhysicalRam } from '../arch/arch';
import { PAGE_SIZE } from '../arch/arch';
import type { MemoryManager } from '../mm/memory-manager';
import { NoRoomForTable } from '../mm/untyped-tables';
import { UntypedExhausted } from '../mm/untyped-frames';
import type { VSpace } from '../mm/vspace';
import { UserFault, UserMemory } from '../process/user-memory';
import type { UserAccess } from './native-context';
import { pagerOf } from './pager';

export class NativeUserAccess implements UserAccess {
  private readonly mem: UserMemory;

  constructor(
    mm: MemoryManager,
    private readonly vs: VSpace,
    ram: PhysicalRam,
  ) {
    this.mem = new UserMemory(mm, vs, ram);
  }

  covers(va: number, length: number, write: boolean): boolean {
    if (!this.mem.accessOk(va, length) || length === 0) return false;
    for (let page = va - (va % PAGE_SIZE); page < va + length; page += PAGE_SIZE) {
      const r = this.vs.findRegion(page);
      if (!r || r.mo.isDestroyed || !(write ? r.perms.write : r.perms.read)) return false;
      // Only the pager may supply a pager-backed page: a kernel copy must not commit it as zeros.
      if (pagerOf(r.mo) && !r.mo.isResident(r.moPage + (page - r.start) / PAGE_SIZE)) return false;
    }
    return true;
  }

  read(va: number, length: number): Uint8Array | null {
    return this.guard(() => this.mem.read(va, length), null);
  }

  write(va: number, bytes: Uint8Array): boolean {
    return this.guard(() => {
      this.mem.write(va, bytes);
      return true;
    }, false);
  }

  /** A page that cannot be faulted in (its untyped is full) fails the copy, as a bad address would. */
  private guard<T>(copy: () => T, failed: T): T {
    try {
      return copy();
    } catch (e) {
      if (e instanceof UserFault || e instanceof UntypedExhausted || e instanceof NoRoomForTable) return failed;
      throw e;
    }
  }
}
