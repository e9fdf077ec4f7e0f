import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ElfError } from '../../loader/elf-error';
import { parseElfImage, ParseElfOptions } from '../../loader/elf-image';
import { EHDR, findPhdr, fixture, Mutant, PHDR, phdrAt } from './loader-fixtures';

const NAME = 'prog.elf';
const PT_LOAD = 1;
const PT_INTERP = 3;
const PT_NOTE = 4;
const PT_TLS = 7;
const PT_GNU_STACK = 0x6474e551;

const valid = fixture('hello-nostdlib-aarch64.elf');
const validPie = fixture('hello-nostdlib-pie-aarch64.elf');
const validX86 = fixture('hello-nostdlib-x86_64.elf');

function mutant(from: Uint8Array = valid): Mutant {
  return new Mutant(from);
}

/** Parses and returns the ElfError's message, failing the test if anything else happens. */
function errorOf(bytes: Uint8Array, options: ParseElfOptions = {}): string {
  try {
    parseElfImage(bytes, { fileName: NAME, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(ElfError);
    const message = (error as ElfError).message;
    expect(message.startsWith(`${NAME}: `)).toBe(true);
    expect(message).not.toMatch(/\n/);
    return message;
  }
  throw new Error('parseElfImage accepted a malformed file');
}

/** Field offset of program header `index`. */
function ph(m: Mutant, index: number, field: number): number {
  return phdrAt(m, index) + field;
}

describe('identification and header errors', () => {
  test('empty and tiny files are not ELF files', () => {
    expect(errorOf(new Uint8Array(0))).toMatch(/not an ELF file \(magic is missing/);
    expect(errorOf(valid.slice(0, 2))).toMatch(/not an ELF file \(magic is 7f 45,/);
  });

  test('bad magic names the bytes found', () => {
    expect(errorOf(mutant().u8(3, 0x47).bytes)).toMatch(/not an ELF file \(magic is 7f 45 4c 47, expected 7f 45 4c 46\)/);
  });

  test('a file shorter than the ELF header is truncated', () => {
    expect(errorOf(valid.slice(0, 40))).toMatch(/truncated ELF file: 40 bytes, shorter than the 64-byte ELF64 header/);
  });

  test('ELF32 and unknown classes', () => {
    expect(errorOf(mutant().u8(4, 1).bytes)).toMatch(/32-bit ELF \(ELFCLASS32\) is not supported/);
    expect(errorOf(mutant().u8(4, 9).bytes)).toMatch(/invalid ELF class 9/);
  });

  test('big-endian and unknown encodings', () => {
    expect(errorOf(mutant().u8(5, 2).bytes)).toMatch(/big-endian ELF \(ELFDATA2MSB\) is not supported/);
    expect(errorOf(mutant().u8(5, 0).bytes)).toMatch(/invalid ELF data encoding 0/);
  });

  test('wrong versions in e_ident and e_version', () => {
    expect(errorOf(mutant().u8(6, 0).bytes)).toMatch(/unsupported ELF identification version 0/);
    expect(errorOf(mutant().u32(EHDR.version, 2).bytes)).toMatch(/unsupported ELF version 2 in e_version/);
  });

  test('wrong machine names what was found and what was expected', () => {
    const x86 = mutant().u16(EHDR.machine, 62).bytes;
    expect(errorOf(x86, { expectedMachine: 'aarch64' })).toMatch(/wrong machine: found x86_64 \(e_machine 62\), expected aarch64$/);
    expect(errorOf(validX86, { expectedMachine: 'aarch64' })).toMatch(/found x86_64 \(e_machine 62\), expected aarch64$/);
    expect(errorOf(valid, { expectedMachine: 'x86_64' })).toMatch(/found aarch64 \(e_machine 183\), expected x86_64$/);
    expect(errorOf(mutant().u16(EHDR.machine, 40).bytes)).toMatch(/found arm \(e_machine 40\), expected aarch64 or x86_64$/);
    expect(errorOf(mutant().u16(EHDR.machine, 3).bytes)).toMatch(/found i386 \(e_machine 3\)/);
    expect(errorOf(mutant().u16(EHDR.machine, 243).bytes)).toMatch(/found riscv \(e_machine 243\)/);
    expect(errorOf(mutant().u16(EHDR.machine, 4321).bytes)).toMatch(/found unknown machine \(e_machine 4321\)/);
  });

  test('types other than ET_EXEC and ET_DYN', () => {
    expect(errorOf(mutant().u16(EHDR.type, 1).bytes)).toMatch(/ELF type ET_REL \(relocatable object\) \(e_type 1\) cannot be run/);
    expect(errorOf(mutant().u16(EHDR.type, 4).bytes)).toMatch(/ET_CORE \(core dump\) \(e_type 4\)/);
    expect(errorOf(mutant().u16(EHDR.type, 0).bytes)).toMatch(/ET_NONE \(e_type 0\)/);
  });

  test('program header table past the end of the file', () => {
    const m = mutant().u64(EHDR.phoff, BigInt(valid.length - 100));
    expect(errorOf(m.bytes)).toMatch(/program header table \(offset 0x[0-9a-f]+, 5 entries of 56 bytes\) runs past the end of the file/);
    expect(errorOf(mutant().u64(EHDR.phoff, 0xffff_ffffn).bytes)).toMatch(/program header table \(offset 0xffffffff,/);
  });

  test('64-bit header fields above 2^53 are absurd, not rounded', () => {
    expect(errorOf(mutant().u64(EHDR.phoff, 2n ** 60n + 64n).bytes)).toMatch(/e_phoff\) is 0x1000000000000040, an absurd value/);
    expect(errorOf(mutant().u64(EHDR.entry, 2n ** 64n - 1n).bytes)).toMatch(/entry point \(e_entry\) is 0xffffffffffffffff/);
  });

  test('wrong e_phentsize, no program headers, too many', () => {
    expect(errorOf(mutant().u16(EHDR.phentsize, 32).bytes)).toMatch(/e_phentsize\) is 32 bytes, expected 56/);
    expect(errorOf(mutant().u16(EHDR.phnum, 0).bytes)).toMatch(/no program headers/);
    expect(errorOf(mutant().u16(EHDR.phnum, 0xffff).bytes)).toMatch(/program header table is too large: 65535 entries/);
  });
});

describe('segment errors', () => {
  test('no PT_LOAD at all', () => {
    const m = mutant();
    m.u32(ph(m, findPhdr(m, PT_LOAD, 1), PHDR.type), PT_NOTE);
    m.u32(ph(m, findPhdr(m, PT_LOAD, 0), PHDR.type), PT_NOTE);
    expect(errorOf(m.bytes)).toMatch(/no PT_LOAD segment: nothing to load/);
  });

  test('a segment whose file range exceeds the file', () => {
    const m = mutant();
    const i = findPhdr(m, PT_LOAD, 1);
    m.u64(ph(m, i, PHDR.filesz), 0x10000n).u64(ph(m, i, PHDR.memsz), 0x10000n);
    expect(errorOf(m.bytes)).toMatch(new RegExp(`PT_LOAD segment ${i} file range 0xffe4-0x1ffe4 exceeds the file size`));
  });

  test('filesz larger than memsz', () => {
    const m = mutant();
    const i = findPhdr(m, PT_LOAD, 0);
    m.u64(ph(m, i, PHDR.memsz), m.readU64(ph(m, i, PHDR.filesz)) - 8n);
    expect(errorOf(m.bytes)).toMatch(new RegExp(`PT_LOAD segment ${i} has filesz 0x[0-9a-f]+ larger than memsz`));
  });

  test('huge memsz, and a segment running off the 48-bit user space', () => {
    const m = mutant();
    const i = findPhdr(m, PT_LOAD, 1);
    expect(errorOf(m.u64(ph(m, i, PHDR.memsz), 2n ** 50n).bytes)).toMatch(/memsz 0x4000000000000 is beyond the 48-bit user address space/);
    const n = mutant();
    n.u64(ph(n, i, PHDR.vaddr), 2n ** 48n - 0x1cn);
    expect(errorOf(n.bytes)).toMatch(/at 0xffffffffffe4 with memsz 0x200c ends beyond the 48-bit user address space/);
    const o = mutant();
    expect(errorOf(o.u64(ph(o, i, PHDR.memsz), 2n ** 63n).bytes)).toMatch(/p_memsz of program header 1 is 0x8000000000000000, an absurd value/);
  });

  test('overlapping PT_LOAD segments', () => {
    const m = mutant();
    const text = findPhdr(m, PT_LOAD, 0);
    m.u64(ph(m, text, PHDR.memsz), 0x30000n);
    expect(errorOf(m.bytes)).toMatch(/PT_LOAD segments 0 \(0x400000-0x430000\) and 1 \(0x41ffe4-0x421ff0\) overlap/);
  });

  test('misaligned segments and alignments that are not powers of two', () => {
    const m = mutant();
    const data = findPhdr(m, PT_LOAD, 1);
    m.u64(ph(m, data, PHDR.vaddr), 0x41ffe0n);
    expect(errorOf(m.bytes)).toMatch(/PT_LOAD segment 1 is misaligned: vaddr 0x41ffe0 and file offset 0xffe4 differ modulo the alignment 0x10000/);
    const n = mutant();
    n.u64(ph(n, data, PHDR.align), 0x3000n);
    expect(errorOf(n.bytes)).toMatch(/PT_LOAD segment 1 alignment 0x3000 is not a power of two/);
  });

  test('entry outside any executable segment', () => {
    expect(errorOf(mutant().u64(EHDR.entry, 0x41ffe8n).bytes)).toMatch(/entry point 0x41ffe8 is not inside an executable PT_LOAD segment/);
    expect(errorOf(mutant().u64(EHDR.entry, 0x10n).bytes)).toMatch(/entry point 0x10 is not inside/);
  });

  const withInterp = (text: string, filesz = text.length): Uint8Array => {
    const m = mutant();
    const where = 0x1000; // zero padding between the text and data segments of this fixture
    expect(valid.subarray(where, where + 64).every((b) => b === 0)).toBe(true);
    m.bytes.set(new TextEncoder().encode(text), where);
    const i = findPhdr(m, PT_GNU_STACK);
    m.u32(ph(m, i, PHDR.type), PT_INTERP).u64(ph(m, i, PHDR.offset), BigInt(where)).u64(ph(m, i, PHDR.filesz), BigInt(filesz));
    return m.bytes;
  };

  test('PT_INTERP: the interpreter path is read for the kernel to load', () => {
    expect(parseElfImage(withInterp('/lib/ld-linux-aarch64.so.1\0')).interpreter).toBe('/lib/ld-linux-aarch64.so.1');
    expect(parseElfImage(valid).interpreter).toBeNull();
  });

  test('PT_INTERP: a path without its NUL, an empty one, or one past PATH_MAX is refused', () => {
    expect(errorOf(withInterp('/lib/ld.so'))).toMatch(/PT_INTERP segment \d+ does not end with a NUL byte/);
    expect(errorOf(withInterp('\0\0'))).toMatch(/PT_INTERP segment \d+ names an empty path/);
    expect(errorOf(withInterp('\0', 1))).toMatch(/PT_INTERP segment \d+ is 1 bytes long: expected 2 to 4096/);
    expect(errorOf(withInterp('/x\0', 5000))).toMatch(/is 5000 bytes long/);
  });

  test('a PT_TLS with filesz larger than memsz', () => {
    const m = mutant();
    const i = findPhdr(m, PT_TLS);
    m.u64(ph(m, i, PHDR.memsz), 2n);
    expect(errorOf(m.bytes)).toMatch(new RegExp(`PT_TLS segment ${i} has filesz 0x4 larger than memsz 0x2`));
  });
});

describe('static-pie load base', () => {
  test('a base not aligned to the segments is refused', () => {
    expect(errorOf(validPie, { loadBase: 0x1234_5000 })).toMatch(/load base 305418240 is not a non-negative multiple of the segment alignment 0x10000/);
    expect(errorOf(validPie, { loadBase: -0x10000 })).toMatch(/load base -65536 is not/);
  });

  test('a base that pushes the image past 48 bits is refused', () => {
    expect(errorOf(validPie, { loadBase: 2 ** 48 - 0x10000 })).toMatch(/load base 0xffffffff0000 puts the image end 0x1000000[0-9a-f]+ beyond/);
  });

  test('ET_EXEC ignores the load base', () => {
    expect(parseElfImage(valid, { loadBase: 0x1234 }).loadBase).toBe(0);
  });
});

describe('robustness', () => {
  test('random corruption of the headers gives an image or an ElfError, never another exception', () => {
    const region = 64 + 5 * 56;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(region - 1), fc.nat(255)), { minLength: 1, maxLength: 8 }), (edits) => {
        const bytes = valid.slice();
        for (const [at, value] of edits) bytes[at] = value;
        try {
          parseElfImage(bytes, { fileName: NAME });
        } catch (error) {
          if (!(error instanceof ElfError)) throw error;
          expect(error.message).not.toMatch(/\n/);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('random truncation gives an image or an ElfError', () => {
    fc.assert(
      fc.property(fc.nat(valid.length), (length) => {
        try {
          parseElfImage(valid.slice(0, length));
        } catch (error) {
          if (!(error instanceof ElfError)) throw error;
        }
      }),
      { numRuns: 300 },
    );
  });

  test('file names with control characters stay on one line', () => {
    expect(() => parseElfImage(new Uint8Array(3), { fileName: 'bad\nname' })).toThrow(/^bad\\x0aname: not an ELF file/);
  });
});
