import elfy from 'elfy';
import type { ElfyHeader, ElfyProgram } from 'elfy';
import { ELF64_PHDR_SIZE, PF_R, PF_W, PF_X, PT_INTERP } from './elf-constants';
import { ElfFields, Fail } from './elf-fields';
import type { ElfHeader } from './elf-header';
import type { SegmentFlags } from './program-image';

/** One program header as the loader sees it (addresses not yet relocated). */
export interface ProgramHeader {
  readonly index: number;
  readonly type: number;
  readonly flags: SegmentFlags;
  readonly offset: number;
  readonly vaddr: number;
  /** p_paddr: where a bare-metal loader puts the segment in physical memory. */
  readonly paddr: number;
  readonly filesz: number;
  readonly memsz: number;
  readonly align: number;
}

const P_VADDR = 16;
const P_PADDR = 24;
const U64_FIELDS: ReadonlyArray<readonly [string, number]> = [
  ['p_offset', 8],
  ['p_paddr', P_PADDR],
  ['p_filesz', 32],
  ['p_memsz', 40],
  ['p_align', 48],
];

/**
 * Parses the program headers with elfy. elfy rounds 64-bit fields above 2^53
 * and names only the p_type values it knows, so each entry is cross-checked
 * against the raw fields.
 */
export function readProgramHeaders(bytes: Uint8Array, header: ElfHeader, fields: ElfFields, fail: Fail, upperHalf = false): ProgramHeader[] {
  const programs = parseWithElfy(bytes, fail);
  if (programs.length !== header.phnum) {
    throw fail(`malformed ELF: elfy found ${programs.length} program headers where e_phnum says ${header.phnum}`);
  }
  return programs.map((program, index) => {
    const at = header.phoff + index * ELF64_PHDR_SIZE;
    for (const [name, offset] of U64_FIELDS) fields.u64(at + offset, `${name} of program header ${index}`);
    const vaddrName = `p_vaddr of program header ${index}`;
    // Addresses come from the raw fields: elfy rounds values above 2^53 (any upper-half address).
    const vaddr = upperHalf ? fields.address(at + P_VADDR, vaddrName) : fields.u64(at + P_VADDR, vaddrName);
    const paddr = fields.u64(at + P_PADDR, `p_paddr of program header ${index}`);
    return toProgramHeader(program, index, fields.u32(at), fields.u32(at + 4), vaddr, paddr);
  });
}

function parseWithElfy(bytes: Uint8Array, fail: Fail): ElfyProgram[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    const parser = new elfy.Parser();
    // Only the header and program headers: elfy's full parse insists on a section-name table.
    const elfyHeader: ElfyHeader = parser.parseHeader(buffer);
    return parser.parsePrograms(buffer, elfyHeader);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw fail(`malformed ELF: ${reason}`);
  }
}

function toProgramHeader(program: ElfyProgram, index: number, type: number, flags: number, vaddr: number, paddr: number): ProgramHeader {
  return {
    index,
    type,
    flags: { read: (flags & PF_R) !== 0, write: (flags & PF_W) !== 0, execute: (flags & PF_X) !== 0 },
    offset: program.offset,
    vaddr,
    paddr,
    filesz: program.filesz,
    memsz: program.memsz,
    align: program.align,
  };
}

/** Rejects a dynamically linked program, quoting the interpreter it asks for. */
export function rejectInterpreter(bytes: Uint8Array, headers: readonly ProgramHeader[], fail: Fail): void {
  const interp = headers.find((h) => h.type === PT_INTERP);
  if (interp === undefined) return;
  const end = Math.min(bytes.length, interp.offset + interp.filesz);
  const raw = interp.offset < end ? bytes.subarray(interp.offset, end) : new Uint8Array(0);
  const nul = raw.indexOf(0);
  const path = new TextDecoder().decode(nul >= 0 ? raw.subarray(0, nul) : raw);
  throw fail(`dynamically linked (PT_INTERP asks for ${path || 'an interpreter'}): only static binaries are supported`);
}
