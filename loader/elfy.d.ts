// Types for the parts of the untyped `elfy` package the loader uses.
declare module 'elfy' {
  interface ElfyHeader {
    class: string;
    endian: string;
    type: string | undefined;
    machine: string | undefined;
    version: number;
    entry: number;
    phoff: number;
    shoff: number;
    flags: number;
    ehsize: number;
    phentsize: number;
    phnum: number;
    shentsize: number;
    shnum: number;
    shstrndx: number;
  }

  interface ElfyProgram {
    type: string | undefined;
    offset: number;
    vaddr: number;
    paddr: number;
    filesz: number;
    memsz: number;
    flags: { r?: boolean; w?: boolean; x?: boolean };
    align: number;
    data: Buffer;
  }

  class Parser {
    parseHeader(buf: Buffer): ElfyHeader;
    parsePrograms(buf: Buffer, header: ElfyHeader): ElfyProgram[];
  }

  const elfy: {
    Parser: typeof Parser;
    parse(buf: Buffer): ElfyHeader & { body: { programs: ElfyProgram[] } };
  };
  export default elfy;
  export type { ElfyHeader, ElfyProgram };
}
