import {
  AT_BASE,
  AT_CLKTCK,
  AT_EGID,
  AT_ENTRY,
  AT_EUID,
  AT_EXECFN,
  AT_FLAGS,
  AT_GID,
  AT_HWCAP,
  AT_HWCAP2,
  AT_NULL,
  AT_PAGESZ,
  AT_PHDR,
  AT_PHENT,
  AT_PHNUM,
  AT_PLATFORM,
  AT_RANDOM,
  AT_SECURE,
  AT_SYSINFO_EHDR,
  AT_UID,
  AuxvValues,
} from './auxv';

export interface InitialStackInput {
  /** One past the highest byte of the stack. */
  readonly stackTop: number;
  readonly argv: readonly string[];
  readonly envp: readonly string[];
  /** The path the program was executed as (AT_EXECFN's string). */
  readonly execfn: string;
  /** AT_PLATFORM's string ("aarch64", "x86_64"), or null to leave AT_PLATFORM out. */
  readonly platform: string | null;
  readonly auxv: AuxvValues;
  /** The 16 bytes AT_RANDOM points at. */
  readonly random: Uint8Array;
}

export interface InitialStack {
  /** The stack pointer at entry: the address of argc, 16-byte aligned. */
  readonly sp: number;
  /** The bytes from sp up to stackTop, to be copied there. */
  readonly bytes: Uint8Array;
  readonly argvAddress: number;
  readonly envpAddress: number;
  readonly auxvAddress: number;
  /** Where each argv and envp string landed. */
  readonly argStrings: readonly number[];
  readonly envStrings: readonly number[];
  readonly execfnAddress: number;
  readonly platformAddress: number | null;
  readonly randomAddress: number;
  /** The auxv written, AT_NULL included, as [type, value] pairs. */
  readonly auxv: ReadonlyArray<readonly [number, number]>;
}

const WORD = 8;
const TWO_POW_32 = 0x1_0000_0000;
const encoder = new TextEncoder();

function cString(text: string, what: string): Uint8Array {
  if (text.includes('\0')) throw new RangeError(`initial stack: ${what} contains a NUL character`);
  const encoded = encoder.encode(text);
  const bytes = new Uint8Array(encoded.length + 1);
  bytes.set(encoded);
  return bytes;
}

function alignDown16(address: number): number {
  return address - (address % 16);
}

/** Places strings downwards from `top`, last first, so that the first string ends up lowest (as Linux's copy_strings does). */
function placeDownwards(top: number, strings: readonly Uint8Array[]): { addresses: number[]; bottom: number } {
  const addresses = new Array<number>(strings.length);
  let p = top;
  for (let i = strings.length - 1; i >= 0; i--) {
    p -= strings[i].length;
    addresses[i] = p;
  }
  return { addresses, bottom: p };
}

function auxvEntries(values: AuxvValues, execfn: number, platform: number | null, random: number): Array<[number, number]> {
  const entries: Array<[number, number]> = [];
  if (values.sysinfoEhdr !== undefined) entries.push([AT_SYSINFO_EHDR, values.sysinfoEhdr]);
  entries.push(
    [AT_HWCAP, values.hwcap],
    [AT_PAGESZ, values.pageSize],
    [AT_CLKTCK, values.clockTicks],
    [AT_PHDR, values.phdr],
    [AT_PHENT, values.phent],
    [AT_PHNUM, values.phnum],
    [AT_BASE, values.base],
    [AT_FLAGS, values.flags],
    [AT_ENTRY, values.entry],
    [AT_UID, values.uid],
    [AT_EUID, values.euid],
    [AT_GID, values.gid],
    [AT_EGID, values.egid],
    [AT_SECURE, values.secure],
    [AT_RANDOM, random],
  );
  if (values.hwcap2 !== undefined) entries.push([AT_HWCAP2, values.hwcap2]);
  entries.push([AT_EXECFN, execfn]);
  if (platform !== null) entries.push([AT_PLATFORM, platform]);
  entries.push([AT_NULL, 0]);
  return entries;
}

function checkWord(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`initial stack: ${what} (${value}) is not a non-negative integer below 2^53`);
  }
}

interface EncodedStrings {
  readonly argv: Uint8Array[];
  readonly envp: Uint8Array[];
  readonly execfn: Uint8Array;
  readonly platform: Uint8Array | null;
}

interface Layout {
  readonly sp: number;
  readonly argStrings: number[];
  readonly envStrings: number[];
  readonly execfnAddress: number;
  readonly platformAddress: number | null;
  readonly randomAddress: number;
  readonly auxv: Array<[number, number]>;
}

function encodeStrings(input: InitialStackInput): EncodedStrings {
  return {
    argv: input.argv.map((a, i) => cString(a, `argv[${i}]`)),
    envp: input.envp.map((e, i) => cString(e, `envp[${i}]`)),
    execfn: cString(input.execfn, 'execfn'),
    platform: input.platform === null ? null : cString(input.platform, 'platform'),
  };
}

/** Decides every address, top down, as Linux's exec (copy_strings, create_elf_tables) does with randomisation off. */
function planLayout(input: InitialStackInput, strings: EncodedStrings): Layout {
  const execfnAddress = input.stackTop - WORD - strings.execfn.length;
  const env = placeDownwards(execfnAddress, strings.envp);
  const args = placeDownwards(env.bottom, strings.argv);
  const aligned = alignDown16(args.bottom);
  const platformAddress = strings.platform === null ? null : aligned - strings.platform.length;
  const randomAddress = (platformAddress ?? aligned) - 16;
  if (randomAddress < 0) throw new RangeError('initial stack: arguments do not fit below stackTop');
  const auxv = auxvEntries(input.auxv, execfnAddress, platformAddress, randomAddress);
  auxv.forEach(([type, value]) => checkWord(value, `auxv entry ${type}`));
  const words = 1 + (strings.argv.length + 1) + (strings.envp.length + 1) + auxv.length * 2;
  const sp = alignDown16(randomAddress - words * WORD);
  if (sp < 0) throw new RangeError('initial stack: arguments do not fit below stackTop');
  return { sp, argStrings: args.addresses, envStrings: env.addresses, execfnAddress, platformAddress, randomAddress, auxv };
}

function writeStack(input: InitialStackInput, strings: EncodedStrings, layout: Layout): Uint8Array {
  const { sp } = layout;
  const bytes = new Uint8Array(input.stackTop - sp);
  const view = new DataView(bytes.buffer);
  strings.argv.forEach((s, i) => bytes.set(s, layout.argStrings[i] - sp));
  strings.envp.forEach((s, i) => bytes.set(s, layout.envStrings[i] - sp));
  bytes.set(strings.execfn, layout.execfnAddress - sp);
  if (strings.platform !== null && layout.platformAddress !== null) bytes.set(strings.platform, layout.platformAddress - sp);
  bytes.set(input.random, layout.randomAddress - sp);

  const table = [
    strings.argv.length,
    ...layout.argStrings,
    0,
    ...layout.envStrings,
    0,
    ...layout.auxv.flat(),
  ];
  table.forEach((value, i) => {
    view.setUint32(i * WORD, value % TWO_POW_32, true);
    view.setUint32(i * WORD + 4, Math.floor(value / TWO_POW_32), true);
  });
  return bytes;
}

/**
 * Builds the Linux initial process stack (as fs/binfmt_elf.c lays it out),
 * from stackTop down: a zero word, the execfn string, the envp then argv
 * strings, alignment to 16, the platform string, the 16 random bytes, padding,
 * then the auxv (AT_NULL last), the envp pointers and NULL, the argv pointers
 * and NULL, and argc at the 16-byte aligned SP. The layout is the same on
 * aarch64 and x86_64; only the platform string and the auxv values differ.
 */
export function buildInitialStack(input: InitialStackInput): InitialStack {
  checkWord(input.stackTop, 'stackTop');
  if (input.random.length !== 16) throw new RangeError(`initial stack: ${input.random.length} random bytes given, 16 needed`);
  const strings = encodeStrings(input);
  const layout = planLayout(input, strings);
  const argvAddress = layout.sp + WORD;
  const envpAddress = argvAddress + (strings.argv.length + 1) * WORD;
  return {
    sp: layout.sp,
    bytes: writeStack(input, strings, layout),
    argvAddress,
    envpAddress,
    auxvAddress: envpAddress + (strings.envp.length + 1) * WORD,
    argStrings: layout.argStrings,
    envStrings: layout.envStrings,
    execfnAddress: layout.execfnAddress,
    platformAddress: layout.platformAddress,
    randomAddress: layout.randomAddress,
    auxv: layout.auxv,
  };
}
