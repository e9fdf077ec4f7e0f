import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as AT from '../../loader/auxv';
import type { AuxvValues } from '../../loader/auxv';
import { parseElfImage } from '../../loader/elf-image';
import { auxvForImage, platformString } from '../../loader/image-auxv';
import { buildInitialStack, InitialStack, InitialStackInput } from '../../loader/initial-stack';
import { fixture } from './loader-fixtures';
import { parseStack, StackMemory } from './stack-reader';

const VALUES: AuxvValues = {
  phdr: 0x400040,
  phent: 56,
  phnum: 6,
  pageSize: 4096,
  base: 0,
  flags: 0,
  entry: 0x400580,
  uid: 1000,
  euid: 1001,
  gid: 100,
  egid: 101,
  hwcap: 0x3,
  hwcap2: 0,
  clockTicks: 100,
  secure: 0,
};

const RANDOM = Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 11) & 0xff);

function input(overrides: Partial<InitialStackInput> = {}): InitialStackInput {
  return {
    stackTop: 0xffff_ffff_f000,
    argv: ['/bin/prog', 'first', 'second argument'],
    envp: ['HOME=/root', 'PATH=/bin:/usr/bin', 'X='],
    execfn: '/bin/prog',
    platform: 'aarch64',
    auxv: VALUES,
    random: RANDOM,
    ...overrides,
  };
}

/** Linux's create_elf_tables order (ARCH_DLINFO first, AT_NULL last). */
function expectedOrder(values: AuxvValues, platform: boolean): number[] {
  return [
    ...(values.sysinfoEhdr !== undefined ? [AT.AT_SYSINFO_EHDR] : []),
    AT.AT_HWCAP, AT.AT_PAGESZ, AT.AT_CLKTCK, AT.AT_PHDR, AT.AT_PHENT, AT.AT_PHNUM, AT.AT_BASE, AT.AT_FLAGS,
    AT.AT_ENTRY, AT.AT_UID, AT.AT_EUID, AT.AT_GID, AT.AT_EGID, AT.AT_SECURE, AT.AT_RANDOM,
    ...(values.hwcap2 !== undefined ? [AT.AT_HWCAP2] : []),
    AT.AT_EXECFN,
    ...(platform ? [AT.AT_PLATFORM] : []),
    AT.AT_NULL,
  ];
}

/** Checks every pointer, string, alignment and auxv entry of a built stack against its input. */
function verify(given: InitialStackInput, stack: InitialStack): void {
  expect(stack.sp % 16).toBe(0);
  expect(stack.sp + stack.bytes.length).toBe(given.stackTop);
  const memory = new StackMemory(stack.bytes, stack.sp);
  const parsed = parseStack(memory, stack.sp);

  expect(parsed.argc).toBe(given.argv.length);
  expect(stack.argvAddress).toBe(stack.sp + 8);
  expect(stack.envpAddress).toBe(stack.argvAddress + (given.argv.length + 1) * 8);
  expect(stack.auxvAddress).toBe(stack.envpAddress + (given.envp.length + 1) * 8);
  expect(parsed.argvPointers.map((p) => memory.cString(p))).toEqual(given.argv);
  expect(parsed.envpPointers.map((p) => memory.cString(p))).toEqual(given.envp);
  expect(parsed.argvPointers).toEqual(stack.argStrings);
  expect(parsed.envpPointers).toEqual(stack.envStrings);

  const auxv = new Map(parsed.auxv);
  expect(parsed.auxv.map(([t]) => t)).toEqual(expectedOrder(given.auxv, given.platform !== null));
  expect(parsed.auxv).toEqual(stack.auxv.map(([t, v]) => [t, v]));
  const v = given.auxv;
  const plain: Array<[number, number]> = [
    [AT.AT_PHDR, v.phdr], [AT.AT_PHENT, v.phent], [AT.AT_PHNUM, v.phnum], [AT.AT_PAGESZ, v.pageSize],
    [AT.AT_BASE, v.base], [AT.AT_FLAGS, v.flags], [AT.AT_ENTRY, v.entry], [AT.AT_UID, v.uid],
    [AT.AT_EUID, v.euid], [AT.AT_GID, v.gid], [AT.AT_EGID, v.egid], [AT.AT_HWCAP, v.hwcap],
    [AT.AT_CLKTCK, v.clockTicks], [AT.AT_SECURE, v.secure], [AT.AT_NULL, 0],
  ];
  for (const [type, value] of plain) expect([AT.AUXV_NAMES[type], auxv.get(type)]).toEqual([AT.AUXV_NAMES[type], value]);
  expect(auxv.get(AT.AT_HWCAP2)).toBe(v.hwcap2);
  expect(auxv.get(AT.AT_SYSINFO_EHDR)).toBe(v.sysinfoEhdr);

  expect(auxv.get(AT.AT_RANDOM)).toBe(stack.randomAddress);
  expect(Array.from(memory.slice(stack.randomAddress, 16))).toEqual(Array.from(given.random));
  expect(auxv.get(AT.AT_EXECFN)).toBe(stack.execfnAddress);
  expect(memory.cString(stack.execfnAddress)).toBe(given.execfn);
  expect(auxv.get(AT.AT_PLATFORM)).toBe(stack.platformAddress ?? undefined);
  if (given.platform !== null) expect(memory.cString(stack.platformAddress!)).toBe(given.platform);

  verifyStringArea(given, stack, memory, parsed.tablesEnd);
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length + 1;
}

/** Above the tables: padding, random bytes, platform, 16-byte alignment, argv then envp strings packed, execfn, a zero word. */
function verifyStringArea(given: InitialStackInput, stack: InitialStack, memory: StackMemory, tablesEnd: number): void {
  const top = given.stackTop;
  expect(memory.word(top - 8)).toBe(0);
  expect(stack.execfnAddress).toBe(top - 8 - utf8Length(given.execfn));
  let p = stack.execfnAddress;
  for (let i = given.envp.length - 1; i >= 0; i--) {
    p -= utf8Length(given.envp[i]);
    expect(stack.envStrings[i]).toBe(p);
  }
  for (let i = given.argv.length - 1; i >= 0; i--) {
    p -= utf8Length(given.argv[i]);
    expect(stack.argStrings[i]).toBe(p);
  }
  const aligned = p - (p % 16);
  const platformLength = given.platform === null ? 0 : utf8Length(given.platform);
  if (given.platform !== null) expect(stack.platformAddress).toBe(aligned - platformLength);
  expect(stack.randomAddress).toBe(aligned - platformLength - 16);
  expect(stack.randomAddress - tablesEnd).toBeGreaterThanOrEqual(0);
  expect(stack.randomAddress - tablesEnd).toBeLessThan(16);
  expect(memory.slice(tablesEnd, stack.randomAddress - tablesEnd).every((b) => b === 0)).toBe(true);
}

describe('buildInitialStack', () => {
  test('lays out argc, argv, envp, auxv and the strings as Linux does', () => {
    const given = input();
    verify(given, buildInitialStack(given));
  });

  test('values above 32 bits (a 48-bit stack top) are written as two halves', () => {
    const given = input({ stackTop: 0xfedc_ba98_7650, auxv: { ...VALUES, hwcap: 0x1_2345_6789, entry: 0xaaaa_aaaa_8a80 } });
    const stack = buildInitialStack(given);
    verify(given, stack);
    expect(stack.sp).toBeGreaterThan(2 ** 32);
  });

  test('AT_SYSINFO_EHDR comes first when given; AT_HWCAP2 and AT_PLATFORM only when given', () => {
    const withVdso = input({ auxv: { ...VALUES, sysinfoEhdr: 0x7fff_f7ff_d000 } });
    verify(withVdso, buildInitialStack(withVdso));
    const bare = input({ platform: null, auxv: { ...VALUES, hwcap2: undefined } });
    const stack = buildInitialStack(bare);
    verify(bare, stack);
    expect(stack.platformAddress).toBeNull();
    expect(stack.auxv.some(([t]) => t === AT.AT_HWCAP2 || t === AT.AT_PLATFORM)).toBe(false);
  });

  test('empty argv and envp', () => {
    const given = input({ argv: [], envp: [] });
    const stack = buildInitialStack(given);
    verify(given, stack);
    expect(stack.envpAddress).toBe(stack.sp + 16);
  });

  test('UTF-8 strings are encoded, not truncated to UTF-16 units', () => {
    const given = input({ argv: ['prog', 'naïve', '日本語', '🧂'], envp: ['LANG=ja_JP.UTF-8'] });
    verify(given, buildInitialStack(given));
  });

  test('environment order is kept as given (Linux), not reversed (qemu-user)', () => {
    const stack = buildInitialStack(input({ envp: ['A=1', 'B=2', 'C=3'] }));
    expect(stack.envStrings[0]).toBeLessThan(stack.envStrings[1]);
    expect(stack.envStrings[1]).toBeLessThan(stack.envStrings[2]);
  });

  test('any stack top and any strings give a 16-byte aligned, fully consistent stack', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\0'));
    fc.assert(
      fc.property(
        fc.integer({ min: 0x10_0000, max: 2 ** 48 }),
        fc.array(text, { maxLength: 6 }),
        fc.array(text, { maxLength: 6 }),
        text,
        fc.constantFrom<string | null>('aarch64', 'x86_64', null),
        (stackTop, argv, envp, execfn, platform) => {
          const given = input({ stackTop, argv, envp, execfn, platform });
          verify(given, buildInitialStack(given));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('refuses NUL inside strings, a wrong number of random bytes, and values that are not words', () => {
    expect(() => buildInitialStack(input({ argv: ['a\0b'] }))).toThrow(/argv\[0\] contains a NUL/);
    expect(() => buildInitialStack(input({ envp: ['X=1', 'Y=\0'] }))).toThrow(/envp\[1\] contains a NUL/);
    expect(() => buildInitialStack(input({ random: new Uint8Array(8) }))).toThrow(/8 random bytes given, 16 needed/);
    expect(() => buildInitialStack(input({ auxv: { ...VALUES, entry: -1 } }))).toThrow(/auxv entry 9/);
    expect(() => buildInitialStack(input({ stackTop: 2 ** 53 }))).toThrow(/stackTop/);
    expect(() => buildInitialStack(input({ stackTop: 64 }))).toThrow(/do not fit/);
  });
});

describe('auxv for a parsed image', () => {
  test('aarch64: AT_PHDR/PHENT/PHNUM/ENTRY from the image, HWCAP = FP|ASIMD, platform "aarch64"', () => {
    const image = parseElfImage(fixture('hello-nostdlib-aarch64.elf'));
    const values = auxvForImage(image);
    expect(values).toMatchObject({ phdr: image.phdrAddress, phent: 56, phnum: image.phnum, entry: image.entry, hwcap: 3, hwcap2: 0 });
    const given = input({ auxv: values, platform: platformString(image.machine), execfn: 'hello', argv: ['hello'] });
    verify(given, buildInitialStack(given));
    expect(given.platform).toBe('aarch64');
  });

  test('x86_64: same layout, platform "x86_64" and the x86-64 baseline CPUID.1:EDX bits', () => {
    const image = parseElfImage(fixture('hello-nostdlib-x86_64.elf'));
    const values = auxvForImage(image, { uid: 1, euid: 2, gid: 3, egid: 4 });
    expect(values.hwcap & (1 << 26)).not.toBe(0); // SSE2
    expect(values.hwcap & 1).toBe(1); // FPU
    expect(values).toMatchObject({ uid: 1, euid: 2, gid: 3, egid: 4, entry: image.entry });
    const given = input({ stackTop: 0x7fff_ffff_f000, auxv: values, platform: platformString(image.machine) });
    const stack = buildInitialStack(given);
    verify(given, stack);
    expect(new StackMemory(stack.bytes, stack.sp).cString(stack.platformAddress!)).toBe('x86_64');
  });
});
