// The kernel's direct map: all of RAM at DIRECT_MAP_BASE + physical address in
// the upper (TTBR1 / kernel) half, kernel read-write, never executable, global.
// Built through the arch interface with 2 MiB blocks where a whole aligned block
// is RAM, 4 KiB pages at unaligned edges.

import { BLOCK_SIZE, PAGE_SIZE, type ArchMmu, type PageAttrs, type TableRoot } from '../arch/arch';

/** 0xFFFF_8000_0000_0000 as a signed number (see kernel/arch/arch.ts). */
export const DIRECT_MAP_BASE = -(2 ** 47);

export const DIRECT_MAP_ATTRS: PageAttrs = { read: true, write: true, exec: false, user: false, global: true, device: false };

export interface DirectMapResult {
  readonly blocks: number;
  readonly pages: number;
}

/** Kernel virtual address of a physical address. */
export function directMapVa(pa: number, base = DIRECT_MAP_BASE): number {
  return base + pa;
}

export function buildDirectMap(arch: ArchMmu, root: TableRoot, ramBase: number, ramSize: number, base = DIRECT_MAP_BASE): DirectMapResult {
  if (ramBase % PAGE_SIZE !== 0 || ramSize % PAGE_SIZE !== 0) throw new Error('direct map: RAM must be page aligned');
  let blocks = 0;
  let pages = 0;
  const end = ramBase + ramSize;
  let pa = ramBase;
  while (pa < end) {
    if (pa % BLOCK_SIZE === 0 && pa + BLOCK_SIZE <= end && (base + pa) % BLOCK_SIZE === 0) {
      arch.mapBlock(root, base + pa, pa, DIRECT_MAP_ATTRS);
      pa += BLOCK_SIZE;
      blocks++;
    } else {
      arch.map(root, base + pa, pa, DIRECT_MAP_ATTRS);
      pa += PAGE_SIZE;
      pages++;
    }
  }
  return { blocks, pages };
}
