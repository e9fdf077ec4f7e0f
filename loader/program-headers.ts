import elfy from 'elfy';
import type { ElfyHeader, ElfyProgram } from 'elfy';
import { ELF64_PHDR_SIZE, PF_R, PF_W, PF_X, PT_INTERP } from './elf-constants';
import { hex } from './elf-error';
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

/** PT_INTERP's length limits, as Linux's exec checks them (2 bytes to PATH_MAX, NUL included). */
const INTERP_MIN = 2;
const INTERP_MAX = 4096;

/**
 * The interpreter a dynamically linked program asks for (PT_INTERP's
 * NUL-terminated path), or null for a static program.
 */
export function readInterpreter(bytes: Uint8Array, headers: readonly ProgramHeader[], fail: Fail): string | null {
  const interps = headers.filter((h) => h.type === PT_INTERP);
  if (interps.length === 0) return null;
  if (interps.length > 1) throw fail(`${interps.length} PT_INTERP headers: a program names one interpreter`);
  const h = interps[0];
  if (h.filesz < INTERP_MIN || h.filesz > INTERP_MAX) throw fail(`PT_INTERP segment ${h.index} is ${h.filesz} bytes long: expected 2 to ${INTERP_MAX}`);
  if (h.offset + h.filesz > bytes.length) throw fail(`PT_INTERP segment ${h.index} (offset ${hex(h.offset)}, ${h.filesz} bytes) runs past the end of the file`);
  const raw = bytes.subarray(h.offset, h.offset + h.filesz);
  if (raw[raw.length - 1] !== 0) throw fail(`PT_INTERP segment ${h.index} does not end with a NUL byte`);
  const nul = raw.indexOf(0);
  const path = new TextDecoder().decode(raw.subarray(0, nul));
  if (path === '') throw fail(`PT_INTERP segment ${h.index} names an empty path`);
  return path;
}
