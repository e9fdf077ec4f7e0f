// The aarch64 backend of the arch interface: writes VMSAv8-64 4 KiB-granule tables
// (four levels, 48-bit VAs). A root is a level-0 table; a process root goes in TTBR0
// with its ASID, the kernel root (mapping negative, upper-half addresses) in TTBR1.

import { PAGE_SIZE, type ArchConstants, type ArchFactory, type PageFault, type PhysicalRam, type RawFault, type TableFrames, type TlbHooks } from '../arch';
import { TableTreeMmu } from '../table-tree-mmu';
import { AARCH64_DESCRIPTORS } from './descriptor';
import { decodeAarch64Fault } from './fault';
import { ASID_BITS, VA_BITS } from './translation-regime';

export const AARCH64_CONSTANTS: ArchConstants = {
  name: 'aarch64',
  pageSize: PAGE_SIZE,
  levels: 4,
  asidBits: ASID_BITS,
  userBase: 0,
  userTop: 2 ** VA_BITS,
};

// markAccessed needs no TLB maintenance: a descriptor with AF = 0 is never cached.
export class Aarch64Mmu extends TableTreeMmu {
  constructor(ram: PhysicalRam, frames: TableFrames, tlb: TlbHooks) {
    super(AARCH64_CONSTANTS, AARCH64_DESCRIPTORS, ram, frames, tlb);
  }

  decodeFault(raw: RawFault): PageFault | null {
    return decodeAarch64Fault(raw);
  }
}

export const createAarch64Mmu: ArchFactory = (ram, frames, tlb) => new Aarch64Mmu(ram, frames, tlb);
