// Puts a kernel in RAM the way QEMU's -kernel does: an ELF (fixed or
// position-independent) at its segments' physical addresses (p_paddr, in RAM or flash), entered with x0 = 0 and the device tree at the start of RAM only
// when it fits below the image; a raw arm64 Image at RAM + text_offset, entered
// with x0 = the device tree's address, the initrd and device tree above it;
// any other file as raw code at RAM + 0x80000, entered the same way.

import { parseElfImage } from '../../loader/elf-image';
import type { LoadSegment } from '../../loader/program-image';
import type { PhysicalMemory } from '../memory/physical-memory';
import { DTB_BUFFER_SIZE, RAM_BASE } from './memory-map';

export interface KernelLoadOptions {
  readonly fileName: string;
  readonly initrd?: Uint8Array;
  /** Builds the device tree once the initrd's place is known. */
  readonly deviceTree: (initrd?: { start: number; end: number }) => Uint8Array;
}

export interface BootInfo {
  readonly entry: number;
  readonly x0: number;
  /** Where the device tree went, or null when the image left no room for it. */
  readonly dtbAddress: number | null;
  readonly initrd?: { readonly start: number; readonly end: number };
}

/** A kernel file the board cannot boot; the message is one line. */
export class KernelImageError extends Error {}

const ELF_MAGIC = 0x464c457f;
const ARM64_IMAGE_MAGIC = 0x644d5241; // "ARM\x64"
const DEFAULT_TEXT_OFFSET = 0x8_0000;
const MIB = 1024 * 1024;

export function loadKernel(phys: PhysicalMemory, bytes: Uint8Array, o: KernelLoadOptions): BootInfo {
  if (bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true) === ELF_MAGIC) return loadElf(phys, bytes, o);
  return loadRawImage(phys, bytes, o);
}

function loadElf(phys: PhysicalMemory, bytes: Uint8Array, o: KernelLoadOptions): BootInfo {
  // A position-independent ELF (ET_DYN) is loaded as QEMU does: at its segments' p_paddr, unrelocated.
  const image = parseElfImage(bytes, { fileName: o.fileName, expectedMachine: 'aarch64', upperHalf: true, loadBase: 0 });
  let low = Infinity;
  let high = 0;
  for (const s of image.segments) {
    if (s.memsz === 0) continue;
    writeSegment(phys, s, o.fileName);
    low = Math.min(low, s.paddr);
    high = Math.max(high, s.paddr + s.memsz);
  }
  const entry = physicalEntry(image.entry, image.segments);
  const initrd = placeInitrd(phys, o.initrd, high);
  // QEMU writes its 1 MiB tree at the start of RAM when the image lies wholly above or below
  // RAM's start, and, when above, only if the tree fits below the image.
  const fits = (low > RAM_BASE && low - RAM_BASE >= DTB_BUFFER_SIZE) || high < RAM_BASE;
  const dtbAddress = fits ? RAM_BASE : null;
  if (fits) phys.writeBytes(RAM_BASE, o.deviceTree(initrd));
  return { entry, x0: 0, dtbAddress, initrd };
}

/** Copies a segment into RAM or into a flash bank's storage (QEMU's ROM loader writes both). */
function writeSegment(phys: PhysicalMemory, s: LoadSegment, fileName: string): void {
  if (phys.isRam(s.paddr, s.memsz)) {
    phys.writeBytes(s.paddr, s.data);
    phys.fill(s.paddr + s.filesz, s.memsz - s.filesz);
    return;
  }
  const at = phys.storageOffset(s.paddr);
  if (at < phys.ramSize || phys.storageOffset(s.paddr + s.memsz - 1) !== at + s.memsz - 1) {
    const flash = phys.romInMemory ? 'and flash' : '(with RAM this large the flash banks are devices only and hold no code)';
    throw new KernelImageError(`${fileName}: segment at physical 0x${s.paddr.toString(16)} (0x${s.memsz.toString(16)} bytes) is outside RAM 0x${phys.ramBase.toString(16)}-0x${phys.ramEnd.toString(16)} ${flash}`);
  }
  phys.bytes.set(s.data, at);
  phys.bytes.fill(0, at + s.filesz, at + s.memsz);
  phys.notifyWrite(s.paddr, s.memsz);
}

/**
 * The MMU is off at entry, so QEMU moves an entry point that lies in the file
 * bytes of an executable segment linked away from its physical address by
 * that segment's offset; any other entry is used as it is.
 */
function physicalEntry(entry: number, segments: readonly LoadSegment[]): number {
  for (const s of segments) {
    if (s.vaddr !== s.paddr && s.flags.execute && entry >= s.vaddr && entry < s.vaddr + s.filesz) return entry - s.vaddr + s.paddr;
  }
  return entry;
}

function loadRawImage(phys: PhysicalMemory, bytes: Uint8Array, o: KernelLoadOptions): BootInfo {
  if (bytes.length === 0) throw new KernelImageError(`${o.fileName}: empty kernel image`);
  let offset = DEFAULT_TEXT_OFFSET;
  // Without the "ARM\x64" magic QEMU loads the file as raw code at RAM + 0x80000, entered like an Image.
  if (bytes.length >= 64) {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (v.getUint32(56, true) === ARM64_IMAGE_MAGIC) {
      const textOffset = v.getUint32(8, true) + v.getUint32(12, true) * 4294967296;
      const imageSize = v.getUint32(16, true) + v.getUint32(20, true) * 4294967296;
      // An Image with image_size 0 predates text_offset: the kernel then assumes 0x80000.
      if (imageSize !== 0) offset = textOffset;
    }
  }
  const entry = RAM_BASE + offset;
  if (!phys.isRam(entry, bytes.length)) throw new KernelImageError(`${o.fileName}: ${bytes.length} bytes do not fit in RAM at 0x${entry.toString(16)}`);
  phys.writeBytes(entry, bytes);
  const initrd = placeInitrd(phys, o.initrd, entry + bytes.length);
  const dtbAddress = alignUp(initrd === undefined ? initrdBase(phys, entry + bytes.length) : initrd.end, 2 * MIB);
  const dtb = o.deviceTree(initrd);
  if (!phys.isRam(dtbAddress, dtb.length)) throw new KernelImageError(`${o.fileName}: no room for the device tree at 0x${dtbAddress.toString(16)}; give more memory with -m`);
  phys.writeBytes(dtbAddress, dtb);
  return { entry, x0: dtbAddress, dtbAddress, initrd };
}

/** QEMU puts the initrd at RAM + min(RAM / 2, 128 MiB), or above the image if that is higher. */
function initrdBase(phys: PhysicalMemory, imageEnd: number): number {
  return alignUp(Math.max(RAM_BASE + Math.min(phys.ramSize / 2, 128 * MIB), imageEnd), 4096);
}

function placeInitrd(phys: PhysicalMemory, initrd: Uint8Array | undefined, imageEnd: number): { start: number; end: number } | undefined {
  if (initrd === undefined) return undefined;
  const start = initrdBase(phys, imageEnd);
  if (!phys.isRam(start, initrd.length)) throw new KernelImageError(`initrd (${initrd.length} bytes) does not fit in RAM at 0x${start.toString(16)}`);
  phys.writeBytes(start, initrd);
  return { start, end: start + initrd.length };
}

function alignUp(v: number, a: number): number {
  return Math.ceil(v / a) * a;
}
