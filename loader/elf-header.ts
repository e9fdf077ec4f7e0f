import {
  EI_CLASS,
  EI_DATA,
  EI_VERSION,
  ELF64_EHDR_SIZE,
  ELF64_PHDR_SIZE,
  ELF_MAGIC,
  ELFCLASS32,
  ELFCLASS64,
  ELFDATA2LSB,
  ELFDATA2MSB,
  EM_AARCH64,
  EM_X86_64,
  ET_DYN,
  ET_EXEC,
  EV_CURRENT,
  machineName,
  typeName,
} from './elf-constants';
import { hex } from './elf-error';
import { ElfFields, Fail } from './elf-fields';
import type { ImageType, Machine } from './program-image';

/** The ELF64 header fields the loader needs, read exactly and checked. */
export interface ElfHeader {
  readonly machine: Machine;
  readonly type: ImageType;
  readonly entry: number;
  readonly phoff: number;
  readonly phentsize: number;
  readonly phnum: number;
}

/** Linux refuses program-header tables above 64 KiB; so do we. */
const MAX_PHDR_TABLE_BYTES = 0x10000;

/** Checks e_ident: magic, length, class, data encoding and version. */
export function checkIdentification(bytes: Uint8Array, fail: Fail): void {
  const magicOk = bytes.length >= 4 && ELF_MAGIC.every((b, i) => bytes[i] === b);
  if (!magicOk) {
    const seen = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw fail(`not an ELF file (magic is ${seen || 'missing'}, expected 7f 45 4c 46)`);
  }
  if (bytes.length < ELF64_EHDR_SIZE) {
    throw fail(`truncated ELF file: ${bytes.length} bytes, shorter than the ${ELF64_EHDR_SIZE}-byte ELF64 header`);
  }
  const elfClass = bytes[EI_CLASS];
  if (elfClass === ELFCLASS32) throw fail('32-bit ELF (ELFCLASS32) is not supported: expected a 64-bit ELF');
  if (elfClass !== ELFCLASS64) throw fail(`invalid ELF class ${elfClass} (expected 2, ELFCLASS64)`);
  const data = bytes[EI_DATA];
  if (data === ELFDATA2MSB) throw fail('big-endian ELF (ELFDATA2MSB) is not supported: expected little-endian');
  if (data !== ELFDATA2LSB) throw fail(`invalid ELF data encoding ${data} (expected 1, little-endian)`);
  const version = bytes[EI_VERSION];
  if (version !== EV_CURRENT) throw fail(`unsupported ELF identification version ${version} (expected 1)`);
}

/** Reads and checks the rest of the header; the identification must already be checked. */
export function readHeader(fields: ElfFields, fileSize: number, expected: Machine | undefined, fail: Fail, upperHalf = false): ElfHeader {
  const version = fields.u32(20);
  if (version !== EV_CURRENT) throw fail(`unsupported ELF version ${version} in e_version (expected 1)`);
  const machine = checkMachine(fields.u16(18), expected, fail);
  const type = checkType(fields.u16(16), fail);
  const entry = upperHalf ? fields.address(24, 'entry point (e_entry)') : fields.u64(24, 'entry point (e_entry)');
  const phoff = fields.u64(32, 'program header offset (e_phoff)');
  fields.u64(40, 'section header offset (e_shoff)');
  const phentsize = fields.u16(54);
  const phnum = fields.u16(56);
  checkProgramHeaderTable(phoff, phentsize, phnum, fileSize, fail);
  return { machine, type, entry, phoff, phentsize, phnum };
}

function checkMachine(eMachine: number, expected: Machine | undefined, fail: Fail): Machine {
  const found = eMachine === EM_AARCH64 ? 'aarch64' : eMachine === EM_X86_64 ? 'x86_64' : null;
  if (found !== null && (expected === undefined || expected === found)) return found;
  const wanted = expected ?? 'aarch64 or x86_64';
  throw fail(`wrong machine: found ${machineName(eMachine)} (e_machine ${eMachine}), expected ${wanted}`);
}

function checkType(eType: number, fail: Fail): ImageType {
  if (eType === ET_EXEC) return 'exec';
  if (eType === ET_DYN) return 'pie';
  throw fail(`ELF type ${typeName(eType)} (e_type ${eType}) cannot be run: expected ET_EXEC or ET_DYN`);
}

function checkProgramHeaderTable(phoff: number, phentsize: number, phnum: number, fileSize: number, fail: Fail): void {
  if (phnum === 0) throw fail('no program headers, so no PT_LOAD segment: nothing to load');
  if (phentsize !== ELF64_PHDR_SIZE) {
    throw fail(`program header entry size (e_phentsize) is ${phentsize} bytes, expected ${ELF64_PHDR_SIZE}`);
  }
  const tableBytes = phnum * phentsize;
  if (tableBytes > MAX_PHDR_TABLE_BYTES) {
    throw fail(`program header table is too large: ${phnum} entries (${tableBytes} bytes, limit ${MAX_PHDR_TABLE_BYTES})`);
  }
  if (phoff + tableBytes > fileSize) {
    throw fail(
      `program header table (offset ${hex(phoff)}, ${phnum} entries of ${phentsize} bytes) ` +
        `runs past the end of the file (size ${hex(fileSize)})`,
    );
  }
}
