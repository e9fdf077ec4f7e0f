/** Numbers from the ELF64 specification and the Linux psABIs that the loader checks. */

export const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const;

export const EI_CLASS = 4;
export const EI_DATA = 5;
export const EI_VERSION = 6;
export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;
export const EV_CURRENT = 1;

export const ELF64_EHDR_SIZE = 64;
export const ELF64_PHDR_SIZE = 56;

export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const ET_CORE = 4;

export const EM_X86_64 = 62;
export const EM_AARCH64 = 183;

export const PT_NULL = 0;
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PT_PHDR = 6;
export const PT_TLS = 7;
export const PT_GNU_STACK = 0x6474e551;

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

/** Lowest address above the 48-bit user half shared by aarch64 (TTBR0, T0SZ=16) and x86_64 (4-level paging). */
export const USER_ADDRESS_LIMIT = 2 ** 48;

const MACHINE_NAMES: Record<number, string> = {
  0: 'none',
  2: 'sparc',
  3: 'i386',
  8: 'mips',
  20: 'powerpc',
  21: 'powerpc64',
  22: 's390',
  40: 'arm',
  43: 'sparc64',
  50: 'ia64',
  62: 'x86_64',
  183: 'aarch64',
  243: 'riscv',
  258: 'loongarch',
};

export function machineName(eMachine: number): string {
  return MACHINE_NAMES[eMachine] ?? 'unknown machine';
}

const TYPE_NAMES: Record<number, string> = {
  0: 'ET_NONE',
  [ET_REL]: 'ET_REL (relocatable object)',
  [ET_EXEC]: 'ET_EXEC',
  [ET_DYN]: 'ET_DYN',
  [ET_CORE]: 'ET_CORE (core dump)',
};

export function typeName(eType: number): string {
  return TYPE_NAMES[eType] ?? 'unknown type';
}
