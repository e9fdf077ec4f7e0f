import { ELF64_PHDR_SIZE, PT_GNU_STACK, PT_LOAD, PT_PHDR, PT_TLS, USER_ADDRESS_LIMIT } from './elf-constants';
import { ElfError, hex } from './elf-error';
import { ElfFields, Fail } from './elf-fields';
import { checkIdentification, ElfHeader, readHeader } from './elf-header';
import { ProgramHeader, readProgramHeaders, rejectInterpreter } from './program-headers';
import type { LoadSegment, Machine, ProgramImage, TlsTemplate } from './program-image';
import { checkEntry, checkLoadAlignment, checkNoOverlap, checkNoPhysicalOverlap, checkSegmentShape, loadBaseAlignment } from './segment-checks';

/**
 * Where a static-pie goes when the caller does not say: Linux's ELF_ET_DYN_BASE
 * for a 48-bit arm64 task (two thirds of the user space), 64 KiB aligned.
 */
export const DEFAULT_PIE_LOAD_BASE = 0xaaaa_aaaa_0000;
/** x86_64's ELF_ET_DYN_BASE (two thirds of its 47-bit user space), page aligned as Linux places it. */
export const X86_64_PIE_LOAD_BASE = 0x5555_5555_4000;

export interface ParseElfOptions {
  /** Names the file in error messages. */
  fileName?: string;
  /** Reject any other machine; by default aarch64 and x86_64 are both accepted. */
  expectedMachine?: Machine;
  /** Where a static-pie (ET_DYN) is placed; ignored for ET_EXEC. */
  loadBase?: number;
  /**
   * Accept virtual addresses in the upper half (a kernel linked at
   * 0xFFFF_xxxx..., loaded at its physical addresses): they come back as
   * negative numbers, and segments must not overlap in physical memory either.
   */
  upperHalf?: boolean;
}

/**
 * Parses and validates a static ELF64 executable into a ProgramImage. Every
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
  rejectInterpreter(bytes, headers, fail);
  const loads = checkLoads(headers, header, bytes.length, fail);
  if (upperHalf) checkNoPhysicalOverlap(loads, fail);
  const tls = headers.find((h) => h.type === PT_TLS);
  if (tls !== undefined) checkSegmentShape(tls, 'PT_TLS', bytes.length, fail);
  const base = header.type === 'pie' ? checkLoadBase(options.loadBase ?? (header.machine === 'x86_64' ? X86_64_PIE_LOAD_BASE : DEFAULT_PIE_LOAD_BASE), loads, fail) : 0;
  return buildImage(bytes, fileName, header, headers, loads, base);
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

function checkLoadBase(base: number, loads: readonly ProgramHeader[], fail: Fail): number {
  const alignment = loadBaseAlignment(loads);
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
): ProgramImage {
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
