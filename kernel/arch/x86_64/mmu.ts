// The x86_64 backend of the arch interface: writes PML4/PDPT/PD/PT entries.

import { PAGE_SIZE, type ArchConstants, type ArchFactory, type PageFault, type PhysicalRam, type RawFault, type TableFrames, type TableRoot, type TlbHooks } from '../arch';
import { TableTreeMmu } from '../table-tree-mmu';
import { isOldPage, X86_PTES } from './pte';
import { decodeX86PageFault } from './fault';

export const X86_64_CONSTANTS: ArchConstants = {
  name: 'x86_64',
  pageSize: PAGE_SIZE,
  levels: 4,
  asidBits: 12,
  userBase: 0,
  userTop: 2 ** 47,
};

export class X86Mmu extends TableTreeMmu {
  constructor(ram: PhysicalRam, frames: TableFrames, tlb: TlbHooks) {
    super(X86_64_CONSTANTS, X86_PTES, ram, frames, tlb);
  }

  override markAccessed(root: TableRoot, va: number): boolean {
    if (!super.markAccessed(root, va)) return false;
    this.tlb.invalidatePage(root.asid, va);
    return true;
  }

  decodeFault(raw: RawFault, root?: TableRoot): PageFault | null {
    return decodeX86PageFault(raw, (va) => this.isOldPage(root, va));
  }

  /** An "old" page (P = 0, kept by the kernel) is mapped at va's page: the fault is an access-flag fault. */
  private isOldPage(root: TableRoot | undefined, va: number): boolean {
    if (!root) return false;
    const pageVa = va - (((va % PAGE_SIZE) + PAGE_SIZE) % PAGE_SIZE);
    const slot = this.tree.slot(root, pageVa, false);
    return slot !== null && isOldPage(this.ram.read64lo(slot));
  }
}

export const createX86Mmu: ArchFactory = (ram, frames, tlb) => new X86Mmu(ram, frames, tlb);
