// Where the fuzzer's pointer arguments point: an arena of guest memory the
// fuzzing process maps at a fixed address at the start of each epoch. Eight
// read-write pages (path strings, timespecs, a window of "interesting" words
// and iovecs rewritten before every call, a scratch buffer), then an unmapped
// page, a read-only page, a PROT_NONE page and unmapped space, so pointers can
// sit inside a mapping, at its edge, on read-only or inaccessible pages, or
// nowhere. The last bytes before the hole hold a string with no NUL.

import { UserFault, type UserMemory } from '../../kernel/process/user-memory';
import type { FuzzRandom } from './fuzz-random';

export const PAGE = 4096;
export const ARENA = 0x2000_0000;
export const RW_PAGES = 8;
export const RW_END = ARENA + RW_PAGES * PAGE;
export const HOLE = RW_END;
export const RO_PAGE = RW_END + PAGE;
export const NONE_PAGE = RW_END + 2 * PAGE;
export const UNMAPPED = RW_END + 3 * PAGE;

const STRINGS = ARENA;
const STRING_SLOT = 128;
const TIMESPECS = ARENA + PAGE;
const WORDS = ARENA + 2 * PAGE;
const WORD_COUNT = 64;
/** Words and iovecs rewritten before each call (a window that moves over the arrays). */
const FRESH_WORDS = 8;
const FRESH_IOVECS = 4;
const IOVECS = ARENA + 3 * PAGE;
const IOVEC_COUNT = 16;
const BUFFER = ARENA + 4 * PAGE;
/** A run of 'A's up to the hole: a string whose NUL would be past the mapping. */
const UNTERMINATED = RW_END - 256;
const LONG_PATH = ARENA + 5 * PAGE;
/** A path with one 300-byte component (past NAME_MAX). */
const LONG_NAME = ARENA + 6 * PAGE + 2048;

/** Paths the string arguments name (under an in-memory root the fuzzer prepares). */
export const PATHS = [
  '/', '.', '..', '', '/tmp', '/tmp/fz', '/tmp/fz/a', '/tmp/fz/b', '/tmp/fz/dir', '/tmp/fz/link', '/tmp/fz/sock', '/tmp/fz/prog',
  '/dev/null', '/dev/zero', '/dev/tty', '/dev/urandom', '/proc/self/maps', '/proc/self/exe', '/proc/self/status', '/proc/self/fd/0', '/proc/self/fd',
  '/nonexistent/x', 'a', 'a/b/../c', '/tmp/fz/a/', '/tmp//fz/./b', 'user.x', 'trusted.fz',
];

const TWO32 = 4294967296;

/** Integers that break code: zero, ones, signs, powers of two around 32 and 64 bits, page sizes. */
export const INTEGERS = [
  0, 1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 32, 63, 64, 65, 100, 127, 128, 255, 256, 511, 1023, 1024, 1025, 4095, 4096, 4097, 65535, 65536,
  0x7fff_ffff, -0x8000_0000, 0xffff_ffff, TWO32, TWO32 + 1, 2 ** 47, 2 ** 48, 2 ** 53 - 1, -(2 ** 63), 2 ** 62, -1, -2, -100, -4096, 0x7fff_f000,
];

/** Timespecs {sec, nsec}: valid short ones, the nsec bounds, negatives, huge. */
const TIMESPEC_VALUES: readonly [number, number][] = [
  [0, 0], [0, 1], [0, 1_000_000], [0, 999_999_999], [0, 1_000_000_000], [-1, 0], [0, -1], [1, 0], [0x7fff_ffff, 0], [2 ** 53 - 1, 0], [-(2 ** 63), 0], [5, 500_000_000],
];

export class FuzzArena {
  /** Addresses of valid-looking structures by kind. */
  readonly strings: number[] = [];
  readonly timespecs: number[] = [];
  readonly structs = [WORDS, WORDS + 8, WORDS + 64, IOVECS, IOVECS + 16, BUFFER, BUFFER + 1, RO_PAGE, RW_END - 8, RW_END - 16, RW_END - 32];
  /** Raw pointers: NULL, edges, read-only, inaccessible, unmapped, the kernel half, non-canonical. */
  readonly pointers: number[];

  constructor(
    readonly textAddress: number,
    readonly stackAddress: number,
  ) {
    this.pointers = [
      0, 1, -1, PAGE - 1, PAGE, ARENA, ARENA + 4, BUFFER, BUFFER + 3, RW_END - 1, RW_END - 2, RW_END - 4, RW_END - 8, RW_END - 16, RW_END - 24, RW_END - 64,
      HOLE, HOLE + 8, RO_PAGE, RO_PAGE + 8, RO_PAGE + PAGE - 8, NONE_PAGE, NONE_PAGE + 16, UNMAPPED, UNMAPPED + 0x10_0000,
      textAddress, textAddress + 4, stackAddress, stackAddress - 512, -(2 ** 47), 2 ** 47 - 8, 2 ** 47, 2 ** 48 - 8, 2 ** 48, -4096, 2 ** 63 - 4096,
    ];
  }

  /** Writes the fixed contents; the read-only page's words go in before the caller protects it. */
  fill(user: UserMemory, rng: FuzzRandom): void {
    PATHS.forEach((p, i) => {
      const at = STRINGS + i * STRING_SLOT;
      const bytes = Buffer.from(p.length < STRING_SLOT ? p : p.slice(0, STRING_SLOT - 1));
      user.write(at, new Uint8Array([...bytes, 0]));
      this.strings.push(at);
    });
    // A path longer than PATH_MAX, NUL-terminated at the end of its 5000 bytes.
    user.write(LONG_PATH, new Uint8Array([...Buffer.from('/'.concat('p/'.repeat(2499))), 0]));
    user.write(LONG_NAME, new Uint8Array([...Buffer.from(`/tmp/${'n'.repeat(300)}`), 0]));
    this.strings.push(LONG_PATH, LONG_NAME, UNTERMINATED);
    user.write(UNTERMINATED, new Uint8Array(RW_END - UNTERMINATED).fill(0x41));
    TIMESPEC_VALUES.forEach(([sec, nsec], i) => {
      const at = TIMESPECS + 16 * i;
      user.write(at, words([sec, nsec]));
      this.timespecs.push(at);
    });
    const buf = new Uint8Array(PAGE);
    for (let i = 0; i < PAGE; i++) buf[i] = rng.u32() & 0xff;
    user.write(BUFFER, buf);
    user.write(RO_PAGE, this.interestingWords(rng, PAGE / 8));
    user.write(WORDS, this.interestingWords(rng, WORD_COUNT));
  }

  /** Before each call: fresh interesting words and iovecs (pointer, length pairs over the pools). */
  refresh(user: UserMemory, rng: FuzzRandom): void {
    const w = rng.below(WORD_COUNT - FRESH_WORDS);
    const v = rng.below(IOVEC_COUNT - FRESH_IOVECS);
    const iov: number[] = [];
    for (let i = 0; i < FRESH_IOVECS; i++) iov.push(rng.chance(0.7) ? rng.pick(this.structs) : rng.pick(this.pointers), rng.chance(0.6) ? rng.below(64) : rng.pick(INTEGERS));
    // A call may have unmapped or protected the arena: then it stays as the guest left it.
    writeIfMapped(user, WORDS + 8 * w, this.interestingWords(rng, FRESH_WORDS));
    writeIfMapped(user, IOVECS + 16 * v, words(iov));
  }

  private interestingWords(rng: FuzzRandom, n: number): Uint8Array {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const k = rng.below(4);
      out.push(k === 0 ? rng.pick(INTEGERS) : k === 1 ? rng.pick(this.pointers) : k === 2 ? rng.pick(this.strings) : rng.u32());
    }
    return words(out);
  }
}

function writeIfMapped(user: UserMemory, at: number, bytes: Uint8Array): void {
  try {
    user.write(at, bytes);
  } catch (e) {
    if (!(e instanceof UserFault)) throw e;
  }
}

/** 64-bit little-endian words (two's complement for negatives; exact below 2^53). */
export function words(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(8 * values.length);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => {
    const hi = Math.floor(x / TWO32);
    v.setUint32(8 * i, (x - hi * TWO32) >>> 0, true);
    v.setUint32(8 * i + 4, hi >>> 0, true);
  });
  return out;
}
