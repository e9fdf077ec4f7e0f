import { ELF64_PHDR_SIZE, PT_GNU_STACK, PT_LOAD, PT_PHDR, PT_TLS, USER_ADDRESS_LIMIT } from './elf-constants';
import { ElfError, hex } from './elf-error';
import { ElfFields, Fail } from './elf-fields';
import { checkIdentification, ElfHeader, readHeader } from './elf-header';
import { ProgramHeader, readInterpreter, readProgramHeaders } from './program-headers';
import type { LoadSegment, Machine, ProgramImage, TlsTemplate } from './program-image';
import { checkEntry, checkLoadAlignment, checkNoOverlap, checkNoPhysicalOverlap, checkSegmentShape, loadBaseAlignment } from './segment-checks';

/** Linux's ELF_ET_DYN_BASE for a 48-bit arm64 task: two thirds of the user space. */
export const ELF_ET_DYN_BASE = 0xaaaa_aaaa_aaaa;
/** x86_64's: two thirds of its 47-bit user space. */
export const X86_64_ELF_ET_DYN_BASE = 0x5555_5555_4aaa;

export function elfEtDynBase(machine: Machine): number {
  return machine === 'x86_64' ? X86_64_ELF_ET_DYN_BASE : ELF_ET_DYN_BASE;
}

/**
 * Where an ET_DYN goes when the caller does not say: ELF_ET_DYN_BASE aligned
 * down to 64 KiB, where Linux puts a PIE whose segments ask for 64 KiB.
 */
export const DEFAULT_PIE_LOAD_BASE = 0xaaaa_aaaa_0000;
/** x86_64's ELF_ET_DYN_BASE (two thirds of its 47-bit user space), page aligned as Linux places it. */
export const X86_64_PIE_LOAD_BASE = 0x5555_5555_4000;

export interface ParseElfOptions {
  /** Names the file in error messages. */
  fileName?: string;
  /** Reject any other machine; by default aarch64 and x86_64 are both accepted. */
  expectedMachine?: Machine;
  /** Where an ET_DYN is placed; ignored for ET_EXEC. */
  loadBase?: number;
  /**
   * What loadBase must be a multiple of: by default the largest PT_LOAD
   * alignment (at least a page); the kernel passes the page size for an image
   * it places top-down as Linux places an interpreter.
   */
  baseAlignment?: number;
  /**
   * Accept virtual addresses in the upper half (a kernel linked at
   * 0xFFFF_xxxx..., loaded at its physical addresses): they come back as
   * negative numbers, and segments must not overlap in physical memory either.
   */
  upperHalf?: boolean;
}

/**
 * Parses and validates an ELF64 executable (static, or dynamically linked:
 * PT_INTERP is returned for the kernel to load) into a ProgramImage. Every
 * problem with the file is thrown as an ElfError with a one-line message.
 */
export function parseElfImage(bytes: Uint8Array, options: ParseElfOptions = {}): ProgramImage {
  const fileName = options.fileName ?? '<elf>';
  const fail: Fail = (problem) => new ElfError(fileName, problem);
  checkIdentification(bytes, fail);
  const fields = new ElfFields(bytes, fail);
  const upperHalf = options.upperHalf ?? false;
  const header = readHeader(fields, bytes.length, options.expectedMachine, fail, upperHalf);
  const headers = readProgramHeaders(bytes, header, fields, fail, upperHalf);
  const interpreter = readInterpreter(bytes, headers, fail);
  const loads = checkLoads(headers, header, bytes.length, fail);
  if (upperHalf) checkNoPhysicalOverlap(loads, fail);
  const tls = headers.find((h) => h.type === PT_TLS);
  if (tls !== undefined) checkSegmentShape(tls, 'PT_TLS', bytes.length, fail);
  const alignment = options.baseAlignment ?? loadBaseAlignment(loads);
  const defaultBase = header.machine === 'x86_64' ? X86_64_PIE_LOAD_BASE : DEFAULT_PIE_LOAD_BASE;
  const base = header.type === 'pie' ? checkLoadBase(options.loadBase ?? defaultBase, alignment, loads, fail) : 0;
  return { ...buildImage(bytes, fileName, header, headers, loads, base), interpreter };
}

function checkLoads(headers: readonly ProgramHeader[], header: ElfHeader, fileSize: number, fail: Fail): ProgramHeader[] {
  const loads = headers.filter((h) => h.type === PT_LOAD);
  if (loads.length === 0) throw fail('no PT_LOAD segment: nothing to load');
  for (const h of loads) {
    checkSegmentShape(h, 'PT_LOAD', fileSize, fail);
    checkLoadAlignment(h, fail);
  }
  checkNoOverlap(loads, fail);
  checkEntry(header.entry, loads, fail);
  return loads;
}

function checkLoadBase(base: number, alignment: number, loads: readonly ProgramHeader[], fail: Fail): number {
  if (!Number.isSafeInteger(base) || base < 0 || base % alignment !== 0) {
    throw fail(`load base ${String(base)} is not a non-negative multiple of the segment alignment ${hex(alignment)}`);
  }
  const end = Math.max(...loads.map((h) => h.vaddr + h.memsz));
  if (base + end > USER_ADDRESS_LIMIT) {
    throw fail(`load base ${hex(base)} puts the image end ${hex(base + end)} beyond the 48-bit user address space`);
  }
  return base;
}

function buildImage(
  bytes: Uint8Array,
  fileName: string,
  header: ElfHeader,
  headers: readonly ProgramHeader[],
  loads: readonly ProgramHeader[],
  base: number,
): Omit<ProgramImage, 'interpreter'> {
  const stack = headers.find((h) => h.type === PT_GNU_STACK);
  const tls = headers.find((h) => h.type === PT_TLS);
  const phdr = phdrAddress(header, headers, loads);
  return {
    fileName,
    machine: header.machine,
    type: header.type,
    loadBase: base,
    entry: header.entry + base,
    segments: loads.map((h) => toLoadSegment(bytes, h, base)),
    phdrAddress: phdr === null ? null : phdr + base,
    phent: header.phentsize,
    phnum: header.phnum,
    gnuStack: stack === undefined ? null : stack.flags,
    tls: tls === undefined ? null : toTlsTemplate(bytes, tls, base),
  };
}

function fileView(bytes: Uint8Array, h: ProgramHeader): Uint8Array {
  return bytes.subarray(h.offset, h.offset + h.filesz);
}

function toLoadSegment(bytes: Uint8Array, h: ProgramHeader, base: number): LoadSegment {
  return {
    vaddr: h.vaddr + base,
    paddr: h.paddr,
    memsz: h.memsz,
    filesz: h.filesz,
    fileOffset: h.offset,
    flags: h.flags,
    align: h.align,
    data: fileView(bytes, h),
  };
}

function toTlsTemplate(bytes: Uint8Array, h: ProgramHeader, base: number): TlsTemplate {
  return { vaddr: h.vaddr + base, memsz: h.memsz, filesz: h.filesz, align: h.align, data: fileView(bytes, h) };
}

/** PT_PHDR if present, else the address at which a PT_LOAD maps the table (as Linux computes AT_PHDR). */
function phdrAddress(header: ElfHeader, headers: readonly ProgramHeader[], loads: readonly ProgramHeader[]): number | null {
  const phdr = headers.find((h) => h.type === PT_PHDR);
  if (phdr !== undefined) return phdr.vaddr;
  const tableEnd = header.phoff + header.phnum * ELF64_PHDR_SIZE;
  const covering = loads.find((h) => h.offset <= header.phoff && tableEnd <= h.offset + h.filesz);
  return covering === undefined ? null : covering.vaddr + (header.phoff - covering.offset);
}

/** The page-aligned span the image's PT_LOAD segments cover, addresses as the image has them. */
export function imageExtent(image: ProgramImage): { readonly low: number; readonly high: number } {
  const low = Math.min(...image.segments.map((s) => s.vaddr));
  const high = Math.max(...image.segments.map((s) => s.vaddr + s.memsz));
  return { low: low - (low % PAGE_SIZE), high: Math.ceil(high / PAGE_SIZE) * PAGE_SIZE };
}

/** The largest PT_LOAD alignment of the image, at least a page: what Linux aligns a PIE's base to. */
export function imageAlignment(image: ProgramImage): number {
  return image.segments.reduce((max, s) => (s.align > max && (s.align & (s.align - 1)) === 0 ? s.align : max), PAGE_SIZE);
}

const PAGE_SIZE = 4096;

/**
 * The same ET_DYN image placed at another load base (the kernel decides where
 * a PIE or an interpreter goes only once it knows the address space).
 */
export function withLoadBase(image: ProgramImage, base: number): ProgramImage {
  if (image.type !== 'pie') return image;
  const fail: Fail = (problem) => new ElfError(image.fileName, problem);
  if (!Number.isSafeInteger(base) || base < 0 || base % PAGE_SIZE !== 0) throw fail(`load base ${String(base)} is not a page-aligned address`);
  const delta = base - image.loadBase;
  const end = imageExtent(image).high + delta;
  if (end > USER_ADDRESS_LIMIT) throw fail(`load base ${hex(base)} puts the image end ${hex(end)} beyond the 48-bit user address space`);
  return {
    ...image,
    loadBase: base,
    entry: image.entry + delta,
    segments: image.segments.map((s) => ({ ...s, vaddr: s.vaddr + delta })),
    phdrAddress: image.phdrAddress === null ? null : image.phdrAddress + delta,
    tls: image.tls === null ? null : { ...image.tls, vaddr: image.tls.vaddr + delta },
  };
}
