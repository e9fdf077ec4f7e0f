// Guest RAM for the writable layer's file data: frames the PMM hands out
// under the owner 'fs-data', zero-filled, read and written through the
// kernel's view of physical memory. The file system keeps which frame
// holds which block (kernel/vfs/file-space.ts).

import { PAGE_SIZE, type PhysicalRam } from '../arch/arch';
import type { Pmm } from './pmm';

export class FileFrames {
  constructor(
    private readonly pmm: Pmm,
    private readonly ram: PhysicalRam,
  ) {}

  /** Frames held now. */
  get count(): number {
    return this.pmm.stats()['fs-data'];
  }

  /** A frame, zero-filled unless zero is false; throws OutOfFrames when RAM is exhausted. */
  take(zero: boolean): number {
    const pa = this.pmm.alloc('fs-data');
    if (zero) this.ram.fill(pa, PAGE_SIZE, 0);
    return pa;
  }

  give(pa: number): void {
    this.pmm.free(pa, 'fs-data');
  }

  read(pa: number, offset: number, length: number): Uint8Array {
    return this.ram.readBytes(pa + offset, length);
  }

  write(pa: number, offset: number, data: Uint8Array): void {
    this.ram.writeBytes(pa + offset, data);
  }

  zero(pa: number, offset: number, length: number): void {
    this.ram.fill(pa + offset, length, 0);
  }
}
