// Where the kernel places a program and its interpreter (Linux 6.1 with
// randomisation off), and the memory check that refuses absurd images.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageExtent, parseElfImage, withLoadBase } from '../../loader/elf-image';
import { ExecError } from '../../kernel/process/exec-error';
import { checkImageFits, placeImage } from '../../kernel/process/process-image';

const DYNAMIC = 'tests/fixtures/linux-dynamic';
const parse = (file: string) => parseElfImage(readFileSync(file), { fileName: file, expectedMachine: 'aarch64', loadBase: 0, baseAlignment: 4096 });
const topDown = (top: number) => (len: number) => top - len;

describe('placing images', () => {
  it('a PIE with an interpreter goes to ELF_ET_DYN_BASE aligned down to its p_align (4 KiB here)', () => {
    const pie = parse(join(DYNAMIC, 'maps.glibc.elf'));
    expect(pie.interpreter).toBe('/lib/ld-linux-aarch64.so.1');
    const placed = placeImage(pie, true, () => -1);
    expect(placed.loadBase).toBe(0xaaaa_aaaa_a000);
    expect(placed.entry - placed.loadBase).toBe(pie.entry);
    expect(placed.phdrAddress! - placed.loadBase).toBe(pie.phdrAddress);
  });

  it('a PIE with 64 KiB segments goes to 0xaaaa_aaaa_0000, as Debian binaries do under Linux', () => {
    const pie = parseElfImage(readFileSync('tests/fixtures/loader/hello-nostdlib-pie-aarch64.elf'), { loadBase: 0, baseAlignment: 4096 });
    expect(pie.segments[0].align).toBe(0x10000);
    expect(placeImage(pie, true, () => -1).loadBase).toBe(0xaaaa_aaaa_0000);
  });

  it('an interpreter, or an ET_DYN run directly, goes top-down where mmap(NULL) would put it, page-aligned', () => {
    const lib = parse(join(DYNAMIC, 'glibc/libsaltyplug.so'));
    const span = imageExtent(lib).high - imageExtent(lib).low;
    const placed = placeImage(lib, false, topDown(0xffff_ef80_0000));
    expect(placed.loadBase).toBe(0xffff_ef80_0000 - span);
    expect(imageExtent(placed).high).toBe(0xffff_ef80_0000);
  });

  it('withLoadBase moves every address and refuses to leave the 48-bit space', () => {
    const lib = parse(join(DYNAMIC, 'glibc/libsaltyplug.so'));
    const moved = withLoadBase(lib, 0x7000_0000);
    expect(moved.segments.map((s) => s.vaddr - 0x7000_0000)).toEqual(lib.segments.map((s) => s.vaddr));
    expect(() => withLoadBase(lib, 2 ** 48 - 0x1000)).toThrow(/beyond the 48-bit user address space/);
    expect(() => withLoadBase(lib, 0x1234)).toThrow(/not a page-aligned address/);
  });
});

describe('the memory check', () => {
  it('accepts what fits in guest RAM and refuses more, with the sizes in the message', () => {
    const lib = parse(join(DYNAMIC, 'glibc/libsaltyplug.so'));
    expect(() => checkImageFits(lib, 256 << 20)).not.toThrow();
    expect(() => checkImageFits(lib, 4096)).toThrow(ExecError);
    expect(() => checkImageFits(lib, 4096)).toThrow(/need 12 KiB of memory, more than the guest RAM of 4 KiB/);
  });
});
