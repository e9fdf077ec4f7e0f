// The boot-info page of a native process (as seL4's bootinfo): one read-only
// page mapped at BOOT_INFO_VA (its address is also in n0, x0 or rdi, at entry) listing the
// slots of the process's initial capability space. Little-endian 64-bit words;
// sdk/include/salty.h declares the same layout as struct salty_boot_info.
//
//   word  0  magic BOOT_INFO_MAGIC ("SALTYBI1")
//   word  1  version (1)
//   word  2  page size
//   word  3  capability-space slot (its own)      word 4  its slot count
//   word  5  VSpace slot                          word 6  thread slot
//   word  7  debug-console slot
//   word  8  first free slot                      word 9  end of the free slots (exclusive)
//   word 10  untyped count (entries at word 16)   word 11 segment count (entries at word 32)
//   word 12  stack MemoryObject slot              word 13 stack base address
//   word 14  stack pages                          word 15 untyped size in bytes of entry 0
//   words 16..31  untyped entries: { slot, size bits }, up to 8
//   words 32..95  segment entries: { MemoryObject slot, address, pages, permission bits (1 r, 2 w, 4 x) }, up to 16

import { PAGE_SIZE } from '../arch/arch';

/**
 * Where the boot-info page is mapped in every native process, on every arch:
 * below 2^47, so inside x86_64's canonical user half as well as aarch64's.
 */
export const BOOT_INFO_VA = 0x0000_7ffe_0000_0000;
export const BOOT_INFO_MAGIC_TEXT = 'SALTYBI1';
export const BOOT_INFO_VERSION = 1;
export const MAX_UNTYPEDS = 8;
export const MAX_SEGMENTS = 16;

/** Fixed slots of the initial capability space; segment MemoryObjects follow from SLOT_FIRST_SEGMENT. */
export const InitialSlot = {
  cspace: 0,
  untyped: 1,
  vspace: 2,
  thread: 3,
  debug: 4,
  stack: 5,
  firstSegment: 6,
} as const;

export interface BootInfoUntyped {
  readonly slot: number;
  readonly sizeBits: number;
}

export interface BootInfoSegment {
  readonly slot: number;
  readonly va: number;
  readonly pages: number;
  readonly perms: number;
}

export interface BootInfo {
  readonly cspaceSlots: number;
  readonly firstFree: number;
  readonly untypeds: readonly BootInfoUntyped[];
  readonly segments: readonly BootInfoSegment[];
  readonly stackBase: number;
  readonly stackPages: number;
}

const UNTYPED_AT = 16;
const SEGMENT_AT = 32;

/** The page's bytes. */
export function encodeBootInfo(b: BootInfo): Uint8Array {
  if (b.untypeds.length > MAX_UNTYPEDS || b.segments.length > MAX_SEGMENTS) throw new Error('boot info: too many untypeds or segments');
  const page = new Uint8Array(PAGE_SIZE);
  const dv = new DataView(page.buffer);
  const put = (word: number, v: number): void => {
    dv.setUint32(word * 8, v % 4294967296, true);
    dv.setUint32(word * 8 + 4, Math.floor(v / 4294967296), true);
  };
  for (let i = 0; i < 8; i++) page[i] = BOOT_INFO_MAGIC_TEXT.charCodeAt(i);
  put(1, BOOT_INFO_VERSION);
  put(2, PAGE_SIZE);
  put(3, InitialSlot.cspace);
  put(4, b.cspaceSlots);
  put(5, InitialSlot.vspace);
  put(6, InitialSlot.thread);
  put(7, InitialSlot.debug);
  put(8, b.firstFree);
  put(9, b.cspaceSlots);
  put(10, b.untypeds.length);
  put(11, b.segments.length);
  put(12, InitialSlot.stack);
  put(13, b.stackBase);
  put(14, b.stackPages);
  put(15, b.untypeds.length > 0 ? 2 ** b.untypeds[0].sizeBits : 0);
  b.untypeds.forEach((u, i) => {
    put(UNTYPED_AT + 2 * i, u.slot);
    put(UNTYPED_AT + 2 * i + 1, u.sizeBits);
  });
  b.segments.forEach((s, i) => {
    const at = SEGMENT_AT + 4 * i;
    put(at, s.slot);
    put(at + 1, s.va);
    put(at + 2, s.pages);
    put(at + 3, s.perms);
  });
  return page;
}
