import { USER_ADDRESS_LIMIT } from './elf-constants';
import { hex } from './elf-error';
import type { Fail } from './elf-fields';
import type { ProgramHeader } from './program-headers';

const PAGE_SIZE = 4096;
/** The largest physical address range of aarch64 (without FEAT_LPA) and x86_64 paging here: 48 bits. */
const PHYSICAL_ADDRESS_LIMIT = 2 ** 48;

function modulo(value: number, m: number): number {
  return ((value % m) + m) % m;
}

/** An address as 64-bit hex: upper-half (negative) values as the unsigned 64-bit number. */
export function hexAddress(value: number): string {
  if (value >= 0) return hex(value);
  const high = Math.floor(value / 0x1_0000_0000) >>> 0;
  const low = (value - Math.floor(value / 0x1_0000_0000) * 0x1_0000_0000) >>> 0;
  return `0x${high.toString(16)}${low.toString(16).padStart(8, '0')}`;
}

function isPowerOfTwo(value: number): boolean {
  return value > 0 && Number.isSafeInteger(value) && 2 ** Math.round(Math.log2(value)) === value;
}

function describe(h: ProgramHeader, kind: string): string {
  return `${kind} segment ${h.index}`;
}

/** The checks every segment that carries file bytes must pass (PT_LOAD and PT_TLS). */
export function checkSegmentShape(h: ProgramHeader, kind: string, fileSize: number, fail: Fail): void {
  const name = describe(h, kind);
  // A segment with no file bytes (pure .bss) may name any offset: Linux never reads it.
  if (h.filesz > 0 && h.offset + h.filesz > fileSize) {
    throw fail(`${name} file range ${hex(h.offset)}-${hex(h.offset + h.filesz)} exceeds the file size ${hex(fileSize)}`);
  }
  if (h.filesz > h.memsz) throw fail(`${name} has filesz ${hex(h.filesz)} larger than memsz ${hex(h.memsz)}`);
  if (h.memsz >= USER_ADDRESS_LIMIT) {
    throw fail(`${name} memsz ${hex(h.memsz)} is beyond the 48-bit user address space`);
  }
  if (h.vaddr < 0) {
    // An upper-half segment (kernel images): it must not wrap past the top of the address space.
    if (h.vaddr + h.memsz > 0) throw fail(`${name} at ${hexAddress(h.vaddr)} with memsz ${hex(h.memsz)} wraps past the top of the address space`);
  } else if (h.vaddr + h.memsz > USER_ADDRESS_LIMIT) {
    throw fail(`${name} at ${hex(h.vaddr)} with memsz ${hex(h.memsz)} ends beyond the 48-bit user address space`);
  }
  if (h.paddr + h.memsz > PHYSICAL_ADDRESS_LIMIT) {
    throw fail(`${name} at physical ${hex(h.paddr)} with memsz ${hex(h.memsz)} ends beyond the 48-bit physical address space`);
  }
  if (h.align > 1 && !isPowerOfTwo(h.align)) throw fail(`${name} alignment ${hex(h.align)} is not a power of two`);
}

/** PT_LOAD only: the file offset and address must agree modulo the alignment, so pages can map the file. */
export function checkLoadAlignment(h: ProgramHeader, fail: Fail): void {
  if (h.align > 1 && modulo(h.vaddr, h.align) !== h.offset % h.align) {
    throw fail(
      `PT_LOAD segment ${h.index} is misaligned: vaddr ${hexAddress(h.vaddr)} and file offset ${hex(h.offset)} ` +
        `differ modulo the alignment ${hex(h.align)}`,
    );
  }
}

export function checkNoOverlap(loads: readonly ProgramHeader[], fail: Fail): void {
  const sorted = loads.filter((h) => h.memsz > 0).sort((a, b) => a.vaddr - b.vaddr);
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1];
    const after = sorted[i];
    if (before.vaddr + before.memsz > after.vaddr) {
      throw fail(
        `PT_LOAD segments ${before.index} (${hex(before.vaddr)}-${hex(before.vaddr + before.memsz)}) and ` +
          `${after.index} (${hex(after.vaddr)}-${hex(after.vaddr + after.memsz)}) overlap`,
      );
    }
  }
}

/** Kernel images: two segments may not claim the same physical memory. */
export function checkNoPhysicalOverlap(loads: readonly ProgramHeader[], fail: Fail): void {
  const sorted = loads.filter((h) => h.memsz > 0).sort((a, b) => a.paddr - b.paddr);
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1];
    const after = sorted[i];
    if (before.paddr + before.memsz > after.paddr) {
      throw fail(
        `PT_LOAD segments ${before.index} and ${after.index} overlap in physical memory ` +
          `(${hex(before.paddr)}-${hex(before.paddr + before.memsz)} and ${hex(after.paddr)}-${hex(after.paddr + after.memsz)})`,
      );
    }
  }
}

export function checkEntry(entry: number, loads: readonly ProgramHeader[], fail: Fail): void {
  const inside = loads.some((h) => h.flags.execute && entry >= h.vaddr && entry < h.vaddr + h.memsz);
  if (!inside) throw fail(`entry point ${hexAddress(entry)} is not inside an executable PT_LOAD segment`);
}

/** The alignment a static-pie load base must honour: the largest PT_LOAD alignment, at least a page. */
export function loadBaseAlignment(loads: readonly ProgramHeader[]): number {
  return loads.reduce((max, h) => (isPowerOfTwo(h.align) && h.align > max ? h.align : max), PAGE_SIZE);
}
